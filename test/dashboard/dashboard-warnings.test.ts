/**
 * The dashboard's warning counts come from each report's revision in force on the basis asked: a warning on a
 * revision that was later corrected stops counting on the SUBMITTED basis at once, and on the APPROVED basis once
 * the correction is approved.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { review, write } from '../workflow/workflow-helpers.js';

let hub: TestHub;
let submitter: string;
let reviewer: string;
const UNIT = '441802001';
const JUNE = { year: 2025, month: 6 };
const JULY = { year: 2025, month: 7 };

const np = (row: Record<string, number>) => ({ applications: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, { naturalPerson: v }])) });
// June carries forward nothing, so a July that carries over 3 is saved with an X_CARRY_CONTINUITY warning
const juneFigures = np({ newReceived: 2, granted: 2 });
const julyWarned = np({ newReceived: 1, carriedOver: 3, granted: 4 });
const julyCorrected = np({ newReceived: 1, granted: 1 });

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  submitter = await hub.tokenFor(UNIT, 'SUBMITTER');
  reviewer = await hub.tokenFor('441802', 'REVIEWER');
  dataOf(await write(hub, submitter, 'submitReport', UNIT, JUNE, juneFigures));
  // another district's warned report, and one of 2024: neither belongs to 清城区's 2025
  const other = await hub.tokenFor('441803102', 'SUBMITTER');
  dataOf(await write(hub, other, 'submitReport', '441803102', JUNE, juneFigures));
  dataOf(await write(hub, other, 'submitReport', '441803102', JULY, julyWarned));
  dataOf(await write(hub, submitter, 'submitReport', UNIT, { year: 2024, month: 6 }, juneFigures));
  dataOf(await write(hub, submitter, 'submitReport', UNIT, { year: 2024, month: 7 }, julyWarned));
});
afterAll(() => hub.close());

const warningsOf = async (unitCode: string, basis: 'SUBMITTED' | 'APPROVED', year = 2025) => {
  const q = `query($u: String!, $y: Int!, $b: Basis!) { dashboard(unitCode: $u, year: $y, basis: $b) { warnings { reportsWithWarnings byIdentity { identity count } } } }`;
  return dataOf(await hub.gql(q, { u: unitCode, y: year, b: basis })).dashboard.warnings;
};
const one = { reportsWithWarnings: 1, byIdentity: [{ identity: 'X_CARRY_CONTINUITY', count: 1 }] };
const none = { reportsWithWarnings: 0, byIdentity: [] };

describe('warning counts follow the revision in force on each basis', () => {
  it('count a submitted warning on the SUBMITTED basis only, until it is approved', async () => {
    const { submitReport } = dataOf(await write(hub, submitter, 'submitReport', UNIT, JULY, julyWarned));
    expect(submitReport.report).toMatchObject({ revision: 1, submittedRevision: 1 });
    expect(await warningsOf('441802', 'SUBMITTED')).toEqual(one);
    expect(await warningsOf('441802', 'APPROVED')).toEqual(none);
    dataOf(await review(hub, reviewer, 'approveReport', UNIT, JULY, { revision: 1 }));
    expect(await warningsOf('441802', 'APPROVED')).toEqual(one);
  });

  it('count only the subtree and the year asked for', async () => {
    expect(await warningsOf('441800', 'SUBMITTED')).toEqual({ reportsWithWarnings: 2, byIdentity: [{ identity: 'X_CARRY_CONTINUITY', count: 2 }] });
    expect(await warningsOf('441803', 'SUBMITTED')).toEqual(one);
    expect(await warningsOf('441802100', 'SUBMITTED')).toEqual(none);
    expect(await warningsOf('441802', 'SUBMITTED', 2024)).toEqual(one);
  });

  it('stop counting a corrected warning on the SUBMITTED basis at once, on the APPROVED basis once approved', async () => {
    dataOf(await review(hub, reviewer, 'reopenReport', UNIT, JULY, { reason: '上年结转与上期不一致' }));
    const { submitReport } = dataOf(await write(hub, submitter, 'submitReport', UNIT, JULY, julyCorrected));
    expect(submitReport.report).toMatchObject({ revision: 2, submittedRevision: 2, approvedRevision: 1 });
    expect(await warningsOf('441802', 'SUBMITTED')).toEqual(none);
    expect(await warningsOf('441802', 'APPROVED')).toEqual(one);
    dataOf(await review(hub, reviewer, 'approveReport', UNIT, JULY, { revision: 2 }));
    expect(await warningsOf('441802', 'APPROVED')).toEqual(none);
  });

  it('never count a draft', async () => {
    const august = { year: 2025, month: 8 };
    dataOf(await write(hub, submitter, 'saveDraft', UNIT, august, np({ carriedOver: 5, granted: 5 })));
    expect(await warningsOf('441802', 'SUBMITTED')).toEqual(none);
  });
});
