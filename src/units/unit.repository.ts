/**
 * Hierarchy queries over the closure table. Each takes many units at once so that DataLoaders can batch them:
 * one statement per batch whatever the number of units.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Unit } from './unit.entity.js';
import type { UnitKind } from './unit-kind.js';

type Row = { key_id: number } & Record<string, unknown>;

function mapByKey(em: EntityManager, rows: Row[]): Map<number, Unit[]> {
  const out = new Map<number, Unit[]>();
  for (const { key_id, ...unit } of rows) {
    const list = out.get(key_id) ?? [];
    list.push(em.map(Unit, unit));
    out.set(key_id, list);
  }
  return out;
}

/** Ancestors of each unit, from the root down to its parent. */
export async function ancestorsOf(em: EntityManager, ids: readonly number[]): Promise<Map<number, Unit[]>> {
  // grain: one row per (unit asked for, ancestor)
  const rows = await em.execute<Row[]>(
    `select c.descendant_id as key_id, u.* from unit_closure c join unit u on u.id = c.ancestor_id
     where c.descendant_id in (?) and c.depth > 0 order by c.descendant_id, c.depth desc`,
    [ids],
  );
  return mapByKey(em, rows);
}

/** Every unit below each given unit (not the unit itself), optionally only of some kinds, by depth then code. */
export async function descendantsOf(em: EntityManager, ids: readonly number[], kinds: UnitKind[] | null): Promise<Map<number, Unit[]>> {
  // grain: one row per (unit asked for, descendant)
  const kindFilter = kinds ? `and u.kind in (?)` : '';
  const rows = await em.execute<Row[]>(
    `select c.ancestor_id as key_id, u.* from unit_closure c join unit u on u.id = c.descendant_id
     where c.ancestor_id in (?) and c.depth > 0 ${kindFilter} order by c.ancestor_id, c.depth, u.code`,
    kinds ? [ids, kinds] : [ids],
  );
  return mapByKey(em, rows);
}
