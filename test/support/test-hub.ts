/**
 * The real hub over HTTP on a free loopback port, backed by a private test database.
 */
import { createHub, type Hub } from '../../src/app.js';
import { ALL_UNITS, Role } from '../../src/auth/role.js';
import { loadTokenKeys, signToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, testLogger, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions: { code: string; [key: string]: any } }[];
  extensions?: { sqlStatements?: number };
}

export interface TestHub {
  db: TestDatabase;
  hub: Hub;
  url: string;
  /** Sends an operation with a token: by default an ADMIN token for the whole hierarchy, which may do anything but review. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  /** A real signed token for a unit and role, as `npm run token` prints. */
  tokenFor(unitCode: string, role: Role | keyof typeof Role, lifetime?: string): Promise<string>;
  close(): Promise<void>;
}

/** The secret the test hubs sign and check tokens with. */
export const TEST_AUTH_SECRET = 'test-secret-for-disclosure-hub-tests-0123456789';

/**
 * A hub on a private test database; or, given `shared`, a second hub (other settings: `ROLLUP_MODE`, say) on the
 * database of a first one, which its `close` leaves to that hub.
 */
export async function startTestHub(env: Record<string, string> = {}, shared?: TestDatabase): Promise<TestHub> {
  const db = shared ?? (await createTestDatabase());
  // Queries run compiled from their first execution, so that every query of the tests goes through graphql-jit;
  // `GRAPHQL_EXECUTOR=graphql-js npm test` runs them all on graphql-js instead.
  const config = loadConfig({ NODE_ENV: 'test', AUTH_SECRET: TEST_AUTH_SECRET, GRAPHQL_COMPILE_AFTER: '0', GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR ?? '', ...env });
  const hub = await createHub(config, db.orm, testLogger);
  const port = await hub.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  const keys = loadTokenKeys(config.auth);
  const tokenFor = (unitCode: string, role: Role | keyof typeof Role, lifetime?: string) => signToken(keys, { unitCode, role: role as Role }, lifetime);
  const adminToken = await tokenFor(ALL_UNITS, Role.ADMIN, '1h');
  return {
    db,
    hub,
    url,
    tokenFor,
    async gql(query, variables, token = adminToken) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse;
    },
    async close() {
      await hub.close();
      if (!shared) await db.drop();
    },
  };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T = any>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  return response.data as T;
}

/** The hub in its default (pre-aggregated) mode and a second hub on the same database summing base rows per request. */
export interface BothModes {
  hub: TestHub;
  onTheFly: TestHub;
  /** The `rollup` field `query` answers on each hub (variables `u`, `p`, `b`), asked of both at once. */
  rollupBoth(query: string, u: string, p: Record<string, number>, b: string): Promise<{ pre: any; fly: any }>;
  close(): Promise<void>;
}

export async function startBothModes(): Promise<BothModes> {
  const hub = await startTestHub();
  const onTheFly = await startTestHub({ ROLLUP_MODE: 'onthefly' }, hub.db);
  return {
    hub,
    onTheFly,
    async rollupBoth(query, u, p, b) {
      const [pre, fly] = await Promise.all([hub, onTheFly].map(async (h) => dataOf(await h.gql(query, { u, p, b })).rollup));
      return { pre, fly };
    },
    async close() {
      await onTheFly.close();
      await hub.close();
    },
  };
}
