/** SQL only the dashboard needs: the month-by-month series and the warnings of a subtree. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells } from '../format/catalogue.js';
import { valuesFromRow, type CellValues } from '../format/figures.js';
import { basisColumn, type Basis } from '../reports/report-status.js';
import type { RollupMode } from '../rollups/aggregate.sql.js';

/** Per month of the year: each cell summed over the SELF monthly reports of the subtree. */
export async function monthlySeries(em: EntityManager, unitId: number, year: number, basis: Basis, mode: RollupMode): Promise<Map<number, { values: CellValues; units: number }>> {
  // grain: one row per month; pre-aggregated, the twelve month rows of the unit
  const rows = mode === 'preaggregated' ? await em.execute<Record<string, unknown>[]>(
    `select period as month, unit_count as units, ${cells.map((c) => c.sqlColumn).join(', ')}
     from rollup where unit_id = ? and basis = ? and year = ? and period between 1 and 12 and unit_count > 0`,
    [unitId, basis, year],
  ) : await em.execute<Record<string, unknown>[]>(
    `select r.month, count(*)::int as units, ${cells.map((c) => `sum(v.${c.sqlColumn}) as ${c.sqlColumn}`).join(', ')}
     from unit_closure c join report r on r.unit_id = c.descendant_id
     join report_revision v on v.report_id = r.id and v.revision = r.${basisColumn(basis)}
     where c.ancestor_id = ? and r.year = ? and r.month is not null and r.scope = 'SELF'
     group by r.month`,
    [unitId, year],
  );
  return new Map(rows.map((r) => [r.month as number, { values: valuesFromRow(r), units: r.units as number }]));
}

/**
 * Warnings carried by the reports in force of the subtree for the year (monthly and annual), by identity: SQL with two
 * parameters, the year and the unit.
 * The cost follows the subtree, never the history: each unit's reports of the year through its own index entries,
 * then for each report the revision in force, only if it carries a warning, from the partial index
 * report_revision_warned_index. Both are laterals that cannot be flattened (`offset 0`), so the join order is fixed:
 * left to the planner, statistics taken before the warnings existed made it loop over every warned revision for each
 * report of the subtree (14 s for a city). Starting from every warned revision (an earlier version) grew with every
 * correction ever submitted anywhere: a city's dashboard took 330 ms once there were 80,000 of them.
 */
export function warningCountsSql(basis: Basis): string {
  // grain: one row per warning identity, plus a rollup row (identity null) with the totals
  return `select w.identity, count(*)::int as count, count(distinct v.id)::int as reports
     from unit_closure c
     cross join lateral (
       select r.id, r.${basisColumn(basis)} as revision from report r where r.unit_id = c.descendant_id and r.year = ? offset 0
     ) r
     cross join lateral (
       select v.id, v.warnings from report_revision v where v.report_id = r.id and v.revision = r.revision and v.warnings <> '[]'::jsonb offset 0
     ) v
     cross join lateral jsonb_array_elements(v.warnings) as e(item)
     cross join lateral (select e.item->>'identity' as identity) as w
     where c.ancestor_id = ?
     group by rollup (w.identity)`;
}

export async function warningCounts(em: EntityManager, unitId: number, year: number, basis: Basis): Promise<{ identity: string | null; count: number; reports: number }[]> {
  return em.execute(warningCountsSql(basis), [year, unitId]);
}
