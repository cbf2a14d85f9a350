/**
 * A ranking as the table an oversight office circulates (通报): CSV (UTF-8 with BOM, which Excel needs to read
 * Chinese) and Markdown, with Chinese headers.
 */
import { metricByName } from './metrics.js';
import type { Ranking, RankingEntry } from './ranking.types.js';
import { UnrankedReason } from './ranking.types.js';

export interface UnitLabel { code: string; name: string }

const HEADERS = ['排名', '单位名称', '单位代码', '指标值', '分子', '分母', '上期排名', '名次变化', '备注'];
const REASON_ZH: Record<UnrankedReason, string> = {
  NO_FIGURES: '本期未报送数据',
  ZERO_DENOMINATOR: '分母为零，不参与排名',
  BELOW_MIN_DENOMINATOR: '分母低于最小样本量，不参与排名',
};

function formatValue(ranking: Ranking, value: number | null): string {
  if (value === null) return '—';
  const kind = metricByName.get(ranking.metric)!.kind;
  if (kind === 'rate') return `${(value * 100).toFixed(2)}%`;
  return kind === 'amount' ? String(value) : String(Math.round(value));
}

function rows(ranking: Ranking, units: Map<number, UnitLabel>): string[][] {
  return ranking.entries.map((e: RankingEntry) => {
    const u = units.get(e.unitId)!;
    const change = e.rankChange === null ? '—' : e.rankChange > 0 ? `↑${e.rankChange}` : e.rankChange < 0 ? `↓${-e.rankChange}` : '—';
    return [
      e.rank === null ? '—' : String(e.rank),
      u.name,
      u.code,
      formatValue(ranking, e.value),
      String(e.numerator),
      e.denominator === null ? '' : String(e.denominator),
      e.previousRank === null ? '—' : String(e.previousRank),
      change,
      e.unrankedReason ? REASON_ZH[e.unrankedReason] : '',
    ];
  });
}

export function title(ranking: Ranking, parent: UnitLabel): string {
  return `${parent.name}${ranking.period.label}${ranking.metricLabel}排名`;
}

export function toCsv(ranking: Ranking, parent: UnitLabel, units: Map<number, UnitLabel>): string {
  const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\uFEFF${[HEADERS, ...rows(ranking, units)].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function toMarkdown(ranking: Ranking, parent: UnitLabel, units: Map<number, UnitLabel>): string {
  const line = (r: string[]) => `| ${r.map((s) => s.replace(/\|/g, '\\|')).join(' | ')} |`;
  const order = ranking.order === 'DESC' ? '从高到低' : '从低到高';
  return [
    `## ${title(ranking, parent)}`,
    '',
    `按${ranking.metricLabel}${order}排列；上期为${ranking.previousPeriod.label}。`,
    '',
    line(HEADERS),
    line(HEADERS.map(() => '---')),
    ...rows(ranking, units).map(line),
    '',
  ].join('\n');
}
