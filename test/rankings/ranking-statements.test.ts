import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { insertMonthlyReports, insertTree } from './bulk.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

const QUERY = `query($input: RankingInput!) {
  ranking(input: $input) {
    parent { code }
    entries { rank value previousRank unit { code name parent { code } ancestors { code } } }
    csv
  }
}`;

const rankTowns = (parentCode: string, metric: string) =>
  hub.gql(QUERY, { input: { parentCode, kinds: ['TOWN'], period: { year: 2025, month: 3 }, metric } });

describe('the cost of a ranking', () => {
  it('is the same small number of SQL statements for 20 towns and for 210', async () => {
    expect(await insertTree(hub, '4201', 2, 10)).toBe(23);
    expect(await insertTree(hub, '4202', 10, 21)).toBe(221);
    for (const [root, month, expected] of [['420100', 2, 23], ['420100', 3, 23], ['420200', 2, 221], ['420200', 3, 221]] as const) {
      expect(await insertMonthlyReports(hub, root, 2025, month)).toBe(expected);
    }

    for (const metric of ['NEW_RECEIVED', 'DISCLOSURE_RATE']) {
      const small = await rankTowns('420100', metric);
      const large = await rankTowns('420200', metric);
      const s = dataOf(small).ranking;
      const l = dataOf(large).ranking;
      expect(s.entries).toHaveLength(20);
      expect(l.entries).toHaveLength(210);
      expect(l.entries[0].rank).toBe(1);
      expect(l.entries.every((e: { rank: number | null; previousRank: number | null }) => e.rank !== null && e.previousRank !== null)).toBe(true);
      const town = l.entries.find((e: { unit: { code: string } }) => e.unit.code === '420207105');
      expect(town.unit).toEqual({ code: '420207105', name: '区7镇5', parent: { code: '420207' }, ancestors: [{ code: '420200' }, { code: '420207' }] });
      expect(l.csv.split('\r\n')).toHaveLength(212); // header, 210 towns, empty tail

      for (const answer of [small, large]) {
        expect(answer.extensions?.sqlStatements).toBeGreaterThan(0);
        expect(answer.extensions?.sqlStatements).toBeLessThanOrEqual(8);
      }
    }
  });
});
