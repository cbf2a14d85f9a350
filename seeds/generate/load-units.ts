/**
 * Loads generated units in bulk, in one transaction: one multi-row INSERT ... SELECT FROM unnest(...) per batch, level
 * by level, since the closure trigger on `unit` reads the parent's closure rows, which must exist before the child is
 * inserted. A failure leaves no part of the hierarchy behind.
 */
import type pg from 'pg';
import { dropForeignKeys } from './deferred-keys.js';
import type { GeneratedUnit } from './hierarchy.js';
import type { Progress } from './progress.js';
import { inTransaction } from './transaction.js';

/**
 * Units per statement, with fresh statistics as the table grows. Row triggers on `unit` may do more than add closure
 * rows (update the ancestors' rows, say): their plans are cached per session and made with the statistics of the
 * moment, and statistics that still say "empty table" make every such update a sequential scan, quadratic over a
 * large load (the national units took 2-3 minutes instead of 15 seconds). ANALYZE whenever the table has doubled
 * invalidates those plans.
 */
const BATCH = 250;

export async function unitCount(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ n: string }>('select count(*) as n from unit');
  return Number(rows[0].n);
}

/**
 * Empties units, reports and deadlines, and by cascade every table that refers to them. Call inside a transaction.
 *
 * report_revision refuses DELETE and TRUNCATE by trigger: accepted figures are immutable, the audit trail of the hub
 * (and so may other audit tables, such as a report's event log). Synthetic data is not an audit trail, so wiping it
 * before a new run is the one sanctioned exception. The guards are disabled only inside this transaction (ALTER
 * TABLE takes an exclusive lock, so no other session can slip a delete through) and enabled again before it
 * commits; dropping and recreating the tables is not an option. Every table with a TRUNCATE trigger is included,
 * because the cascade reaches tables a later migration adds.
 */
export async function resetData(client: pg.ClientBase): Promise<void> {
  await truncateGuarded(client, ['unit', 'unit_closure', 'report', 'report_revision', 'deadline_rule']);
}

/**
 * Truncates the report tables and the rollups, which must be empty (a database just reset, or one without units), so
 * that COPY FREEZE may write into them in this transaction. Their locks are taken first, `unit` before `rollup` as
 * the write path takes them, so no report can arrive in between.
 */
export async function emptyReportTables(client: pg.ClientBase): Promise<void> {
  await client.query('lock table unit, report, report_revision, rollup in access exclusive mode');
  const { rows } = await client.query<{ any: boolean }>(
    'select exists (select 1 from report) or exists (select 1 from report_revision) or exists (select 1 from rollup) as any');
  if (rows[0].any) throw new Error('reports arrived while the units were being loaded: run again with --reset');
  await truncateGuarded(client, ['report', 'report_revision', 'rollup']);
}

/** TRUNCATE … RESTART IDENTITY CASCADE with the truncate guards off for this transaction only (see resetData). */
async function truncateGuarded(client: pg.ClientBase, tables: string[]): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `select distinct c.relname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
     where not t.tgisinternal and c.relnamespace = current_schema()::regnamespace and t.tgtype & 32 <> 0 -- 32: TRUNCATE`,
  );
  const guarded = [...new Set(['report_revision', ...rows.map((r) => r.name)])].map((t) => client.escapeIdentifier(t));
  for (const table of guarded) await client.query(`alter table ${table} disable trigger user`);
  await client.query(`truncate ${tables.map((t) => client.escapeIdentifier(t)).join(', ')} restart identity cascade`);
  for (const table of guarded) await client.query(`alter table ${table} enable trigger user`);
}

/**
 * Inserts the units (parents before children) and returns the id of each code. The closure table's foreign keys are
 * checked once at the end (deferred-keys.ts): row by row they were two lookups per closure row, ~4.5 closure rows per
 * unit (units 0.9 → 0.6 s at province scale).
 */
export async function loadUnits(client: pg.ClientBase, units: GeneratedUnit[], progress: Progress): Promise<Map<string, number>> {
  const codes = new Set(units.map((u) => u.code));
  const orphan = units.find((u) => u.parentCode && !codes.has(u.parentCode));
  if (orphan) throw new Error(`unit ${orphan.code} names a parent ${orphan.parentCode} that was not generated`);
  const ids = new Map<string, number>();
  let analyzedAt = 0;
  progress.start('units', units.length);
  await inTransaction(client, async () => {
    const addKeys = await dropForeignKeys(client, ['unit_closure']);
    const depths = [...new Set(units.map((u) => u.depth))].sort((a, b) => a - b);
    for (const depth of depths) {
      const level = units.filter((u) => u.depth === depth);
      for (let i = 0; i < level.length; i += BATCH) {
        const batch = level.slice(i, i + BATCH);
        // The parent is found by code in SQL, so ids never travel back and forth; `with ordinality` keeps the
        // generator's order in the id sequence.
        const { rows } = await client.query<{ id: number; code: string }>(
          `insert into unit (code, name, kind, parent_id)
           select t.code, t.name, t.kind::unit_kind, p.id
           from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as t(code, name, kind, parent_code, n)
           left join unit p on p.code = t.parent_code
           order by t.n
           returning id, code`,
          [batch.map((u) => u.code), batch.map((u) => u.name), batch.map((u) => u.kind), batch.map((u) => u.parentCode)],
        );
        for (const row of rows) ids.set(row.code, row.id);
        progress.tick(batch.length);
        if (ids.size >= 2 * analyzedAt) {
          await client.query('analyze unit, unit_closure');
          analyzedAt = ids.size;
        }
      }
    }
    for (const sql of addKeys) await client.query(sql);
  });
  progress.finish();
  return ids;
}
