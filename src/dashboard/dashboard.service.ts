/**
 * The dashboard of a unit for a year: a fixed number of SQL statements whatever the size of the subtree (two
 * rollups, the monthly series, the children's rollups, completeness and warnings; the children themselves come from
 * the request's unit loader).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { completenessSummary } from '../completeness/completeness.service.js';
import { ReportKind } from '../completeness/completeness.types.js';
import { sumOfPaths } from '../format/expressions.js';
import { emptyValues, type CellValues } from '../format/figures.js';
import { computeRate, rateDefinitions } from '../format/rates.js';
import { makePeriod } from '../reports/period.js';
import { ReportScope } from '../reports/report-scope.js';
import type { Basis } from '../reports/report-status.js';
import { aggregate, type RollupMode } from '../rollups/aggregate.sql.js';
import { metricByName, metricValue } from '../rankings/metrics.js';
import type { Unit } from '../units/unit.entity.js';
import { monthlySeries, warningCounts } from './dashboard.sql.js';
import { ChildBreakdown, Dashboard, FigureSummary, HeadlineFigure, TrendPoint, WarningCount, WarningSummary } from './dashboard.types.js';

const HEADLINE = [
  'NEW_RECEIVED', 'RESULTS_TOTAL', 'GRANTED', 'PARTIALLY_GRANTED', 'CARRIED_FORWARD', 'ADMIN_REVIEW', 'LITIGATION_DIRECT',
  'LITIGATION_AFTER_REVIEW', 'NORMATIVE_DOCUMENTS_ISSUED', 'ADMINISTRATIVE_LICENSING', 'DISCLOSURE_RATE',
  'REVIEW_CORRECTION_RATE', 'LITIGATION_CORRECTION_RATE', 'DISPUTE_RATE',
];
const disclosureRate = rateDefinitions.find((d) => d.field === 'disclosureRate')!;

export interface DashboardOptions {
  rankBy: string;
  minDenominator: number;
  basis: Basis;
  mode: RollupMode;
}

export async function dashboard(em: EntityManager, unit: Unit, childUnits: Unit[], year: number, options: DashboardOptions): Promise<Dashboard> {
  const wholeYear = (y: number) => ({ year: y, firstMonth: 1, lastMonth: 12, useAnnual: true, scope: ReportScope.SELF, basis: options.basis, mode: options.mode });
  const self = { sql: 'select ?::int as group_id', params: [unit.id] };
  const current = (await aggregate(em, { groups: self, members: 'subtree', ...wholeYear(year) })).get(unit.id)?.values ?? emptyValues();
  const previous = (await aggregate(em, { groups: self, members: 'subtree', ...wholeYear(year - 1) })).get(unit.id)?.values ?? emptyValues();
  const months = await monthlySeries(em, unit.id, year, options.basis, options.mode);
  const children = await aggregate(em, { groups: { sql: 'select id as group_id from unit where parent_id = ?', params: [unit.id] }, members: 'subtree', ...wholeYear(year) });
  const completeness = await completenessSummary(em, unit.id, makePeriod(year, null, null), ReportKind.MONTHLY);
  const warnings = await warningCounts(em, unit.id, year, options.basis);

  const metric = metricByName.get(options.rankBy)!;
  const breakdown = childUnits.map(({ id }) => {
    const figures = children.get(id);
    // A child that reported nothing has no value (not 0), and so no place in top or bottom.
    const values = figures?.values ?? emptyValues();
    return Object.assign(new ChildBreakdown(), { unitId: id, values, metricValue: figures ? metricValue(metric, values, options.minDenominator) : null });
  });
  const ranked = breakdown.filter((c) => c.metricValue !== null).sort((a, b) => b.metricValue! - a.metricValue!);
  const totals = warnings.find((w) => w.identity === null);

  return Object.assign(new Dashboard(), {
    unitId: unit.id,
    year,
    basis: options.basis,
    current: summary(current, year),
    previous: summary(previous, year - 1),
    headline: HEADLINE.map((name) => headline(name, current, previous)),
    trend: Array.from({ length: 12 }, (_, i) => trendPoint(year, i + 1, months.get(i + 1))),
    rankBy: metric.name,
    children: breakdown,
    top: ranked.slice(0, 5),
    bottom: ranked.slice(-5).reverse(),
    completeness,
    warnings: Object.assign(new WarningSummary(), {
      reportsWithWarnings: totals?.reports ?? 0,
      byIdentity: warnings.filter((w) => w.identity !== null).map((w) => Object.assign(new WarningCount(), { identity: w.identity!, count: w.count })),
    }),
  });
}

function summary(values: CellValues, year: number): FigureSummary {
  return Object.assign(new FigureSummary(), { values, period: makePeriod(year, null, null) });
}

function headline(name: string, current: CellValues, previous: CellValues): HeadlineFigure {
  const metric = metricByName.get(name)!;
  const value = metricValue(metric, current);
  const before = metricValue(metric, previous);
  const change = value !== null && before !== null ? value - before : null;
  const changeRatio = metric.kind !== 'rate' && change !== null && before ? change / before : null;
  return Object.assign(new HeadlineFigure(), { metric: name, label: metric.zh, value, previous: before, change, changeRatio });
}

function trendPoint(year: number, month: number, data: { values: CellValues; units: number } | undefined): TrendPoint {
  const values = data?.values ?? emptyValues();
  return Object.assign(new TrendPoint(), {
    period: makePeriod(year, null, month),
    newReceived: sumOfPaths(values, ['applications.newReceived.total']),
    resultsTotal: sumOfPaths(values, ['applications.resultsTotal.total']),
    disclosed: sumOfPaths(values, disclosureRate.numerator),
    disclosureRate: computeRate(disclosureRate, values),
    adminReviews: sumOfPaths(values, ['reviewLitigation.adminReview.total']),
    lawsuits: sumOfPaths(values, ['reviewLitigation.litigationDirect.total', 'reviewLitigation.litigationAfterReview.total']),
    reportingUnits: data?.units ?? 0,
  });
}
