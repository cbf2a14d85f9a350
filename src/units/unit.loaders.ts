/**
 * Per-request DataLoaders for the unit hierarchy: however many units a query touches, each kind of lookup
 * costs one SQL statement per level of nesting.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { prepared, queryPrepared } from '../db/prepared.js';
import { couldBeUnitCode } from './unit-code.js';
import { Unit } from './unit.entity.js';
import type { UnitKind } from './unit-kind.js';
import { ancestorsOf, descendantsOf } from './unit.repository.js';

export interface UnitLoaders {
  byId: DataLoader<number, Unit | null>;
  byCode: DataLoader<string, Unit | null>;
  children: DataLoader<number, Unit[]>;
  ancestors: DataLoader<number, Unit[]>;
  /** Keyed by unit id and kind filter: `${id}|KIND,KIND` or `${id}|` for all kinds. */
  descendants: DataLoader<string, Unit[]>;
  /** Keyed `${ancestorId}|${descendantId}`: is the second unit in the first one's subtree? */
  within: DataLoader<string, boolean>;
}

// Every request looks units up by code or id first: prepared statements whose rows become managed entities
// (em.map), which costs a fraction of em.find building and running a query builder each time.
export const UNIT_COLUMNS = 'id, code, name, kind, parent_id, created_at';
const BY_ID = prepared(`select ${UNIT_COLUMNS} from unit where id = any(?::int[])`);
const BY_CODE = prepared(`select ${UNIT_COLUMNS} from unit where code = any(?::text[])`);
// The access check of every OVERSIGHT or ADMIN request below its own unit: is each (ancestor, descendant) pair in the
// closure table?
const WITHIN = prepared(`select c.ancestor_id as a, c.descendant_id as d from unnest(?::int[], ?::int[]) as k(a, d)
  join unit_closure c on c.ancestor_id = k.a and c.descendant_id = k.d`);
const mapUnits = (em: EntityManager, rows: Record<string, unknown>[]) => rows.map((row) => em.map(Unit, row));

export function createUnitLoaders(em: EntityManager): UnitLoaders {
  const byId = new DataLoader<number, Unit | null>(async (ids) => {
    const units = mapUnits(em, await queryPrepared(em, BY_ID, [[...ids]]));
    const found = new Map(units.map((u) => [u.id, u]));
    return ids.map((id) => found.get(id) ?? null);
  });
  const byCode = new DataLoader<string, Unit | null>(async (codes) => {
    // A code no unit can have (a NUL byte, say, which PostgreSQL refuses in text) is not looked up: it names none.
    const units = mapUnits(em, await queryPrepared(em, BY_CODE, [codes.filter(couldBeUnitCode)]));
    for (const u of units) byId.prime(u.id, u);
    const found = new Map(units.map((u) => [u.code, u]));
    return codes.map((c) => found.get(c) ?? null);
  });
  const children = new DataLoader<number, Unit[]>(async (ids) => {
    const units = await em.find(Unit, { parent: { $in: [...ids] } }, { orderBy: { code: 'asc' } });
    const byParent = new Map<number, Unit[]>();
    for (const u of units) {
      byId.prime(u.id, u);
      const list = byParent.get(u.parent!.id) ?? [];
      list.push(u);
      byParent.set(u.parent!.id, list);
    }
    return ids.map((id) => byParent.get(id) ?? []);
  });
  const ancestors = new DataLoader<number, Unit[]>(async (ids) => {
    const found = await ancestorsOf(em, ids);
    return ids.map((id) => found.get(id) ?? []);
  });
  const descendants = new DataLoader<string, Unit[]>(async (keys) => {
    // One statement per distinct kind filter in the batch (in practice one).
    const byFilter = new Map<string, number[]>();
    for (const key of keys) {
      const [id, filter] = key.split('|');
      byFilter.set(filter, [...(byFilter.get(filter) ?? []), Number(id)]);
    }
    const results = new Map<string, Unit[]>();
    for (const [filter, ids] of byFilter) {
      const kinds = filter ? (filter.split(',') as UnitKind[]) : null;
      const found = await descendantsOf(em, ids, kinds);
      for (const id of ids) results.set(`${id}|${filter}`, found.get(id) ?? []);
    }
    return keys.map((k) => results.get(k) ?? []);
  });
  const within = new DataLoader<string, boolean>(async (keys) => {
    const pairs = keys.map((k) => k.split('|').map(Number));
    const rows = await queryPrepared<{ a: number; d: number }>(em, WITHIN, [pairs.map(([a]) => a), pairs.map(([, d]) => d)]);
    const found = new Set(rows.map((r) => `${r.a}|${r.d}`));
    return keys.map((k) => found.has(k));
  });
  return { byId, byCode, children, ancestors, descendants, within };
}

export function descendantsKey(id: number, kinds: UnitKind[] | null | undefined): string {
  return `${id}|${kinds?.length ? [...new Set(kinds)].sort().join(',') : ''}`;
}
