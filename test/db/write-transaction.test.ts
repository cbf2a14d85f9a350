/**
 * The write path's transaction (src/db/write-transaction.ts) on its two paths: on the pool (named statements, BEGIN
 * and COMMIT in the same messages as the first and last statements) and inside a transaction the ORM already runs
 * (the demo seed), where every statement is PREPAREd in SQL and EXECUTEd with its values as quoted literals. Both
 * must store exactly what they are given, whatever characters it holds, and a failure must undo only its own write.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { quoteLiteral, writeTransaction, type Sql } from '../../src/db/write-transaction.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql('create table probe (id serial primary key, t text, n numeric, b boolean, d timestamptz, j jsonb, a int[], nothing text)');
});
afterAll(() => db.drop());

const INSERT = `insert into probe (t, n, b, d, j, a, nothing) values (?::text, ?::numeric, ?::boolean, ?::timestamptz, ?::jsonb, ?::int[], ?::text)
  returning id, t, n::text, b, d, j, a, nothing`;
const tricky = (label: string) => [
  `${label}: it's a ? and a $1 and a back\\slash, 清远市 "quoted"; drop table probe; --`,
  12345.6789,
  true,
  new Date('2025-03-30T10:00:00.123Z'),
  { source: "o'clock ? $2", nested: ['清远', null, 1.5] },
  [3, 1, 2],
  null,
];

const insertWith = (sql: Sql, values: unknown[]) => sql.query<Record<string, unknown>>(INSERT, values);

describe('writeTransaction', () => {
  it('stores every kind of value exactly, on the pool and inside an ORM transaction alike', async () => {
    const onPool = await writeTransaction(db.orm.em.fork(), [], async (sql) => ({ result: (await insertWith(sql, tricky('pool')))[0], last: null }));
    const inside = await db.orm.em.fork().transactional((tx) =>
      writeTransaction(tx, [], async (sql) => ({ result: (await insertWith(sql, tricky('inside')))[0], last: null })));
    for (const [row, label] of [[onPool, 'pool'], [inside, 'inside']] as const) {
      const [t, , b, d, j, a] = tricky(label);
      // The ORM's connection hands timestamps back as text, the pool's as Dates: the instant is what must agree.
      expect({ ...row, d: new Date(row.d as string).toISOString() }).toEqual({ id: expect.any(Number), t, n: '12345.6789', b, d: (d as Date).toISOString(), j, a, nothing: null });
    }
    const stored = await db.sql<{ t: string }>('select t from probe order by id');
    expect(stored.map((r) => r.t)).toEqual([tricky('pool')[0], tricky('inside')[0]]);
  });

  it('sends the opening statements on the pool as literals that store every kind of value exactly', async () => {
    const opened = await writeTransaction(db.orm.em.fork(), [{ sql: INSERT, values: tricky('opening') }], async (_sql, rows) => ({ result: rows[0][0], last: null }));
    const [t, , b, d, j, a] = tricky('opening');
    expect({ ...opened, d: new Date(opened.d as string).toISOString() }).toEqual({ id: expect.any(Number), t, n: '12345.6789', b, d: (d as Date).toISOString(), j, a, nothing: null });
  });

  it('quotes a literal exactly as node-postgres does, and PostgreSQL reads back the text given', async () => {
    const texts = ["plain", "it's", "''", "back\\slash", "\\'", "end\\", "清远市 “引号” 'x'", "", "line\nbreak\ttab", "$1 ? ;--"];
    for (const text of texts) expect(quoteLiteral(text)).toBe(pg.escapeLiteral(text));
    const [row] = await db.sql<Record<string, string>>(`select ${texts.map((text, i) => `${quoteLiteral(text)} as t${i}`).join(', ')}`);
    expect(texts.map((_, i) => row[`t${i}`])).toEqual(texts);
  });

  it('runs the same statement again from its SQL-prepared form inside a transaction, and the last one too', async () => {
    const rows = await db.orm.em.fork().transactional(async (tx) => {
      const first = await writeTransaction(tx, [], async (sql) => ({ result: await insertWith(sql, tricky('again 1')), last: null }));
      const second = await writeTransaction(tx, [], async (sql) => ({
        result: await insertWith(sql, tricky('again 2')),
        last: { sql: 'update probe set nothing = ?::text where id = ?::int', values: ['set by the last statement', first[0].id] },
      }));
      const prepared = await tx.execute<{ name: string }[]>(`select name from pg_prepared_statements where name like 'hub\\_%\\_t'`);
      return { first, second, prepared };
    });
    expect(rows.second[0].t).toBe(tricky('again 2')[0]);
    expect(rows.prepared.length).toBeGreaterThanOrEqual(2); // the insert and the last statement
    expect(await db.sql(`select nothing from probe where id = $1`, [rows.first[0].id])).toEqual([{ nothing: 'set by the last statement' }]);
  });

  it('inside a transaction, undoes only its own write when it fails, and the transaction goes on', async () => {
    const before = Number((await db.sql<{ n: string }>('select count(*) as n from probe'))[0].n);
    await db.orm.em.fork().transactional(async (tx) => {
      await expect(writeTransaction(tx, [], async (sql) => {
        await insertWith(sql, tricky('undone'));
        await sql.query('select 1 / (?::int - 1)', [1]); // division by zero
        return { result: null, last: null };
      })).rejects.toThrow(/division by zero/);
      await writeTransaction(tx, [], async (sql) => ({ result: await insertWith(sql, tricky('kept')), last: null }));
    });
    const texts = (await db.sql<{ t: string }>('select t from probe')).map((r) => r.t);
    expect(texts).toContain(tricky('kept')[0]);
    expect(texts).not.toContain(tricky('undone')[0]);
    expect(texts).toHaveLength(before + 1);
  });
});
