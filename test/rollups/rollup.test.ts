import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accepted } from '../reports/report-helpers.js';
import { createUnits, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { cases, counts, rollupOf } from './rollup-helpers.js';

let hub: TestHub;
const MARCH = { year: 2025, month: 3 };

/**
 * 清远市 (441800) → 清城区 (441802: 源潭镇 441802100, 教育局 D441802001, 凤城街道 441802001 without reports)
 *                 → 清新区 (441803: 太和镇 441803102, 太平镇 441803104 without reports).
 * Six units report March 2025, each with its own balanced figures.
 */
const figures: Record<string, Record<string, any>> = {
  '441800': {
    proactive: { rules: { issued: 1, repealed: 0, inForce: 5 }, normativeDocuments: { issued: 2, repealed: 1, inForce: 20 }, administrativeLicensing: 10, administrativePenalty: 4, administrativeCoercion: 1, administrativeFees: '0.0001' },
    applications: {
      newReceived: { naturalPerson: 5, commercialEnterprise: 1 }, carriedOver: { naturalPerson: 2 },
      granted: { naturalPerson: 3, commercialEnterprise: 1 }, partiallyGranted: { naturalPerson: 1 }, deniedStateSecret: { naturalPerson: 1 },
      carriedForward: { naturalPerson: 2 },
    },
    reviewLitigation: { adminReview: { upheld: 1, corrected: 1, pending: 1 }, litigationDirect: { corrected: 1 }, litigationAfterReview: { upheld: 1 } },
  },
  '441802': {
    proactive: { rules: { issued: 0, repealed: 0, inForce: 2 }, normativeDocuments: { issued: 1, repealed: 0, inForce: 8 }, administrativeLicensing: 20, administrativeCoercion: 2, administrativeFees: '96171.6' },
    applications: {
      newReceived: { naturalPerson: 8, legalServiceOrg: 2 }, carriedOver: { naturalPerson: 1, legalServiceOrg: 1 },
      granted: { naturalPerson: 4 }, partiallyGranted: { naturalPerson: 2, legalServiceOrg: 1 }, unableNotHeld: { naturalPerson: 1 },
      notProcessedDuplicate: { legalServiceOrg: 1 }, carriedForward: { naturalPerson: 2, legalServiceOrg: 1 },
    },
    reviewLitigation: { adminReview: { upheld: 2, otherOutcome: 1 }, litigationDirect: { upheld: 1, pending: 2 } },
  },
  '441802100': {
    proactive: { normativeDocuments: { issued: 0, repealed: 0, inForce: 3 }, administrativeLicensing: 7, administrativeFees: '12.3456' },
    applications: { newReceived: { naturalPerson: 4 }, granted: { naturalPerson: 2 }, otherOther: { naturalPerson: 1 }, carriedForward: { naturalPerson: 1 } },
    reviewLitigation: { adminReview: { corrected: 1 } },
  },
  D441802001: {
    proactive: { administrativeLicensing: 3, administrativePenalty: 6, administrativeFees: '0.5' },
    applications: {
      newReceived: { naturalPerson: 1, commercialEnterprise: 3 }, carriedOver: { commercialEnterprise: 1 },
      granted: { commercialEnterprise: 2 }, deniedStateSecret: { commercialEnterprise: 1 }, notProcessedDuplicate: { naturalPerson: 1 },
      carriedForward: { commercialEnterprise: 1 },
    },
    reviewLitigation: { litigationAfterReview: { pending: 1 } },
  },
  '441803': {
    proactive: { rules: { issued: 1, repealed: 1, inForce: 4 }, normativeDocuments: { issued: 3, repealed: 2, inForce: 15 }, administrativeLicensing: 50, administrativePenalty: 5, administrativeFees: '100' },
    applications: {
      newReceived: { naturalPerson: 6, commercialEnterprise: 2 }, carriedOver: { naturalPerson: 3 },
      granted: { naturalPerson: 5, commercialEnterprise: 1 }, partiallyGranted: { commercialEnterprise: 1 }, unableNotHeld: { naturalPerson: 2 },
      carriedForward: { naturalPerson: 2 },
    },
    reviewLitigation: { adminReview: { corrected: 2, pending: 2 } },
  },
  '441803102': {
    proactive: { administrativeLicensing: 1, administrativeFees: '0' },
    applications: { newReceived: { naturalPerson: 2 }, carriedOver: { naturalPerson: 1 }, granted: { naturalPerson: 1 }, deniedStateSecret: { naturalPerson: 1 }, carriedForward: { naturalPerson: 1 } },
  },
};

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  for (const [code, f] of Object.entries(figures)) await accepted(hub, code, MARCH, f);
});
afterAll(() => hub.close());

