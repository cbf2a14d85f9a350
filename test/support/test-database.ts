/**
 * A private database for one test file, cloned from the migrated template that global-setup made.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ormConfig } from '../../src/db/orm.config.js';
import { createLogger } from '../../src/logger.js';

export interface TestDatabase {
  orm: MikroORM;
  url: string;
  name: string;
  /** Runs raw SQL outside the ORM (for assertions on stored rows). */
  sql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export const testLogger = createLogger(process.env.LOG_LEVEL ?? 'warn');

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_SERVER_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!serverUrl || !template) throw new Error('run the tests with `npm test`, which starts their PostgreSQL first');
  const name = `hub_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const orm = await MikroORM.init(ormConfig(url.toString(), testLogger));
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // Dropping the database ends idle connections; without a handler the pool's error would crash the test worker.
  pool.on('error', () => undefined);
  return {
    orm,
    url: url.toString(),
    name,
    async sql(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async drop() {
      await orm.close(true);
      await pool.end();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
