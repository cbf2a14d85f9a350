import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { figuresSelection } from '../../bench/queries.js';
import { verifyRollups } from '../../src/rollups/verify.js';
import { createUnits, seededFigures, smallTree, SUBMIT } from '../support/fixtures.js';
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

const submit = (unitCode: string, year: number, month: number | null, seed: number, scope = 'SELF') =>
  hub.gql(SUBMIT, { input: { unitCode, year, month, scope, figures: seededFigures(seed) } });

const ROLLUP = `query($u: String!, $p: PeriodInput!, $b: Basis!) { rollup(unitCode: $u, period: $p, basis: $b) {
  sources { unitsInSubtree annualReportUnits monthlyReportUnits unitMonths unitsWithoutFigures aggregateReportsExcluded }
  figures { proactive { normativeDocuments { issued repealed inForce } administrativeFees }
    applications { newReceived { total naturalPerson } carriedOver { total naturalPerson } granted { total } resultsTotal { total } carriedForward { total naturalPerson } }
    reviewLitigation { adminReview { upheld pending total } } }
  rates { disclosureRate { numerator denominator } carryForwardRate { numerator denominator } } } }`;

const rollupBoth = (u: string, p: Record<string, number>, b: string) => modes.rollupBoth(ROLLUP, u, p, b);

const DASHBOARD = `query($unitCode: String!, $year: Int!) { dashboard(unitCode: $unitCode, year: $year) {
  current { figures ${figuresSelection()} } previous { figures { applications { newReceived { total } } } }
  headline { metric value previous change } trend { newReceived resultsTotal disclosed reportingUnits }
  children { unit { code } metricValue figures ${figuresSelection()} } top { unit { code } metricValue }
} }`;
const RANKING = `query($input: RankingInput!) { ranking(input: $input) {
  entries { rank value numerator denominator unrankedReason unit { code } } } }`;

describe('pre-aggregated and on-the-fly rollups', () => {
  it('agree cell by cell after submissions, re-submissions, annual reports, drafts, approvals and concurrent writes', async () => {
    // Months with gaps, re-submissions that change balances, an annual report, an AGGREGATE report (never summed).
    for (const [unit, month, seed] of [['441802001', 1, 1], ['441802001', 2, 2], ['441802001', 5, 3], ['441802100', 2, 4], ['441803102', 3, 5], ['441803104', 12, 6]] as const) {
      dataOf(await submit(unit, 2025, month, seed));
    }
    dataOf(await submit('441802001', 2025, 2, 9)); // re-submission
    dataOf(await submit('441803104', 2025, null, 7)); // annual report stands for its months
    dataOf(await submit('441803104', 2025, null, 11)); // and is re-submitted: the year changes by new minus old
    dataOf(await submit('441803', 2025, null, 8, 'AGGREGATE'));
    dataOf(await hub.gql(SUBMIT.replace('submitReport', 'saveDraft'), { input: { unitCode: '441803102', year: 2025, month: 4, figures: seededFigures(10) } }));
    // Concurrent submissions into one city: eight units, several months each, all at once.
    const units = ['441800', '441802', '441803', '441802001', '441802100', '441803102', '441803104', 'D441802001'];
    const writes = units.flatMap((u, i) => [6, 7, 8].map((m) => submit(u, 2025, m, i + m)));
    (await Promise.all(writes)).forEach((r) => dataOf(r));
    // Approvals by the reviewers above, so that the APPROVED basis has figures too.
    const reviewer = await hub.tokenFor('441802', 'REVIEWER');
    for (const [u, m] of [['441802001', 2], ['441802100', 2], ['441802001', 7]] as const) {
      dataOf(await hub.gql(`mutation($i: ReviewReportInput!) { approveReport(input: $i) { status } }`, { i: { unitCode: u, year: 2025, month: m } }, reviewer));
    }

    // In the other district: a month and the annual report approved (the year on the APPROVED basis from it alone).
    const countyReviewer = await hub.tokenFor('441803', 'REVIEWER');
    for (const [u, m] of [['441803102', 3], ['441803104', null]] as const) {
      dataOf(await hub.gql(`mutation($i: ReviewReportInput!) { approveReport(input: $i) { status } }`, { i: { unitCode: u, year: 2025, month: m } }, countyReviewer));
    }

    const periods = [...Array.from({ length: 12 }, (_, i) => ({ year: 2025, month: i + 1 })), ...[1, 2, 3, 4].map((q) => ({ year: 2025, quarter: q })), { year: 2025 }];
    let compared = 0;
    for (const u of ['441800', '441802', '441803', '441802001', '441803104', '441803102'])
      for (const p of periods)
        for (const b of ['SUBMITTED', 'APPROVED']) {
          const { pre, fly } = await rollupBoth(u, p, b);
          expect({ u, p, b, ...pre }).toEqual({ u, p, b, ...fly });
          compared++;
        }
    expect(compared).toBe(6 * 17 * 2);
    // Something was really summed: the city's year on the SUBMITTED basis has every unit's figures.
    const { pre } = await rollupBoth('441800', { year: 2025 }, 'SUBMITTED');
    expect(pre.sources.monthlyReportUnits + pre.sources.annualReportUnits).toBe(8);
    expect(pre.sources.aggregateReportsExcluded).toBe(1);
    expect((await verifyRollups(hub.db.orm.em.fork())).differences).toBe(0);

    // Dashboards and rankings, of and over units with children and without (a district: townships and a department
    // below it; a township), on both hubs alike.
    const bothAnswer = async (query: string, variables: Record<string, unknown>) => {
      const [a, b] = await Promise.all([hub, modes.onTheFly].map(async (h) => dataOf(await h.gql(query, variables))));
      expect({ variables, a }).toEqual({ variables, a: b });
      return a;
    };
    for (const unitCode of ['441802', '441803', '441803104']) {
      const d = await bothAnswer(DASHBOARD, { unitCode, year: 2025 });
      if (unitCode !== '441803104') expect(d.dashboard.children.length).toBeGreaterThan(1);
    }
    for (const period of [{ year: 2025, month: 7 }, { year: 2025, quarter: 1 }, { year: 2025 }]) {
      for (const parentCode of ['441802', '441803', '441800']) {
        const r = await bothAnswer(RANKING, { input: { parentCode, period, metric: 'NEW_RECEIVED' } });
        expect(r.ranking.entries.length).toBeGreaterThan(1);
      }
      await bothAnswer(RANKING, { input: { parentCode: '441800', kinds: ['TOWN', 'SUBDISTRICT', 'DEPARTMENT'], period, metric: 'DISCLOSURE_RATE' } });
    }
  });

  it('lets verify find a rollup row that no longer matches the base reports', async () => {
    await hub.db.sql(`update rollup set a_granted__natural_person = a_granted__natural_person + 1 where unit_id = (select id from unit where code = '441800') and period = 0 and basis = 'SUBMITTED'`);
    const result = await verifyRollups(hub.db.orm.em.fork());
    expect(result.differences).toBe(1);
    expect(result.examples[0]).toMatchObject({ basis: 'SUBMITTED', year: 2025, period: 0 });
    await hub.db.sql(`update rollup set a_granted__natural_person = a_granted__natural_person - 1 where unit_id = (select id from unit where code = '441800') and period = 0 and basis = 'SUBMITTED'`);
    expect((await verifyRollups(hub.db.orm.em.fork())).differences).toBe(0);
  });
});