describe('the rollup of a three-level tree for one month', () => {
  it('sums the proactive figures, fees exactly to the 元', async () => {
    const r = await rollupOf(hub, '441800', MARCH);
    expect(r.unit.code).toBe('441800');
    expect(r.period).toEqual({ kind: 'MONTH', label: '2025年3月' });
    expect(r.figures.proactive).toEqual({
      rules: { issued: 2, repealed: 1, inForce: 11 },
      normativeDocuments: { issued: 6, repealed: 3, inForce: 46 },
      administrativeLicensing: 91,
      administrativePenalty: 15,
      administrativeCoercion: 3,
      administrativeFees: '96284.4457', // 0.0001 + 96171.6 + 12.3456 + 0.5 + 100 + 0
    });
  });

  it('sums every applications row cell by cell, with the derived subtotals and totals', async () => {
    const a = (await rollupOf(hub, '441800', MARCH)).figures.applications;
    expect(a.newReceived).toEqual(counts({ naturalPerson: 26, commercialEnterprise: 6, legalServiceOrg: 2 }, 34));
    expect(a.carriedOver).toEqual(counts({ naturalPerson: 7, commercialEnterprise: 1, legalServiceOrg: 1 }, 9));
    expect(a.granted).toEqual(counts({ naturalPerson: 15, commercialEnterprise: 4 }, 19));
    expect(a.partiallyGranted).toEqual(counts({ naturalPerson: 3, commercialEnterprise: 1, legalServiceOrg: 1 }, 5));
    expect(a.deniedStateSecret).toEqual(counts({ naturalPerson: 2, commercialEnterprise: 1 }, 3));
    expect(a.denied).toEqual(counts({ naturalPerson: 2, commercialEnterprise: 1 }, 3));
    expect(a.unableNotHeld).toEqual(counts({ naturalPerson: 3 }, 3));
    expect(a.unable).toEqual(counts({ naturalPerson: 3 }, 3));
    expect(a.notProcessedDuplicate).toEqual(counts({ naturalPerson: 1, legalServiceOrg: 1 }, 2));
    expect(a.notProcessed).toEqual(counts({ naturalPerson: 1, legalServiceOrg: 1 }, 2));
    expect(a.otherOther).toEqual(counts({ naturalPerson: 1 }, 1));
    expect(a.otherHandling).toEqual(counts({ naturalPerson: 1 }, 1));
    expect(a.resultsTotal).toEqual(counts({ naturalPerson: 25, commercialEnterprise: 6, legalServiceOrg: 2 }, 33));
    expect(a.carriedForward).toEqual(counts({ naturalPerson: 8, commercialEnterprise: 1, legalServiceOrg: 1 }, 10));
  });

  it('sums review and litigation, concluded cases and pending ones', async () => {
    const r = (await rollupOf(hub, '441800', MARCH)).figures.reviewLitigation;
    expect(r.adminReview).toEqual(cases(3, 4, 1, 3, 11));
    expect(r.litigationDirect).toEqual(cases(1, 1, 0, 2, 4));
    expect(r.litigationAfterReview).toEqual(cases(1, 0, 0, 1, 2));
  });

  it('says where the figures came from', async () => {
    const r = await rollupOf(hub, '441800', MARCH);
    expect(r.sources).toEqual({ unitsInSubtree: 8, annualReportUnits: 0, monthlyReportUnits: 6, unitMonths: 6, unitsWithoutFigures: 2, aggregateReportsExcluded: 0 });
    expect(r.published).toBeNull();
  });

  it('sums only its own units for the subtree of a district', async () => {
    const r = await rollupOf(hub, '441802', MARCH);
    const a = r.figures.applications;
    expect(a.newReceived).toEqual(counts({ naturalPerson: 13, commercialEnterprise: 3, legalServiceOrg: 2 }, 18));
    expect(a.carriedOver).toEqual(counts({ naturalPerson: 1, commercialEnterprise: 1, legalServiceOrg: 1 }, 3));
    expect(a.resultsTotal).toEqual(counts({ naturalPerson: 11, commercialEnterprise: 3, legalServiceOrg: 2 }, 16));
    expect(a.carriedForward).toEqual(counts({ naturalPerson: 3, commercialEnterprise: 1, legalServiceOrg: 1 }, 5));
    expect(r.figures.proactive.administrativeFees).toBe('96184.4456');
    expect(r.figures.proactive.administrativeLicensing).toBe(30);
    expect(r.figures.reviewLitigation.adminReview).toEqual(cases(2, 1, 1, 0, 4));
    expect(r.sources).toMatchObject({ unitsInSubtree: 4, monthlyReportUnits: 3, unitMonths: 3, unitsWithoutFigures: 1 });

    const other = await rollupOf(hub, '441803', MARCH);
    expect(other.figures.applications.newReceived).toEqual(counts({ naturalPerson: 8, commercialEnterprise: 2 }, 10));
    expect(other.figures.proactive.administrativeFees).toBe('100');
    expect(other.sources).toMatchObject({ unitsInSubtree: 3, monthlyReportUnits: 2, unitsWithoutFigures: 1 });
  });

  it('answers a town without reports with zeros', async () => {
    const r = await rollupOf(hub, '441803104', MARCH);
    expect(r.figures.applications.newReceived).toEqual(counts({}, 0));
    expect(r.figures.proactive.administrativeFees).toBe('0');
    expect(r.sources).toEqual({ unitsInSubtree: 1, annualReportUnits: 0, monthlyReportUnits: 0, unitMonths: 0, unitsWithoutFigures: 1, aggregateReportsExcluded: 0 });
  });
});

