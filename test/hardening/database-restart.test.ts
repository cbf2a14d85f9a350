/**
 * The hub outlives its database: on a PostgreSQL server of this test's own, stopped and started again on the same
 * port, the hub answers DATABASE_UNAVAILABLE (retryable) while the database is down — also to a request caught in
 * flight — keeps serving, and answers normally again within seconds of the database coming back. The same hub runs
 * twice: in this process (createHub) and as the real process (the compiled `dist/src/main.js` on DATABASE_URL), which must stay alive.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createHub, type Hub } from '../../src/app.js';
import { Role } from '../../src/auth/role.js';
import { loadTokenKeys, signToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';
import { ormConfig } from '../../src/db/orm.config.js';
import { createLogger } from '../../src/logger.js';
import { raw, type RawAnswer } from '../auth/http.js';
import { freePort, spawnHub, type HubProcess } from '../process/hub-process.js';
import { TEST_AUTH_SECRET } from '../support/test-hub.js';

const TIMEOUT = 120_000;
const logger = createLogger('silent');
const UNIT = `{ unit(code: "441800") { code name } }`;

let base: string;
let dataDir: string;
let server: EmbeddedDatabase | null = null;
let databaseUrl: string;
let orm: MikroORM;
let hub: Hub;
let url: string;
let token: string;
let proc: HubProcess;
let procUrl: string;

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'hub-db-restart-'));
  chmodSync(base, 0o755); // as root, PostgreSQL runs as the OS user postgres, which must reach the data folder
  dataDir = path.join(base, 'postgres');
  server = await startEmbeddedPostgres({ dataDir, port: null, logger, settings: { fsync: 'off' } });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('create database hub_restart');
  await admin.end();
  const u = new URL(server.url);
  u.pathname = '/hub_restart';
  databaseUrl = u.toString();
  orm = await MikroORM.init(ormConfig(databaseUrl, logger));
  await orm.migrator.up();
  const config = loadConfig({ NODE_ENV: 'test', AUTH_SECRET: TEST_AUTH_SECRET });
  hub = await createHub(config, orm, logger);
  url = `http://127.0.0.1:${await hub.listen(0, '127.0.0.1')}/graphql`;
  token = await signToken(loadTokenKeys(config.auth), { unitCode: '*', role: Role.ADMIN }, '1h');
  const port = await freePort();
  proc = spawnHub({ ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'info', AUTH_SECRET: TEST_AUTH_SECRET });
  await proc.waitFor('serving GraphQL');
  procUrl = `http://127.0.0.1:${port}/graphql`;
}, TIMEOUT);

afterAll(async () => {
  await proc?.stop(10_000);
  await hub?.close();
  await orm?.close(true).catch(() => undefined);
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
}, TIMEOUT);

const gql = (query: string, variables?: Record<string, unknown>, at = url) =>
  raw(at, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectUnavailable(answer: RawAnswer): void {
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/json/);
  expect(answer.json.errors).toHaveLength(1);
  expect(answer.json.errors[0].extensions).toEqual({ code: 'DATABASE_UNAVAILABLE', retryable: true });
  expect(answer.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat|stack/i);
}

describe('a hub whose PostgreSQL stops and starts again', () => {
  it(
    'answers while the database is up',
    async () => {
      const created = await gql(`mutation { createUnit(input: { code: "441800", name: "清远市", kind: PREFECTURE }) { code } }`);
      expect(created.json).toMatchObject({ data: { createUnit: { code: '441800' } } });
      expect((await gql(UNIT)).json).toMatchObject({ data: { unit: { code: '441800', name: '清远市' } } });
      expect((await gql(UNIT, {}, procUrl)).json).toMatchObject({ data: { unit: { code: '441800', name: '清远市' } } });
    },
    TIMEOUT,
  );

  it(
    'answers a request in flight when the database stops with the retryable error',
    async () => {
      // Hold a lock the request must wait for, so that it is surely inside the database when the server stops.
      const locker = new pg.Client({ connectionString: databaseUrl });
      locker.on('error', () => undefined); // the fast shutdown terminates this session too
      await locker.connect();
      await locker.query('begin');
      await locker.query('lock table unit in access exclusive mode');
      const inFlight = gql(UNIT);
      for (let i = 0; i < 200; i++) {
        const { rows } = await locker.query<{ waiting: string }>(`select count(*) as waiting from pg_locks where not granted`);
        if (Number(rows[0].waiting) > 0) break;
        await sleep(25);
      }
      const { rows } = await locker.query<{ waiting: string }>(`select count(*) as waiting from pg_locks where not granted`);
      expect(Number(rows[0].waiting)).toBeGreaterThan(0);
      // An immediate shutdown (SIGQUIT), as a crash would be: a fast one terminates the lock holder first, and the
      // waiting request was at times granted the lock and answered in full before its own backend was terminated.
      process.kill(Number(readFileSync(path.join(server!.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGQUIT');
      await server!.stop();
      expectUnavailable(await inFlight);
      await locker.end().catch(() => undefined);
    },
    TIMEOUT,
  );

  it(
    'answers DATABASE_UNAVAILABLE (retryable) to reads and writes while the database is down, and keeps serving',
    async () => {
      expectUnavailable(await gql(UNIT));
      expectUnavailable(await gql(`mutation { createUnit(input: { code: "441802", name: "清城区", kind: DISTRICT, parentCode: "441800" }) { code } }`));
      expectUnavailable(await gql(`{ report(unitCode: "441800", period: { year: 2024 }) { revision } }`));
      expect(hub.httpServer.listening).toBe(true);
      expect((await raw(url.replace('/graphql', '/healthz'))).json).toMatchObject({ status: 'ok' });
      // Requests that need no database are still answered in full.
      expect((await gql(`{ __typename }`)).json).toMatchObject({ data: { __typename: 'Query' } });
      // The real process lost its pooled connections under its feet too: it is alive and answers the same way.
      await sleep(500);
      expect(proc.child.exitCode).toBeNull();
      expectUnavailable(await gql(UNIT, {}, procUrl));
      expect(proc.child.exitCode).toBeNull();
      expect(proc.output()).not.toMatch(/uncaught|unhandled/i);
    },
    TIMEOUT,
  );

  it(
    'answers normally again within seconds once the database is back on the same port, with its data',
    async () => {
      const port = server!.port;
      server = await startEmbeddedPostgres({ dataDir, port, logger, settings: { fsync: 'off' } });
      expect(server.port).toBe(port);
      const started = Date.now();
      let answer: RawAnswer;
      const codes: string[] = [];
      for (;;) {
        answer = await gql(UNIT);
        if (!answer.json.errors) break;
        codes.push(answer.json.errors[0].extensions.code);
        if (Date.now() - started > 10_000) break;
        await sleep(200);
      }
      expect(codes.every((c) => c === 'DATABASE_UNAVAILABLE')).toBe(true);
      expect(answer.json).toMatchObject({ data: { unit: { code: '441800', name: '清远市' } } });
      expect(Date.now() - started).toBeLessThan(10_000);
      const created = await gql(`mutation { createUnit(input: { code: "441802", name: "清城区", kind: DISTRICT, parentCode: "441800" }) { code } }`);
      expect(created.json).toMatchObject({ data: { createUnit: { code: '441802' } } });
      let fromProcess: RawAnswer;
      do {
        fromProcess = await gql(`{ unit(code: "441802") { parent { code } } }`, {}, procUrl);
        if (fromProcess.json.errors) await sleep(200);
      } while (fromProcess.json.errors?.[0]?.extensions?.code === 'DATABASE_UNAVAILABLE' && Date.now() - started < 10_000);
      expect(fromProcess.json).toMatchObject({ data: { unit: { parent: { code: '441800' } } } });
      expect(proc.child.exitCode).toBeNull();
    },
    TIMEOUT,
  );
});
