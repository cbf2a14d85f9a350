import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accepted } from '../reports/report-helpers.js';
import { createUnits, type UnitSpec } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;

const units: UnitSpec[] = [
  { code: '441800', name: '清远市', kind: 'PREFECTURE' },
  { code: '441802', name: '清城区', kind: 'DISTRICT', parentCode: '441800' },
  { code: '441803', name: '清新区', kind: 'DISTRICT', parentCode: '441800' },
  { code: '441821', name: '佛冈县', kind: 'COUNTY', parentCode: '441800' },
  { code: '441823', name: '阳山县', kind: 'COUNTY', parentCode: '441800' },
  { code: '441802100', name: '源潭镇', kind: 'TOWN', parentCode: '441802' },
  { code: 'D441802001', name: '清远市清城区教育局', kind: 'DEPARTMENT', parentCode: '441802' },
  { code: '441803102', name: '太和镇', kind: 'TOWN', parentCode: '441803' },
];

type Row = Partial<Record<'newReceived' | 'carriedOver' | 'granted' | 'partiallyGranted' | 'deniedStateSecret' | 'unableNotHeld' | 'carriedForward', number>>;
const np = (row: Row, reviewLitigation: Record<string, Record<string, number>> = {}) => ({
  applications: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, { naturalPerson: v }])),
  reviewLitigation,
});

/** 自然人 only. 2025: 31 new, 26 decided, 17 disclosed; 2024: 20 new, 20 decided, 8 disclosed. 阳山县 never reports. */
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, units);
  await accepted(hub, '441802100', { year: 2025, month: 1 }, np({ newReceived: 4, granted: 3, unableNotHeld: 1 }, { adminReview: { upheld: 1 } }));
  await accepted(hub, 'D441802001', { year: 2025, month: 1 }, np({ newReceived: 2, granted: 2 }));
  await accepted(hub, '441802100', { year: 2025, month: 3 }, np({ newReceived: 6, granted: 2, partiallyGranted: 1, deniedStateSecret: 3 }, { litigationDirect: { upheld: 1 } }));
  await accepted(hub, '441803102', { year: 2025, month: 6 }, np({ newReceived: 10, granted: 5, unableNotHeld: 5 }, { adminReview: { corrected: 2 }, litigationAfterReview: { corrected: 1 } }));
  // July carries over 3 where June carried forward 0: saved with an X_CARRY_CONTINUITY warning
  const july = await accepted(hub, '441803102', { year: 2025, month: 7 }, np({ newReceived: 1, carriedOver: 3, granted: 4 }));
  expect(july.warnings.map((w: { identity: string }) => w.identity)).toEqual(['X_CARRY_CONTINUITY']);
  await accepted(hub, '441821', { year: 2025, month: 12 }, np({ newReceived: 8, carriedForward: 8 }));

  await accepted(hub, '441802100', { year: 2024, month: 1 }, np({ newReceived: 5, granted: 5 }));
  await accepted(hub, '441803102', { year: 2024, month: 5 }, np({ newReceived: 15, granted: 3, unableNotHeld: 12 }));
});
afterAll(() => hub.close());

const RATE = '{ numerator denominator value }';
const DASHBOARD = `query($unitCode: String!, $year: Int!, $rankBy: RankingMetric, $minDenominator: Int) {
  dashboard(unitCode: $unitCode, year: $year, rankBy: $rankBy, minDenominator: $minDenominator) {
    year unit { code } rankBy
    current { period { label } figures { applications { newReceived { total } resultsTotal { total } } } rates { disclosureRate ${RATE} } }
    previous { period { label } figures { applications { newReceived { total } } } }
    headline { metric label value previous change changeRatio }
    trend { period { label } newReceived resultsTotal disclosed disclosureRate ${RATE} adminReviews lawsuits reportingUnits }
    children { unit { code } metricValue figures { applications { newReceived { total } resultsTotal { total } } } rates { disclosureRate ${RATE} } }
    top { unit { code } metricValue }
    bottom { unit { code } metricValue }
    completeness { units expected onTime late missing notYetDue unitsOnTime unitsLate unitsMissing }
    warnings { reportsWithWarnings byIdentity { identity count } }
  }
}`;

