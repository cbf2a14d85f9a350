/**
 * A city with five county-level children for the ranking tests. Figures, each child's subtree summed (自然人 only):
 *
 * | child          | 2025-02 new / disclosed of results | 2025-03 new / disclosed of results | 2025-04 new | 2024        |
 * | 清城区 441802  | 40 / 20 of 40                      | 20 / 10 of 20 (three units)        | —           | Dec: 7      |
 * | 清新区 441803  | 5 / 5 of 5 (太和镇)                | 30 / 38 of 85 (two towns)          | —           | annual: 50  |
 * | 佛冈县 441821  | 10 / 1 of 10                       | 20 / 5 of 5 (15 carried forward)   | 5           | —           |
 * | 阳山县 441823  | —                                  | 10 / 0 of 0 (all carried forward)  | 50          | —           |
 * | 英德市 441881  | —                                  | —                                  | —           | annual: 100 |
 */
import { accepted } from '../reports/report-helpers.js';
import { createUnits, type UnitSpec } from '../support/fixtures.js';
import { dataOf, type TestHub } from '../support/test-hub.js';

export const units: UnitSpec[] = [
  { code: '441800', name: '清远市', kind: 'PREFECTURE' },
  { code: '441802', name: '清城区', kind: 'DISTRICT', parentCode: '441800' },
  { code: '441803', name: '清新区', kind: 'DISTRICT', parentCode: '441800' },
  { code: '441821', name: '佛冈县', kind: 'COUNTY', parentCode: '441800' },
  { code: '441823', name: '阳山县', kind: 'COUNTY', parentCode: '441800' },
  { code: '441881', name: '英德市', kind: 'COUNTY_CITY', parentCode: '441800' },
  { code: '441802100', name: '源潭镇', kind: 'TOWN', parentCode: '441802' },
  { code: 'D441802001', name: '清远市清城区教育局', kind: 'DEPARTMENT', parentCode: '441802' },
  { code: '441803102', name: '太和镇', kind: 'TOWN', parentCode: '441803' },
  { code: '441803104', name: '太平镇', kind: 'TOWN', parentCode: '441803' },
  { code: '441821101', name: '石角镇', kind: 'TOWN', parentCode: '441821' },
];

type Row = Partial<Record<'newReceived' | 'carriedOver' | 'granted' | 'partiallyGranted' | 'deniedStateSecret' | 'unableNotHeld' | 'carriedForward', number>>;
const np = (row: Row) => ({ applications: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, { naturalPerson: v }])) });

const reports: [string, { year: number; month?: number }, Row][] = [
  ['441802', { year: 2025, month: 2 }, { newReceived: 40, granted: 20, unableNotHeld: 20 }],
  ['441803102', { year: 2025, month: 2 }, { newReceived: 5, granted: 5 }],
  ['441821', { year: 2025, month: 2 }, { newReceived: 10, granted: 1, unableNotHeld: 9 }],

  ['441802', { year: 2025, month: 3 }, { newReceived: 10, granted: 5, partiallyGranted: 2, unableNotHeld: 3 }],
  ['441802100', { year: 2025, month: 3 }, { newReceived: 6, granted: 3, deniedStateSecret: 3 }],
  ['D441802001', { year: 2025, month: 3 }, { newReceived: 4, unableNotHeld: 4 }],
  ['441803102', { year: 2025, month: 3 }, { newReceived: 12, carriedOver: 30, granted: 20, unableNotHeld: 22 }],
  ['441803104', { year: 2025, month: 3 }, { newReceived: 18, carriedOver: 25, granted: 10, partiallyGranted: 8, deniedStateSecret: 25 }],
  ['441821', { year: 2025, month: 3 }, { newReceived: 20, granted: 5, carriedForward: 15 }],
  ['441823', { year: 2025, month: 3 }, { newReceived: 10, carriedForward: 10 }],

  ['441823', { year: 2025, month: 4 }, { newReceived: 50, granted: 50 }],
  ['441821', { year: 2025, month: 4 }, { newReceived: 5, granted: 5 }],

  ['441802', { year: 2024, month: 12 }, { newReceived: 7, granted: 7 }],
  ['441803', { year: 2024 }, { newReceived: 50, granted: 50 }],
  ['441881', { year: 2024 }, { newReceived: 100, granted: 100 }],
];

export async function loadRankingFixture(hub: TestHub): Promise<void> {
  await createUnits(hub, units);
  for (const [code, period, row] of reports) await accepted(hub, code, period, np(row));
}

export const RANKING = `query($input: RankingInput!) {
  ranking(input: $input) {
    metric metricLabel order minDenominator period { label } previousPeriod { label } parent { code }
    entries { rank value numerator denominator unrankedReason previousRank previousValue rankChange unit { code } }
  }
}`;

export interface Entry {
  rank: number | null;
  value: number | null;
  numerator: number;
  denominator: number | null;
  unrankedReason: string | null;
  previousRank: number | null;
  previousValue: number | null;
  rankChange: number | null;
  unit: { code: string };
}

export async function rank(hub: TestHub, input: Record<string, unknown>): Promise<any> {
  return dataOf(await hub.gql(RANKING, { input: { parentCode: '441800', ...input } })).ranking;
}

/** [code, rank] pairs in the order of the entries. */
export const ranks = (entries: Entry[]) => entries.map((e) => [e.unit.code, e.rank]);
