/**
 * Foreign keys checked once after a bulk load instead of once per row. A foreign key checks each inserted row with
 * a lookup of its own (a trigger per row): 190,000 reports cost about a second per key. Dropped before the load and
 * added again after it, exactly as the catalog defines them, a key checks every row at once (one anti-join).
 *
 * Only inside the transaction that loads the rows: dropping a key takes exclusive locks on both tables until
 * commit, so no other session ever sees them unchecked, and any failure (a violating row included) rolls the drop
 * back with the load.
 */
import type pg from 'pg';

/** Drops the foreign keys of `tables` and returns the statements that add them back; run those before commit. */
export function dropForeignKeys(client: pg.ClientBase, tables: string[]): Promise<string[]> {
  return dropConstraints(client, tables, 'f');
}

/** Drops the constraints of one type (`pg_constraint.contype`) of `tables`; returns the statements that add them back. */
async function dropConstraints(client: pg.ClientBase, tables: string[], type: 'f' | 'p'): Promise<string[]> {
  const { rows } = await client.query<{ drop: string; add: string }>(
    `select format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname) as drop,
            format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) as add
     from pg_constraint c
     where c.contype = $2 and c.conrelid = any($1::regclass[])
     order by c.conrelid::regclass::text, c.conname`,
    [tables, type],
  );
  for (const { drop } of rows) await client.query(drop);
  return rows.map((r) => r.add);
}

/**
 * Secondary indexes and unique constraints of `tables` (not primary keys, which other tables' keys refer to),
 * dropped for a bulk load and built again after it: one sorted build per index instead of an insertion per row.
 */
export async function dropSecondaryIndexes(client: pg.ClientBase, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ drop: string; add: string }>(
    `select case when c.oid is null then format('drop index %s', i.indexrelid::regclass)
                 else format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname) end as drop,
            case when c.oid is null then pg_get_indexdef(i.indexrelid)
                 else format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) end as add
     from pg_index i
     left join pg_constraint c on c.conindid = i.indexrelid and c.contype = 'u'
     where i.indrelid = any($1::regclass[]) and not i.indisprimary
     order by i.indexrelid::regclass::text`,
    [tables],
  );
  for (const { drop } of rows) await client.query(drop);
  return rows.map((r) => r.add);
}

/**
 * The primary keys of `tables`, dropped for a bulk load and added again after it: one index built from sorted rows
 * instead of an insertion per row (the rollup table's 266,000 rows at province scale: ~0.9 s → 0.3 s). Refused by
 * PostgreSQL if another table's key refers to one. Returns the statements that add them back.
 */
export function dropPrimaryKeys(client: pg.ClientBase, tables: string[]): Promise<string[]> {
  return dropConstraints(client, tables, 'p');
}
