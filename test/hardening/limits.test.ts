/**
 * What one request may ask, and how malformed requests are answered: over-deep, over-costly, alias-flooded and
 * over-long operations are refused with 400 before anything executes; oversized, non-JSON or wrongly typed bodies
 * get a JSON GraphQL error, never HTML, never a 500; in production the schema stays hidden and internal errors
 * are masked.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { raw, type RawAnswer } from '../auth/http.js';
import { createUnits, REPORT, sampleFigures, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
let admin: string;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree.slice(0, 3));
  admin = await hub.tokenFor('*', 'ADMIN');
});
afterAll(() => hub.close());

const post = (h: TestHub, token: string, body: string, contentType = 'application/json', extra: Record<string, string> = {}) =>
  raw(h.url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}`, ...extra }, body });
const gql = (h: TestHub, token: string, query: string, variables?: Record<string, unknown>) => post(h, token, JSON.stringify({ query, variables }));

/** A JSON GraphQL error answer with this status and code, and no data. */
function expectJsonError(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
  expect(answer.text).not.toMatch(/<html|<!doctype/i);
  expect(answer.json.errors?.[0]?.extensions?.code).toBe(code);
  expect(answer.json.data ?? null).toBeNull();
}

/** Refused during validation: 400, GRAPHQL_VALIDATION_FAILED, and not one SQL statement. */
function expectRefusedBeforeExecution(answer: RawAnswer): void {
  expectJsonError(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
  expect(answer.json.extensions?.sqlStatements ?? 0).toBe(0);
}

const nested = (field: string, levels: number, leaf = 'code') => `${`${field} { `.repeat(levels)}${leaf}${' }'.repeat(levels)}`;
const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');
const unitRow = (h: TestHub, code: string) => h.db.sql(`select code from unit where code = $1`, [code]);
const FULL_FIGURES = REPORT.slice(REPORT.indexOf('figures {'), REPORT.lastIndexOf('}', REPORT.lastIndexOf('}') - 1));
const AC = '{ naturalPerson commercialEnterprise researchInstitution publicInterestOrg legalServiceOrg otherOrg total }';
const RATE = '{ numerator denominator value }';
/** A rollup's every applicant row and rate: about 900 by the cost rule (objects 2, scalars 1, ×1.5 per level). */
const ALL = `fragment All on Rollup {
  figures { applications { newReceived ${AC} carriedOver ${AC} granted ${AC} partiallyGranted ${AC} deniedStateSecret ${AC} unableNotHeld ${AC}
    notProcessedDuplicate ${AC} otherOther ${AC} denied ${AC} unable ${AC} notProcessed ${AC} otherHandling ${AC} resultsTotal ${AC} carriedForward ${AC} } }
  rates { disclosureRate ${RATE} fullDisclosureRate ${RATE} denialRate ${RATE} carryForwardRate ${RATE} reviewCorrectionRate ${RATE} disputeRate ${RATE} }
}`;
const ROLLUP_ALL = `rollup(unitCode: "441800", period: { year: 2024 }) { ...All }`;

describe('operation limits', () => {
  it('refuses a query nested 15 levels deep', async () => {
    const answer = await gql(hub, admin, `{ unit(code: "441800") { ${nested('children', 15)} } }`);
    expectRefusedBeforeExecution(answer);
    expect(answer.json.errors[0].message).toMatch(/depth/i);
  });

  it('refuses an over-deep mutation without writing', async () => {
    const q = `mutation { createUnit(input: { code: "D441800001", name: "清远市教育局", kind: DEPARTMENT, parentCode: "441800" }) { ${nested('children', 14)} } }`;
    expectRefusedBeforeExecution(await gql(hub, admin, q));
    expect(await unitRow(hub, 'D441800001')).toHaveLength(0);
  });

  it('refuses 40 aliases of __typename', async () => {
    const answer = await gql(hub, admin, `{ ${aliases(40, '__typename')} }`);
    expectRefusedBeforeExecution(answer);
    expect(answer.json.errors[0].message).toMatch(/alias/i);
  });

  it('refuses a mutation of 40 aliases without creating any unit', async () => {
    const creates = Array.from({ length: 40 }, (_, i) => `a${i}: createUnit(input: { code: "D4418000${10 + i}", name: "机构${i}", kind: DEPARTMENT, parentCode: "441800" }) { code }`);
    expectRefusedBeforeExecution(await gql(hub, admin, `mutation { ${creates.join(' ')} }`));
    expect(await hub.db.sql(`select code from unit where code like 'D4418000%'`)).toHaveLength(0);
  });

  it('refuses 25 aliases of a rollup’s full figures as too costly, fragments or not (one of them passes)', async () => {
    const answer = await gql(hub, admin, `{ ${aliases(25, ROLLUP_ALL)} } ${ALL}`);
    expectRefusedBeforeExecution(answer);
    expect(answer.json.errors[0].message).toMatch(/cost/i);
    const one = await gql(hub, admin, `{ ${ROLLUP_ALL} } ${ALL}`);
    expect(one.status).toBe(200);
    expect(one.json.data.rollup.figures.applications.newReceived.total).toBe(0);
  });

  it('refuses a document of more tokens than GRAPHQL_MAX_TOKENS with 400, before parsing it all', async () => {
    const answer = await gql(hub, admin, `{ unit(code: "441800") { ${'code '.repeat(6000)} } }`);
    expectJsonError(answer, 400, 'GRAPHQL_PARSE_FAILED');
    expect(answer.json.errors[0].message).toMatch(/tokens/);
  });

  it('a control: a normal report query passes every limit', async () => {
    const answer = await gql(hub, admin, REPORT, { unitCode: '441800', period: { year: 2024 } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ data: { report: null } });
  });
});

describe('a hub with GRAPHQL_MAX_COST=50', () => {
  let cheap: TestHub;
  let token: string;
  beforeAll(async () => {
    cheap = await startTestHub({ GRAPHQL_MAX_COST: '50' });
    await createUnits(cheap, smallTree.slice(0, 2));
    token = await cheap.tokenFor('*', 'ADMIN');
  });
  afterAll(() => cheap.close());

  it('refuses the normal report query as too costly', async () => {
    expectRefusedBeforeExecution(await gql(cheap, token, REPORT, { unitCode: '441802', period: { year: 2024 } }));
  });

  it('refuses a costly submission without saving it, and accepts a cheap one', async () => {
    const costly = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { report { revision ${FULL_FIGURES} } } }`;
    const input = { unitCode: '441802', year: 2024, month: 3, figures: sampleFigures() };
    expectRefusedBeforeExecution(await gql(cheap, token, costly, { input }));
    expect(await cheap.db.sql(`select id from report_revision`)).toHaveLength(0);
    const ok = await gql(cheap, token, `mutation($input: SubmitReportInput!) { submitReport(input: $input) { report { revision } } }`, { input });
    expect(ok.json).toMatchObject({ data: { submitReport: { report: { revision: 1 } } } });
  });
});

describe('malformed requests', () => {
  let small: TestHub;
  let token: string;
  beforeAll(async () => {
    small = await startTestHub({ MAX_BODY_BYTES: '1000' });
    token = await small.tokenFor('*', 'ADMIN');
  });
  afterAll(() => small.close());

  it('a body over MAX_BODY_BYTES is answered 413 in JSON; one under it is answered', async () => {
    const padding = ' '.repeat(1200);
    expectJsonError(await post(small, token, `{"query":"{ __typename }"${padding}}`), 413, 'BAD_REQUEST');
    expect((await post(small, token, `{"query":"{ __typename }"}`)).json).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('a body that is not JSON is answered 400 with BAD_REQUEST', async () => {
    expectJsonError(await post(hub, admin, '{"query": "{ __typename }"'), 400, 'BAD_REQUEST');
    expectJsonError(await post(hub, admin, 'query { __typename }'), 400, 'BAD_REQUEST');
  });

  it('an empty body, a batch (JSON array) or a body without a query gets a JSON 400, not a 500', async () => {
    for (const body of ['', '[{"query":"{ __typename }"},{"query":"{ __typename }"}]', '{"variables":{}}', '"{ __typename }"']) {
      const answer = await post(hub, admin, body);
      expect([answer.status, body]).toEqual([400, body]);
      expect(answer.contentType).toMatch(/json/);
      expect(answer.json.errors[0].extensions.code).toMatch(/^(BAD_REQUEST|GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED)$/);
    }
  });

  it.each([
    ['text/plain', 'text/plain;charset=utf-8', {}],
    ['text/plain with the preflight header', 'text/plain', { 'apollo-require-preflight': 'true' }],
    ['multipart/form-data', 'multipart/form-data; boundary=XyZ', {}],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', {}],
  ])('a body sent as %s gets a JSON GraphQL error, not HTML and not a 500', async (_name, type, extra) => {
    const body = type.startsWith('multipart')
      ? '--XyZ\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--XyZ--\r\n'
      : JSON.stringify({ query: '{ __typename }' });
    const answer = await post(hub, admin, body, type, extra as Record<string, string>);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expectJsonError(answer, answer.status, 'BAD_REQUEST');
  });

  it('a GET without the preflight header is refused in JSON (CSRF prevention); with it, it is answered', async () => {
    const url = `${hub.url}?query=${encodeURIComponent('{ __typename }')}`;
    const refused = await raw(url, { headers: { authorization: `Bearer ${admin}` } });
    expectJsonError(refused, 400, 'BAD_REQUEST');
    expect(refused.json.errors[0].message).toMatch(/CSRF|preflight/i);
    const answered = await raw(url, { headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': 'true' } });
    expect(answered.status).toBe(200);
    expect(answered.json).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('a mutation sent with GET is refused in JSON and writes nothing', async () => {
    const mutation = `mutation { createUnit(input: { code: "D441800099", name: "某局", kind: DEPARTMENT, parentCode: "441800" }) { code } }`;
    const answer = await raw(`${hub.url}?query=${encodeURIComponent(mutation)}`, { headers: { authorization: `Bearer ${admin}`, 'apollo-require-preflight': 'true' } });
    expect(answer.status).toBe(405);
    expect(answer.contentType).toMatch(/json/);
    expect(answer.json.errors).toHaveLength(1);
    expect(await unitRow(hub, 'D441800099')).toHaveLength(0);
  });
});

describe('in production (NODE_ENV=production)', () => {
  let prod: TestHub;
  let token: string;
  beforeAll(async () => {
    prod = await startTestHub({ NODE_ENV: 'production' });
    await createUnits(prod, smallTree.slice(0, 2));
    token = await prod.tokenFor('*', 'ADMIN');
  });
  afterAll(() => prod.close());

  it('refuses introspection', async () => {
    expectRefusedBeforeExecution(await gql(prod, token, `{ __schema { queryType { name } types { name } } }`));
    expectRefusedBeforeExecution(await gql(prod, token, `{ __type(name: "Unit") { fields { name } } }`));
  });

  it('serves no IDE page to a browser', async () => {
    const browsers: Record<string, string>[] = [{ accept: 'text/html' }, { accept: 'text/html,application/xhtml+xml', authorization: `Bearer ${token}` }];
    for (const headers of browsers) {
      const answer = await raw(prod.url, { headers });
      expect(answer.contentType).not.toMatch(/html/);
      expect(answer.text).not.toMatch(/<html|<!doctype|graphiql/i);
      expect(answer.json.errors).toHaveLength(1);
    }
  });

  it('does not count SQL statements in its answers', async () => {
    const answer = await gql(prod, token, `{ unit(code: "441800") { code children { code } } }`);
    expect(answer.json.data.unit).toEqual({ code: '441800', children: [{ code: '441802' }] });
    expect(answer.json.extensions?.sqlStatements).toBeUndefined();
  });

  it('does not spell out the schema in suggestions', async () => {
    const answer = await gql(prod, token, `{ unit(code: "441800") { nam } }`);
    expectRefusedBeforeExecution(answer);
    expect(answer.text).not.toMatch(/Did you mean|"name"/);
  });

  it('masks an unexpected error: INTERNAL_SERVER_ERROR with an errorId, no SQL and no stack trace', async () => {
    await prod.db.sql(`alter table deadline_rule rename column monthly_day to x`);
    const answer = await gql(prod, token, `{ deadlines(unitCode: "441802") { monthlyDay annualMonth annualDay setBy } }`);
    expect(answer.status).toBe(200);
    expect(answer.json.data).toBeNull();
    expect(answer.json.errors).toHaveLength(1);
    const [error] = answer.json.errors;
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(/^\w{4,}$/) });
    expect(error.message).toContain(error.extensions.errorId);
    expect(answer.text).not.toMatch(/monthly_day|deadline_rule|select |does not exist|unit_closure|stack|Exception|\.ts:\d|at \w+ \(/i);
    expect(answer.json.extensions?.sqlStatements).toBeUndefined();
  });
});
