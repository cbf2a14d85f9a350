/**
 * `bigint_total` (migration 000012), with which the rollup rebuild adds its subtree sums: the same answer as `sum()`,
 * exactly, as a bigint; nulls skipped, null over no rows; an overflow an error, never a wrapped value.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('bigint_total', () => {
  it('adds exactly what sum() adds, beyond the 53 bits a JavaScript number holds, as a bigint', async () => {
    const [row] = await db.sql<{ total: string; sum: string; type: string }>(
      `select bigint_total(x)::text as total, sum(x)::text as sum, pg_typeof(bigint_total(x))::text as type
       from (values (9007199254740993::bigint), (1), (null), (-4), (4611686018427387904)) v (x)`);
    expect(row).toEqual({ total: '4620693217682128894', sum: '4620693217682128894', type: 'bigint' });
  });

  it('is null over no rows or only nulls, as sum() is', async () => {
    expect(await db.sql(`select bigint_total(x) as total from (values (null::bigint)) v (x)`)).toEqual([{ total: null }]);
    expect(await db.sql(`select bigint_total(x) as total from (select 1::bigint where false) v (x)`)).toEqual([{ total: null }]);
  });

  it('refuses an overflow (SQLSTATE 22003) instead of wrapping around', async () => {
    await expect(db.sql(`select bigint_total(x) from (values (9223372036854775807::bigint), (1)) v (x)`)).rejects.toMatchObject({ code: '22003' });
  });
});
