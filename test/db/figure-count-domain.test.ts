/**
 * The database's own guarantee behind the services' NON_NEGATIVE check (migration 000007): every count column of a
 * revision is of the domain `figure_count`, which refuses a negative value whatever writes it; the one amount column
 * keeps its CHECK; no per-column CHECK of the counts is left (PostgreSQL would re-read and plan each for every insert).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cells } from '../../src/format/catalogue.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('figure_count', () => {
  it('types every count column of report_revision, and only those', async () => {
    const rows = await db.sql<{ column: string; type: string }>(
      `select attname as column, format_type(atttypid, atttypmod) as type from pg_attribute
       where attrelid = 'report_revision'::regclass and attnum > 0 and not attisdropped`,
    );
    const typeOf = new Map(rows.map((r) => [r.column, r.type]));
    const counts = cells.filter((c) => c.kind !== 'amount');
    expect(counts.length).toBeGreaterThan(150);
    for (const c of counts) expect([c.sqlColumn, typeOf.get(c.sqlColumn)]).toEqual([c.sqlColumn, 'figure_count']);
    for (const c of cells.filter((c) => c.kind === 'amount')) expect(typeOf.get(c.sqlColumn)).toBe('numeric(18,4)');
    expect([...typeOf.values()].filter((t) => t === 'figure_count').length).toBe(counts.length);
  });

  it('leaves one CHECK on the table, the amount’s', async () => {
    const checks = await db.sql<{ definition: string }>(`select pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'report_revision'::regclass and contype = 'c'`);
    const amount = cells.find((c) => c.kind === 'amount')!.sqlColumn;
    expect(checks.map((c) => c.definition)).toEqual([`CHECK ((${amount} >= (0)::numeric))`]);
  });

  it('refuses a negative count written past the services, as a check violation (SQLSTATE 23514)', async () => {
    await expect(db.sql('select (-1)::figure_count')).rejects.toMatchObject({ code: '23514' });
    // A value computed in SQL is checked as it becomes a figure_count, as a column of that type would see it.
    await expect(db.sql('select (2 - 3)::figure_count')).rejects.toMatchObject({ code: '23514' });
    expect((await db.sql<{ n: number }>('select (0::figure_count + 7)::int as n'))[0].n).toBe(7);
  });
});
