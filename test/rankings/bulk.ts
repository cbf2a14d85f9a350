/**
 * Large trees for the statement-count tests, inserted with SQL (the API would take minutes for hundreds of units):
 * the closure trigger keeps `unit_closure`; a report needs `current_revision = 1` and one `report_revision` with
 * revision 1, whose figure columns default to 0 (balanced). The pre-aggregated rollups are then rebuilt in bulk.
 */
import { rebuildRollups } from '../../src/rollups/preaggregate.js';
import type { TestHub } from '../support/test-hub.js';

/** A prefecture `<prefix>00` with `districts` districts of `towns` towns each; returns the number of units. */
export async function insertTree(hub: TestHub, prefix: string, districts: number, towns: number): Promise<number> {
  await hub.db.sql(`insert into unit (code, name, kind) values ($1, $2, 'PREFECTURE')`, [`${prefix}00`, `市${prefix}`]);
  await hub.db.sql(
    `insert into unit (code, name, kind, parent_id)
     select $1 || lpad(d::text, 2, '0'), '区' || d, 'DISTRICT', (select id from unit where code = $1 || '00') from generate_series(1, $2) d`,
    [prefix, districts],
  );
  await hub.db.sql(
    `insert into unit (code, name, kind, parent_id)
     select u.code || lpad((100 + t)::text, 3, '0'), u.name || '镇' || t, 'TOWN', u.id
     from unit u cross join generate_series(1, $2) t where u.code like $1 || '__' and u.kind = 'DISTRICT'`,
    [prefix, towns],
  );
  const [{ n }] = await hub.db.sql<{ n: string }>(`select count(*) as n from unit_closure c join unit a on a.id = c.ancestor_id where a.code = $1`, [`${prefix}00`]);
  return Number(n);
}

/**
 * A SELF monthly report for every unit of a subtree: 10-16 new applications (自然人), 5-9 granted, the rest 本机关不掌握.
 * Returns the number of reports.
 */
export async function insertMonthlyReports(hub: TestHub, rootCode: string, year: number, month: number): Promise<number> {
  const rows = await hub.db.sql(
    `with targets as (
       select c.descendant_id as unit_id from unit_closure c join unit a on a.id = c.ancestor_id where a.code = $1
     ),
     ins as (
       insert into report (unit_id, year, month, scope, current_revision, first_submitted_at)
       select unit_id, $2, $3, 'SELF', 1, now() from targets returning id, unit_id
     )
     insert into report_revision (report_id, revision, a_new_received__natural_person, a_granted__natural_person, a_unable_not_held__natural_person)
     select id, 1, 10 + unit_id % 7, 5 + unit_id % 5, 5 + unit_id % 7 - unit_id % 5 from ins
     returning id`,
    [rootCode, year, month],
  );
  // A bulk load bypasses the write path: it rebuilds the pre-aggregated rollups in bulk, as the generator does.
  await rebuildRollups(hub.db.orm.em.fork());
  return rows.length;
}
