import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accepted } from '../reports/report-helpers.js';
import { createUnits, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { chinaNow, completeness, insertTimedReport, statuses, type CompletenessEntry } from './completeness-helpers.js';

let hub: TestHub;
const MARCH = { year: 2025, month: 3 };
const balanced = { applications: { newReceived: { naturalPerson: 1 }, granted: { naturalPerson: 1 } } };

/** March 2025 is due by the end of 10 April 2025, China time (the default deadline). */
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  await insertTimedReport(hub, '441800', MARCH, ['2025-04-10T23:59:00+08:00']);
  await insertTimedReport(hub, '441802', MARCH, ['2025-04-11T00:01:00+08:00']);
  // first came in on 5 April, corrected on 1 June: the first revision counts
  await insertTimedReport(hub, '441803', MARCH, ['2025-04-05T09:00:00+08:00', '2025-06-01T10:00:00+08:00']);
  await insertTimedReport(hub, '441803104', MARCH, ['2025-04-01T08:00:00+08:00']);
  await accepted(hub, '441802001', MARCH, balanced); // submitted today, long after the deadline
  await accepted(hub, '441803102', MARCH, balanced, 'AGGREGATE'); // an area-wide report is not the unit's own
  // 441802100 and D441802001 sent nothing

  // annual reports for 2024, due by the end of 31 January 2025
  await insertTimedReport(hub, '441802100', { year: 2024 }, ['2025-01-31T23:59:00+08:00']);
  await insertTimedReport(hub, 'D441802001', { year: 2024 }, ['2025-02-01T00:01:00+08:00']);
  await insertTimedReport(hub, '441802', { year: 2024, month: 12 }, ['2025-01-05T10:00:00+08:00']); // a month is not an annual report
});
afterAll(() => hub.close());

describe('monthly reports against the default deadline (the 10th of the next month, China time)', () => {
  it('counts a report first submitted on the 10th at 23:59 as on time and on the 11th at 00:01 as late', async () => {
    const s = statuses((await completeness(hub, '441800', MARCH)).entries);
    expect(s['441800']).toBe('ON_TIME');
    expect(s['441802']).toBe('LATE');
  });

  it('counts a report by its first revision: a later correction does not make it late', async () => {
    const c = await completeness(hub, '441800', MARCH);
    const entry = c.entries.find((e: CompletenessEntry) => e.unit.code === '441803');
    expect(entry).toMatchObject({ status: 'ON_TIME', expected: 1, onTime: 1, late: 0, missing: 0 });
    expect(new Date(entry.lastSubmittedAt).toISOString()).toBe('2025-04-05T01:00:00.000Z');
  });

  it('counts a unit with nothing, or with only an area-wide report, as missing', async () => {
    const s = statuses((await completeness(hub, '441800', MARCH)).entries);
    expect(s).toEqual({
      '441800': 'ON_TIME',
      '441802': 'LATE',
      '441803': 'ON_TIME',
      '441802001': 'LATE',
      '441802100': 'MISSING',
      '441803102': 'MISSING',
      '441803104': 'ON_TIME',
      D441802001: 'MISSING',
    });
  });

  it('counts reports and units by status', async () => {
    const c = await completeness(hub, '441800', MARCH);
    expect(c).toMatchObject({ period: { label: '2025年3月' }, reportKind: 'MONTHLY' });
    expect(c).toMatchObject({ units: 8, expected: 8, onTime: 3, late: 2, missing: 3, notYetDue: 0, unitsOnTime: 3, unitsLate: 2, unitsMissing: 3 });
  });

  it('lists only the units of the asked statuses, missing first', async () => {
    const c = await completeness(hub, '441800', MARCH, 'MONTHLY', ['MISSING', 'LATE']);
    expect(c.entries.map((e: CompletenessEntry) => [e.unit.code, e.status])).toEqual([
      ['441802100', 'MISSING'],
      ['441803102', 'MISSING'],
      ['D441802001', 'MISSING'],
      ['441802', 'LATE'],
      ['441802001', 'LATE'],
    ]);
    const missing = await completeness(hub, '441800', MARCH, 'MONTHLY', ['MISSING']);
    expect(missing.entries.map((e: CompletenessEntry) => e.unit.code)).toEqual(['441802100', '441803102', 'D441802001']);
    expect(missing.entries[0]).toMatchObject({ expected: 1, missing: 1, lastSubmittedAt: null });
  });

  it('covers only the subtree of the unit asked about', async () => {
    const c = await completeness(hub, '441803', MARCH);
    expect(c).toMatchObject({ units: 3, expected: 3, onTime: 2, late: 0, missing: 1, unitsOnTime: 2, unitsMissing: 1 });
  });

  it('expects a report for every month of a quarter', async () => {
    // 清新区's three units: nothing for January and February, March as above
    const c = await completeness(hub, '441803', { year: 2025, quarter: 1 });
    expect(c).toMatchObject({ units: 3, expected: 9, onTime: 2, late: 0, missing: 7, notYetDue: 0, unitsOnTime: 0, unitsLate: 0, unitsMissing: 3 });
    const entry = c.entries.find((e: CompletenessEntry) => e.unit.code === '441803');
    expect(entry).toMatchObject({ status: 'MISSING', expected: 3, onTime: 1, missing: 2 });
  });
});

