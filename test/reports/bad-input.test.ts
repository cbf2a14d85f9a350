import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, REPORT, sampleFigures, smallTree } from '../support/fixtures.js';
import { startTestHub, type GraphQLResponse, type TestHub } from '../support/test-hub.js';
import { accepted, errorOf, expectNothingSaved, readReport, submit, violationsOf, type Period } from './report-helpers.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const UNIT = '441803';
/** Today in China (UTC+8), computed here independently of the server. */
const china = new Date(Date.now() + 8 * 3600_000);
const thisYear = china.getUTCFullYear();
const thisMonth = china.getUTCMonth() + 1;

/** Counts every report and revision in the database, to show that a rejection wrote nothing anywhere. */
async function rowCounts(): Promise<{ reports: number; revisions: number }> {
  const [row] = await hub.db.sql<{ reports: string; revisions: string }>(
    `select (select count(*) from report) as reports, (select count(*) from report_revision) as revisions`,
  );
  return { reports: Number(row.reports), revisions: Number(row.revisions) };
}
/** Runs a request that must be refused with `code`; returns its error after checking nothing was stored. */
async function refused(code: string, request: () => Promise<GraphQLResponse>) {
  const before = await rowCounts();
  const res = await request();
  const error = errorOf(res);
  expect(error.extensions.code).toBe(code);
  expect(await rowCounts()).toEqual(before);
  return error;
}
const submitting = (period: Period, figures: unknown = sampleFigures(), unitCode = UNIT) => () => submit(hub, unitCode, period, figures);
const withFee = (fee: unknown) => ({ ...sampleFigures(), proactive: { ...sampleFigures().proactive, administrativeFees: fee } });

describe('the unit', () => {
  it('refuses a unit nobody has, naming its code', async () => {
    const error = await refused('NOT_FOUND', submitting({ year: 2024, month: 3 }, sampleFigures(), '449999'));
    expect(error.extensions.unitCode).toBe('449999');
    const read = await hub.gql(REPORT, { unitCode: '449999', period: { year: 2024, month: 3 } });
    expect(errorOf(read).extensions).toMatchObject({ code: 'NOT_FOUND', unitCode: '449999' });
  });
});

describe('the period', () => {
  it.each([0, 13])('refuses month %i', async (month) => {
    const error = await refused('INVALID_PERIOD', submitting({ year: 2024, month }));
    expect(error.message).toContain(`month must be 1-12, got ${month}`);
  });

  it('refuses a year in the future', async () => {
    const error = await refused('INVALID_PERIOD', submitting({ year: thisYear + 1, month: null }));
    expect(error.message).toMatch(/future/);
    await refused('INVALID_PERIOD', submitting({ year: thisYear + 1, month: 1 }));
  });

  it('refuses a year before 2008, when the disclosure regulation took effect', async () => {
    const error = await refused('INVALID_PERIOD', submitting({ year: 2007, month: 12 }));
    expect(error.message).toMatch(/2008/);
    await refused('INVALID_PERIOD', submitting({ year: 2007, month: null }));
  });

  (thisMonth === 12 ? it.skip : it)('refuses a month of this year that has not begun in China', async () => {
    const error = await refused('INVALID_PERIOD', submitting({ year: thisYear, month: thisMonth + 1 }));
    expect(error.message).toContain(`${thisYear}年${thisMonth + 1}月 has not begun`);
  });

  it('refuses the month and the year still in progress in China, and accepts the month just ended', async () => {
    const month = await refused('INVALID_PERIOD', submitting({ year: thisYear, month: thisMonth }));
    expect(month.message).toContain(`${thisYear}年${thisMonth}月 has not ended yet`);
    const year = await refused('INVALID_PERIOD', submitting({ year: thisYear, month: null }));
    expect(year.message).toContain(`${thisYear}年 has not ended yet`);
    const last = thisMonth === 1 ? { year: thisYear - 1, month: 12 } : { year: thisYear, month: thisMonth - 1 };
    await accepted(hub, UNIT, last, sampleFigures());
    expect((await readReport(hub, UNIT, last)).period).toMatchObject({ kind: 'MONTH', month: last.month });
  });

  it('refuses a quarter asked of `report`: reports are monthly or annual', async () => {
    const res = await hub.gql(REPORT, { unitCode: UNIT, period: { year: 2024, quarter: 1 } });
    expect(errorOf(res).extensions.code).toBe('INVALID_PERIOD');
    expect(res.data?.report ?? null).toBeNull();
  });
});

