import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { loadRankingFixture } from './ranking-fixtures.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await loadRankingFixture(hub);
});
afterAll(() => hub.close());

const EXPORT = `query($input: RankingInput!) { ranking(input: $input) { csv markdown } }`;
const exportOf = async (input: Record<string, unknown>) =>
  dataOf(await hub.gql(EXPORT, { input: { parentCode: '441800', period: { year: 2025, month: 3 }, ...input } })).ranking;

const HEADER = '排名,单位名称,单位代码,指标值,分子,分母,上期排名,名次变化,备注';

describe('a ranking as CSV', () => {
  it('starts with a UTF-8 BOM and the Chinese headers, one line per entry, rates as percentages', async () => {
    const { csv } = await exportOf({ metric: 'DISCLOSURE_RATE' });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      HEADER,
      '1,佛冈县,441821,100.00%,5,5,3,↑2,',
      '2,清城区,441802,50.00%,10,20,2,—,',
      '3,清新区,441803,44.71%,38,85,1,↓2,',
      '—,阳山县,441823,—,0,0,—,—,分母为零，不参与排名',
      '—,英德市,441881,—,0,0,—,—,本期未报送数据',
      '',
    ]);
  });

  it('shows counts as whole numbers and a tie as two equal ranks', async () => {
    const { csv } = await exportOf({ metric: 'NEW_RECEIVED' });
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1, 5)).toEqual([
      '1,清新区,441803,30,30,,3,↑2,',
      '2,清城区,441802,20,20,,1,↓1,',
      '2,佛冈县,441821,20,20,,2,—,',
      '4,阳山县,441823,10,10,,—,—,',
    ]);
    expect(lines[5]).toMatch(/^—,英德市,441881,.*,本期未报送数据$/);
    expect(lines).toHaveLength(7); // header, five entries, and the empty tail after the last line break
  });

  it('explains a unit left out for a small denominator', async () => {
    const { csv } = await exportOf({ metric: 'DISCLOSURE_RATE', minDenominator: 10 });
    expect(csv).toContain('\r\n—,佛冈县,441821,100.00%,5,5,2,—,分母低于最小样本量，不参与排名\r\n');
  });
});

describe('a ranking as Markdown', () => {
  it('has a title with the parent, the period and the metric, and a table', async () => {
    const { markdown } = await exportOf({ metric: 'DISCLOSURE_RATE' });
    const lines: string[] = markdown.split('\n');
    expect(lines[0]).toBe('## 清远市2025年3月公开率排名');
    expect(markdown).toContain('上期为2025年2月');
    const table = lines.filter((l) => l.startsWith('|'));
    expect(table[0]).toBe('| 排名 | 单位名称 | 单位代码 | 指标值 | 分子 | 分母 | 上期排名 | 名次变化 | 备注 |');
    expect(table[1]).toBe('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    expect(table.slice(2)).toHaveLength(5);
    expect(table[2]).toBe('| 1 | 佛冈县 | 441821 | 100.00% | 5 | 5 | 3 | ↑2 |  |');
    expect(table[4]).toBe('| 3 | 清新区 | 441803 | 44.71% | 38 | 85 | 1 | ↓2 |  |');
  });

  it('says the order it is sorted in', async () => {
    const { markdown } = await exportOf({ metric: 'DISCLOSURE_RATE', order: 'ASC' });
    expect(markdown).toContain('从低到高');
    expect(markdown.split('\n').filter((l: string) => l.startsWith('| 1 |'))[0]).toContain('清新区');
  });
});
