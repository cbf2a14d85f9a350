/**
 * One statement ranks every unit of a ranking: the metric's numerator and denominator are summed over each unit's
 * subtree by the shared aggregation SQL, then `rank()` gives competition ranks (1, 2, 2, 4) among the rankable ones.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cellsOf } from '../format/expressions.js';
import { ReportScope } from '../reports/report-scope.js';
import type { Basis } from '../reports/report-status.js';
import { aggregateSql, type AggregateQuery, type RollupMode } from '../rollups/aggregate.sql.js';
import type { MetricDefinition } from './metrics.js';

export interface RankingQuery {
  groups: AggregateQuery['groups'];
  metric: MetricDefinition;
  year: number;
  firstMonth: number;
  lastMonth: number;
  useAnnual: boolean;
  descending: boolean;
  minDenominator: number;
  basis: Basis;
  mode: RollupMode;
}

export interface RankedRow {
  unitId: number;
  hasFigures: boolean;
  numerator: string;
  denominator: string | null;
  value: string | null;
  rank: number | null;
}

const sumOf = (paths: string[]) => paths.flatMap(cellsOf).map((c) => `coalesce(a.${c.sqlColumn}, 0)`).join(' + ');

export async function rankUnits(em: EntityManager, q: RankingQuery): Promise<RankedRow[]> {
  const needed = [...new Map([...q.metric.numerator, ...(q.metric.denominator ?? [])].flatMap(cellsOf).map((c) => [c.sqlColumn, c])).values()];
  const inner = aggregateSql({ ...q, members: 'subtree', scope: ReportScope.SELF, cells: needed });
  const rate = q.metric.kind === 'rate';
  // A unit that reported nothing has no value at all (not 0): it is listed unranked as NO_FIGURES.
  const value = rate ? 's.numerator / nullif(s.denominator, 0)' : 's.numerator';
  // A unit is rankable when it reported anything, and for a rate when its denominator reaches the minimum.
  const rankable = rate ? 's.group_id is not null and s.denominator >= greatest(?::int, 1)' : 's.group_id is not null';
  // The sums are written once and computed once per unit (materialized): a rate's denominator can span 126 cells,
  // and parsing, planning and evaluating that expression at every use cost more than reading the rollup rows.
  const sql = `
    with agg as (${inner.sql}),
    -- grain: one row per unit with figures: the metric's numerator and denominator over its subtree
    sums as materialized (
      select a.group_id, (${sumOf(q.metric.numerator)})::numeric as numerator,
        ${rate ? `(${sumOf(q.metric.denominator!)})::numeric` : 'null::numeric'} as denominator
      from agg a
    ),
    -- grain: one row per ranked unit
    scored as (
      select g.group_id as unit_id, s.group_id is not null as has_figures, coalesce(s.numerator, 0) as numerator,
        ${rate ? 'coalesce(s.denominator, 0)' : 'null::numeric'} as denominator, ${value} as value, ${rankable} as rankable
      from (${q.groups.sql}) g left join sums s on s.group_id = g.group_id
    )
    select unit_id, has_figures, numerator, denominator, value,
      case when rankable then rank() over (partition by rankable order by value ${q.descending ? 'desc' : 'asc'}) end as rank
    from scored
    order by rankable desc, rank, value ${q.descending ? 'desc' : 'asc'} nulls last, unit_id`;
  const params = [...inner.params, ...(rate ? [q.minDenominator] : []), ...q.groups.params];
  const rows = await em.execute<Record<string, unknown>[]>(sql, params);
  return rows.map((r) => ({
    unitId: r.unit_id as number,
    hasFigures: r.has_figures as boolean,
    numerator: String(r.numerator),
    denominator: r.denominator === null ? null : String(r.denominator),
    value: r.value === null ? null : String(r.value),
    rank: r.rank === null ? null : Number(r.rank),
  }));
}
