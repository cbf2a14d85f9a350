/**
 * The one SQL that sums figures over units and time; rollups, rankings, dashboards and the published-report
 * comparison all use it, so the time rules (api-contract.md, "Time") live here and nowhere else:
 * - per unit over the months of the period: flows are summed, an opening balance (`carriedOver`) takes the unit's
 *   first month, a closing balance (`carriedForward`, `pending`, `inForce`) its last month;
 * - for a whole year, a unit's annual report, where it has one, stands for its months;
 * - then the per-unit figures are summed over the members of each group (a unit's whole subtree, or the unit alone).
 * Only reports of the asked scope count: a SELF rollup never adds an AGGREGATE report to the reports of its parts;
 * and only the revision of each report that the basis names (latest submitted, or latest approved).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells as allCells, type Cell } from '../format/catalogue.js';
import { valuesFromRow, type CellValues } from '../format/figures.js';
import type { ReportScope } from '../reports/report-scope.js';
import { basisColumn, type Basis } from '../reports/report-status.js';

export interface AggregateQuery {
  /** SQL whose rows are the units to aggregate for, in a column `group_id`; `?` placeholders take `params`. */
  groups: { sql: string; params: unknown[] };
  /** `subtree`: each group sums itself and every unit below it; `self`: the unit alone. */
  members: 'subtree' | 'self';
  year: number;
  firstMonth: number;
  lastMonth: number;
  /** A whole year: a unit's annual report, where it has one, is its figure for the year. */
  useAnnual: boolean;
  scope: ReportScope;
  /** SUBMITTED: each report's latest submitted figures; APPROVED: its latest approved ones. Drafts never count. */
  basis: Basis;
  /** The cells to aggregate; all of them unless a caller needs only a few (rankings). */
  cells?: Cell[];
  /**
   * `preaggregated` reads SELF subtree sums from the `rollup` table kept by the write path (one row per group);
   * `onthefly` sums the base reports per request. Both give the same figures; the benchmark compares them.
   */
  mode?: RollupMode;
}

export type RollupMode = 'preaggregated' | 'onthefly';

export interface AggregateRow {
  groupId: number;
  values: CellValues;
  /** Units whose annual report was used. */
  annualUnits: number;
  /** Units whose monthly reports were used, and how many unit-months those are. */
  monthlyUnits: number;
  months: number;
}

function overTime(cell: Cell): string {
  const col = `v.${cell.sqlColumn}`;
  if (cell.aggregation === 'opening') return `(array_agg(${col} order by r.month))[1] as ${cell.sqlColumn}`;
  if (cell.aggregation === 'closing') return `(array_agg(${col} order by r.month desc))[1] as ${cell.sqlColumn}`;
  return `sum(${col}) as ${cell.sqlColumn}`;
}

export function aggregateSql(q: AggregateQuery): { sql: string; params: unknown[] } {
  if ((q.mode ?? 'preaggregated') === 'preaggregated' && q.members === 'subtree' && q.scope === 'SELF') return preaggregatedSql(q);
  const cells = q.cells ?? allCells;
  const members =
    q.members === 'subtree'
      ? `select g.group_id, c.descendant_id as unit_id from groups g join unit_closure c on c.ancestor_id = g.group_id`
      : `select g.group_id, g.group_id as unit_id from groups g`;
  const current = `from report r join report_revision v on v.report_id = r.id and v.revision = r.${basisColumn(q.basis)}`;
  const annual = q.useAnnual
    ? `, annual as (
        select r.unit_id, ${cells.map((c) => `v.${c.sqlColumn}`).join(', ')} ${current}
        where r.unit_id in (select unit_id from units) and r.year = ? and r.month is null and r.scope = ?::report_scope)`
    : '';
  const sql = `
    with groups as (${q.groups.sql}),
    members as (${members}),
    units as (select distinct unit_id from members)${annual},
    -- grain: one row per reporting unit, its figures combined over the months of the period
    per_unit as (
      select r.unit_id, count(*)::int as months, ${cells.map(overTime).join(', ')}
      ${current}
      where r.unit_id in (select unit_id from units) and r.year = ? and r.month between ? and ? and r.scope = ?::report_scope
        ${q.useAnnual ? 'and r.unit_id not in (select unit_id from annual)' : ''}
      group by r.unit_id
      ${q.useAnnual ? `union all select unit_id, 0, ${cells.map((c) => c.sqlColumn).join(', ')} from annual` : ''}
    )
    -- grain: one row per group, its members' figures summed
    select m.group_id, count(*) filter (where p.months = 0)::int as annual_units, count(*) filter (where p.months > 0)::int as monthly_units,
      sum(p.months)::int as months, ${cells.map((c) => `sum(p.${c.sqlColumn}) as ${c.sqlColumn}`).join(', ')}
    from members m join per_unit p on p.unit_id = m.unit_id
    group by m.group_id`;
  const params = [...q.groups.params, ...(q.useAnnual ? [q.year, q.scope] : []), q.year, q.firstMonth, q.lastMonth, q.scope];
  return { sql, params };
}

/** The same rows from the `rollup` table: one row per group, read by primary key. */
function preaggregatedSql(q: AggregateQuery): { sql: string; params: unknown[] } {
  const cells = q.cells ?? allCells;
  const sql = `
    with groups as (${q.groups.sql})
    -- grain: one row per group (the pre-aggregated sums of its subtree)
    select g.group_id, r.annual_units, r.unit_count - r.annual_units as monthly_units, r.unit_months as months,
      ${cells.map((c) => `r.${c.sqlColumn}`).join(', ')}
    from groups g join rollup r on r.unit_id = g.group_id and r.basis = ? and r.year = ? and r.period = ?
    where r.unit_count > 0`;
  return { sql, params: [...q.groups.params, q.basis, q.year, periodKey(q)] };
}

/** The `rollup` table's `period`: 0 a year, 1-12 a month, 101-104 a quarter. */
export function periodKey(q: { firstMonth: number; lastMonth: number; useAnnual: boolean }): number {
  if (q.useAnnual) return 0;
  if (q.firstMonth === q.lastMonth) return q.firstMonth;
  return 100 + (q.lastMonth / 3);
}

export async function aggregate(em: EntityManager, q: AggregateQuery): Promise<Map<number, AggregateRow>> {
  const { sql, params } = aggregateSql(q);
  const rows = await em.execute<Record<string, unknown>[]>(sql, params);
  return new Map(
    rows.map((row) => [
      row.group_id as number,
      {
        groupId: row.group_id as number,
        values: valuesFromRow(row),
        annualUnits: row.annual_units as number,
        monthlyUnits: row.monthly_units as number,
        months: row.months as number,
      },
    ]),
  );
}

/** Months of a period: the month itself, the quarter's three, or the year's twelve. */
export function monthsOf(period: { quarter: number | null; month: number | null }): { firstMonth: number; lastMonth: number; useAnnual: boolean } {
  if (period.month) return { firstMonth: period.month, lastMonth: period.month, useAnnual: false };
  if (period.quarter) return { firstMonth: period.quarter * 3 - 2, lastMonth: period.quarter * 3, useAnnual: false };
  return { firstMonth: 1, lastMonth: 12, useAnnual: true };
}
