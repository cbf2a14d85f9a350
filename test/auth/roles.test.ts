/**
 * What each role may and may not do, over HTTP with real tokens, on 清远市 (441800) → 清城区 (441802) and its sibling
 * 清新区 (441803). Refusals are FORBIDDEN and write nothing; nested unit fields list only what the token may see.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, sampleFigures, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type GraphQLResponse, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
const token: Record<string, string> = {};
/** A unit two levels below 清城区 (under its education bureau). */
const GRANDCHILD = 'D441802001-01';
const MARCH = { year: 2024, month: 3 };

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, [...smallTree, { code: GRANDCHILD, name: '清城区教育局直属学校', kind: 'OTHER', parentCode: 'D441802001' }]);
  for (const unit of ['441802001', '441802100', '441802', GRANDCHILD, '441803102']) dataOf(await hub.gql(SUBMIT, { input: input(unit) }));
  token.submitter = await hub.tokenFor('441802001', 'SUBMITTER');
  token.reviewer = await hub.tokenFor('441802', 'REVIEWER');
  token.cityReviewer = await hub.tokenFor('441800', 'REVIEWER');
  token.oversight = await hub.tokenFor('441802', 'OVERSIGHT');
  token.admin = await hub.tokenFor('441802', 'ADMIN');
});
afterAll(() => hub.close());

const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { report { revision status author { unitCode role } } } }`;
const REPORT = `query($u: String!) { report(unitCode: $u, period: { year: 2024, month: 3 }) { revision status unit { code } } }`;
const REVIEW = (action: string) => `mutation($u: String!) { ${action}(input: { unitCode: $u, year: 2024, month: 3, reason: "请核对" }) { status } }`;
const ROLLUP = `query($u: String!) { rollup(unitCode: $u, period: { year: 2024, month: 3 }) { sources { unitsInSubtree } figures { applications { newReceived { total } } } } }`;
const RANKING = `query($u: String!, $kinds: [UnitKind!]) {
  ranking(input: { parentCode: $u, kinds: $kinds, period: { year: 2024, month: 3 }, metric: NEW_RECEIVED }) { entries { unit { code } } } }`;
const DASHBOARD = `query($u: String!) { dashboard(unitCode: $u, year: 2024) { year unit { code } } }`;
const COMPLETENESS = `query($u: String!) { completeness(unitCode: $u, period: { year: 2024, month: 3 }) { units } }`;
const CREATE = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { code } }`;
const DEADLINES = `mutation($u: String!) { setDeadlines(input: { unitCode: $u, monthlyDay: 15, annualMonth: 2, annualDay: 28 }) { setBy } }`;
const SUBTREE_READS = { rollup: ROLLUP, ranking: RANKING, dashboard: DASHBOARD, completeness: COMPLETENESS };

