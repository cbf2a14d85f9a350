/**
 * The one MikroORM configuration, shared by the server, the scripts and the tests. Migrations, seeders and
 * entities are listed explicitly rather than discovered from files, so the same list serves TypeScript and tests.
 */
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig } from '@mikro-orm/postgresql';
import { SeedManager } from '@mikro-orm/seeder';
import { migrationsList } from '../../migrations/index.js';
import type { Logger } from '../logger.js';
import { Report } from '../reports/report.entity.js';
import { ReportRevision } from '../reports/report-revision.entity.js';
import { Unit } from '../units/unit.entity.js';
import { createOrmLogger } from './query-counter.js';

export const entities = [Unit, Report, ReportRevision];

export function ormConfig(url: string, logger: Logger, options: { poolSize?: number } = {}) {
  return defineConfig({
    clientUrl: url,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator, SeedManager],
    migrations: { migrationsList, snapshot: false, transactional: true, allOrNothing: true },
    loggerFactory: createOrmLogger(logger),
    slowQueryThreshold: 500,
    pool: { min: 0, max: options.poolSize ?? 10 },
  });
}
