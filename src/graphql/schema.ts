/**
 * The executable schema, built from the feature resolvers. `schema.graphql` at the top of the repository is printed
 * from this by `npm run schema:emit`, and a test fails when the two drift apart.
 */
import 'reflect-metadata';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { declaredObjectTypes } from './declare-type.js';
import { CompletenessResolver, UnitCompletenessResolver } from '../completeness/completeness.resolver.js';
import { ChildBreakdownResolver, DashboardResolver } from '../dashboard/dashboard.resolver.js';
import { RankingEntryResolver, RankingResolver } from '../rankings/ranking.resolver.js';
import { ReportResolver } from '../reports/report.resolver.js';
import { RollupResolver } from '../rollups/rollup.resolver.js';
import { RollupSubscriptionResolver } from '../rollups/rollup.subscription.js';
import { DashboardSubscriptionResolver } from '../dashboard/dashboard.subscription.js';
import { UnitResolver } from '../units/unit.resolver.js';

/**
 * type-graphql will not build a subscription without a PubSub, though ours brings its own `subscribe` and publishes
 * through PostgreSQL (rollups/rollup-changes.ts): topics are refused, so none is used by mistake.
 */
const noTopics = {
  publish(): never {
    throw new Error('subscriptions publish through rollups/rollup-changes.ts, not by topic');
  },
  subscribe(): never {
    throw new Error('subscriptions publish through rollups/rollup-changes.ts, not by topic');
  },
};

export async function buildHubSchema(): Promise<GraphQLSchema> {
  // Input checks live in the services (they need the database and name cells in the form's labels).
  const schema = await buildSchema({ resolvers: [UnitResolver, ReportResolver, RollupResolver, RollupSubscriptionResolver, CompletenessResolver, UnitCompletenessResolver, RankingResolver, RankingEntryResolver, DashboardResolver, DashboardSubscriptionResolver, ChildBreakdownResolver], validate: false, pubSub: noTopics });
  return withDefaultResolvers(schema);
}

/**
 * type-graphql gives every field a resolver, even one that only reads a property; the types declared from the
 * catalogue (figures, rates, metrics: `declareType`) are plain data, and without resolvers their fields are read as
 * properties, which a compiled query (graphql/executor.ts) does inline instead of calling a function per field.
 */
function withDefaultResolvers(schema: GraphQLSchema): GraphQLSchema {
  for (const name of declaredObjectTypes) {
    const type = schema.getType(name);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) field.resolve = undefined;
  }
  return schema;
}
