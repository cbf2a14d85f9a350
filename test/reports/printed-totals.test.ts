import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, sampleFigures, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { accepted, storedRevisions, submit, violationsOf } from './report-helpers.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const UNIT = '441802100';

describe('printed totals', () => {
  it('checks only the columns of 三（七）总计 that were printed', async () => {
    const figures = { ...sampleFigures(), applications: { ...sampleFigures().applications, resultsTotal: { total: 13 } } };
    await accepted(hub, UNIT, { year: 2024, month: 6 }, figures);
    const wrong = { ...sampleFigures(), applications: { ...sampleFigures().applications, resultsTotal: { naturalPerson: 12 } } };
    const violations = violationsOf(await submit(hub, UNIT, { year: 2024, month: 7 }, wrong));
    expect(violations.map((v) => [v.identity, v.path, v.expected, v.actual])).toEqual(
      expect.arrayContaining([['APP_RESULTS_SUM', 'applications.resultsTotal.naturalPerson', 11, 12]]),
    );
    expect(violations.every((v) => !v.path.endsWith('commercialEnterprise'))).toBe(true);
  });
});

describe('amounts', () => {
  it('answers a fee in the canonical form it is stored in', async () => {
    const figures = { ...sampleFigures(), proactive: { ...sampleFigures().proactive, administrativeFees: '0012.50' } };
    const answer = await hub.gql(
      `mutation($input: SubmitReportInput!) { submitReport(input: $input) { report { figures { proactive { administrativeFees } } } } }`,
      { input: { unitCode: UNIT, year: 2024, month: 8, figures } },
    );
    expect(answer.data.submitReport.report.figures.proactive.administrativeFees).toBe('12.5');
    expect((await storedRevisions(hub, UNIT, { year: 2024, month: 8 }))[0].p_administrative_fees__amount_10k_cny).toBe('12.5000');
  });
});

describe('accepted revisions', () => {
  it('cannot be emptied by TRUNCATE either', async () => {
    await expect(hub.db.sql(`truncate report_revision cascade`)).rejects.toThrow(/immutable/);
  });
});
