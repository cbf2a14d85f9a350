import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accepted } from '../reports/report-helpers.js';
import { createUnits, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { cases, COLUMNS, counts, flows, rollupOf } from './rollup-helpers.js';

let hub: TestHub;

/**
 * 2024, month by month ([carriedOver, newReceived, carriedForward] for 自然人 and 商业企业; the rest is granted):
 * - 源潭镇 441802100: January, February, March and December (April to November missing in the middle);
 * - 太和镇 441803102: February and March only (missing at both ends);
 * - 太平镇 441803104: January and March (February missing), and an annual report that stands for its 2024.
 */
const months: [string, number, Parameters<typeof flows>[0]][] = [
  ['441802100', 1, { np: [2, 10, 3], ce: [0, 4, 1], issued: 1, inForce: 11, pending: 1, upheld: 1, fee: '1.1' }],
  ['441802100', 2, { np: [3, 7, 5], ce: [1, 2, 0], issued: 0, inForce: 11, pending: 2, upheld: 0, fee: '2.2' }],
  ['441802100', 3, { np: [5, 6, 4], ce: [0, 3, 2], issued: 2, inForce: 13, pending: 0, upheld: 3, fee: '3.3' }],
  ['441802100', 12, { np: [4, 1, 3], ce: [2, 0, 2], issued: 0, inForce: 13, pending: 4, upheld: 0, fee: '0.4' }],
  ['441803102', 2, { np: [4, 5, 6], ce: [2, 1, 1], inForce: 7, pending: 3, fee: '0.25' }],
  ['441803102', 3, { np: [6, 2, 1], ce: [1, 0, 0], issued: 1, inForce: 8, pending: 1, fee: '0.75' }],
  ['441803104', 1, { np: [1, 3, 2], inForce: 4, pending: 2 }],
  ['441803104', 3, { np: [2, 1, 0], ce: [0, 2, 1], issued: 2, inForce: 6, pending: 5 }],
];

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  for (const [code, month, spec] of months) await accepted(hub, code, { year: 2024, month }, flows(spec));
  await accepted(hub, '441803104', { year: 2024 }, flows({ np: [1, 20, 3], ce: [0, 5, 0], issued: 4, inForce: 9, pending: 0, upheld: 2, fee: '5' }));
});
afterAll(() => hub.close());

function expectBalanced(applications: Record<string, Record<string, number>>): void {
  for (const c of COLUMNS) {
    expect({ column: c, balance: applications.newReceived[c] + applications.carriedOver[c] }).toEqual({
      column: c,
      balance: applications.resultsTotal[c] + applications.carriedForward[c],
    });
  }
}

describe('a quarter', () => {
  const Q1 = { year: 2024, quarter: 1 };

  it('adds up flows and takes opening balances from the first month and closing balances from the last', async () => {
    const r = await rollupOf(hub, '441800', Q1);
    expect(r.period).toEqual({ kind: 'QUARTER', label: '2024年第1季度' });
    const a = r.figures.applications;
    expect(a.newReceived).toEqual(counts({ naturalPerson: 34, commercialEnterprise: 12 }, 46));
    expect(a.carriedOver).toEqual(counts({ naturalPerson: 7, commercialEnterprise: 2 }, 9));
    expect(a.resultsTotal).toEqual(counts({ naturalPerson: 36, commercialEnterprise: 11 }, 47));
    expect(a.granted).toEqual(counts({ naturalPerson: 36, commercialEnterprise: 11 }, 47));
    expect(a.carriedForward).toEqual(counts({ naturalPerson: 5, commercialEnterprise: 3 }, 8));
    expect(r.figures.proactive.normativeDocuments).toEqual({ issued: 6, repealed: 0, inForce: 27 });
    expect(r.figures.proactive.administrativeFees).toBe('7.6');
    expect(r.figures.reviewLitigation.adminReview).toEqual(cases(4, 0, 0, 6, 10));
    expect(r.sources).toEqual({ unitsInSubtree: 8, annualReportUnits: 0, monthlyReportUnits: 3, unitMonths: 7, unitsWithoutFigures: 5, aggregateReportsExcluded: 0 });
  });

  it('keeps newReceived + carriedOver = resultsTotal + carriedForward in every column', async () => {
    expectBalanced((await rollupOf(hub, '441800', Q1)).figures.applications);
    expectBalanced((await rollupOf(hub, '441803', Q1)).figures.applications);
  });

  it('takes a unit’s own first available month when the quarter’s first month is missing', async () => {
    const r = await rollupOf(hub, '441803102', Q1);
    expect(r.figures.applications.carriedOver).toEqual(counts({ naturalPerson: 4, commercialEnterprise: 2 }, 6));
    expect(r.figures.applications.newReceived).toEqual(counts({ naturalPerson: 7, commercialEnterprise: 1 }, 8));
    expect(r.figures.applications.carriedForward).toEqual(counts({ naturalPerson: 1 }, 1));
    expect(r.figures.reviewLitigation.adminReview.pending).toBe(1);
    expect(r.figures.proactive.normativeDocuments.inForce).toBe(8);
    expect(r.sources).toMatchObject({ monthlyReportUnits: 1, unitMonths: 2 });
  });

  it('skips a missing middle month: opening from January, closing from March', async () => {
    const r = await rollupOf(hub, '441803104', Q1);
    expect(r.figures.applications.carriedOver).toEqual(counts({ naturalPerson: 1 }, 1));
    expect(r.figures.applications.newReceived).toEqual(counts({ naturalPerson: 4, commercialEnterprise: 2 }, 6));
    expect(r.figures.applications.carriedForward).toEqual(counts({ commercialEnterprise: 1 }, 1));
    expect(r.figures.reviewLitigation.adminReview).toEqual(cases(0, 0, 0, 5, 5));
    expect(r.figures.proactive.normativeDocuments).toEqual({ issued: 2, repealed: 0, inForce: 6 });
    // the annual report is for a whole year only, never for a quarter
    expect(r.sources).toMatchObject({ annualReportUnits: 0, monthlyReportUnits: 1, unitMonths: 2 });
  });

  it('takes a unit’s only month of a quarter as both its first and its last', async () => {
    const r = await rollupOf(hub, '441802', { year: 2024, quarter: 4 });
    expect(r.figures.applications.carriedOver).toEqual(counts({ naturalPerson: 4, commercialEnterprise: 2 }, 6));
    expect(r.figures.applications.carriedForward).toEqual(counts({ naturalPerson: 3, commercialEnterprise: 2 }, 5));
    expect(r.figures.reviewLitigation.adminReview.pending).toBe(4);
    expect(r.sources).toMatchObject({ monthlyReportUnits: 1, unitMonths: 1, unitsWithoutFigures: 3 });
  });

  it('is all zeros for a quarter nobody reported', async () => {
    const r = await rollupOf(hub, '441800', { year: 2024, quarter: 2 });
    expect(r.figures.applications.carriedOver).toEqual(counts({}, 0));
    expect(r.figures.proactive.normativeDocuments).toEqual({ issued: 0, repealed: 0, inForce: 0 });
    expect(r.sources).toMatchObject({ monthlyReportUnits: 0, unitMonths: 0, unitsWithoutFigures: 8 });
  });
});