describe('counts', () => {
  it('refuses a negative count as NON_NEGATIVE', async () => {
    const figures = { ...sampleFigures(), reviewLitigation: { litigationDirect: { corrected: -3 } } };
    await refused('VALIDATION_FAILED', submitting({ year: 2024, month: 4 }, figures));
    expect(violationsOf(await submit(hub, UNIT, { year: 2024, month: 4 }, figures))).toEqual([
      expect.objectContaining({ identity: 'NON_NEGATIVE', path: 'reviewLitigation.litigationDirect.corrected', actual: -3 }),
    ]);
    await expectNothingSaved(hub, UNIT, { year: 2024, month: 4 });
  });

  it('refuses a fractional count sent as a variable, naming each field path', async () => {
    const figures = { applications: { newReceived: { naturalPerson: 1.5 }, carriedForward: { naturalPerson: 1.5 } } };
    const before = await rowCounts();
    const res = await submit(hub, UNIT, { year: 2024, month: 5 }, figures);
    expect(res.data ?? null).toBeNull();
    expect(res.errors!.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(res.errors![0].message).toContain('"input.figures.applications.newReceived.naturalPerson"');
    expect(res.errors![1].message).toContain('"input.figures.applications.carriedForward.naturalPerson"');
    for (const e of res.errors!) expect(e.message).toMatch(/non-integer value: 1\.5/);
    expect(await rowCounts()).toEqual(before);
    await expectNothingSaved(hub, UNIT, { year: 2024, month: 5 });
  });
});

describe('fees (万元) are exact decimals', () => {
  it('refuses a fee with 5 decimal places as AMOUNT_PRECISION', async () => {
    await refused('VALIDATION_FAILED', submitting({ year: 2024, month: 6 }, withFee('1.23456')));
    expect(violationsOf(await submit(hub, UNIT, { year: 2024, month: 6 }, withFee('1.23456')))).toEqual([
      expect.objectContaining({ identity: 'AMOUNT_PRECISION', path: 'proactive.administrativeFees', actual: '1.23456' }),
    ]);
    await expectNothingSaved(hub, UNIT, { year: 2024, month: 6 });
  });

  it('accepts 4 decimal places (1 元) and returns them exactly', async () => {
    await accepted(hub, UNIT, { year: 2024, month: 7 }, withFee('1.2345'));
    expect((await readReport(hub, UNIT, { year: 2024, month: 7 })).figures.proactive.administrativeFees).toBe('1.2345');
  });

  it('refuses a fee that is not a number as AMOUNT_FORMAT', async () => {
    await refused('VALIDATION_FAILED', submitting({ year: 2024, month: 8 }, withFee('十万')));
    expect(violationsOf(await submit(hub, UNIT, { year: 2024, month: 8 }, withFee('12,5')))).toEqual([
      expect.objectContaining({ identity: 'AMOUNT_FORMAT', path: 'proactive.administrativeFees', label: '二、第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）', actual: '12,5' }),
    ]);
    await expectNothingSaved(hub, UNIT, { year: 2024, month: 8 });
  });

  it.each([
    ['96171.6', 9, '96171.6000'],
    ['0.0001', 10, '0.0001'],
    ['12345678901234.5678', 11, '12345678901234.5678'], // more digits than a double holds
  ])('stores and returns %s unchanged', async (fee, month, column) => {
    await accepted(hub, UNIT, { year: 2024, month }, withFee(fee));
    expect((await readReport(hub, UNIT, { year: 2024, month })).figures.proactive.administrativeFees).toBe(fee);
    const rows = await hub.db.sql<{ fee: string; exact: boolean }>(
      `select v.p_administrative_fees__amount_10k_cny as fee, v.p_administrative_fees__amount_10k_cny = $1::numeric as exact
       from report_revision v join report r on r.id = v.report_id join unit u on u.id = r.unit_id where u.code = $2 and r.year = 2024 and r.month = $3`,
      [fee, UNIT, month],
    );
    expect(rows).toEqual([{ fee: column, exact: true }]);
  });
});
