/**
 * Migration 000009: ANALYZE keeps no statistics for the figure columns of report_revision and rollup (a figure is
 * never a condition or a join key), and keeps them for every other column.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cells } from '../../src/format/catalogue.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('planner statistics of the figure columns', () => {
  for (const table of ['report_revision', 'rollup']) {
    it(`are off for every figure column of ${table}, and only those`, async () => {
      // attstattarget: the default target is null (PostgreSQL 17 and later) or -1 (before); 0 is none
      const rows = await db.sql<{ column: string; target: number | null }>(
        `select attname as column, attstattarget as target from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
        [table],
      );
      const figures = new Set(cells.map((c) => c.sqlColumn));
      expect(rows.filter((r) => figures.has(r.column)).map((r) => [r.column, Number(r.target)])).toEqual(cells.map((c) => [c.sqlColumn, 0]));
      const others = rows.filter((r) => !figures.has(r.column));
      expect(others.length).toBeGreaterThan(3);
      expect(others.filter((r) => r.target !== null && Number(r.target) !== -1)).toEqual([]);
    });
  }
});
