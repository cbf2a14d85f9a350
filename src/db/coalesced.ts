/**
 * A hot read shared by the requests that ask it in the same turn of the event loop: they wait for the end of the
 * turn (`setImmediate`, microseconds) and go together, as one statement over a VALUES list of their parameters (the
 * read itself joined laterally), and each gets its own rows back.
 * Under load a dashboard's polls arrive faster than PostgreSQL answers them one by one; each round trip costs the
 * hub a socket write and read (the largest single cost of a pre-aggregated rollup read in a CPU profile) and
 * PostgreSQL a statement.
 * Why VALUES and not `unnest` of parameter arrays: PostgreSQL cannot know an array's length when it plans a
 * prepared statement once for all executions (it guesses 10 rows), so it planned the unnest form afresh at every
 * execution (~0.4 ms of the server's time each). A VALUES list has as many rows as it has, so its one plan is kept.
 * Lists come in sizes 1, 2, 4, 8, ... (a few statements per connection, not one per batch size); the rows that
 * pad a batch to its size are all NULL and filtered out before the read runs.
 * A statement PostgreSQL refuses is sent again for each of its requests alone: one request's values never fail
 * another's read.
 * Reads only, outside transactions: inside one, the statement runs alone on the transaction's connection.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { poolOf, prepared, queryPrepared, type PreparedStatement } from './prepared.js';
import { countStatement } from './query-counter.js';

export interface CoalescedRead {
  /** The read for one request, as written (what runs inside a transaction). */
  single: PreparedStatement;
  /** The same for `size` requests (a power of two): rows tagged with the request's place, `coalesced_index` (1-based). */
  batch(size: number): PreparedStatement;
  placeholders: number;
}

/** Bounds one statement's list; the rest go in another statement of the same turn. A power of two. */
export const MAX_BATCH = 64;

/**
 * `sql` with `?` placeholders, `types` the PostgreSQL type of each in order. The read must name its columns
 * uniquely and must not use the column name `coalesced_index`.
 */
export function coalescedRead(sql: string, types: string[]): CoalescedRead {
  const names = types.map((_, i) => `p${i + 1}`);
  let n = 0;
  const lateral = sql.replace(/\?/g, () => {
    if (n >= types.length) throw new Error('coalescedRead: more placeholders than types');
    return `q.${names[n++]}`;
  });
  if (n !== types.length) throw new Error(`coalescedRead: ${n} placeholders for ${types.length} types`);
  const batches = new Map<number, PreparedStatement>();
  const batch = (size: number) => {
    let statement = batches.get(size);
    if (!statement) {
      const row = `(?::int, ${types.map((t) => `?::${t}`).join(', ')})`;
      statement = prepared(`select q.coalesced_index, x.*
        from (values ${Array.from({ length: size }, () => row).join(', ')}) as q (coalesced_index, ${names.join(', ')})
        cross join lateral (${lateral}) x
        where q.coalesced_index is not null`);
      batches.set(size, statement);
    }
    return statement;
  };
  return { single: prepared(sql), batch, placeholders: n };
}

/** The smallest list size (a power of two) that holds `n` requests. */
const sizeFor = (n: number) => 2 ** Math.ceil(Math.log2(n));

interface Waiting {
  values: unknown[];
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (error: unknown) => void;
}

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
  let waiting = byStatement.get(read.single.name);
  if (!waiting) byStatement.set(read.single.name, (waiting = []));
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
  // A row per request, in the order they came: its place, then its values; then rows of NULLs up to the list's size.
  const size = sizeFor(batch.length);
  const values: unknown[] = [];
  batch.forEach((w, i) => values.push(i + 1, ...w.values));
  for (let k = values.length; k < size * (read.placeholders + 1); k++) values.push(null);
  const statement = read.batch(size);
  pool.query({ name: statement.name, text: statement.text, values }).then(
    (result) => {
      const answers: Record<string, unknown>[][] = batch.map(() => []);
      for (const row of result.rows as Record<string, unknown>[]) answers[(row.coalesced_index as number) - 1].push(row);
      batch.forEach((w, i) => w.resolve(answers[i]));
    },
    (error: unknown) => {
      // One request's values can fail a statement for all (a value PostgreSQL refuses): each is asked again alone,
      // so that it fails only itself.
      if (batch.length === 1) batch[0].reject(error);
      else for (const w of batch) send(pool, read, [w]);
    },
  );
}
