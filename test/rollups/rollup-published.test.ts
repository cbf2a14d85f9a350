import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accepted } from '../reports/report-helpers.js';
import { createUnits, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { counts, rollupOf } from './rollup-helpers.js';

let hub: TestHub;
const JUNE = { year: 2025, month: 6 };
const JULY = { year: 2025, month: 7 };

const granted = (n: number) => ({ applications: { newReceived: { naturalPerson: n }, granted: { naturalPerson: n } } });

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  // June 2025: two towns report their own figures; the city and 清城区 publish area-wide reports that disagree
  await accepted(hub, '441802100', JUNE, { proactive: { administrativeLicensing: 4, administrativeFees: '1.5' }, ...granted(3) });
  await accepted(hub, '441803102', JUNE, { applications: { newReceived: { naturalPerson: 2 }, granted: { naturalPerson: 1 }, partiallyGranted: { naturalPerson: 1 } } });
  await accepted(
    hub,
    '441800',
    JUNE,
    { proactive: { administrativeLicensing: 4, administrativeFees: '1.4999' }, applications: { newReceived: { naturalPerson: 6 }, granted: { naturalPerson: 5 }, partiallyGranted: { naturalPerson: 1 } } },
    'AGGREGATE',
  );
  await accepted(hub, '441802', JUNE, granted(100), 'AGGREGATE');
  // July 2025: the city's published report agrees with what its town submitted
  await accepted(hub, '441802100', JULY, { proactive: { administrativeFees: '0.0001' }, ...granted(1) });
  await accepted(hub, '441800', JULY, { proactive: { administrativeFees: '0.0001' }, ...granted(1) }, 'AGGREGATE');
  // 2024: a town's May, and area-wide reports of the city (annual), 清城区 (annual) and 清新区 (May)
  await accepted(hub, '441803102', { year: 2024, month: 5 }, granted(4));
  await accepted(hub, '441800', { year: 2024 }, granted(10), 'AGGREGATE');
  await accepted(hub, '441802', { year: 2024 }, granted(70), 'AGGREGATE');
  await accepted(hub, '441803', { year: 2024, month: 5 }, granted(50), 'AGGREGATE');
});
afterAll(() => hub.close());

describe('a published area-wide (AGGREGATE) report', () => {
  it('of the unit itself is never added to the sum of its units', async () => {
    const r = await rollupOf(hub, '441800', JUNE);
    expect(r.figures.applications.newReceived).toEqual(counts({ naturalPerson: 5 }, 5));
    expect(r.figures.applications.granted).toEqual(counts({ naturalPerson: 4 }, 4));
    expect(r.figures.proactive.administrativeFees).toBe('1.5');
    expect(r.sources).toMatchObject({ monthlyReportUnits: 2, unitMonths: 2 });
  });

  it('is returned beside the sum, with the cells that differ', async () => {
    const { published } = await rollupOf(hub, '441800', JUNE);
    expect(published.matches).toBe(false);
    expect(published.figures.applications.newReceived).toEqual(counts({ naturalPerson: 6 }, 6));
    expect(published.figures.proactive.administrativeFees).toBe('1.4999');
    expect(published.differences).toEqual([
      { path: 'proactive.administrativeFees', label: '二、第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）', published: '1.4999', computed: '1.5', difference: '-0.0001' },
      { path: 'applications.newReceived.naturalPerson', label: '一、本年新收政府信息公开申请数量 / 自然人', published: '6', computed: '5', difference: '1' },
      { path: 'applications.granted.naturalPerson', label: '三、（一）予以公开 / 自然人', published: '5', computed: '4', difference: '1' },
    ]);
  });

  it('of a unit below is left out of the sums and counted as excluded', async () => {
    const r = await rollupOf(hub, '441800', JUNE);
    // 清城区's own AGGREGATE (100 applications) is not in the city's 5
    expect(r.sources.aggregateReportsExcluded).toBe(1);
    const district = await rollupOf(hub, '441802', JUNE);
    expect(district.figures.applications.newReceived).toEqual(counts({ naturalPerson: 3 }, 3));
    expect(district.sources.aggregateReportsExcluded).toBe(0);
    expect(district.published.differences).toEqual([
      { path: 'proactive.administrativeLicensing', label: '二、第二十条第（五）项 行政许可 / 本年处理决定数量', published: '0', computed: '4', difference: '-4' },
      { path: 'proactive.administrativeFees', label: '二、第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）', published: '0', computed: '1.5', difference: '-1.5' },
      { path: 'applications.newReceived.naturalPerson', label: '一、本年新收政府信息公开申请数量 / 自然人', published: '100', computed: '3', difference: '97' },
      { path: 'applications.granted.naturalPerson', label: '三、（一）予以公开 / 自然人', published: '100', computed: '3', difference: '97' },
    ]);
  });

  it('matches when every cell agrees', async () => {
    const r = await rollupOf(hub, '441800', JULY);
    expect(r.published).toMatchObject({ matches: true, differences: [] });
    expect(r.published.figures.proactive.administrativeFees).toBe('0.0001');
    expect(r.figures.proactive.administrativeFees).toBe('0.0001');
  });

  it('compares fees exactly, to the 元, however large they are', async () => {
    // 14 integer digits are allowed (numeric(18,4)); a binary float cannot tell these two apart
    const august = { year: 2025, month: 8 };
    await accepted(hub, '441803104', august, { proactive: { administrativeFees: '10000000000000' } });
    await accepted(hub, '441803', august, { proactive: { administrativeFees: '10000000000000.0001' } }, 'AGGREGATE');
    const r = await rollupOf(hub, '441803', august);
    expect(r.figures.proactive.administrativeFees).toBe('10000000000000');
    expect(r.published.figures.proactive.administrativeFees).toBe('10000000000000.0001');
    expect(r.published.matches).toBe(false);
    expect(r.published.differences).toEqual([
      { path: 'proactive.administrativeFees', label: '二、第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）', published: '10000000000000.0001', computed: '10000000000000', difference: '0.0001' },
    ]);
  });

  it('is absent when the unit published nothing for the period', async () => {
    expect((await rollupOf(hub, '441803', JUNE)).published).toBeNull();
    // the city's 2024 report is annual: no month or quarter of 2024 has a published counterpart
    expect((await rollupOf(hub, '441800', { year: 2024, month: 5 })).published).toBeNull();
  });

  it('of a year is the annual area-wide report, and the sum leaves out every area-wide report below', async () => {
    const r = await rollupOf(hub, '441800', { year: 2024 });
    expect(r.figures.applications.newReceived).toEqual(counts({ naturalPerson: 4 }, 4));
    expect(r.sources).toMatchObject({ annualReportUnits: 0, monthlyReportUnits: 1, unitMonths: 1, aggregateReportsExcluded: 2 });
    expect(r.published.figures.applications.newReceived).toEqual(counts({ naturalPerson: 10 }, 10));
    expect(r.published.differences.map((d: { path: string; difference: string }) => [d.path, d.difference])).toEqual([
      ['applications.newReceived.naturalPerson', '6'],
      ['applications.granted.naturalPerson', '6'],
    ]);
  });

  it('of a month below is counted for the month and its quarter only', async () => {
    expect((await rollupOf(hub, '441800', { year: 2024, month: 5 })).sources.aggregateReportsExcluded).toBe(1);
    expect((await rollupOf(hub, '441800', { year: 2024, quarter: 2 })).sources.aggregateReportsExcluded).toBe(1);
    expect((await rollupOf(hub, '441800', { year: 2024, quarter: 3 })).sources.aggregateReportsExcluded).toBe(0);
  });
});
