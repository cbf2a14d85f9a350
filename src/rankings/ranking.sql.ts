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
  const numerator = sumOf(q.metric.numerator);
  const denominator = q.metric.denominator ? sumOf(q.metric.denominator) : 'null::numeric';
  // A unit that reported nothing has no value at all (not 0): it is listed unranked as NO_FIGURES.
  const value = `case when a.group_id is null then null else ${q.metric.kind === 'rate' ? `(${numerator})::numeric / nullif(${denominator}, 0)` : `(${numerator})::numeric`} end`;
  // A unit is rankable when it reported anything, and for a rate when its denominator reaches the minimum.
  const rankable = q.metric.kind === 'rate' ? `a.group_id is not null and (${denominator}) >= greatest(?::int, 1)` : 'a.group_id is not null';
  const sql = `
    with agg as (${inner.sql}),
    -- grain: one row per ranked unit
    scored as (
      select g.group_id as unit_id, a.group_id is not null as has_figures, (${numerator})::numeric as numerator,
        ${denominator === 'null::numeric' ? denominator : `(${denominator})::numeric`} as denominator, ${value} as value, ${rankable} as rankable
      from (${q.groups.sql}) g left join agg a on a.group_id = g.group_id
    )
    select unit_id, has_figures, numerator, denominator, value,
      case when rankable then rank() over (partition by rankable order by value ${q.descending ? 'desc' : 'asc'}) end as rank
    from scored
    order by rankable desc, rank, value ${q.descending ? 'desc' : 'asc'} nulls last, unit_id`;
  const params = [...inner.params, ...(q.metric.kind === 'rate' ? [q.minDenominator] : []), ...q.groups.params];
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
