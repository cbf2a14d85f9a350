/**
 * Known operations (graphql/known-operations.ts): an operation's text that ran once runs again without Apollo's
 * pipeline. Two hubs on one database, one with known operations (the default), one without: the same requests must
 * get the same status, media type and bytes, whichever way they went; the hub's counts show which way that was.
 * A mutation must run once per request, whichever way it went and whatever it answered.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { createExecutor, EXECUTION_SLOT, type WithExecutionSlot } from '../../src/graphql/executor.js';
import { createKnownOperations } from '../../src/graphql/known-operations.js';
import { buildHubSchema } from '../../src/graphql/schema.js';
import { ROLLUP } from '../rollups/rollup-helpers.js';
import { createUnits, REPORT, sampleFigures, seededFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let known: TestHub;
let apolloOnly: TestHub;
const MARCH = { year: 2024, month: 3 };

interface Counts { runs: number; handedToApollo: number; known: number }
const health = async (hub: TestHub) => (await fetch(hub.url.replace(/\/graphql$/, '/healthz'))).json() as Promise<Record<string, any>>;
const executions = async (hub: TestHub) => (await health(hub)).executions as { compiledRuns: number; graphqlJsRuns: number };
const counts = async (hub: TestHub) => ((await (await fetch(hub.url.replace(/\/graphql$/, '/healthz'))).json()) as { knownOperations: Counts | null }).knownOperations;

beforeAll(async () => {
  known = await startTestHub();
  apolloOnly = await startTestHub({ GRAPHQL_KNOWN_OPERATIONS: 'off' }, known.db);
  await createUnits(known, smallTree);
  for (const unitCode of ['441802001', '441802100', '441803102']) {
    dataOf(await known.gql(SUBMIT, { input: { unitCode, ...MARCH, figures: sampleFigures() } }));
  }
});
afterAll(async () => {
  await apolloOnly.close();
  await known.close();
});

interface Sent { status: number; type: string | null; text: string }

async function send(hub: TestHub, body: unknown, headers: Record<string, string> = {}, token?: string): Promise<Sent> {
  const res = await fetch(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? (await hub.tokenFor('*', 'ADMIN'))}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The request three times to the hub with known operations (the first teaches it the text), once to the other. */
async function sameEveryWay(body: unknown, headers: Record<string, string> = {}, token?: (hub: TestHub) => Promise<string>): Promise<{ answers: Sent[]; before: Counts; after: Counts }> {
  const before = (await counts(known))!;
  const answers = [];
  for (const hub of [known, known, known, apolloOnly]) answers.push(await send(hub, body, headers, token && (await token(hub))));
  const after = (await counts(known))!;
  for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
  return { answers, before, after };
}

describe('a known query answers as Apollo does', () => {
  it('for a rollup, its statement count included, and runs the second time on without Apollo', async () => {
    const { answers, before, after } = await sameEveryWay({ query: ROLLUP, variables: { unitCode: '441800', period: MARCH } });
    expect(answers[0].status).toBe(200);
    expect(answers[0].type).toBe('application/json; charset=utf-8');
    const answer = JSON.parse(answers[0].text);
    expect(answer.data.rollup.figures.applications.newReceived.total).toBeGreaterThan(0);
    expect(answer.extensions.sqlStatements).toBeGreaterThan(0);
    expect(after.runs).toBe(before.runs + 2);
    expect(after.known).toBe(before.known + 1);
  });

  it('with the request’s own variables: the same text for another unit answers for that unit', async () => {
    const county = await send(known, { query: ROLLUP, variables: { unitCode: '441802', period: MARCH } });
    const other = await send(known, { query: ROLLUP, variables: { unitCode: '441803', period: MARCH } });
    const [a, b] = [JSON.parse(county.text).data.rollup, JSON.parse(other.text).data.rollup];
    expect([a.unit.code, b.unit.code]).toEqual(['441802', '441803']);
    expect(a.figures).not.toEqual(b.figures);
    expect(other).toEqual(await send(apolloOnly, { query: ROLLUP, variables: { unitCode: '441803', period: MARCH } }));
  });

  it('for a document of several operations, by operation name', async () => {
    const query = 'query A { unit(code: "441802") { code name } } query B($c: String!) { unit(code: $c) { code children { code } } }';
    const { answers, before, after } = await sameEveryWay({ query, operationName: 'B', variables: { c: '441800' } });
    expect(JSON.parse(answers[0].text).data.unit.children.length).toBeGreaterThan(0);
    expect(after.runs).toBe(before.runs + 2);
    const a = await sameEveryWay({ query, operationName: 'A' });
    expect(JSON.parse(a.answers[0].text).data.unit.code).toBe('441802');
  });
});

describe('a known operation answers in the media type Apollo would choose', () => {
  const body = { query: 'query($c: String!) { unit(code: $c) { code name } }', variables: { c: '441803' } };

  it.each([
    ['application/graphql-response+json', 'application/graphql-response+json; charset=utf-8'],
    // what urql and graphql-request send
    ['application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed', 'application/graphql-response+json; charset=utf-8'],
    ['application/graphql-response+json, application/json', 'application/graphql-response+json; charset=utf-8'],
    ['application/json;q=0.9, application/graphql-response+json', 'application/graphql-response+json; charset=utf-8'],
    ['*/*', 'application/json; charset=utf-8'],
    ['application/json', 'application/json; charset=utf-8'],
  ])('accept: %s', async (accept, type) => {
    await sameEveryWay(body); // the text is known from here on
    const { answers, before, after } = await sameEveryWay(body, { accept });
    expect(answers[0].type).toBe(type);
    expect(answers[0].status).toBe(200);
    expect(after.runs).toBe(before.runs + 3);
  });
});

