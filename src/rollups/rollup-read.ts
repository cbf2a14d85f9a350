/**
 * The hot path of `rollup` when pre-aggregated: the unit named by its code, its row of the `rollup` table and, for a
 * token of one unit, that unit and whether the named one lies in its subtree (the access check), in one prepared
 * statement returning the cells as a single array literal. It gives exactly what `aggregate` gives for one unit's
 * subtree (the benchmark and test/rollups check both modes cell by cell); it exists because this read is what
 * dashboards poll: on this machine each round trip to PostgreSQL costs ~80 µs of system time in Node alone, and 170
 * separate columns cost more in the driver than the read costs in PostgreSQL. For the same reason the reads of one
 * turn of the event loop share a round trip (`db/coalesced.ts`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { arrayLiteralItems, cellsArraySql, listFromItems, type CellList } from '../format/figures.js';
import { coalescedRead, queryCoalesced } from '../db/coalesced.js';
import type { Basis } from '../reports/report-status.js';
import { Unit } from '../units/unit.entity.js';
import { UNIT_COLUMNS } from '../units/unit.loaders.js';
import { periodKey } from './aggregate.sql.js';

const COUNTS = ['annual_units', 'unit_count - annual_units', 'unit_months'];

const UNIT = UNIT_COLUMNS.split(', ');
const READ = coalescedRead(`
  select ${UNIT.map((c) => `u.${c}`).join(', ')},
    (select ${cellsArraySql('r', COUNTS)}
     from rollup r where r.unit_id = u.id and r.basis = ? and r.year = ? and r.period = ? and r.unit_count > 0) as cells,
    ${UNIT.map((c) => `v.${c} as viewer_${c}`).join(', ')},
    exists (select 1 from unit_closure c where c.ancestor_id = v.id and c.descendant_id = u.id) as viewer_within
  from unit u left join unit v on v.code = ?
  where u.code = ?`, ['varchar', 'int', 'int', 'varchar', 'varchar']);

/** A unit the read found: its id, and the managed entity, made (`em.map`) the first time it is asked for. */
export interface FoundUnit {
  id: number;
  unit: () => Unit;
}

export interface UnitRollup {
  /** The unit with that code, or null when there is none. */
  unit: FoundUnit | null;
  /** Its subtree's sums for the period (the cells in catalogue order), or null when nothing below it was reported. */
  row: { list: CellList; annualUnits: number; monthlyUnits: number; months: number } | null;
  /** Asked with a viewer's unit code: that unit (null when there is none) and whether `unit` is in its subtree. */
  viewer: { unit: FoundUnit | null; within: boolean } | null;
}

/**
 * The unit in columns `prefix` + column of `found`. Mapping a row into a managed entity (identity map, change
 * tracking, a reference for its parent) was a fifth of a rollup read's time in Node; most rollup reads never use the
 * entities, so they are made only when a field or a check needs them.
 */
function foundUnit(em: EntityManager, found: Record<string, unknown>, prefix: string): FoundUnit {
  let unit: Unit | undefined;
  return { id: found[`${prefix}id`] as number, unit: () => (unit ??= em.map(Unit, Object.fromEntries(UNIT.map((c) => [c, found[`${prefix}${c}`]])))) };
}

/** `viewerCode`: the unit code of the token (null for a token of the whole hierarchy, which needs no check). */
export async function readUnitRollup(em: EntityManager, code: string, basis: Basis, year: number, time: { firstMonth: number; lastMonth: number; useAnnual: boolean }, viewerCode: string | null): Promise<UnitRollup> {
  // Values in the order of the placeholders in the text: the subquery's first, then the viewer's code, the unit's last.
  const [found] = await queryCoalesced<Record<string, unknown>>(em, READ, [basis, year, periodKey(time), viewerCode, code]);
  if (!found) return { unit: null, row: null, viewer: null };
  const unit = foundUnit(em, found, '');
  const viewer = viewerCode === null ? null : { unit: found.viewer_id === null ? null : foundUnit(em, found, 'viewer_'), within: found.viewer_within as boolean };
  const text = found.cells as string | null;
  if (text === null) return { unit, row: null, viewer };
  const items = arrayLiteralItems(text);
  return {
    unit,
    row: { list: listFromItems(items, COUNTS.length), annualUnits: Number(items[0]), monthlyUnits: Number(items[1]), months: Number(items[2]) },
    viewer,
  };
}
