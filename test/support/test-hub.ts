/**
 * The real hub over HTTP on a free loopback port, backed by a private test database.
 */
import { createHub, type Hub } from '../../src/app.js';
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
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startTestHub(): Promise<TestHub> {
  const db = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test' });
  const hub = await createHub(config, db.orm, testLogger);
  const port = await hub.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    db,
    hub,
    url,
    async gql(query, variables) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as GraphQLResponse;
    },
    async close() {
      await hub.close();
      await db.drop();
    },
  };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function dataOf<T = any>(response: GraphQLResponse<T>): T {
  if (response.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
  return response.data as T;
}
