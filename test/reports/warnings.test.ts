import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { accepted, readReport, storedRevisions, type Period } from './report-helpers.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

interface Spec {
  /** 自然人 carried over from the previous period and carried forward to the next. */
  over?: number;
  forward?: number;
  /** 行政规范性文件 issued, repealed and in force at the end of the period. */
  docs?: [number, number, number];
}
/** Figures that obey every error identity: 10 new applications, the 自然人 column balanced by 予以公开. */
function figures({ over = 0, forward = 0, docs = [0, 0, 30] }: Spec): Record<string, any> {
  return {
    proactive: { rules: { issued: 0, repealed: 0, inForce: 10 }, normativeDocuments: { issued: docs[0], repealed: docs[1], inForce: docs[2] } },
    applications: {
      newReceived: { naturalPerson: 10 },
      carriedOver: { naturalPerson: over },
      granted: { naturalPerson: 10 + over - forward },
      carriedForward: { naturalPerson: forward },
    },
  };
}
const warningsOf = async (unit: string, period: Period, spec: Spec) => (await accepted(hub, unit, period, figures(spec))).warnings;
const carry = (expected: number, actual: number) => ({ identity: 'X_CARRY_CONTINUITY', path: 'applications.carriedOver.naturalPerson', expected, actual });

describe('X_CARRY_CONTINUITY: a period carries over what the previous one carried forward', () => {
  const UNIT = '441802';

  it('has nothing to compare for a unit’s first report', async () => {
    expect(await warningsOf(UNIT, { year: 2024, month: 1 }, { forward: 2 })).toEqual([]);
  });

  it('saves a month that carries over something else, with a warning', async () => {
    const period = { year: 2024, month: 2 };
    const payload = await accepted(hub, UNIT, period, figures({ over: 5, forward: 3 }));
    expect(payload.report.revision).toBe(1);
    expect(payload.warnings).toEqual([carry(2, 5)]);
  });

  it('returns the warning with the report, in the form’s words', async () => {
    const report = await readReport(hub, UNIT, { year: 2024, month: 2 });
    expect(report.figures.applications.carriedOver.naturalPerson).toBe(5);
    expect(report.warnings).toEqual([
      { ...carry(2, 5), label: '二、上年结转政府信息公开申请数量 / 自然人', message: expect.stringContaining('2024年1月') },
    ]);
  });

  it('stores the warning in the revision row', async () => {
    const [row] = await storedRevisions(hub, UNIT, { year: 2024, month: 2 });
    expect(row.warnings).toEqual([expect.objectContaining(carry(2, 5))]);
  });

  it('gives no warning to a month that continues the previous one', async () => {
    const period = { year: 2024, month: 3 };
    expect(await warningsOf(UNIT, period, { over: 3, forward: 0, docs: [2, 1, 31] })).toEqual([]);
    expect((await readReport(hub, UNIT, period)).warnings).toEqual([]);
    const [row] = await storedRevisions(hub, UNIT, period);
    expect(row.warnings).toEqual([]);
  });

  it('checks December against January of the next year', async () => {
    const unit = '441802001';
    await accepted(hub, unit, { year: 2023, month: 12 }, figures({ forward: 4 }));
    expect(await warningsOf(unit, { year: 2024, month: 1 }, { over: 1 })).toEqual([carry(4, 1)]);
    const report = await readReport(hub, unit, { year: 2024, month: 1 });
    expect(report.warnings[0].message).toContain('上期（2023年12月）');
  });
});

describe('X_IN_FORCE_CONTINUITY: in force = previous in force + issued − repealed', () => {
  const UNIT = '441803';

  it('warns when the stock of normative documents does not follow, and saves the report anyway', async () => {
    await accepted(hub, UNIT, { year: 2024, month: 1 }, figures({ docs: [0, 0, 30] }));
    const payload = await accepted(hub, UNIT, { year: 2024, month: 2 }, figures({ docs: [2, 1, 40] }));
    const warning = { identity: 'X_IN_FORCE_CONTINUITY', path: 'proactive.normativeDocuments.inForce', expected: 31, actual: 40 };
    expect(payload.warnings).toEqual([warning]);
    const report = await readReport(hub, UNIT, { year: 2024, month: 2 });
    expect(report.figures.proactive.normativeDocuments).toEqual({ issued: 2, repealed: 1, inForce: 40 });
    expect(report.warnings).toEqual([{ ...warning, label: '二、第二十条第（一）项 行政规范性文件 / 现行有效件数', message: expect.any(String) }]);
  });

  it('accepts a stock that follows without a warning', async () => {
    expect(await warningsOf(UNIT, { year: 2024, month: 3 }, { docs: [5, 2, 43] })).toEqual([]);
  });
});

describe('annual reports', () => {
  const UNIT = '441802100';

  it('are compared with the previous year’s annual report, not with its December', async () => {
    await accepted(hub, UNIT, { year: 2022 }, figures({ forward: 5 }));
    await accepted(hub, UNIT, { year: 2023, month: 12 }, figures({ forward: 9 }));
    expect(await warningsOf(UNIT, { year: 2023 }, { over: 5, forward: 6, docs: [2, 1, 31] })).toEqual([]);
    expect(await warningsOf(UNIT, { year: 2024 }, { over: 9, docs: [0, 0, 31] })).toEqual([carry(6, 9)]);
    const report = await readReport(hub, UNIT, { year: 2024 });
    expect(report.warnings[0].message).toContain('上期（2023年）');
  });

  it('are not compared with anything when the previous year has no annual report', async () => {
    expect(await warningsOf('441803104', { year: 2024 }, { over: 3, docs: [1, 0, 7] })).toEqual([]);
  });
});
