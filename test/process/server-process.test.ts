/**
 * The real process, started as a user starts it: against a DATABASE_URL, on a busy port, and on its own embedded
 * PostgreSQL with the demo city. Slow (a real process, migrations, a seed), so only the essentials.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ALL_UNITS, Role } from '../../src/auth/role.js';
import { loadTokenKeys, signToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { TEST_AUTH_SECRET } from '../support/test-hub.js';
import { busyPort, freePort, pidsServing, spawnHub, type HubProcess } from './hub-process.js';

const serverUrl = process.env.TEST_SERVER_URL;
const database = `hub_test_process_${process.pid}`;
let databaseUrl: string;
const hubs: HubProcess[] = [];
const folders: string[] = [];
const dataDirs: string[] = [];

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!serverUrl) throw new Error('run the tests with `npm test`, which starts their PostgreSQL first');
  await admin(`create database ${database}`); // empty: the process must migrate it itself
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
});

afterAll(async () => {
  for (const hub of hubs) await hub.stop(10_000);
  // A hub killed hard would leave its embedded postgres behind: end exactly those, found by their data folder.
  for (const dir of dataDirs) for (const pid of pidsServing(dir)) process.kill(pid, 'SIGKILL');
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  await admin(`drop database if exists ${database} with (force)`);
}, 60_000);

function start(env: NodeJS.ProcessEnv): HubProcess {
  const hub = spawnHub(env);
  hubs.push(hub);
  return hub;
}

async function gql(port: number, query: string, authorization: string): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body;
}

describe('the hub process on DATABASE_URL', () => {
  it('migrates, serves GraphQL and the IDE, and shuts down cleanly on SIGTERM', async () => {
    const port = await freePort();
    const hub = start({ ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'info', AUTH_SECRET: TEST_AUTH_SECRET });
    const serving = await hub.waitFor('serving GraphQL');
    expect(serving.url).toBe(`http://localhost:${port}/graphql`);
    expect(serving.database).toBe('DATABASE_URL');
    expect(hub.output()).toContain('database migrated');

    // Without a token nothing is answered; with one signed by the same secret, the query runs.
    const anonymous = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const keys = loadTokenKeys(loadConfig({ AUTH_SECRET: TEST_AUTH_SECRET }).auth);
    const token = await signToken(keys, { unitCode: ALL_UNITS, role: Role.ADMIN });
    // Outside production every response also carries extensions.sqlStatements (app.ts); the data is what counts.
    expect(await gql(port, `{ unit(code: "441800") { code } }`, `Bearer ${token}`)).toMatchObject({ data: { unit: null } });

    const ide = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
    expect(ide.status).toBe(200);
    expect(ide.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await ide.text()).toLowerCase()).toContain('<html');

    const { code, signal } = await hub.stop();
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    await expect(hub.waitFor('shutting down', 0)).resolves.toMatchObject({ signal: 'SIGTERM' });
  }, 90_000);

  it('exits non-zero, naming the port and PORT, when its port is busy', async () => {
    let server: net.Server | null = null;
    try {
      server = await busyPort();
      const port = (server.address() as net.AddressInfo).port;
      const hub = start({ ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SEED_DEMO: 'false', LOG_LEVEL: 'info' });
      const { code } = await hub.exited;
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(hub.output()).toContain(`port ${port} is already in use`);
      expect(hub.output()).toMatch(/PORT=/);
      expect(hub.output()).not.toContain('serving GraphQL');
    } finally {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }
  }, 90_000);
});

describe('the hub process on its own embedded PostgreSQL', () => {
  let base: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const counties = ['清城区', '清新区', '佛冈县', '阳山县', '连山壮族瑶族自治县', '连南瑶族自治县', '英德市', '连州市'];
  const CHILDREN = `{ unit(code: "441800") { children { name } } }`;

  beforeAll(() => {
    base = mkdtempSync(path.join(os.tmpdir(), 'hub-process-test-'));
    chmodSync(base, 0o755); // as root, Postgres runs as the OS user postgres, which must reach the data folder
    folders.push(base);
    dataDir = path.join(base, 'postgres');
    dataDirs.push(dataDir);
    env = { ...process.env, DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'info' };
    delete env.DATABASE_URL;
    delete env.EMBEDDED_PG_PORT;
  });

  it('starts, seeds the demo city once, stops its PostgreSQL, and keeps the data for the next start', async () => {
    const port = await freePort();
    const first = start({ ...env, PORT: String(port) });
    const serving = await first.waitFor('serving GraphQL', 280_000);
    expect(serving.database).toBe(`embedded (${dataDir})`);
    expect(first.output()).toContain('initialising embedded PostgreSQL data folder');
    expect(first.output()).toContain('loading the demo city');
    // What a new user does: take the ready token from the start-up log.
    const demo = await first.waitFor('demo token', 5_000);
    expect(demo).toMatchObject({ unit: '441800', role: 'OVERSIGHT' });
    expect(await gql(port, CHILDREN, demo.authorization as string)).toMatchObject({ data: { unit: { children: counties.map((name) => ({ name })) } } });
    expect(pidsServing(dataDir).length).toBeGreaterThan(0);

    expect(await first.stop()).toEqual({ code: 0, signal: null });
    await expect(first.waitFor('embedded PostgreSQL stopped', 0)).resolves.toMatchObject({ dataDir });
    expect(pidsServing(dataDir)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    const again = await freePort();
    const second = start({ ...env, PORT: String(again) });
    await second.waitFor('serving GraphQL', 60_000);
    expect(second.output()).not.toContain('loading the demo city');
    expect(second.output()).not.toContain('initialising embedded PostgreSQL data folder');
    const token = (await second.waitFor('demo token', 5_000)).authorization as string;
    expect(await gql(again, CHILDREN, token)).toMatchObject({ data: { unit: { children: counties.map((name) => ({ name })) } } });
    expect(await second.stop()).toEqual({ code: 0, signal: null });
    expect(pidsServing(dataDir)).toEqual([]);
  }, 400_000);
});