describe('annual reports (ANNUAL) against the default deadline of 31 January', () => {
  it('counts the 31st at 23:59 as on time, 1 February at 00:01 as late, and a December report as no annual report', async () => {
    const c = await completeness(hub, '441802', { year: 2024 }, 'ANNUAL');
    expect(c.reportKind).toBe('ANNUAL');
    expect(statuses(c.entries)).toEqual({ '441802100': 'ON_TIME', D441802001: 'LATE', '441802': 'MISSING', '441802001': 'MISSING' });
    expect(c).toMatchObject({ units: 4, expected: 4, onTime: 1, late: 1, missing: 2, notYetDue: 0, unitsOnTime: 1, unitsLate: 1, unitsMissing: 2 });
  });

  it('shows the default deadlines when no rule was set', async () => {
    const { deadlines } = dataOf(await hub.gql(`{ deadlines(unitCode: "441802100") { monthlyDay annualMonth annualDay setBy } }`));
    expect(deadlines).toEqual({ monthlyDay: 10, annualMonth: 1, annualDay: 31, setBy: null });
  });
});

describe('a period whose deadline has not passed', () => {
  const now = chinaNow();

  it('counts the current month as not yet due, not missing', async () => {
    const c = await completeness(hub, '441803', { year: now.year, month: now.month });
    expect(c).toMatchObject({ units: 3, expected: 3, onTime: 0, late: 0, missing: 0, notYetDue: 3, unitsOnTime: 0, unitsLate: 0, unitsMissing: 0 });
    expect(Object.values(statuses(c.entries))).toEqual(['NOT_DUE', 'NOT_DUE', 'NOT_DUE']);
  });

  it('counts the current year’s annual reports as not yet due (31 January of next year)', async () => {
    const c = await completeness(hub, '441800', { year: now.year }, 'ANNUAL');
    expect(c).toMatchObject({ units: 8, expected: 8, missing: 0, notYetDue: 8 });
  });

  it('counts the previous month as not yet due until the 10th, missing after', async () => {
    const previous = now.month === 1 ? { year: now.year - 1, month: 12 } : { year: now.year, month: now.month - 1 };
    const c = await completeness(hub, '441803', previous);
    const dueYet = now.day > 10; // due by the end of the 10th of this month
    expect(c).toMatchObject(dueYet ? { missing: 3, notYetDue: 0, unitsMissing: 3 } : { missing: 0, notYetDue: 3, unitsMissing: 0 });
  });
});