describe('a year', () => {
  const YEAR = { year: 2024 };

  it('uses a unit’s annual report instead of its months, and the months of the others', async () => {
    const r = await rollupOf(hub, '441800', YEAR);
    expect(r.period).toEqual({ kind: 'YEAR', label: '2024年' });
    const a = r.figures.applications;
    expect(a.newReceived).toEqual(counts({ naturalPerson: 51, commercialEnterprise: 15 }, 66));
    expect(a.carriedOver).toEqual(counts({ naturalPerson: 7, commercialEnterprise: 2 }, 9));
    expect(a.resultsTotal).toEqual(counts({ naturalPerson: 51, commercialEnterprise: 15 }, 66));
    expect(a.carriedForward).toEqual(counts({ naturalPerson: 7, commercialEnterprise: 2 }, 9));
    expect(r.figures.proactive.normativeDocuments).toEqual({ issued: 8, repealed: 0, inForce: 30 });
    expect(r.figures.proactive.administrativeFees).toBe('13');
    expect(r.figures.reviewLitigation.adminReview).toEqual(cases(6, 0, 0, 5, 11));
  });

  it('says how many units came from annual and from monthly reports, and how many unit-months', async () => {
    const r = await rollupOf(hub, '441800', YEAR);
    expect(r.sources).toEqual({ unitsInSubtree: 8, annualReportUnits: 1, monthlyReportUnits: 2, unitMonths: 6, unitsWithoutFigures: 5, aggregateReportsExcluded: 0 });
  });

  it('keeps newReceived + carriedOver = resultsTotal + carriedForward in every column', async () => {
    expectBalanced((await rollupOf(hub, '441800', YEAR)).figures.applications);
    expectBalanced((await rollupOf(hub, '441802', YEAR)).figures.applications);
  });

  it('closes a unit’s year with its last available month when its last months are missing', async () => {
    const r = await rollupOf(hub, '441803102', YEAR);
    expect(r.figures.applications.carriedOver).toEqual(counts({ naturalPerson: 4, commercialEnterprise: 2 }, 6));
    expect(r.figures.applications.carriedForward).toEqual(counts({ naturalPerson: 1 }, 1));
    expect(r.figures.proactive.normativeDocuments.inForce).toBe(8);
  });

  it('takes December as the close of a year whose middle months are missing', async () => {
    const r = await rollupOf(hub, '441802100', YEAR);
    expect(r.figures.applications.newReceived).toEqual(counts({ naturalPerson: 24, commercialEnterprise: 9 }, 33));
    expect(r.figures.applications.carriedOver).toEqual(counts({ naturalPerson: 2 }, 2));
    expect(r.figures.applications.carriedForward).toEqual(counts({ naturalPerson: 3, commercialEnterprise: 2 }, 5));
    expect(r.figures.reviewLitigation.adminReview).toEqual(cases(4, 0, 0, 4, 8));
    expect(r.figures.proactive.administrativeFees).toBe('7');
    expect(r.sources).toMatchObject({ monthlyReportUnits: 1, unitMonths: 4 });
  });

  it('is the annual report itself for a unit that has one', async () => {
    const r = await rollupOf(hub, '441803104', YEAR);
    expect(r.figures.applications.newReceived).toEqual(counts({ naturalPerson: 20, commercialEnterprise: 5 }, 25));
    expect(r.figures.applications.carriedForward).toEqual(counts({ naturalPerson: 3 }, 3));
    expect(r.sources).toMatchObject({ annualReportUnits: 1, monthlyReportUnits: 0, unitMonths: 0 });
  });
});
