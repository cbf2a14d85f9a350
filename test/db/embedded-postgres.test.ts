/**
 * startEmbeddedPostgres against real PostgreSQL servers of its own, each in a throw-away folder: persistence across a
 * restart, busy ports, a data folder already in use, and (as root) the move out of a folder `postgres` cannot enter.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedPostgresError, freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger('silent');
const PREFERRED_PORT = 54329;
const TIMEOUT = 90_000;

let base: string;
const running: EmbeddedDatabase[] = [];
const held: net.Server[] = [];
const extraFolders: string[] = [];

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'hub-embedded-pg-test-'));
  chmodSync(base, 0o755); // as root, Postgres runs as the OS user postgres, which must reach the data folder
});

afterAll(async () => {
  for (const db of running) await db.stop().catch(() => undefined);
  for (const server of held) await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(base, { recursive: true, force: true });
  for (const folder of extraFolders) rmSync(folder, { recursive: true, force: true });
  try {
    rmdirSync('/var/tmp/disclosure-hub'); // only when empty: another hub may keep its data there
  } catch {
    /* not empty or not there */
  }
}, TIMEOUT);

async function start(dataDir: string, port: number | null = null): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedPostgres({ dataDir, port, logger, settings: { fsync: 'off' } });
  running.push(db);
  return db;
}

async function stop(db: EmbeddedDatabase): Promise<void> {
  await db.stop();
  running.splice(running.indexOf(db), 1);
}

async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Holds `port` on 127.0.0.1 (where the embedded server listens); false when someone else holds it already. */
function hold(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => {
      held.push(server);
      resolve(true);
    });
  });
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the start to be refused, but it succeeded');
}

describe('startEmbeddedPostgres', () => {
  it(
    'keeps its data across a stop and a restart on the same data folder, on another port',
    async () => {
      const dataDir = path.join(base, 'persist');
      const first = await start(dataDir);
      expect(first.dataDir).toBe(dataDir); // reachable by `postgres`: not moved
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
      await query(first.url, `create table kept (id int primary key, note text)`);
      await query(first.url, `insert into kept values (1, '清远市')`);
      await stop(first);
      expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

      let other = await freePort();
      if (other === first.port) other = await freePort();
      const second = await start(dataDir, other);
      expect(second.port).toBe(other);
      expect(second.port).not.toBe(first.port);
      expect(second.url).toContain(`:${other}/`);
      expect(await query(second.url, `select id, note from kept`)).toEqual([{ id: 1, note: '清远市' }]);
      await stop(second);
    },
    TIMEOUT,
  );

  it(
    'refuses a fixed port that is busy, naming the port',
    async () => {
      const port = await freePort();
      expect(await hold(port)).toBe(true);
      const dataDir = path.join(base, 'busy-port');
      const error = await refusal(start(dataDir, port));
      expect(error).toBeInstanceOf(EmbeddedPostgresError);
      expect(error.message).toContain(String(port));
      expect(error.message).toMatch(/in use/);
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(false); // refused before initdb
    },
    TIMEOUT,
  );

  it(
    'without a fixed port, moves off the preferred port 54329 when that is busy',
    async () => {
      await hold(PREFERRED_PORT); // either we hold it now, or someone else already does: busy both ways
      const db = await start(path.join(base, 'preferred-busy'), null);
      expect(db.port).not.toBe(PREFERRED_PORT);
      expect(db.url).toBe(`postgres://postgres:postgres@127.0.0.1:${db.port}/postgres`);
      expect(await query(db.url, `select 1 as one`)).toEqual([{ one: 1 }]);
      await stop(db);
    },
    TIMEOUT,
  );

  it(
    'refuses a data folder that a live PostgreSQL serves, naming the folder',
    async () => {
      const dataDir = path.join(base, 'shared');
      const first = await start(dataDir);
      const error = await refusal(start(dataDir));
      expect(error).toBeInstanceOf(EmbeddedPostgresError);
      expect(error.message).toContain(dataDir);
      expect(error.message).toMatch(/in use/);
      // the first server is untouched by the refused second start
      expect(await query(first.url, `select 2 as two`)).toEqual([{ two: 2 }]);
      await stop(first);
    },
    TIMEOUT,
  );

  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot(
    'as root, moves a data folder that `postgres` cannot reach to /var/tmp/disclosure-hub/',
    async () => {
      const closed = path.join(base, 'closed');
      mkdirSync(closed, { mode: 0o700 });
      chmodSync(closed, 0o700);
      const wanted = path.join(closed, 'postgres');
      const db = await start(wanted);
      extraFolders.push(path.dirname(db.dataDir));
      expect(db.dataDir.startsWith('/var/tmp/disclosure-hub/')).toBe(true);
      expect(path.basename(db.dataDir)).toBe('postgres');
      expect(existsSync(path.join(db.dataDir, 'PG_VERSION'))).toBe(true);
      expect(existsSync(wanted)).toBe(false);
      await query(db.url, `create table t (x int)`);
      await query(db.url, `insert into t values (42)`);
      expect(await query(db.url, `select x from t`)).toEqual([{ x: 42 }]);
      await stop(db);

      // the same wanted folder maps to the same moved folder, so the data survives a restart
      const again = await start(wanted);
      expect(again.dataDir).toBe(db.dataDir);
      expect(await query(again.url, `select x from t`)).toEqual([{ x: 42 }]);
      await stop(again);
    },
    TIMEOUT,
  );
});