describe('an answer with errors comes from Apollo', () => {
  it('not found, forbidden, a variable of the wrong type: Apollo answers, as it would have', async () => {
    dataOf(await known.gql(ROLLUP, { unitCode: '441800', period: MARCH })); // the text is known from here on
    const executed = (await executions(known)).compiledRuns;
    const notFound = await sameEveryWay({ query: ROLLUP, variables: { unitCode: '999999', period: MARCH } });
    expect(JSON.parse(notFound.answers[0].text).errors[0].extensions.code).toBe('NOT_FOUND');
    expect(notFound.after.handedToApollo).toBe(notFound.before.handedToApollo + 3);
    expect(notFound.after.runs).toBe(notFound.before.runs);
    // Apollo answered with the result of the known query's run: each of the three requests ran once.
    expect((await executions(known)).compiledRuns).toBe(executed + 3);

    const reviewer = (hub: TestHub) => hub.tokenFor('441803', 'OVERSIGHT');
    const forbidden = await sameEveryWay({ query: ROLLUP, variables: { unitCode: '441802', period: MARCH } }, {}, reviewer);
    expect(JSON.parse(forbidden.answers[0].text).errors[0].extensions.code).toBe('FORBIDDEN');

    const wrongType = await sameEveryWay({ query: ROLLUP, variables: { unitCode: 441800, period: MARCH } });
    expect(wrongType.answers[0].status).toBe(400);
    expect(JSON.parse(wrongType.answers[0].text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('a known mutation', () => {
  const APRIL = { year: 2024, month: 4 };
  const revisionOf = async (unitCode: string) => dataOf(await known.gql(REPORT, { unitCode, period: APRIL })).report?.revision ?? 0;

  it('writes once per request: revisions 1, 2, 3, all without Apollo (the text is known since the set-up)', async () => {
    const before = (await counts(known))!;
    const revisions = [];
    for (const seed of [1, 2, 3]) {
      const answer = JSON.parse((await send(known, { query: SUBMIT, variables: { input: { unitCode: '441802001', ...APRIL, figures: seededFigures(seed) } } })).text);
      revisions.push(dataOf(answer).submitReport.report.revision);
    }
    expect(revisions).toEqual([1, 2, 3]);
    expect(await revisionOf('441802001')).toBe(3);
    expect((await counts(known))!.runs).toBe(before.runs + 3);
  });

  it('refused, answers as Apollo does, writes nothing and runs once', async () => {
    const broken = { ...sampleFigures(), reviewLitigation: { litigationDirect: { corrected: -3 } } };
    const body = { query: SUBMIT, variables: { input: { unitCode: '441802100', ...APRIL, figures: broken } } };
    const graphqlJsRuns = (await executions(known)).graphqlJsRuns;
    const refused = await sameEveryWay(body);
    expect(JSON.parse(refused.answers[0].text).errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(refused.after.handedToApollo).toBe(refused.before.handedToApollo + 3);
    expect((await executions(known)).graphqlJsRuns).toBe(graphqlJsRuns + 3);
    expect(await revisionOf('441802100')).toBe(0);
  });
});

describe('what Apollo must decide stays with Apollo', () => {
  const body = { query: 'query($c: String!) { unit(code: $c) { code kind } }', variables: { c: '441802' } };

  it('media types no JSON answer fits, persisted-query extensions, a batch, an invalid operation name', async () => {
    await sameEveryWay(body); // the text is known from here on
    const before = (await counts(known))!;
    const html = await sameEveryWay(body, { accept: 'text/html' });
    expect(html.answers[0].status).toBe(406);
    const callback = await sameEveryWay(body, { accept: 'application/json;callbackSpec=1.0' });
    expect(callback.answers[0].type).toBe('application/json; callbackSpec=1.0; charset=utf-8');
    await sameEveryWay({ ...body, extensions: {} });
    await sameEveryWay([body]);
    const missing = await sameEveryWay({ ...body, operationName: 'Missing' });
    expect(JSON.parse(missing.answers[0].text).errors[0].message).toBe('Unknown operation named "Missing".');
    expect((await counts(known))!.runs).toBe(before.runs);
  });

  it('nothing runs on a hub with GRAPHQL_KNOWN_OPERATIONS=off', async () => {
    expect(await counts(apolloOnly)).toBeNull();
  });
});

describe('the texts kept', () => {
  it('are bounded: the oldest goes when a new one would exceed the count or the characters', async () => {
    const schema = await buildHubSchema();
    const executor = createExecutor(schema, 'jit', 0);
    const kept = createKnownOperations(executor, { maxEntries: 2, maxCharacters: 1_000 });
    const teach = async (query: string) => {
      const context: WithExecutionSlot = { [EXECUTION_SLOT]: {} };
      await executor.run({ document: parse(query), contextValue: context });
      kept.remember('POST', undefined, { query }, context);
    };
    const [a, b, c] = ['{ __typename }', 'query B { __typename }', 'query C { __typename }'];
    for (const query of [a, b, c]) await teach(query);
    expect([a, b, c].map((query) => !!kept.lookup('POST', undefined, { query }))).toEqual([false, true, true]);
    const long = `query Long { ${'__typename '.repeat(88)}}`;
    await teach(long);
    expect(kept.stats.known).toBe(1);
    expect(kept.lookup('POST', undefined, { query: long })).toBeDefined();
    expect(kept.lookup('GET', undefined, { query: long })).toBeUndefined();
  });
});
