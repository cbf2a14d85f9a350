/**
 * A write transaction on one pooled connection, for the hot write path (submissions and reviews).
 *
 * Why not `em.transactional`: every statement through the ORM is interpolated client-side, so PostgreSQL parses and
 * plans each ~170-column statement anew, every statement is a round trip, and so is the commit after the last one.
 * Here every statement is prepared once per connection, and the transaction takes three messages: BEGIN with the
 * `opening` statements (the locks and what the write must read), then `work`'s statements, then the `last` statement
 * with COMMIT. So the row locks `last` takes (the rollup rows every submitter of a city shares) are held only while
 * PostgreSQL runs it and flushes the commit, never while this process gets round to sending COMMIT. The opening and
 * last statements are PREPAREd in SQL and EXECUTEd with their values as quoted literals (a message that carries
 * several statements cannot carry bound parameters); the others are named statements of the protocol.
 *
 * SQL is written with `?` placeholders, as for `em.execute` (statements are put together from parts, which `$n`
 * numbering would make fragile). Inside a transaction the ORM already runs (the demo seed: thousands of reports in
 * one transaction), the same statements run through that transaction (a savepoint), PREPAREd in SQL there too:
 * interpolated by the ORM, each 170-column statement was parsed and planned afresh, ~30 ms a report. Each statement
 * counts as one of the request's statements, as prepared reads do (db/prepared.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { prepared, type PreparedStatement } from './prepared.js';
import { countStatement } from './query-counter.js';

export interface Sql {
  /** Runs one statement with `?` placeholders; its rows. */
  query<R = Record<string, unknown>>(sql: string, values?: readonly unknown[]): Promise<R[]>;
}

/** A statement with `?` placeholders and its values. */
export interface Statement {
  sql: string;
  values: readonly unknown[];
}

type Rows = Record<string, unknown>[];

/**
 * Runs `opening` (their rows go to `work`), then `work`, and commits with the `last` statement `work` returns.
 * `work` must run every statement through the `Sql` it is given (the ORM's pool is not to be waited on while this
 * connection is held). On the pool, BEGIN and the opening statements are one message, and `last` and COMMIT another.
 */
export async function writeTransaction<T>(
  em: EntityManager,
  opening: Statement[],
  work: (sql: Sql, opened: Rows[]) => Promise<{ result: T; last: Statement | null }>,
): Promise<T> {
  if (em.isInTransaction()) {
    return em.transactional(async (tx) => {
      // The transaction's connection is the ORM's to choose: which statements it holds prepared is asked, not tracked.
      // (PREPARE outlives a rolled-back savepoint, so what the catalog lists is there.) Names end in _t, apart from
      // the pool path's _x, which tracks its own per connection.
      await tx.execute('set local plan_cache_mode = force_generic_plan');
      const held = await tx.execute<{ name: string }[]>("select name from pg_prepared_statements where name like 'hub\\_%\\_t'");
      const done = new Set(held.map((r) => r.name));
      const sql: Sql = {
        async query<R>(text: string, values: readonly unknown[] = []) {
          const p = statement(text);
          const name = `${p.name}_t`;
          if (!done.has(name)) {
            await tx.execute(`prepare ${name} as ${p.text}`);
            done.add(name);
          }
          return (await tx.execute(executeText(name, values))) as R[];
        },
      };
      const opened: Rows[] = [];
      for (const s of opening) opened.push(await sql.query(s.sql, s.values));
      const { result, last } = await work(sql, opened);
      if (last) await sql.query(last.sql, last.values);
      return result;
    });
  }
  return pooledTransaction(em, async (client, message) => {
    const sql: Sql = {
      async query<R>(text: string, values: readonly unknown[] = []) {
        const { name, text: pgText } = statement(text);
        countStatement();
        return (await client.query({ name, text: pgText, values: [...values] })).rows as R[];
      },
    };
    const opened = await message(opening);
    const { result, last } = await work(sql, opened);
    await message(last ? [last] : [], ['commit']);
    return result;
  });
}

/** Sends statements as one message in a batch transaction and returns the rows of each. */
export type SendMessage = (statements: Statement[]) => Promise<Rows[]>;

/**
 * A transaction on one pooled connection whose statements go in messages of many, for a batch of writes
 * (reports/submission-batch.ts): `run` gets `send`, each call one message (the first opens the transaction), and
 * `commit`, which sends its statements and COMMIT as the last message. Statements are prepared once per connection
 * and EXECUTEd with literal values, as the single write path's opening and last statements are. Any error rolls the
 * whole transaction back and is thrown: nothing of the batch is saved.
 */
