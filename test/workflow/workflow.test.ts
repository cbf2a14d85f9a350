/**
 * The review workflow over HTTP with real tokens: 凤城街道 (441802001) writes its reports with its SUBMITTER token,
 * 清城区's REVIEWER (441802, the unit directly above) approves, returns and reopens them. Rollups count a report on
 * the SUBMITTED basis once submitted and on the APPROVED basis once approved; drafts count nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { codeOf, figures, review, rollupOf, stateOf, storedCounts, write, type Month } from './workflow-helpers.js';

let hub: TestHub;
let submitter: string;
let reviewer: string;
const UNIT = '441802001';

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  submitter = await hub.tokenFor(UNIT, 'SUBMITTER');
  reviewer = await hub.tokenFor('441802', 'REVIEWER');
});
afterAll(() => hub.close());

const totals = async (period: Month) => ({ submitted: (await rollupOf(hub, UNIT, period, 'SUBMITTED')).total, approved: (await rollupOf(hub, UNIT, period, 'APPROVED')).total });

describe('a report from draft to approval, reopened and approved again', () => {
  const JAN: Month = { year: 2024, month: 1 };

  it('a saved draft has status DRAFT and counts nowhere', async () => {
    const { saveDraft } = dataOf(await write(hub, submitter, 'saveDraft', UNIT, JAN, figures(3)));
    expect(saveDraft.report).toEqual({ revision: 1, draft: true, status: 'DRAFT', submittedRevision: null, approvedRevision: null });
    expect(await rollupOf(hub, UNIT, JAN)).toEqual({ basis: 'SUBMITTED', total: 0 });
    expect(await rollupOf(hub, UNIT, JAN, 'APPROVED')).toEqual({ basis: 'APPROVED', total: 0 });
  });

  it('once submitted it counts on the SUBMITTED basis (the default), not on the APPROVED one', async () => {
    const { submitReport } = dataOf(await write(hub, submitter, 'submitReport', UNIT, JAN, figures(3)));
    expect(submitReport).toEqual({ replacedRevision: 1, report: { revision: 2, draft: false, status: 'SUBMITTED', submittedRevision: 2, approvedRevision: null } });
    expect(await rollupOf(hub, UNIT, JAN)).toEqual({ basis: 'SUBMITTED', total: 15 });
    expect(await rollupOf(hub, UNIT, JAN, 'APPROVED')).toEqual({ basis: 'APPROVED', total: 0 });
  });

  it('approved by the parent’s REVIEWER, it counts on both bases', async () => {
    const { approveReport } = dataOf(await review(hub, reviewer, 'approveReport', UNIT, JAN, { revision: 2 }));
    expect(approveReport).toEqual({ status: 'APPROVED', revision: 2, statusReason: null, approvedRevision: 2 });
    expect(await totals(JAN)).toEqual({ submitted: 15, approved: 15 });
  });

  it('is then locked: submitting or saving a draft answers PERIOD_LOCKED and saves nothing', async () => {
    const before = await storedCounts(hub, UNIT, JAN);
    expect(before).toEqual({ revisions: 2, events: 3 });
    expect(codeOf(await write(hub, submitter, 'submitReport', UNIT, JAN, figures(9)))).toBe('PERIOD_LOCKED');
    expect(codeOf(await write(hub, submitter, 'saveDraft', UNIT, JAN, figures(9)))).toBe('PERIOD_LOCKED');
    expect(codeOf(await write(hub, await hub.tokenFor('441800', 'ADMIN'), 'submitReport', UNIT, JAN, figures(9)))).toBe('PERIOD_LOCKED');
    expect(await storedCounts(hub, UNIT, JAN)).toEqual(before);
    expect(await stateOf(hub, UNIT, JAN)).toMatchObject({ status: 'APPROVED', revision: 2, figures: { applications: { newReceived: { total: 15 } } } });
  });

  it('cannot be reopened without a reason (BAD_USER_INPUT), blank or missing', async () => {
    expect(codeOf(await review(hub, reviewer, 'reopenReport', UNIT, JAN))).toBe('BAD_USER_INPUT');
    expect(codeOf(await review(hub, reviewer, 'reopenReport', UNIT, JAN, { reason: '   ' }))).toBe('BAD_USER_INPUT');
    expect((await stateOf(hub, UNIT, JAN)).status).toBe('APPROVED');
    expect((await storedCounts(hub, UNIT, JAN)).events).toBe(3);
  });

  it('reopened with a reason, it is RETURNED with that reason and still counts its approved figures', async () => {
    const { reopenReport } = dataOf(await review(hub, reviewer, 'reopenReport', UNIT, JAN, { reason: '新收申请数有误' }));
    expect(reopenReport).toMatchObject({ status: 'RETURNED', statusReason: '新收申请数有误', approvedRevision: 2 });
    expect(await stateOf(hub, UNIT, JAN)).toMatchObject({ status: 'RETURNED', statusReason: '新收申请数有误' });
    expect(await totals(JAN)).toEqual({ submitted: 15, approved: 15 });
  });

  it('resubmitted, the SUBMITTED basis shows the new figures and the APPROVED basis the previously approved ones', async () => {
    const { submitReport } = dataOf(await write(hub, submitter, 'submitReport', UNIT, JAN, figures(8)));
    expect(submitReport.report).toEqual({ revision: 3, draft: false, status: 'SUBMITTED', submittedRevision: 3, approvedRevision: 2 });
    expect((await stateOf(hub, UNIT, JAN)).statusReason).toBeNull();
    expect(await totals(JAN)).toEqual({ submitted: 20, approved: 15 });
  });

  it('approved again, both bases show the new figures', async () => {
    expect(dataOf(await review(hub, reviewer, 'approveReport', UNIT, JAN, { revision: 3 })).approveReport).toMatchObject({ status: 'APPROVED', approvedRevision: 3 });
    expect(await totals(JAN)).toEqual({ submitted: 20, approved: 20 });
  });
});

describe('a report returned for correction', () => {
  const FEB: Month = { year: 2024, month: 2 };
  beforeAll(async () => {
    dataOf(await write(hub, submitter, 'submitReport', UNIT, FEB, figures(1)));
  });

  it('cannot be returned without a reason', async () => {
    expect(codeOf(await review(hub, reviewer, 'returnReport', UNIT, FEB))).toBe('BAD_USER_INPUT');
    expect((await stateOf(hub, UNIT, FEB)).status).toBe('SUBMITTED');
  });

  it('is RETURNED with the reason, and a returned report cannot be approved (INVALID_STATE)', async () => {
    const { returnReport } = dataOf(await review(hub, reviewer, 'returnReport', UNIT, FEB, { reason: '请补充说明' }));
    expect(returnReport).toMatchObject({ status: 'RETURNED', statusReason: '请补充说明', approvedRevision: null });
    expect(codeOf(await review(hub, reviewer, 'approveReport', UNIT, FEB))).toBe('INVALID_STATE');
    expect(await stateOf(hub, UNIT, FEB)).toMatchObject({ status: 'RETURNED', approvedRevision: null });
  });

  it('a draft over it does not replace the submitted figures, and a draft cannot be approved (INVALID_STATE)', async () => {
    expect(dataOf(await write(hub, submitter, 'saveDraft', UNIT, FEB, figures(6))).saveDraft.report).toMatchObject({ revision: 2, status: 'DRAFT', submittedRevision: 1 });
    expect(await rollupOf(hub, UNIT, FEB)).toEqual({ basis: 'SUBMITTED', total: 13 });
    expect(codeOf(await review(hub, reviewer, 'approveReport', UNIT, FEB))).toBe('INVALID_STATE');
    expect((await stateOf(hub, UNIT, FEB)).status).toBe('DRAFT');
  });

  it('resubmitted, it is SUBMITTED again and can be approved', async () => {
    expect(dataOf(await write(hub, submitter, 'submitReport', UNIT, FEB, figures(6))).submitReport.report).toMatchObject({ revision: 3, status: 'SUBMITTED' });
    expect(await rollupOf(hub, UNIT, FEB)).toEqual({ basis: 'SUBMITTED', total: 18 });
    expect(dataOf(await review(hub, reviewer, 'approveReport', UNIT, FEB)).approveReport).toMatchObject({ status: 'APPROVED', approvedRevision: 3 });
    expect(await totals(FEB)).toEqual({ submitted: 18, approved: 18 });
  });
});

describe('bases over a quarter and a year, and in the rollup of the unit above', () => {
  const TOWN = '441802100';
  const sum = async (unitCode: string, period: { year: number; quarter?: number }) => {
    const q = `query($u: String!, $p: PeriodInput!, $b: Basis!) { rollup(unitCode: $u, period: $p, basis: $b) { figures { applications { newReceived { total } } } } }`;
    const one = async (b: string) => dataOf(await hub.gql(q, { u: unitCode, p: period, b })).rollup.figures.applications.newReceived.total;
    return { submitted: await one('SUBMITTED'), approved: await one('APPROVED') };
  };

  it('adds up only approved months on the APPROVED basis, the approved revision of a reopened month included', async () => {
    const townSubmitter = await hub.tokenFor(TOWN, 'SUBMITTER');
    const [jan, feb] = [{ year: 2025, month: 1 }, { year: 2025, month: 2 }];
    dataOf(await write(hub, townSubmitter, 'submitReport', TOWN, jan, figures(0)));
    dataOf(await review(hub, reviewer, 'approveReport', TOWN, jan));
    dataOf(await write(hub, townSubmitter, 'submitReport', TOWN, feb, figures(5)));
    for (const unit of [TOWN, '441802']) {
      expect(await sum(unit, { year: 2025 })).toEqual({ submitted: 12 + 17, approved: 12 });
      expect(await sum(unit, { year: 2025, quarter: 1 })).toEqual({ submitted: 29, approved: 12 });
    }
    dataOf(await review(hub, reviewer, 'reopenReport', TOWN, jan, { reason: '更正' }));
    dataOf(await write(hub, townSubmitter, 'submitReport', TOWN, jan, figures(2)));
    dataOf(await write(hub, townSubmitter, 'saveDraft', TOWN, { year: 2025, month: 3 }, figures(40)));
    for (const unit of [TOWN, '441802']) expect(await sum(unit, { year: 2025 })).toEqual({ submitted: 14 + 17, approved: 12 });
    dataOf(await review(hub, reviewer, 'approveReport', TOWN, jan));
    dataOf(await review(hub, reviewer, 'approveReport', TOWN, feb));
    for (const unit of [TOWN, '441802']) expect(await sum(unit, { year: 2025 })).toEqual({ submitted: 31, approved: 31 });
  });
});

describe('steps refused in the wrong state or on a stale revision', () => {
  it('approving a DRAFT answers INVALID_STATE and records nothing', async () => {
    const MAR = { year: 2024, month: 3 };
    dataOf(await write(hub, submitter, 'saveDraft', UNIT, MAR, figures()));
    const res = await review(hub, reviewer, 'approveReport', UNIT, MAR);
    expect(codeOf(res)).toBe('INVALID_STATE');
    expect(res.errors![0].extensions.status).toBe('DRAFT');
    expect(await storedCounts(hub, UNIT, MAR)).toEqual({ revisions: 1, events: 1 });
    expect(await stateOf(hub, UNIT, MAR)).toMatchObject({ status: 'DRAFT', approvedRevision: null });
  });

  it('saving a draft over a SUBMITTED report, returning an APPROVED one or reopening a SUBMITTED one: INVALID_STATE', async () => {
    const APR = { year: 2024, month: 4 };
    dataOf(await write(hub, submitter, 'submitReport', UNIT, APR, figures()));
    expect(codeOf(await write(hub, submitter, 'saveDraft', UNIT, APR, figures(2)))).toBe('INVALID_STATE');
    expect(codeOf(await review(hub, reviewer, 'reopenReport', UNIT, APR, { reason: '无' }))).toBe('INVALID_STATE');
    dataOf(await review(hub, reviewer, 'approveReport', UNIT, APR));
    expect(codeOf(await review(hub, reviewer, 'returnReport', UNIT, APR, { reason: '无' }))).toBe('INVALID_STATE');
    expect(await storedCounts(hub, UNIT, APR)).toEqual({ revisions: 1, events: 2 });
  });

  it('approving with a stale revision answers CONFLICT naming the current one; the current one can be approved', async () => {
    const MAY = { year: 2024, month: 5 };
    dataOf(await write(hub, submitter, 'submitReport', UNIT, MAY, figures(1)));
    dataOf(await write(hub, submitter, 'submitReport', UNIT, MAY, figures(2)));
    const res = await review(hub, reviewer, 'approveReport', UNIT, MAY, { revision: 1 });
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0].extensions).toMatchObject({ revision: 1, currentRevision: 2 });
    expect(await stateOf(hub, UNIT, MAY)).toMatchObject({ status: 'SUBMITTED', approvedRevision: null });
    expect(await totals(MAY)).toEqual({ submitted: 14, approved: 0 });
    expect(dataOf(await review(hub, reviewer, 'approveReport', UNIT, MAY, { revision: 2 })).approveReport.approvedRevision).toBe(2);
  });

  it('reviewing a report never written answers NOT_FOUND and leaves no row', async () => {
    const JUN = { year: 2024, month: 6 };
    expect(codeOf(await review(hub, reviewer, 'approveReport', UNIT, JUN))).toBe('NOT_FOUND');
    expect(await hub.db.sql(`select id from report where year = 2024 and month = 6`)).toHaveLength(0);
  });
});
