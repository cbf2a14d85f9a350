/**
 * What every resolver gets for one request: its own forked EntityManager, its own DataLoaders and a logger that
 * carries the request id. Nothing request-scoped lives at module level.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { createReportLoaders, type ReportLoaders } from '../reports/report.loaders.js';
import { createUnitLoaders, type UnitLoaders } from '../units/unit.loaders.js';

export interface Context {
  requestId: string;
  em: EntityManager;
  logger: Logger;
  loaders: { units: UnitLoaders; reports: ReportLoaders };
}

export function createContext(orm: MikroORM, logger: Logger, requestId: string): Context {
  const em = orm.em.fork();
  return {
    requestId,
    em,
    logger: logger.child({ requestId }),
    loaders: { units: createUnitLoaders(em), reports: createReportLoaders(em) },
  };
}
