/**
 * The units of a bulk load go in as one transaction, the closure table's foreign keys set aside and checked once at
 * the end: a load that fails part-way leaves no unit, closure row or missing key behind.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { buildHierarchy } from '../../seeds/generate/hierarchy.js';
import { loadUnits } from '../../seeds/generate/load-units.js';
import { silentProgress } from '../../seeds/generate/progress.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
});

const count = async (sql: string) => Number((await db.sql<{ n: string }>(sql))[0].n);

describe('loadUnits', () => {
  it('loads units in one transaction: a failure part-way leaves no unit, closure row or dropped key', async () => {
    const units = buildHierarchy('tiny', { seed: 7 });
    // A township whose code repeats its county's fails at the last level, after the levels above were inserted.
    const last = units.at(-1)!;
    const broken = [...units.slice(0, -1), { ...last, code: units[0].code }];
    await expect(loadUnits(client, broken, silentProgress)).rejects.toMatchObject({ code: '23505' });
    expect(await count('select count(*) as n from unit')).toBe(0);
    expect(await count('select count(*) as n from unit_closure')).toBe(0);
    expect(await count(`select count(*) as n from pg_constraint where conrelid = 'unit_closure'::regclass and contype = 'f'`)).toBe(2);
    // The same units, unbroken, load with their closure and keys checked at the end.
    const ids = await loadUnits(client, units, silentProgress);
    expect(ids.size).toBe(units.length);
    expect(await count('select count(*) as n from unit_closure where depth = 0')).toBe(units.length);
    expect(await count(`select count(*) as n from pg_constraint where conrelid = 'unit_closure'::regclass and contype = 'f'`)).toBe(2);
  });
});