const dashboardOf = async (variables: Record<string, unknown> = {}) =>
  dataOf(await hub.gql(DASHBOARD, { unitCode: '441800', year: 2025, ...variables })).dashboard;
const codes = (xs: { unit: { code: string } }[]) => xs.map((x) => x.unit.code);

describe('the dashboard of a city for a year', () => {
  it('has the year’s figures beside the year before', async () => {
    const d = await dashboardOf();
    expect(d).toMatchObject({ year: 2025, unit: { code: '441800' }, rankBy: 'DISCLOSURE_RATE' });
    expect(d.current.period.label).toBe('2025年');
    expect(d.current.figures.applications).toEqual({ newReceived: { total: 31 }, resultsTotal: { total: 26 } });
    expect(d.current.rates.disclosureRate).toMatchObject({ numerator: 17, denominator: 26 });
    expect(d.previous).toEqual({ period: { label: '2024年' }, figures: { applications: { newReceived: { total: 20 } } } });
  });

  it('gives headline counts with their change and change ratio', async () => {
    const headline = new Map((await dashboardOf()).headline.map((h: { metric: string }) => [h.metric, h]));
    expect(headline.get('NEW_RECEIVED')).toMatchObject({ value: 31, previous: 20, change: 11, changeRatio: 0.55 });
    expect(headline.get('RESULTS_TOTAL')).toMatchObject({ value: 26, previous: 20, change: 6, changeRatio: 0.3 });
    // no reviews in 2024: a change, but no ratio to a previous 0
    expect(headline.get('ADMIN_REVIEW')).toMatchObject({ value: 3, previous: 0, change: 3, changeRatio: null });
  });

  it('gives headline rates with their change in points, without a change ratio', async () => {
    const headline = new Map((await dashboardOf()).headline.map((h: { metric: string }) => [h.metric, h]));
    const rate: any = headline.get('DISCLOSURE_RATE');
    expect(rate).toMatchObject({ label: '公开率', previous: 0.4, changeRatio: null });
    expect(rate.value).toBeCloseTo(17 / 26, 10);
    expect(rate.change).toBeCloseTo(17 / 26 - 0.4, 10);
  });

  it('has a twelve-month trend with zeros for months nobody reported', async () => {
    const zero = { newReceived: 0, resultsTotal: 0, disclosed: 0, disclosureRate: { numerator: 0, denominator: 0, value: null }, adminReviews: 0, lawsuits: 0, reportingUnits: 0 };
    const { trend } = await dashboardOf();
    expect(trend.map((p: { period: { label: string } }) => p.period.label)).toEqual(Array.from({ length: 12 }, (_, i) => `2025年${i + 1}月`));
    const points = trend.map(({ period, ...rest }: { period: unknown }) => rest);
    expect(points[0]).toEqual({ newReceived: 6, resultsTotal: 6, disclosed: 5, disclosureRate: { numerator: 5, denominator: 6, value: expect.closeTo(5 / 6, 10) }, adminReviews: 1, lawsuits: 0, reportingUnits: 2 });
    expect(points[1]).toEqual(zero);
    expect(points[2]).toEqual({ newReceived: 6, resultsTotal: 6, disclosed: 3, disclosureRate: { numerator: 3, denominator: 6, value: 0.5 }, adminReviews: 0, lawsuits: 1, reportingUnits: 1 });
    expect(points[3]).toEqual(zero);
    expect(points[4]).toEqual(zero);
    expect(points[5]).toEqual({ newReceived: 10, resultsTotal: 10, disclosed: 5, disclosureRate: { numerator: 5, denominator: 10, value: 0.5 }, adminReviews: 2, lawsuits: 1, reportingUnits: 1 });
    expect(points[6]).toEqual({ newReceived: 1, resultsTotal: 4, disclosed: 4, disclosureRate: { numerator: 4, denominator: 4, value: 1 }, adminReviews: 0, lawsuits: 0, reportingUnits: 1 });
    for (const i of [7, 8, 9, 10]) expect(points[i]).toEqual(zero);
    expect(points[11]).toEqual({ ...zero, newReceived: 8, reportingUnits: 1 });
  });

  it('breaks the figures down by child, each with its whole subtree', async () => {
    const { children } = await dashboardOf();
    expect(codes(children)).toEqual(['441802', '441803', '441821', '441823']);
    const [qingcheng, qingxin, fogang, yangshan] = children;
    expect(qingcheng.figures.applications).toEqual({ newReceived: { total: 12 }, resultsTotal: { total: 12 } });
    expect(qingcheng.rates.disclosureRate).toMatchObject({ numerator: 8, denominator: 12 });
    expect(qingcheng.metricValue).toBeCloseTo(8 / 12, 10);
    expect(qingxin.figures.applications).toEqual({ newReceived: { total: 11 }, resultsTotal: { total: 14 } });
    expect(qingxin.metricValue).toBeCloseTo(9 / 14, 10);
    expect(fogang).toMatchObject({ metricValue: null, rates: { disclosureRate: { numerator: 0, denominator: 0, value: null } } });
    expect(fogang.figures.applications.newReceived.total).toBe(8);
    expect(yangshan).toMatchObject({ metricValue: null, figures: { applications: { newReceived: { total: 0 } } } });
  });

  it('orders top and bottom by rankBy, leaving out children without a rate', async () => {
    const d = await dashboardOf();
    expect(codes(d.top)).toEqual(['441802', '441803']);
    expect(codes(d.bottom)).toEqual(['441803', '441802']);
    const counted = await dashboardOf({ rankBy: 'NEW_RECEIVED' });
    expect(counted.rankBy).toBe('NEW_RECEIVED');
    expect(counted.top.slice(0, 3)).toEqual([
      { unit: { code: '441802' }, metricValue: 12 },
      { unit: { code: '441803' }, metricValue: 11 },
      { unit: { code: '441821' }, metricValue: 8 },
    ]);
    expect(codes(counted.bottom).filter((c) => c !== '441823')).toEqual(['441821', '441803', '441802']);
  });

  it('leaves a child below minDenominator out of top and bottom', async () => {
    const d = await dashboardOf({ minDenominator: 13 }); // 清城区 decided 12
    expect(codes(d.top)).toEqual(['441803']);
    expect(codes(d.bottom)).toEqual(['441803']);
  });

  it('summarises the completeness of the year’s monthly reports', async () => {
    // 8 units x 12 months; the 6 monthly reports of 2025 were all submitted after their deadlines (today)
    expect((await dashboardOf()).completeness).toEqual({ units: 8, expected: 96, onTime: 0, late: 6, missing: 90, notYetDue: 0, unitsOnTime: 0, unitsLate: 0, unitsMissing: 8 });
  });

  it('counts the warnings of the year’s reports by identity', async () => {
    expect((await dashboardOf()).warnings).toEqual({ reportsWithWarnings: 1, byIdentity: [{ identity: 'X_CARRY_CONTINUITY', count: 1 }] });
    expect((await dashboardOf({ year: 2024 })).warnings).toEqual({ reportsWithWarnings: 0, byIdentity: [] });
  });

  it('covers only the subtree of the unit asked about', async () => {
    const d = dataOf(await hub.gql(DASHBOARD, { unitCode: '441803', year: 2025 })).dashboard;
    expect(d.current.figures.applications.newReceived.total).toBe(11);
    expect(d.previous.figures.applications.newReceived.total).toBe(15);
    expect(codes(d.children)).toEqual(['441803102']);
    expect(d.warnings.reportsWithWarnings).toBe(1);
    expect(d.completeness).toMatchObject({ units: 2, expected: 24, late: 2, missing: 22 });
  });
});
