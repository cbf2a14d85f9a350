import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type GraphQLResponse, type TestHub } from '../support/test-hub.js';
import { completeness, insertTimedReport, statuses } from './completeness-helpers.js';

let hub: TestHub;
const MAY = { year: 2025, month: 5 };

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  // May 2025 reports: 太和镇 (清新区) and 源潭镇 (清城区) on 15 June, 凤城街道 (清城区) on 8 June
  await insertTimedReport(hub, '441803102', MAY, ['2025-06-15T12:00:00+08:00']);
  await insertTimedReport(hub, '441802100', MAY, ['2025-06-15T12:00:00+08:00']);
  await insertTimedReport(hub, '441802001', MAY, ['2025-06-08T12:00:00+08:00']);
  // 2024 annual reports, both on 20 February 2025
  await insertTimedReport(hub, '441803104', { year: 2024 }, ['2025-02-20T10:00:00+08:00']);
  await insertTimedReport(hub, '441802100', { year: 2024 }, ['2025-02-20T10:00:00+08:00']);
});
afterAll(() => hub.close());

const SET = `mutation($input: SetDeadlinesInput!) { setDeadlines(input: $input) { monthlyDay annualMonth annualDay setBy } }`;
const setDeadlines = (unitCode: string, monthlyDay: number, annualMonth: number, annualDay: number): Promise<GraphQLResponse> =>
  hub.gql(SET, { input: { unitCode, monthlyDay, annualMonth, annualDay } });
const deadlinesOf = async (unitCode: string) =>
  dataOf(await hub.gql(`query($c: String!) { deadlines(unitCode: $c) { monthlyDay annualMonth annualDay setBy } }`, { c: unitCode })).deadlines;
const mayStatuses = async () => statuses((await completeness(hub, '441800', MAY)).entries);

describe('deadlines per region', () => {
  it('start from the defaults everywhere', async () => {
    const s = await mayStatuses();
    expect([s['441803102'], s['441802100'], s['441802001']]).toEqual(['LATE', 'LATE', 'ON_TIME']);
    expect(await deadlinesOf('441803102')).toEqual({ monthlyDay: 10, annualMonth: 1, annualDay: 31, setBy: null });
  });

  it('set on a county apply to its subtree only', async () => {
    expect(dataOf(await setDeadlines('441803', 20, 2, 28)).setDeadlines).toEqual({ monthlyDay: 20, annualMonth: 2, annualDay: 28, setBy: '441803' });
    const s = await mayStatuses();
    expect(s['441803102']).toBe('ON_TIME'); // 15 June, due by the 20th now
    expect(s['441802100']).toBe('LATE'); // 清城区 keeps the 10th
    expect(await deadlinesOf('441803102')).toEqual({ monthlyDay: 20, annualMonth: 2, annualDay: 28, setBy: '441803' });
    expect(await deadlinesOf('441803')).toMatchObject({ monthlyDay: 20, setBy: '441803' });
    expect(await deadlinesOf('441802100')).toMatchObject({ monthlyDay: 10, setBy: null });
    expect(await deadlinesOf('441800')).toMatchObject({ monthlyDay: 10, setBy: null });
  });

  it('let the nearest rule win over one set higher up', async () => {
    expect(dataOf(await setDeadlines('441800', 5, 1, 31)).setDeadlines.setBy).toBe('441800');
    const s = await mayStatuses();
    expect(s['441802001']).toBe('LATE'); // 8 June is after the city's 5th
    expect(s['441803102']).toBe('ON_TIME'); // 清新区's own 20th still applies below it
    expect(await deadlinesOf('441802001')).toEqual({ monthlyDay: 5, annualMonth: 1, annualDay: 31, setBy: '441800' });
    expect(await deadlinesOf('441803104')).toEqual({ monthlyDay: 20, annualMonth: 2, annualDay: 28, setBy: '441803' });
  });

  it('apply to annual reports with their own month and day', async () => {
    const c = await completeness(hub, '441800', { year: 2024 }, 'ANNUAL');
    const s = statuses(c.entries);
    expect(s['441803104']).toBe('ON_TIME'); // 20 February, 清新区 allows until 28 February
    expect(s['441802100']).toBe('LATE'); // the city's rule: 31 January
    expect(c).toMatchObject({ units: 8, onTime: 1, late: 1, missing: 6 });
  });

  it('replace the rule a unit had before', async () => {
    expect(dataOf(await setDeadlines('441803', 12, 3, 31)).setDeadlines).toEqual({ monthlyDay: 12, annualMonth: 3, annualDay: 31, setBy: '441803' });
    expect(await deadlinesOf('441803102')).toEqual({ monthlyDay: 12, annualMonth: 3, annualDay: 31, setBy: '441803' });
    expect((await mayStatuses())['441803102']).toBe('LATE'); // 15 June is after the 12th
  });
});

describe('invalid deadlines', () => {
  it.each([
    ['a monthly day of 29', 29, 1, 31],
    ['a monthly day of 0', 0, 1, 31],
    ['30 February', 10, 2, 30],
    ['31 April', 10, 4, 31],
    ['a month 13', 10, 13, 1],
  ])('refuses %s and keeps the rule in force', async (_, monthlyDay, annualMonth, annualDay) => {
    const res = await setDeadlines('441803', monthlyDay, annualMonth, annualDay);
    expect(res.data?.setDeadlines ?? null).toBeNull();
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await deadlinesOf('441803')).toEqual({ monthlyDay: 12, annualMonth: 3, annualDay: 31, setBy: '441803' });
  });

  it('refuses a unit nobody has', async () => {
    const res = await setDeadlines('449999', 10, 1, 31);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', unitCode: '449999' });
  });
});
