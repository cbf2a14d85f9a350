/**
 * Process entry: config -> database (embedded or DATABASE_URL, migrated) -> demo data on first start -> server.
 * SIGINT and SIGTERM close the server, the connection pool and the embedded PostgreSQL, in that order.
 */
import { createHub, GRAPHQL_PATH } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { seedDemoIfEmpty } from '../seeds/seed-demo.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

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
    hub = await createHub(config, database.orm, logger);
    const port = await hub.listen(config.port);
    logger.info({ url: `http://localhost:${port}${GRAPHQL_PATH}`, database: database.embedded ? `embedded (${database.embedded.dataDir})` : 'DATABASE_URL' }, 'disclosure-hub is serving GraphQL');
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
