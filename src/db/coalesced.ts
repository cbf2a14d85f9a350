/**
 * A hot read shared by the requests that ask it in the same turn of the event loop: they wait for the end of the
 * turn (`setImmediate`, microseconds) and go together, as one statement over arrays of their parameters (`unnest …
 * with ordinality`, the read itself joined laterally), and each gets its own rows back.
 * Under load a dashboard's polls arrive faster than PostgreSQL answers them one by one; each round trip costs the
 * hub a socket write and read (the largest single cost of a pre-aggregated rollup read in a CPU profile) and
 * PostgreSQL a statement.
 * Reads only, outside transactions: inside one, the statement runs alone on the transaction's connection.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { poolOf, prepared, queryPrepared, type PreparedStatement } from './prepared.js';
import { countStatement } from './query-counter.js';

export interface CoalescedRead {
  /** The read for one request, as written (what runs inside a transaction). */
  single: PreparedStatement;
  /** The same for many: one parameter array per placeholder, rows tagged with the request's place (`coalesced_index`). */
  batch: PreparedStatement;
  placeholders: number;
}

/**
 * `sql` with `?` placeholders, `types` the PostgreSQL type of each in order (they become arrays of that type).
 * The read must name its columns uniquely and must not use the column name `coalesced_index`.
 */
export function coalescedRead(sql: string, types: string[]): CoalescedRead {
  const names = types.map((_, i) => `p${i + 1}`);
  let n = 0;
  const lateral = sql.replace(/\?/g, () => {
    if (n >= types.length) throw new Error('coalescedRead: more placeholders than types');
    const i = n++;
    return `q.${names[i]}::${types[i]}`;
  });
  if (n !== types.length) throw new Error(`coalescedRead: ${n} placeholders for ${types.length} types`);
  const batch = `select q.coalesced_index::int as coalesced_index, x.*
    from unnest(${types.map((t) => `?::${t}[]`).join(', ')}) with ordinality as q (${names.join(', ')}, coalesced_index)
    cross join lateral (${lateral}) x`;
  return { single: prepared(sql), batch: prepared(batch), placeholders: n };
}

interface Waiting {
  values: unknown[];
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (error: unknown) => void;
}

/** Bounds one statement's arrays; the rest go in another statement of the same turn. */
export const MAX_BATCH = 64;

/** The requests waiting for the end of this turn, per pool and statement. */
const waitingOf = new WeakMap<pg.Pool, Map<string, Waiting[]>>();

/** What the coalescing did in this process so far: statements sent and requests they answered. */
export const coalescingStats = { statements: 0, requests: 0 };

export async function queryCoalesced<T = Record<string, unknown>>(em: EntityManager, read: CoalescedRead, values: unknown[]): Promise<T[]> {
  if (em.isInTransaction()) return queryPrepared<T>(em, read.single, values);
  // Counted for the request that asked, whichever statement answers it: the request cost one statement.
  countStatement();
  const pool = await poolOf(em);
  let byStatement = waitingOf.get(pool);
  if (!byStatement) waitingOf.set(pool, (byStatement = new Map()));
  let waiting = byStatement.get(read.batch.name);
  if (!waiting) byStatement.set(read.batch.name, (waiting = []));
  const rows = new Promise<Record<string, unknown>[]>((resolve, reject) => waiting.push({ values, resolve, reject }));
  // The first to wait sends for all after the turn: the requests whose data arrived with it get there by then.
  if (waiting.length === 1) setImmediate(() => sendAll(pool, read, waiting.splice(0)));
  return rows as Promise<T[]>;
}

function sendAll(pool: pg.Pool, read: CoalescedRead, waiting: Waiting[]): void {
  for (let i = 0; i < waiting.length; i += MAX_BATCH) send(pool, read, waiting.slice(i, i + MAX_BATCH));
}

function send(pool: pg.Pool, read: CoalescedRead, batch: Waiting[]): void {
  coalescingStats.statements++;
  coalescingStats.requests += batch.length;
  // One array per placeholder: the k-th holds the k-th value of every request, in the order they came.
  const columns = Array.from({ length: read.placeholders }, (_, k) => batch.map((w) => w.values[k]));
  pool.query({ name: read.batch.name, text: read.batch.text, values: columns }).then(
    (result) => {
      const answers: Record<string, unknown>[][] = batch.map(() => []);
      for (const row of result.rows as Record<string, unknown>[]) answers[(row.coalesced_index as number) - 1].push(row);
      batch.forEach((w, i) => w.resolve(answers[i]));
    },
    (error: unknown) => batch.forEach((w) => w.reject(error)),
  );
}
