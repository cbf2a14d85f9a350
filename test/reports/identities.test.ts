import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, sampleFigures, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { accepted, expectNothingSaved, readReport, storedRevisions, submit, violationsOf, type Period } from './report-helpers.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const UNIT = '441802';
/** Every case gets a period of its own, so no case sees another's report. */
let n = 0;
const fresh = (): Period => ({ year: 2012 + Math.floor(n / 12), month: (n++ % 12) + 1 });
const sample = (change: (f: Record<string, any>) => void) => ((f) => (change(f), f))(sampleFigures());
const v = (identity: string, path: string, label: string, expected: number | string, actual: number) => ({ identity, path, label, expected, actual });
const CF = '四、结转下年度继续办理';
/** Rejected with exactly these violations, and nothing stored. */
async function rejects(figures: unknown, expected: object[]): Promise<void> {
  const period = fresh();
  const violations = violationsOf(await submit(hub, UNIT, period, figures));
  expect(violations.map(({ identity, path, label, expected, actual }) => ({ identity, path, label, expected, actual }))).toEqual(expected);
  await expectNothingSaved(hub, UNIT, period);
}
/** Accepted, stored, and read back. */
async function passes(figures: unknown): Promise<any> {
  const period = fresh();
  const payload = await accepted(hub, UNIT, period, figures);
  expect(payload.report.revision).toBe(1);
  expect(await storedRevisions(hub, UNIT, period)).toHaveLength(1);
  return readReport(hub, UNIT, period);
}

describe('APP_BALANCE: 一 + 二 = 三（七）+ 四 in every column', () => {
  it('accepts a table that balances, returning totals equal to hand-computed sums', async () => {
    const { figures } = await passes(sampleFigures());
    expect(figures.applications).toEqual({
      newReceived: { naturalPerson: 10, commercialEnterprise: 2, total: 12 },
      carriedOver: { naturalPerson: 3, total: 3 },
      granted: { naturalPerson: 6, total: 7 },
      denied: { naturalPerson: 1, total: 1 }, // 1. 属于国家秘密
      unable: { total: 3 }, // 1. 本机关不掌握: 2 + 1
      notProcessed: { total: 0 },
      otherHandling: { total: 0 },
      resultsTotal: { naturalPerson: 11, commercialEnterprise: 2, total: 13 }, // 6+2+1+2 and 1+1
      carriedForward: { naturalPerson: 2, total: 2 },
    });
    expect(figures.reviewLitigation).toEqual({
      adminReview: { upheld: 2, corrected: 1, otherOutcome: 0, pending: 1, total: 4 },
      litigationDirect: { total: 1 },
      litigationAfterReview: { total: 0 },
    });
    expect(figures.proactive).toEqual(sampleFigures().proactive);
  });

  it('rejects a 自然人 column that does not balance, and the 总计 column with it', async () => {
    await rejects(sample((f) => (f.applications.carriedForward = { naturalPerson: 3 })), [
      v('APP_BALANCE', 'applications.carriedForward.naturalPerson', `${CF} / 自然人`, 2, 3),
      v('APP_BALANCE', 'applications.carriedForward.total', `${CF} / 总计`, 2, 3),
    ]);
  });

  it('checks each applicant column on its own, even when the errors cancel out in 总计', async () => {
    const figures = sample((f) => {
      f.applications.newReceived.commercialEnterprise = 3; // 商业企业: 3 + 0 ≠ 2 + 0
      f.applications.carriedForward = { naturalPerson: 3 }; // 自然人: 10 + 3 ≠ 11 + 3
    });
    await rejects(figures, [
      v('APP_BALANCE', 'applications.carriedForward.naturalPerson', `${CF} / 自然人`, 2, 3),
      v('APP_BALANCE', 'applications.carriedForward.commercialEnterprise', `${CF} / 商业企业`, 1, 0),
    ]);
  });

  it('checks the 总计 column with the printed row totals', async () => {
    await rejects(sample((f) => (f.applications.newReceived.total = 13)), [
      v('APP_ROW_TOTAL', 'applications.newReceived.total', '一、本年新收政府信息公开申请数量 / 总计', 12, 13),
      v('APP_BALANCE', 'applications.carriedForward.total', `${CF} / 总计`, 3, 2),
    ]);
  });
});

describe('APP_RESULTS_SUM: 三（七）总计 = the 21 outcome rows', () => {
  it('accepts a printed 总计 row that agrees with the outcome rows', async () => {
    const report = await passes(sample((f) => (f.applications.resultsTotal = { naturalPerson: 11, commercialEnterprise: 2, total: 13 })));
    expect(report.figures.applications.resultsTotal).toEqual({ naturalPerson: 11, commercialEnterprise: 2, total: 13 });
  });

  it('rejects a printed 总计 / 自然人 that disagrees with the outcome rows', async () => {
    const figures = sample((f) => {
      f.applications.granted.naturalPerson = 7; // the leaves now add up to 12 ...
      f.applications.resultsTotal = { naturalPerson: 11, commercialEnterprise: 2 }; // ... while the printed total says 11
    });
    await rejects(figures, [v('APP_RESULTS_SUM', 'applications.resultsTotal.naturalPerson', '三、（七）总计 / 自然人', 12, 11)]);
  });

  it('rejects a printed grand total of 三（七） that disagrees with the outcome rows', async () => {
    await rejects(sample((f) => (f.applications.resultsTotal = { naturalPerson: 11, commercialEnterprise: 2, total: 14 })), [
      v('APP_ROW_TOTAL', 'applications.resultsTotal.total', '三、（七）总计 / 总计', 13, 14),
      v('APP_RESULTS_SUM', 'applications.resultsTotal.total', '三、（七）总计 / 总计', 13, 14),
      v('APP_BALANCE', 'applications.carriedForward.total', `${CF} / 总计`, 1, 2),
    ]);
  });
});

