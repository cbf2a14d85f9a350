/**
 * The executable schema, built from the feature resolvers. `schema.graphql` at the top of the repository is printed
 * from this by `npm run schema:emit`, and a test fails when the two drift apart.
 */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CompletenessResolver, UnitCompletenessResolver } from '../completeness/completeness.resolver.js';
import { ChildBreakdownResolver, DashboardResolver } from '../dashboard/dashboard.resolver.js';
import { RankingEntryResolver, RankingResolver } from '../rankings/ranking.resolver.js';
import { ReportResolver } from '../reports/report.resolver.js';
import { RollupResolver } from '../rollups/rollup.resolver.js';
import { UnitResolver } from '../units/unit.resolver.js';

export function buildHubSchema(): Promise<GraphQLSchema> {
  // Input checks live in the services (they need the database and name cells in the form's labels).
  return buildSchema({ resolvers: [UnitResolver, ReportResolver, RollupResolver, CompletenessResolver, UnitCompletenessResolver, RankingResolver, RankingEntryResolver, DashboardResolver, ChildBreakdownResolver], validate: false });
}
