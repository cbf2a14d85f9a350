/**
 * Hot reads as named prepared statements on the ORM's own pg pool. MikroORM sends every statement as text with the
 * parameters interpolated, so PostgreSQL parses and plans a 170-column read afresh each time and Node writes
 * kilobytes of SQL per request; a named statement is parsed and planned once per connection and then only bound.
 * Used for reads outside transactions only: inside one, the statement goes through the transaction's connection.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { perConnection } from './per-connection.js';
import { countStatement } from './query-counter.js';

export interface PreparedStatement {
  /** Derived from the text, so a name can never stand for two different statements on one connection. */
  name: string;
  /** The SQL as written, with `?` placeholders as for `em.execute` (what runs inside an ORM transaction). */
  sql: string;
  /** The same with `$1`, `$2`, ... in their place, as PostgreSQL prepares it. */
  text: string;
}

/** A statement from SQL with `?` placeholders (statements are put together from parts: `$n` would be fragile). */
export function prepared(sql: string): PreparedStatement {
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  return { name: `hub_${createHash('sha256').update(text).digest('hex').slice(0, 20)}`, sql, text };
}

export const poolOf = perConnection((em) => em.getConnection().getNativeClient() as Promise<pg.Pool>);

export async function queryPrepared<T>(em: EntityManager, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  // In a transaction the read must see its writes: the ORM runs it there, filling in the values itself (an array
  // becomes a list, hence `array[?]`).
  if (em.isInTransaction()) {
    let i = 0;
    return em.execute<T[]>(statement.sql.replace(/\?/g, () => (Array.isArray(values[i++]) ? 'array[?]' : '?')), values);
  }
  countStatement();
  const result = await (await poolOf(em)).query({ name: statement.name, text: statement.text, values });
  return result.rows as T[];
}
