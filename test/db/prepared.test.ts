/**
 * Prepared reads (src/db/prepared.ts) on the ORM's pool: the same rows as the ORM would return, inside a
 * transaction they see its uncommitted writes, and each counts as one statement of the request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countingStatements, type QueryCount } from '../../src/db/query-counter.js';
import { prepared, queryPrepared } from '../../src/db/prepared.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(`insert into unit (code, name, kind) values ('440000', '广东省', 'PROVINCE'), ('450000', '广西壮族自治区', 'PROVINCE')`);
});
afterAll(() => db.drop());

const BY_CODES = prepared('select code, name from unit where code = any(?::text[]) and kind = ? order by code');

describe('queryPrepared', () => {
  it('binds its parameters (arrays included) and counts one statement', async () => {
    await queryPrepared(db.orm.em.fork(), BY_CODES, [[], 'PROVINCE']); // the pool's first connection is checked once
    const count: QueryCount = { statements: 0 };
    const rows = await countingStatements(count, () => queryPrepared(db.orm.em.fork(), BY_CODES, [['440000', '450000', '460000'], 'PROVINCE']));
    expect(rows).toEqual([{ code: '440000', name: '广东省' }, { code: '450000', name: '广西壮族自治区' }]);
    expect(count.statements).toBe(1);
  });

  it('inside a transaction, sees the transaction’s own uncommitted rows', async () => {
    const seen = await db.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`insert into unit (code, name, kind) values ('460000', '海南省', 'PROVINCE')`);
      const rows = await queryPrepared<{ code: string }>(tx, BY_CODES, [['460000'], 'PROVINCE']);
      await tx.rollback();
      return rows;
    }).catch((error: unknown) => { throw error; });
    expect(seen).toEqual([{ code: '460000', name: '海南省' }]);
    expect(await db.sql(`select code from unit where code = '460000'`)).toHaveLength(0);
  });

  it('names a statement by its text, so two texts never share a name', () => {
    expect(prepared('select 1').name).toBe(prepared('select 1').name);
    expect(prepared('select 1').name).not.toBe(prepared('select 2').name);
  });
});
