/**
 * What every resolver gets for one request: its own forked EntityManager, its own DataLoaders, the viewer's access
 * rules and a logger that carries the request id. Nothing request-scoped lives at module level.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Access, type Viewer } from '../auth/access.js';
import type { Logger } from '../logger.js';
import type { RollupMode } from '../rollups/aggregate.sql.js';
import { createReportLoaders, type ReportLoaders } from '../reports/report.loaders.js';
import { createUnitLoaders, type UnitLoaders } from '../units/unit.loaders.js';

export interface Context {
  requestId: string;
  em: EntityManager;
  logger: Logger;
  access: Access;
  rollupMode: RollupMode;
  loaders: { units: UnitLoaders; reports: ReportLoaders };
}

export function createContext(orm: MikroORM, logger: Logger, requestId: string, viewer: Viewer, rollupMode: RollupMode = 'preaggregated'): Context {
  const em = orm.em.fork();
  const units = createUnitLoaders(em);
  return {
    requestId,
    em,
    logger: logger.child({ requestId, viewer: `${viewer.unitCode}/${viewer.role}` }),
    access: new Access(viewer, units),
    rollupMode,
    loaders: { units, reports: createReportLoaders(em) },
  };
}

/**
 * A subscription's context lives as long as the subscription, and graphql-js executes every event with it: before
 * each event it gets a fresh EntityManager, loaders and access checks, so that no event sees what an earlier one
 * cached (nor keeps it in memory).
 */
export function renewContext(ctx: Context): void {
  const em = ctx.em.fork();
  const units = createUnitLoaders(em);
  Object.assign(ctx, { em, access: new Access(ctx.access.viewer, units), loaders: { units, reports: createReportLoaders(em) } });
}