const input = (unitCode: string, period: { year: number; month: number } = MARCH) => ({ unitCode, ...period, figures: sampleFigures() });
const as = (who: string, query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, token[who]);
function forbidden(res: GraphQLResponse): void {
  expect(res.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
}
const unitRows = (code: string) => hub.db.sql(`select code from unit where code = $1`, [code]);
const revisionsOf = (unit: string, month: number) =>
  hub.db.sql(`select v.revision from report_revision v join report r on r.id = v.report_id join unit u on u.id = r.unit_id where u.code = $1 and r.year = 2024 and r.month = $2`, [unit, month]);

describe('SUBMITTER of 凤城街道 (441802001)', () => {
  it('submits its own unit’s report, recorded as its author, and reads it back', async () => {
    const { submitReport } = dataOf(await as('submitter', SUBMIT, { input: input('441802001', { year: 2024, month: 4 }) }));
    expect(submitReport.report).toEqual({ revision: 1, status: 'SUBMITTED', author: { unitCode: '441802001', role: 'SUBMITTER' } });
    expect(dataOf(await as('submitter', REPORT, { u: '441802001' })).report).toEqual({ revision: 1, status: 'SUBMITTED', unit: { code: '441802001' } });
  });

  it('can neither read nor write another unit’s report, not even its parent’s', async () => {
    for (const u of ['441802100', '441802', '441803102']) forbidden(await as('submitter', REPORT, { u }));
    forbidden(await as('submitter', SUBMIT, { input: input('441802100', { year: 2024, month: 5 }) }));
    expect(await revisionsOf('441802100', 5)).toHaveLength(0);
  });

  it.each(Object.entries(SUBTREE_READS))('cannot read a %s, even of its own unit', async (_name, query) => {
    forbidden(await as('submitter', query, { u: '441802001' }));
  });

  it('sees its own unit but nothing around it through nested fields', async () => {
    const q = `{ report(unitCode: "441802001", period: { year: 2024, month: 3 }) { unit { code parent { code } ancestors { code } children { code } } } }`;
    expect(dataOf(await as('submitter', q)).report.unit).toEqual({ code: '441802001', parent: null, ancestors: [], children: [] });
    forbidden(await as('submitter', `{ unit(code: "441802") { children { code } } }`));
  });

  it('cannot approve a report or create a unit', async () => {
    forbidden(await as('submitter', REVIEW('approveReport'), { u: '441802001' }));
    forbidden(await as('submitter', CREATE, { input: { code: 'D441802001X', name: '下属机构', kind: 'OTHER', parentCode: '441802001' } }));
    expect(await unitRows('D441802001X')).toHaveLength(0);
  });
});

describe('REVIEWER of 清城区 (441802)', () => {
  it('reads its own unit’s and its direct children’s reports, not a grandchild’s, its parent’s or a sibling district’s', async () => {
    for (const u of ['441802', '441802001', '441802100']) {
      expect(dataOf(await as('reviewer', REPORT, { u })).report).toEqual({ revision: 1, status: 'SUBMITTED', unit: { code: u } });
    }
    expect(await as('reviewer', REPORT, { u: 'D441802001' })).toMatchObject({ data: { report: null } }); // a child without a report
    for (const u of [GRANDCHILD, '441800', '441803', '441803102']) forbidden(await as('reviewer', REPORT, { u }));
  });

  it('approves one child’s report and returns another’s', async () => {
    expect(dataOf(await as('reviewer', REVIEW('approveReport'), { u: '441802001' })).approveReport.status).toBe('APPROVED');
    expect(dataOf(await as('reviewer', REVIEW('returnReport'), { u: '441802100' })).returnReport.status).toBe('RETURNED');
  });

  it('cannot review its own unit’s, a grandchild’s or a sibling district’s report; the city’s reviewer cannot review a township', async () => {
    for (const u of ['441802', GRANDCHILD, '441803102']) forbidden(await as('reviewer', REVIEW('approveReport'), { u }));
    forbidden(await as('cityReviewer', REVIEW('returnReport'), { u: '441802001' }));
    const states = await hub.db.sql(`select u.code, r.status from report r join unit u on u.id = r.unit_id where r.month = 3 and u.code = any($1) order by u.code`, [
      ['441802', GRANDCHILD, '441803102'],
    ]);
    expect(states.map((s) => s.status)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);
  });

  it('cannot submit, not even for a child, nor read a rollup', async () => {
    forbidden(await as('reviewer', SUBMIT, { input: input('441802100', { year: 2024, month: 7 }) }));
    forbidden(await as('reviewer', ROLLUP, { u: '441802' }));
    expect(await revisionsOf('441802100', 7)).toHaveLength(0);
  });

  it('sees only direct children through children and descendants, and no parent', async () => {
    const q = `{ unit(code: "441802") { parent { code } ancestors { code } children { code } descendants { code } } }`;
    const unit = dataOf(await as('reviewer', q)).unit;
    expect(unit.parent).toBeNull();
    expect(unit.ancestors).toEqual([]);
    expect(unit.children.map((u: any) => u.code).sort()).toEqual(['441802001', '441802100', 'D441802001']);
    expect(unit.descendants.map((u: any) => u.code).sort()).toEqual(['441802001', '441802100', 'D441802001']);
    const child = dataOf(await as('reviewer', `{ unit(code: "D441802001") { parent { code } children { code } } }`)).unit;
    expect(child).toEqual({ parent: { code: '441802' }, children: [] });
  });
});

describe('OVERSIGHT of 清城区 (441802)', () => {
  it.each(Object.entries(SUBTREE_READS))('reads a %s of its own subtree', async (_name, query) => {
    const res = await as('oversight', query, { u: '441802' });
    expect(res.errors).toBeUndefined();
    expect(Object.values(res.data!)[0]).not.toBeNull();
  });

  it('counts every unit of its subtree in its rollup', async () => {
    const rollup = dataOf(await as('oversight', ROLLUP, { u: '441802' })).rollup;
    expect(rollup.sources.unitsInSubtree).toBe(5);
    expect(rollup.figures.applications.newReceived.total).toBe(4 * 12);
  });

  it('reads the rollup of a unit two levels below its own in one SQL statement, its access check included', async () => {
    const res = await as('oversight', `{ rollup(unitCode: "${GRANDCHILD}", period: { year: 2024, month: 3 }) { figures { applications { newReceived { total } } } } }`);
    expect(dataOf(res).rollup.figures.applications.newReceived.total).toBe(12);
    expect(res.extensions?.sqlStatements).toBe(1);
    // The check is the same statement's: the sibling district's rollup is refused after one statement too.
    const refused = await as('oversight', ROLLUP, { u: '441803' });
    forbidden(refused);
    expect(refused.extensions?.sqlStatements).toBe(1);
    // The unit it names comes from the same statement too (an entity made only when asked); its parent costs one more
    // and the viewer's right to see the parent another.
    const named = await as('oversight', `{ rollup(unitCode: "${GRANDCHILD}", period: { year: 2024, month: 3 }) { unit { code name kind } } }`);
    expect(dataOf(named).rollup.unit.code).toBe(GRANDCHILD);
    expect(named.extensions?.sqlStatements).toBe(1);
    const withParent = await as('oversight', `{ rollup(unitCode: "${GRANDCHILD}", period: { year: 2024, month: 3 }) { unit { code parent { code } } } }`);
    expect(dataOf(withParent).rollup.unit.parent.code).toBe('D441802001');
    expect(withParent.extensions?.sqlStatements).toBe(3);
  });

  it.each(Object.entries(SUBTREE_READS))('is refused a %s of the sibling district or of the city above', async (_name, query) => {
    forbidden(await as('oversight', query, { u: '441803' }));
    forbidden(await as('oversight', query, { u: '441800' }));
  });

  it('ranks units by kind only inside its subtree', async () => {
    const own = dataOf(await as('oversight', RANKING, { u: '441802', kinds: ['TOWN', 'SUBDISTRICT', 'OTHER'] })).ranking;
    expect(own.entries.map((e: any) => e.unit.code).sort()).toEqual(['441802001', '441802100', GRANDCHILD]);
    forbidden(await as('oversight', RANKING, { u: '441803', kinds: ['TOWN'] }));
    forbidden(await as('oversight', RANKING, { u: '441800', kinds: ['TOWN'] }));
  });

  it('sees no unit above its own through nested fields, and the whole subtree below', async () => {
    const unit = dataOf(await as('oversight', `{ unit(code: "441802") { parent { code } ancestors { code } descendants { code } } }`)).unit;
    expect(unit.parent).toBeNull();
    expect(unit.ancestors).toEqual([]);
    expect(unit.descendants.map((u: any) => u.code).sort()).toEqual(['441802001', '441802100', 'D441802001', GRANDCHILD]);
    const viaRollup = dataOf(await as('oversight', `{ rollup(unitCode: "441802", period: { year: 2024 }) { unit { parent { code } ancestors { code } } } }`));
    expect(viaRollup.rollup.unit).toEqual({ parent: null, ancestors: [] });
    const grandchild = dataOf(await as('oversight', `{ unit(code: "${GRANDCHILD}") { ancestors { code } } }`)).unit;
    expect(grandchild.ancestors.map((u: any) => u.code)).toEqual(['441802', 'D441802001']);
    forbidden(await as('oversight', `{ unit(code: "441803") { code } }`));
    forbidden(await as('oversight', REPORT, { u: '441803102' }));
  });

  it('cannot submit, create a unit, set deadlines or review; nothing is written', async () => {
    forbidden(await as('oversight', SUBMIT, { input: input('441802001', { year: 2024, month: 8 }) }));
    forbidden(await as('oversight', CREATE, { input: { code: 'D441802009', name: '清城区某局', kind: 'DEPARTMENT', parentCode: '441802' } }));
    forbidden(await as('oversight', DEADLINES, { u: '441802' }));
    forbidden(await as('oversight', REVIEW('approveReport'), { u: '441802100' }));
    expect(await revisionsOf('441802001', 8)).toHaveLength(0);
    expect(await unitRows('D441802009')).toHaveLength(0);
    expect(await hub.db.sql(`select * from deadline_rule`)).toHaveLength(0);
  });
});

describe('ADMIN of 清城区 (441802)', () => {
  it('creates units in its subtree, but not outside it nor a root; a token for `*` creates a root', async () => {
    expect(dataOf(await as('admin', CREATE, { input: { code: 'D441802002', name: '清城区民政局', kind: 'DEPARTMENT', parentCode: '441802' } })).createUnit).toEqual({
      code: 'D441802002',
    });
    forbidden(await as('admin', CREATE, { input: { code: 'D441803002', name: '清新区民政局', kind: 'DEPARTMENT', parentCode: '441803' } }));
    forbidden(await as('admin', CREATE, { input: { code: '450000', name: '广西壮族自治区', kind: 'PROVINCE' } }));
    expect(await unitRows('D441803002')).toHaveLength(0);
    expect(await unitRows('450000')).toHaveLength(0);
    expect(dataOf(await hub.gql(CREATE, { input: { code: '450000', name: '广西壮族自治区', kind: 'PROVINCE' } })).createUnit).toEqual({ code: '450000' });
  });

  it('sets deadlines in its subtree, not for the sibling district or the city', async () => {
    expect(dataOf(await as('admin', DEADLINES, { u: '441802' })).setDeadlines).toEqual({ setBy: '441802' });
    forbidden(await as('admin', DEADLINES, { u: '441803' }));
    forbidden(await as('admin', DEADLINES, { u: '441800' }));
    const rules = await hub.db.sql(`select u.code from deadline_rule d join unit u on u.id = d.unit_id`);
    expect(rules).toEqual([{ code: '441802' }]);
  });

  it('submits on a unit’s behalf, recorded as the author in the revision and the history', async () => {
    const { submitReport } = dataOf(await as('admin', SUBMIT, { input: input('441802100', { year: 2024, month: 6 }) }));
    expect(submitReport.report.author).toEqual({ unitCode: '441802', role: 'ADMIN' });
    const q = `{ report(unitCode: "441802100", period: { year: 2024, month: 6 }) { history { action actor { unitCode role } } } }`;
    expect(dataOf(await as('admin', q)).report.history).toEqual([{ action: 'SUBMIT', actor: { unitCode: '441802', role: 'ADMIN' } }]);
    forbidden(await as('admin', SUBMIT, { input: input('441803102', { year: 2024, month: 6 }) }));
    expect(await revisionsOf('441803102', 6)).toHaveLength(0);
  });

  it('cannot approve, return or reopen, even in its subtree', async () => {
    for (const action of ['approveReport', 'returnReport', 'reopenReport']) forbidden(await as('admin', REVIEW(action), { u: '441802100' }));
    forbidden(await hub.gql(REVIEW('approveReport'), { u: '441803102' })); // not even for the whole hierarchy
    const [state] = await hub.db.sql(`select r.status from report r join unit u on u.id = r.unit_id where u.code = '441803102' and r.month = 3`);
    expect(state.status).toBe('SUBMITTED');
  });
});