export function batchTransaction<T>(em: EntityManager, run: (send: SendMessage, commit: SendMessage) => Promise<T>): Promise<T> {
  return pooledTransaction(em, (_client, message) => run((statements) => message(statements), (statements) => message(statements, ['commit'])));
}

/**
 * A transaction on a connection of the pool, for both write paths: `run` gets the connection and `message`, which
 * sends `statements` (prepared on this connection first where they are not yet) as EXECUTEs in one message, then the
 * `closing` ones (COMMIT), and returns the rows of `statements`. The first message opens the transaction. Any error
 * rolls it back and is thrown; a connection that cannot even roll back is discarded.
 */
async function pooledTransaction<T>(
  em: EntityManager,
  run: (client: pg.PoolClient, message: (statements: Statement[], closing?: string[]) => Promise<Rows[]>) => Promise<T>,
): Promise<T> {
  const client = await ((await em.getConnection().getNativeClient()) as pg.Pool).connect();
  /** Sends one message of `statements` (simple protocol, so no parameters) and returns the rows of each. */
  const raw = async (...statements: string[]): Promise<Rows[]> => {
    statements.forEach(() => countStatement());
    const results = (await client.query(statements.join('; '))) as unknown as pg.QueryResult | pg.QueryResult[];
    return (Array.isArray(results) ? results : [results]).map((r) => r.rows);
  };
  let begun = false;
  const message = async (statements: Statement[], closing: string[] = []): Promise<Rows[]> => {
    await prepare(client, statements, raw);
    // Generic plans from the first execution: the custom plans PostgreSQL tries first cost ~10 ms each here.
    const opening = begun ? [] : ['begin', 'set local plan_cache_mode = force_generic_plan'];
    begun = true;
    const rows = await raw(...opening, ...statements.map(executeStatement), ...closing);
    return rows.slice(opening.length, opening.length + statements.length);
  };
  let broken: Error | undefined;
  try {
    return await run(client, message);
  } catch (error) {
    await client.query('rollback').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** EXECUTE of a statement prepared on this connection (`prepare`); the prepared statement's casts type the literals. */
function executeStatement(s: Statement): string {
  return executeText(sqlName(statement(s.sql)), s.values);
}

/** EXECUTE of the prepared statement `name` with `values` as literals. */
const executeText = (name: string, values: readonly unknown[]) => (values.length ? `execute ${name}(${values.map(literal).join(', ')})` : `execute ${name}`);

/** Prepares (SQL PREPARE, in one message) those of `statements` not yet prepared on this connection. */
async function prepare(client: pg.PoolClient, statements: Statement[], send: (...sql: string[]) => Promise<Rows[]>): Promise<void> {
  const done = preparedOn(client);
  const missing = [...new Set(statements.map((s) => statement(s.sql)))].filter((p) => !done.has(sqlName(p)));
  if (!missing.length) return;
  await send(...missing.map((p) => `prepare ${sqlName(p)} as ${p.text}`));
  for (const p of missing) done.add(sqlName(p));
}

/** PREPARE and the protocol's named statements share one namespace: a text may be used both ways, under two names. */
const sqlName = (p: PreparedStatement) => `${p.name}_x`;

const statements = new Map<string, PreparedStatement>();

/** The prepared statement of a text, made once (the write path sends the same few texts again and again). */
function statement(text: string): PreparedStatement {
  let s = statements.get(text);
  if (!s) statements.set(text, (s = prepared(text)));
  return s;
}

const preparedStatements = new WeakMap<pg.PoolClient, Set<string>>();
function preparedOn(client: pg.PoolClient): Set<string> {
  let set = preparedStatements.get(client);
  if (!set) preparedStatements.set(client, (set = new Set()));
  return set;
}

/** node-postgres's own conversion of a parameter to its text form (exported at runtime, not in its types). */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

/**
 * An EXECUTE argument, on either path: the prepared statement's casts give it its type. Numbers and booleans as they
 * are; anything else in the text form node-postgres would send as a parameter (arrays as array literals, dates as
 * timestamps, objects as JSON), quoted.
 */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  const text = prepareValue(value);
  if (typeof text !== 'string') throw new Error(`no literal form for a ${typeof text} value`);
  return quoteLiteral(text);
}

/**
 * A string as a SQL literal, exactly as node-postgres's `escapeLiteral` quotes it (quotes doubled; with a backslash,
 * an E'' literal with backslashes doubled), by native replaces instead of its character-by-character loop: a
 * submission's texts (its figures as submitted, its changes with their Chinese labels) run to kilobytes, and that
 * loop was ~4 % of the hub's CPU under 32 submitters.
 */
export function quoteLiteral(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
