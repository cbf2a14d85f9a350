/**
 * `npm test`: starts one real PostgreSQL for the whole run (embedded in a throw-away folder, or the server named by
 * DATABASE_URL), migrates a template database, then runs Jest with TEST_SERVER_URL and TEST_TEMPLATE_DATABASE set.
 * Each test file clones the template (CREATE DATABASE ... TEMPLATE), which takes milliseconds, so files never see
 * each other's rows. Arguments are passed on to Jest: `npm test -- test/units`.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../src/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { ormConfig } from '../src/db/orm.config.js';
import { createLogger } from '../src/logger.js';

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
const template = `hub_test_template_${process.pid}`;

let embedded: EmbeddedDatabase | null = null;
let base: string | null = null;
let serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  base = mkdtempSync(path.join(os.tmpdir(), 'disclosure-hub-test-'));
  chmodSync(base, 0o755); // as root, Postgres runs as the OS user postgres, which must reach the data folder
  embedded = await startEmbeddedPostgres({
    dataDir: path.join(base, 'postgres'),
    port: null,
    logger,
    // A throw-away cluster: durability buys nothing here and costs seconds.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
  });
  serverUrl = embedded.url;
}

const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
};

let exitCode = 1;
try {
  await admin(`create database ${template}`);
  const templateUrl = new URL(serverUrl);
  templateUrl.pathname = `/${template}`;
  const orm = await MikroORM.init(ormConfig(templateUrl.toString(), logger));
  await orm.migrator.up();
  await orm.close(true);

  exitCode = await new Promise<number>((resolve) => {
    const jest = spawn(
      process.execPath,
      ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', path.join(projectRoot, 'node_modules/jest/bin/jest.js'), ...process.argv.slice(2)],
      { stdio: 'inherit', cwd: projectRoot, env: { ...process.env, TEST_SERVER_URL: serverUrl, TEST_TEMPLATE_DATABASE: template } },
    );
    jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
} finally {
  // Drop the template and whatever a crashed test file left behind.
  const { rows } = await admin(`select datname from pg_database where datname like 'hub_test_%'`).catch(() => ({ rows: [] as { datname: string }[] }));
  for (const { datname } of rows) await admin(`drop database if exists "${datname}" with (force)`).catch(() => undefined);
  await embedded?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
}
process.exit(exitCode);