describe('APP_ROW_TOTAL: 总计 = the six applicant columns of its row', () => {
  it('accepts printed row totals that agree and keeps them in the submitted copy only', async () => {
    const figures = sample((f) => {
      f.applications.newReceived.total = 12;
      f.applications.granted.total = 7;
      f.applications.carriedForward.total = 2;
    });
    const report = await passes(figures);
    expect(report.figures.applications.granted).toEqual({ naturalPerson: 6, total: 7 });
    const [row] = await hub.db.sql<{ printed: string; np: number }>(
      `select submitted #>> '{applications,granted,total}' as printed, a_granted__natural_person as np from report_revision order by id desc limit 1`,
    );
    expect(row).toEqual({ printed: '7', np: 6 });
  });

  it('rejects a printed row total that disagrees with its six columns', async () => {
    await rejects(sample((f) => (f.applications.granted.total = 8)), [v('APP_ROW_TOTAL', 'applications.granted.total', '三、（一）予以公开 / 总计', 7, 8)]);
  });
});

describe('REV_BLOCK_TOTAL: 总计 = 维持 + 纠正 + 其他结果 + 尚未审结', () => {
  it('accepts a printed block total that agrees', async () => {
    const report = await passes(sample((f) => (f.reviewLitigation.adminReview.total = 4)));
    expect(report.figures.reviewLitigation.adminReview).toEqual({ upheld: 2, corrected: 1, otherOutcome: 0, pending: 1, total: 4 });
  });

  it('rejects the contract’s example: upheld 10, corrected 1, total 0', async () => {
    await rejects(sample((f) => (f.reviewLitigation.adminReview = { upheld: 10, corrected: 1, total: 0 })), [
      v('REV_BLOCK_TOTAL', 'reviewLitigation.adminReview.total', '四、行政复议 / 总计', 11, 0),
    ]);
  });
});

describe('NON_NEGATIVE', () => {
  it('accepts zero counts given explicitly', async () => {
    const figures = sample((f) => {
      f.applications.deniedStateSecret = { naturalPerson: 0, commercialEnterprise: 0 };
      f.applications.granted.naturalPerson = 7; // keeps the 自然人 column balanced
    });
    const report = await passes(figures);
    expect(report.figures.applications.denied).toEqual({ naturalPerson: 0, total: 0 });
  });

  it('rejects a negative count in a leaf, naming the cell as the form does', async () => {
    const figures = sample((f) => {
      f.applications.deniedStateSecret = { naturalPerson: -1 };
      f.applications.granted.naturalPerson = 8; // keeps the 自然人 column balanced
    });
    await rejects(figures, [
      v('NON_NEGATIVE', 'applications.deniedStateSecret.naturalPerson', '三、（三）1.属于国家秘密 / 自然人', 'a whole number ≥ 0', -1),
    ]);
  });
});

describe('a submission breaking several rules', () => {
  it('reports every violation, not just the first', async () => {
    const figures = sample((f) => {
      f.applications.granted.total = 8;
      f.reviewLitigation.adminReview = { upheld: 10, corrected: 1, total: 0 };
      f.reviewLitigation.litigationAfterReview = { pending: -2 };
      f.proactive.administrativeFees = '1.23456';
    });
    const period = fresh();
    const violations = violationsOf(await submit(hub, UNIT, period, figures));
    expect(violations.map((v) => `${v.identity} ${v.path}`).sort()).toEqual([
      'AMOUNT_PRECISION proactive.administrativeFees',
      'APP_ROW_TOTAL applications.granted.total',
      'NON_NEGATIVE reviewLitigation.litigationAfterReview.pending',
      'REV_BLOCK_TOTAL reviewLitigation.adminReview.total',
    ]);
    for (const v of violations) expect(v.message).toContain(v.label);
    await expectNothingSaved(hub, UNIT, period);
  });
});

describe('derived group subtotals', () => {
  it('add up the 不予处理 and 其他处理 groups too', async () => {
    const { figures } = await passes(
      sample((f) => {
        f.applications.carriedOver = { naturalPerson: 4, commercialEnterprise: 1 };
        f.applications.notProcessedDuplicate = { naturalPerson: 1 };
        f.applications.otherOverdueFee = { commercialEnterprise: 1 };
      }),
    );
    expect(figures.applications.notProcessed).toEqual({ total: 1 });
    expect(figures.applications.otherHandling).toEqual({ total: 1 });
    expect(figures.applications.resultsTotal).toEqual({ naturalPerson: 12, commercialEnterprise: 3, total: 15 });
  });
});
