/**
 * Submissions and approvals all at once into one city — re-submissions of the same reports, other months of the same
 * units, an annual report beside its months, units in both districts — leave the pre-aggregated rollups equal, cell
 * by cell, to the sums of the base reports: no lost update, no deadlock, no refused request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { figuresSelection } from '../../bench/queries.js';
import { verifyRollups } from '../../src/rollups/verify.js';
import { createUnits, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startBothModes, type BothModes, type TestHub } from '../support/test-hub.js';

/** The hub under test reads pre-aggregated rollups; a second hub on the same database sums base rows per request. */
let modes: BothModes;
let hub: TestHub;
beforeAll(async () => {
  modes = await startBothModes();
  hub = modes.hub;
  await createUnits(hub, smallTree);
});
afterAll(() => modes.close());

/** Balanced figures that differ by seed in flows, balances (opening, closing, in force, pending) and the fee. */
function figures(seed: number) {
  const over = seed % 5;
  const received = 3 + (seed % 7);
  const forward = seed % 3;
  const denied = seed % 2;
  return {
    proactive: {
      rules: { issued: seed % 3, repealed: 0, inForce: 10 + seed },
      normativeDocuments: { issued: 1, repealed: seed % 2, inForce: 40 + (seed % 9) },
      administrativeLicensing: 7 * seed,
      administrativeFees: `${seed}.${String(seed * 37).padStart(4, '0').slice(0, 4)}`,
    },
    applications: {
      newReceived: { naturalPerson: received, otherOrg: seed % 2 },
      carriedOver: { naturalPerson: over },
      granted: { naturalPerson: received + over - forward - denied, otherOrg: seed % 2 },
      deniedStateSecret: { naturalPerson: denied },
      carriedForward: { naturalPerson: forward },
    },
    reviewLitigation: { adminReview: { upheld: seed % 3, corrected: 1, pending: seed % 4 }, litigationDirect: { pending: seed % 2 } },
  };
}

const submit = (unitCode: string, month: number | null, seed: number) => hub.gql(SUBMIT, { input: { unitCode, year: 2025, month, figures: figures(seed) } });
const APPROVE = `mutation($i: ReviewReportInput!) { approveReport(input: $i) { status } }`;

const ROLLUP = `query($u: String!, $p: PeriodInput!, $b: Basis!) { rollup(unitCode: $u, period: $p, basis: $b) {
  sources { unitsInSubtree annualReportUnits monthlyReportUnits unitMonths } figures ${figuresSelection()} } }`;

const rollupBoth = (u: string, p: Record<string, number>, b: string) => modes.rollupBoth(ROLLUP, u, p, b);

describe('concurrent writes into one city', () => {
  it('leave the pre-aggregated rollups equal to the base reports in every cell, period and basis', async () => {
    // A first round, one at a time: most units have some months, so later writes change first and last months.
    for (const [unit, months] of [['441802001', [1, 2, 3, 5]], ['441802100', [2, 3]], ['441803102', [1, 4]], ['441803104', [6]]] as const) {
      for (const m of months) dataOf(await submit(unit, m, m));
    }

    // All at once: the same reports re-submitted several times, other months of the same units (a new first month
    // of a quarter, a new last month of the year), an annual report beside monthly ones, units of both districts.
    const burst: [string, number | null][] = [
      ['441802001', 2], ['441802001', 2], ['441802001', 2], ['441802001', 1], ['441802001', 12], ['441802001', 3],
      ['441802100', 1], ['441802100', 3], ['441802100', 3], ['441802100', 11],
      ['441803102', 4], ['441803102', 4], ['441803102', null], ['441803102', 7],
      ['441803104', 6], ['441803104', 5], ['441803104', 6],
      ['D441802001', 2], ['D441802001', 2], ['441802', 2], ['441803', 9], ['441800', 2], ['441800', 2],
    ];
    (await Promise.all(burst.map(([u, m], i) => submit(u, m, 20 + i)))).forEach((r) => dataOf(r));

    // Approvals of some reports while others of the same units are re-submitted.
    const reviewer802 = await hub.tokenFor('441802', 'REVIEWER');
    const reviewer803 = await hub.tokenFor('441803', 'REVIEWER');
    const writes = [
      hub.gql(APPROVE, { i: { unitCode: '441802001', year: 2025, month: 2 } }, reviewer802),
      hub.gql(APPROVE, { i: { unitCode: '441802001', year: 2025, month: 5 } }, reviewer802),
      hub.gql(APPROVE, { i: { unitCode: '441802100', year: 2025, month: 3 } }, reviewer802),
      hub.gql(APPROVE, { i: { unitCode: '441803102', year: 2025 } }, reviewer803),
      hub.gql(APPROVE, { i: { unitCode: '441803104', year: 2025, month: 6 } }, reviewer803),
      submit('441802001', 1, 60),
      submit('441802001', 12, 61),
      submit('441802100', 2, 62),
      submit('441803102', 1, 63),
      submit('441803104', 5, 64),
    ];
    (await Promise.all(writes)).forEach((r) => dataOf(r));

    const periods = [...Array.from({ length: 12 }, (_, i) => ({ year: 2025, month: i + 1 })), ...[1, 2, 3, 4].map((q) => ({ year: 2025, quarter: q })), { year: 2025 }];
    for (const u of ['441800', '441802', '441803', '441802001', '441803102'])
      for (const p of periods)
        for (const b of ['SUBMITTED', 'APPROVED']) {
          const { pre, fly } = await rollupBoth(u, p, b);
          expect({ u, p, b, ...pre }).toEqual({ u, p, b, ...fly });
        }
    // Something was really summed: every unit of the city counts in its year.
    const { pre } = await rollupBoth('441800', { year: 2025 }, 'SUBMITTED');
    expect(pre.sources.monthlyReportUnits + pre.sources.annualReportUnits).toBe(8);
    expect(pre.sources.annualReportUnits).toBe(1);
    expect((await verifyRollups(hub.db.orm.em.fork())).differences).toBe(0);
  });
});