describe('the rates of a rollup', () => {
  it('are computed from the summed figures, with both correction-rate denominators', async () => {
    const { rates } = await rollupOf(hub, '441800', MARCH);
    expect(rates.disclosureRate).toEqual({ numerator: 24, denominator: 33, value: expect.any(Number) });
    expect(rates.disclosureRate.value).toBeCloseTo(24 / 33, 10);
    expect(rates.fullDisclosureRate).toMatchObject({ numerator: 19, denominator: 33 });
    expect(rates.denialRate).toMatchObject({ numerator: 3, denominator: 33 });
    expect(rates.carryForwardRate).toMatchObject({ numerator: 10, denominator: 43 });
    // 行政复议: 4 corrected of 8 concluded (3 upheld + 4 corrected + 1 other), or of all 11 including 3 pending
    expect(rates.reviewCorrectionRate).toEqual({ numerator: 4, denominator: 8, value: 0.5 });
    expect(rates.reviewCorrectionRateOfAll).toMatchObject({ numerator: 4, denominator: 11 });
    expect(rates.reviewCorrectionRateOfAll.value).toBeCloseTo(4 / 11, 10);
    // 行政诉讼: 1 corrected of 3 concluded (direct 1 upheld + 1 corrected, after review 1 upheld), or of all 6
    expect(rates.litigationCorrectionRate).toMatchObject({ numerator: 1, denominator: 3 });
    expect(rates.litigationCorrectionRate.value).toBeCloseTo(1 / 3, 10);
    expect(rates.litigationCorrectionRateOfAll).toMatchObject({ numerator: 1, denominator: 6 });
    expect(rates.disputeRate).toMatchObject({ numerator: 17, denominator: 33 });
  });

  it('have value null and 0 / 0 where the denominator is 0', async () => {
    const { rates } = await rollupOf(hub, '441803', MARCH);
    expect(rates.litigationCorrectionRate).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(rates.litigationCorrectionRateOfAll).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(rates.reviewCorrectionRate).toEqual({ numerator: 2, denominator: 2, value: 1 });
    const empty = await rollupOf(hub, '441803104', MARCH);
    expect(empty.rates.disclosureRate).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(empty.rates.reviewCorrectionRate).toEqual({ numerator: 0, denominator: 0, value: null });
  });

  it('pool numerators and denominators instead of averaging the units’ percentages', async () => {
    const may = { year: 2025, month: 5 };
    // 太和镇: 1 of 1 disclosed (100%), 1 of 1 reviews corrected (100%); 太平镇: 1 of 9 (11.1%), 0 of 3 (0%)
    await accepted(hub, '441803102', may, { applications: { newReceived: { naturalPerson: 1 }, granted: { naturalPerson: 1 } }, reviewLitigation: { adminReview: { corrected: 1 } } });
    await accepted(hub, '441803104', may, {
      applications: { newReceived: { naturalPerson: 9 }, granted: { naturalPerson: 1 }, unableNotHeld: { naturalPerson: 8 } },
      reviewLitigation: { adminReview: { upheld: 3 } },
    });
    const { rates } = await rollupOf(hub, '441803', may);
    // averages of the percentages would be 55.6% and 50%
    expect(rates.disclosureRate).toEqual({ numerator: 2, denominator: 10, value: 0.2 });
    expect(rates.reviewCorrectionRate).toEqual({ numerator: 1, denominator: 4, value: 0.25 });
  });
});
