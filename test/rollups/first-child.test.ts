/**
 * Units without children keep no rollup rows: their reports are their rollup, computed when read. A unit's first
 * child makes it store its own rows (src/units/unit.service.ts), under a lock its writers hold shared — also while
 * submissions to it run at the same moment. Every read agrees with the hub that sums base reports per request, and
 * verify finds every stored row right.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { figuresSelection } from '../../bench/queries.js';
import { verifyRollups } from '../../src/rollups/verify.js';
import { createUnits, seededFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startBothModes, type BothModes, type TestHub } from '../support/test-hub.js';

let modes: BothModes;
let hub: TestHub;
beforeAll(async () => {
  modes = await startBothModes();
  hub = modes.hub;
  await createUnits(hub, smallTree);
});
afterAll(() => modes.close());

const submit = (unitCode: string, month: number | null, seed: number) =>
  hub.gql(SUBMIT, { input: { unitCode, year: 2025, month, figures: seededFigures(seed) } });
const ROLLUP = `query($u: String!, $p: PeriodInput!, $b: Basis!) { rollup(unitCode: $u, period: $p, basis: $b) {
  sources { unitsInSubtree annualReportUnits monthlyReportUnits unitMonths } figures ${figuresSelection()} } }`;
const PERIODS: Record<string, number>[] = [{ year: 2025, month: 2 }, { year: 2025, quarter: 1 }, { year: 2025, quarter: 2 }, { year: 2025 }];

const storedRows = async (unitCode: string) =>
  (await hub.db.sql<{ n: number }>(`select count(*)::int as n from rollup r join unit u on u.id = r.unit_id where u.code = $1`, [unitCode]))[0].n;

/** Both hubs answer alike for the unit in every period and basis, and verify finds no stored row wrong. */
async function expectAgreement(unitCode: string): Promise<void> {
  for (const p of PERIODS) {
    for (const b of ['SUBMITTED', 'APPROVED']) {
      const { pre, fly } = await modes.rollupBoth(ROLLUP, unitCode, p, b);
      expect({ unitCode, p, b, pre }).toEqual({ unitCode, p, b, pre: fly });
    }
  }
  const verified = await verifyRollups(hub.db.orm.em.fork());
  expect(verified.examples).toEqual([]);
  expect(verified.differences).toBe(0);
}

describe('a unit without children', () => {
  it('has no rollup rows, and its rollup is its reports: months, a gap, quarters, an annual report, both bases', async () => {
    for (const [m, seed] of [[1, 1], [2, 2], [4, 3], [2, 4]] as const) dataOf(await submit('441803102', m, seed));
    dataOf(await submit('441803102', null, 5));
    const reviewer = await hub.tokenFor('441803', 'REVIEWER');
    dataOf(await hub.gql(`mutation($i: ReviewReportInput!) { approveReport(input: $i) { status } }`, { i: { unitCode: '441803102', year: 2025, month: 2 } }, reviewer));
    expect(await storedRows('441803102')).toBe(0);
    expect(await storedRows('441803')).toBeGreaterThan(0);
    const { pre } = await modes.rollupBoth(ROLLUP, '441803102', { year: 2025, quarter: 1 }, 'SUBMITTED');
    expect(pre.sources).toEqual({ unitsInSubtree: 1, annualReportUnits: 0, monthlyReportUnits: 1, unitMonths: 2 });
    await expectAgreement('441803102');
  });

  it('stores its own rows when it gets its first child, and adds the child’s figures from then on', async () => {
    await createUnits(hub, [{ code: 'D441803102001', name: '太和镇党政办公室', kind: 'DEPARTMENT', parentCode: '441803102' }]);
    // Its own contributions of 2025: submitted, months 1, 2 and 4, quarters 1 and 2 and the year (its annual report);
    // approved, month 2 alone, so month 2, quarter 1 and the year.
    expect(await storedRows('441803102')).toBe(6 + 3);
    await expectAgreement('441803102');
    dataOf(await submit('D441803102001', 2, 6));
    dataOf(await submit('D441803102001', 5, 7));
    await expectAgreement('441803102');
    const { pre } = await modes.rollupBoth(ROLLUP, '441803102', { year: 2025, quarter: 1 }, 'SUBMITTED');
    expect(pre.sources.unitMonths).toBe(3);
  });

  it('gets its first child while submissions to it run, and no change is lost', async () => {
    const writes = [1, 2, 3, 4, 5, 6, 7, 8].map((m) => submit('441803104', m, 10 + m));
    const child = createUnits(hub, [{ code: 'D441803104001', name: '太平镇党政办公室', kind: 'DEPARTMENT', parentCode: '441803104' }]);
    const more = [9, 10, 11, 12].map((m) => submit('441803104', m, 20 + m));
    for (const answer of await Promise.all([...writes, ...more])) dataOf(answer);
    await child;
    expect(await storedRows('441803104')).toBeGreaterThan(0);
    await expectAgreement('441803104');
    await expectAgreement('441803');
  });
});
