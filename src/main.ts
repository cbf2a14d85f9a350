/**
 * Process entry: config -> database (embedded or DATABASE_URL, migrated) -> demo data on first start -> server.
 * SIGINT and SIGTERM close the server, the connection pool and the embedded PostgreSQL, in that order.
 */
import v8 from 'node:v8';
import { createHub, GRAPHQL_PATH } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { seedDemoIfEmpty } from '../seeds/seed-demo.js';
import { DEMO_CITY } from '../seeds/DemoSeeder.js';
import { Role } from './auth/role.js';
import { loadTokenKeys, signToken } from './auth/tokens.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import { Unit } from './units/unit.entity.js';

/** A token for the demo city's oversight office, so that a new user can query at once. */
async function demoOversightToken(orm: MikroORM, config: Config): Promise<string | null> {
  if (!(await orm.em.fork().count(Unit, { code: DEMO_CITY }))) return null;
  return signToken(loadTokenKeys(config.auth), { unitCode: DEMO_CITY, role: Role.OVERSIGHT }, '30d');
}

const config = loadConfig();
const logger = createLogger(config.logLevel);
// V8 reads this flag at every full collection, so setting it here, before the heap has grown, is as good as on the
// command line (where NODE_OPTIONS cannot carry it). config.ts says why.
if (config.heapGrowingPercent) v8.setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);

async function main(): Promise<void> {
  const database = await openDatabase(config, logger);
  let hub: Awaited<ReturnType<typeof createHub>> | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await hub?.close().catch((error) => logger.error({ err: error }, 'closing the server failed'));
    await database.close().catch((error) => logger.error({ err: error }, 'closing the database failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    if (config.seedDemo) await seedDemoIfEmpty(database.orm, logger);
    const demoToken = database.embedded && config.environment !== 'production' ? await demoOversightToken(database.orm, config) : null;
    hub = await createHub(config, database.orm, logger, { ideHeaders: demoToken ? { Authorization: `Bearer ${demoToken}` } : undefined });
    const port = await hub.listen(config.port);
    logger.info({ url: `http://localhost:${port}${GRAPHQL_PATH}`, database: database.embedded ? `embedded (${database.embedded.dataDir})` : 'DATABASE_URL' }, 'disclosure-hub is serving GraphQL');
    if (demoToken) {
      logger.info({ unit: DEMO_CITY, role: Role.OVERSIGHT, authorization: `Bearer ${demoToken}` }, 'demo token for 清远市’s oversight office (also preset in the IDE); `npm run token -- --unit CODE --role ROLE` prints others');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      logger.fatal(`port ${config.port} is already in use (another hub?); stop that process or start with PORT=<another port>`);
    } else {
      logger.fatal({ err: error }, 'start-up failed');
    }
    await hub?.close().catch(() => undefined);
    await database.close();
    process.exit(1);
  }
}

main().catch((error) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'start-up failed');
  process.exit(1);
});
