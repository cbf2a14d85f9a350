/**
 * The hot path of `rollup` when pre-aggregated: the unit named by its code and its row of the `rollup` table, in
 * one prepared statement returning the cells as a single array literal. It gives exactly what `aggregate` gives for
 * one unit's subtree (the benchmark and test/rollups check both modes cell by cell); it exists because this read is
 * what dashboards poll: on this machine each round trip to PostgreSQL costs ~80 µs of system time in Node alone,
 * and 170 separate columns cost more in the driver than the read costs in PostgreSQL.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteralItems, cellsArraySql, valuesFromList } from '../format/figures.js';
import { prepared, queryPrepared } from '../db/prepared.js';
import type { Basis } from '../reports/report-status.js';
import { Unit } from '../units/unit.entity.js';
import { UNIT_COLUMNS } from '../units/unit.loaders.js';
import { periodKey, type AggregateRow } from './aggregate.sql.js';

const COUNTS = ['annual_units', 'unit_count - annual_units', 'unit_months'];

const READ = prepared(`
  select ${UNIT_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')},
    (select ${cellsArraySql('r', COUNTS)}
     from rollup r where r.unit_id = u.id and r.basis = ? and r.year = ? and r.period = ? and r.unit_count > 0) as cells
  from unit u where u.code = ?`);

export interface UnitRollup {
  /** The unit with that code (managed by `em`), or null when there is none. */
  unit: Unit | null;
  /** Its subtree's sums for the period, or null when nothing below it was reported. */
  row: AggregateRow | null;
}

export async function readUnitRollup(em: EntityManager, code: string, basis: Basis, year: number, time: { firstMonth: number; lastMonth: number; useAnnual: boolean }): Promise<UnitRollup> {
  // Values in the order of the placeholders in the text: the subquery's first, the unit's code last.
  const [found] = await queryPrepared<Record<string, unknown> & { cells: string | null }>(em, READ, [basis, year, periodKey(time), code]);
  if (!found) return { unit: null, row: null };
  const { cells: text, ...unitRow } = found;
  const unit = em.map(Unit, unitRow);
  if (text === null) return { unit, row: null };
  const items = arrayLiteralItems(text);
  return {
    unit,
    row: { groupId: unit.id, values: valuesFromList(items, COUNTS.length), annualUnits: Number(items[0]), monthlyUnits: Number(items[1]), months: Number(items[2]) },
  };
}
