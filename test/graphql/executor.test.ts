/**
 * The compiled executor (graphql-jit) against graphql-js: two hubs on one database, one compiling every query at its
 * first execution, the other running everything on graphql-js, asked the same operations: the answers, errors and
 * statement counts included, must be the same to the byte. Also which operations run compiled, and when.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getIntrospectionQuery } from 'graphql';
import { ROLLUP } from '../rollups/rollup-helpers.js';
import { RANKING } from '../rankings/ranking-fixtures.js';
import { COMPLETENESS } from '../completeness/completeness-helpers.js';
import { createUnits, REPORT, sampleFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let compiled: TestHub;
let graphqlJs: TestHub;
const MARCH = { year: 2024, month: 3 };

const stats = async (hub: TestHub) =>
  ((await (await fetch(hub.url.replace(/\/graphql$/, '/healthz'))).json()) as { executions: { compiled: number; compiledRuns: number; graphqlJsRuns: number } }).executions;

beforeAll(async () => {
  compiled = await startTestHub({ GRAPHQL_EXECUTOR: 'jit', GRAPHQL_COMPILE_AFTER: '0' });
  graphqlJs = await startTestHub({ GRAPHQL_EXECUTOR: 'graphql-js' }, compiled.db);
  await createUnits(compiled, smallTree);
  for (const unitCode of ['441802001', '441802100', 'D441802001', '441803102']) {
    dataOf(await compiled.gql(SUBMIT, { input: { unitCode, ...MARCH, figures: sampleFigures() } }));
  }
});
afterAll(async () => {
  await graphqlJs.close();
  await compiled.close();
});

/** The same request to both hubs, the answer's text compared whole (field order, numbers, errors, extensions). */
async function sameOnBoth(query: string, variables: Record<string, unknown> = {}, token?: (hub: TestHub) => Promise<string>): Promise<any> {
  const answers: string[] = [];
  for (const hub of [compiled, graphqlJs]) {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token ? await token(hub) : await hub.tokenFor('*', 'ADMIN')}` },
      body: JSON.stringify({ query, variables }),
    });
    answers.push(`${res.status} ${await res.text()}`);
  }
  expect(answers[0]).toBe(answers[1]);
  return JSON.parse(answers[0].slice(answers[0].indexOf(' ') + 1));
}

describe('a compiled query answers as graphql-js does', () => {
  it('for a rollup with its figures, rates, sources and published comparison', async () => {
    const answer = await sameOnBoth(ROLLUP, { unitCode: '441800', period: MARCH });
    expect(answer.data.rollup.figures.applications.newReceived.total).toBeGreaterThan(0);
    expect(answer.extensions.sqlStatements).toBeGreaterThan(0);
  });

  it('for reports, units with nested parents and children, completeness and a ranking with input defaults', async () => {
    await sameOnBoth(REPORT, { unitCode: '441802001', period: MARCH });
    await sameOnBoth('query($c: String!) { unit(code: $c) { code name kind parent { code parent { code } } children { code kind } } }', { c: '441802' });
    await sameOnBoth(COMPLETENESS, { unitCode: '441800', period: MARCH, kind: 'MONTHLY', status: null });
    const ranking = await sameOnBoth(RANKING, { input: { parentCode: '441800', period: MARCH, metric: 'DISCLOSURE_RATE' } });
    expect(ranking.data.ranking.entries.length).toBe(2);
  });

  it('for errors: not found, forbidden, a null propagated to its parent, a variable of the wrong type', async () => {
    const notFound = await sameOnBoth(ROLLUP, { unitCode: '999999', period: MARCH });
    expect(notFound.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
    expect(notFound.errors[0].path).toEqual(['rollup']);
    expect(notFound.errors[0].locations).toEqual([{ line: 2, column: 3 }]);

    const reviewer = (hub: TestHub) => hub.tokenFor('441803', 'OVERSIGHT');
    const forbidden = await sameOnBoth(`query($u: String!) { a: unit(code: "441803") { code } b: rollup(unitCode: $u, period: { year: 2024, month: 3 }) { unit { code } } }`, { u: '441802' }, reviewer);
    expect(forbidden.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    expect(forbidden.data).toBeNull();

    const wrongType = await sameOnBoth(ROLLUP, { unitCode: 441800, period: MARCH });
    expect(wrongType.errors.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('for introspection', async () => {
    const answer = await sameOnBoth(getIntrospectionQuery());
    expect(answer.data.__schema.types.length).toBeGreaterThan(50);
  });
});

describe('which operations run compiled', () => {
  it('queries do; mutations and operations whose variables have input-field defaults stay on graphql-js', async () => {
    const before = await stats(compiled);
    dataOf(await compiled.gql(ROLLUP, { unitCode: '441802', period: MARCH }));
    const afterQuery = await stats(compiled);
    expect(afterQuery.compiledRuns).toBe(before.compiledRuns + 1);

    dataOf(await compiled.gql(RANKING, { input: { parentCode: '441800', period: MARCH, metric: 'DISCLOSURE_RATE' } }));
    dataOf(await compiled.gql(SUBMIT, { input: { unitCode: '441803104', ...MARCH, figures: sampleFigures() } }));
    const afterOthers = await stats(compiled);
    expect(afterOthers.compiledRuns).toBe(afterQuery.compiledRuns);
    expect(afterOthers.graphqlJsRuns).toBe(afterQuery.graphqlJsRuns + 2);
  });

  it('by default a document runs once on graphql-js, then compiled; GRAPHQL_EXECUTOR=graphql-js never compiles', async () => {
    const byDefault = await startTestHub({ GRAPHQL_COMPILE_AFTER: '' }, compiled.db);
    try {
      const query = 'query($c: String!) { unit(code: $c) { code name } }';
      const first = dataOf(await byDefault.gql(query, { c: '441802' }));
      expect(await stats(byDefault)).toEqual({ compiled: 0, compiledRuns: 0, graphqlJsRuns: 1 });
      expect(dataOf(await byDefault.gql(query, { c: '441802' }))).toEqual(first);
      expect(await stats(byDefault)).toEqual({ compiled: 1, compiledRuns: 1, graphqlJsRuns: 1 });
    } finally {
      await byDefault.close();
    }
    const { compiled: none, compiledRuns } = await stats(graphqlJs);
    expect({ none, compiledRuns }).toEqual({ none: 0, compiledRuns: 0 });
  });
});
