/**
 * What a ranking can rank by: every count row of the format (as its 总计), the case totals and columns of section 四,
 * the cells of section 二, and every derived rate. Generated from the catalogue and the rate definitions.
 */
import { registerEnumType } from 'type-graphql';
import { applicationRows, caseBlocks, caseColumns, proactiveRows } from '../format/catalogue.js';
import { rateDefinitions } from '../format/rates.js';
import { sumOfPaths } from '../format/expressions.js';
import type { CellValues } from '../format/figures.js';

export interface MetricDefinition {
  name: string;
  zh: string;
  kind: 'count' | 'amount' | 'rate';
  numerator: string[];
  /** Only for rates. */
  denominator: string[] | null;
}

const screaming = (field: string) => field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

export const metricDefinitions: MetricDefinition[] = [
  ...applicationRows
    .filter((r) => r.kind !== 'group' || r.parent === 'results')
    .map((r) => ({ name: screaming(r.field), zh: r.labelZh, kind: 'count' as const, numerator: [`applications.${r.field}.total`], denominator: null })),
  ...caseBlocks.flatMap((b) => [
    { name: screaming(b.field), zh: `${b.zh} 总计`, kind: 'count' as const, numerator: [`reviewLitigation.${b.field}.total`], denominator: null },
    ...caseColumns.map((c) => ({ name: `${screaming(b.field)}_${screaming(c.field)}`, zh: `${b.zh} ${c.zh}`, kind: 'count' as const, numerator: [`reviewLitigation.${b.field}.${c.field}`], denominator: null })),
  ]),
  ...proactiveRows.flatMap((r) =>
    r.columns.map((c) => ({
      name: r.shape === 'documents' ? `${screaming(r.field)}_${screaming(c.field)}` : screaming(r.field),
      zh: `${r.zh} ${c.zh}`,
      kind: c.kind === 'amount' ? ('amount' as const) : ('count' as const),
      numerator: [r.shape === 'documents' ? `proactive.${r.field}.${c.field}` : `proactive.${r.field}`],
      denominator: null,
    })),
  ),
  ...rateDefinitions.map((d) => ({ name: screaming(d.field), zh: d.zh, kind: 'rate' as const, numerator: d.numerator, denominator: d.denominator })),
];

/** The GraphQL enum RankingMetric: NEW_RECEIVED, DISCLOSURE_RATE, ... */
export const RankingMetric = Object.fromEntries(metricDefinitions.map((m) => [m.name, m.name])) as Record<string, string>;
registerEnumType(RankingMetric, {
  name: 'RankingMetric',
  description: 'A count row (its 总计), a cell of sections 二 and 四, or a rate.',
  valuesConfig: Object.fromEntries(metricDefinitions.map((m) => [m.name, { description: m.zh }])),
});

export const metricByName = new Map(metricDefinitions.map((m) => [m.name, m]));

/** A metric's value from figures already summed: a count or amount, or a rate (null below the minimum denominator). */
export function metricValue(metric: MetricDefinition, values: CellValues, minDenominator = 1): number | null {
  const numerator = sumOfPaths(values, metric.numerator);
  if (!metric.denominator) return numerator;
  const denominator = sumOfPaths(values, metric.denominator);
  return denominator >= Math.max(minDenominator, 1) ? numerator / denominator : null;
}
