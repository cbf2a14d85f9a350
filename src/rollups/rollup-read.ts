/**
 * The hot path of `rollup` when pre-aggregated: one row of the `rollup` table by primary key, as a prepared
 * statement returning its cells as a single array literal. It gives exactly what `aggregate` gives for one unit's
 * subtree (the benchmark and test/rollups check both modes cell by cell); it exists because this read is what
 * dashboards poll, and 170 separate columns cost more in the driver than the read costs in PostgreSQL.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells } from '../format/catalogue.js';
import { valuesFromList } from '../format/figures.js';
import { prepared, queryPrepared } from '../db/prepared.js';
import type { Basis } from '../reports/report-status.js';
import { periodKey, type AggregateRow } from './aggregate.sql.js';

const COUNTS = ['annual_units', 'unit_count - annual_units', 'unit_months'];

const READ = prepared(`
  select array[${[...COUNTS, ...cells.map((c) => c.sqlColumn)].join(', ')}]::text as cells
  from rollup where unit_id = $1 and basis = $2 and year = $3 and period = $4 and unit_count > 0`);

/** The subtree sums of one unit for a month, quarter or year (`periodKey`), or null when nothing was reported. */
export async function readRollup(em: EntityManager, unitId: number, basis: Basis, year: number, time: { firstMonth: number; lastMonth: number; useAnnual: boolean }): Promise<AggregateRow | null> {
  const [row] = await queryPrepared<{ cells: string }>(em, READ, [unitId, basis, year, periodKey(time)]);
  if (!row) return null;
  // No element is quoted: every one is a number (or NULL), so the literal splits at its commas.
  const items = row.cells.slice(1, -1).split(',');
  return { groupId: unitId, values: valuesFromList(items, COUNTS.length), annualUnits: Number(items[0]), monthlyUnits: Number(items[1]), months: Number(items[2]) };
}
