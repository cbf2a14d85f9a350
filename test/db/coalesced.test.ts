/**
 * Coalesced reads (src/db/coalesced.ts): reads asked in one turn of the event loop go as one statement, and each
 * caller gets exactly its own rows — several, one or none — as if it had asked alone; an error reaches every caller
 * of the failed statement; inside a transaction the read runs alone and sees the transaction's writes. The rollup
 * read, coalesced, gives what it gives alone, for units, periods and viewers of every kind; and through the API many
 * rollup reads at once answer as they answer one at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { coalescedRead, coalescingStats, MAX_BATCH, queryCoalesced } from '../../src/db/coalesced.js';
import { countingStatements, type QueryCount } from '../../src/db/query-counter.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { figuresSelection } from '../../bench/queries.js';
import { checkPeriod } from '../../src/reports/period.js';
import { Basis } from '../../src/reports/report-status.js';
import { monthsOf } from '../../src/rollups/aggregate.sql.js';
import { readUnitRollup } from '../../src/rollups/rollup-read.js';
import { createUnits, sampleFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(`insert into unit (code, name, kind) values ('440000', '广东省', 'PROVINCE'), ('450000', '广西壮族自治区', 'PROVINCE'), ('460000', '海南省', 'PROVINCE')`);
});
afterAll(() => db.drop());

/** Units whose code starts with a prefix and whose kind is given: none, one or several rows per call. */
const BY_PREFIX = coalescedRead('select code, name from unit where code like ? and kind = ? order by code', ['text', 'unit_kind']);

const sent = () => ({ ...coalescingStats });

describe('queryCoalesced', () => {
  it('answers the reads of one turn with one statement, each with its own rows', async () => {
    const before = sent();
    const asks: [string, string][] = [['44%', 'PROVINCE'], ['4%', 'PROVINCE'], ['99%', 'PROVINCE'], ['45%', 'PROVINCE'], ['44%', 'TOWN'], ['44%', 'PROVINCE']];
    const answers = await Promise.all(asks.map((values) => queryCoalesced<{ code: string; name: string }>(db.orm.em.fork(), BY_PREFIX, values)));
    expect(coalescingStats.statements - before.statements).toBe(1);
    expect(coalescingStats.requests - before.requests).toBe(asks.length);
    expect(answers.map((rows) => rows.map((r) => r.code))).toEqual([['440000'], ['440000', '450000', '460000'], [], ['450000'], [], ['440000']]);
    expect(answers[0][0].name).toBe('广东省');
  });

  it('gives every read the rows it gets alone, in many turns and statements at once', async () => {
    const prefixes = Array.from({ length: 150 }, (_, i) => ['44%', '45%', '46%', '4%', '5%'][i % 5]);
    const together = await Promise.all(prefixes.map((p) => queryCoalesced<{ code: string }>(db.orm.em.fork(), BY_PREFIX, [p, 'PROVINCE'])));
    for (const [i, p] of prefixes.entries()) {
      const alone = (await db.sql<{ code: string }>(`select code from unit where code like $1 and kind = 'PROVINCE' order by code`, [p])).map((r) => r.code);
      expect(together[i].map((r) => r.code)).toEqual(alone);
    }
  });

  it('pads a batch to its list size with rows that read nothing', async () => {
    // Three requests go as a list of four; the fourth row, all NULL, would answer this read if it ran.
    const NULL_TEST = coalescedRead('select ?::text is null as none', ['text']);
    const answers = await Promise.all(['a', 'b', 'c'].map((v) => queryCoalesced<{ none: boolean }>(db.orm.em.fork(), NULL_TEST, [v])));
    expect(answers.map((rows) => rows.map((r) => r.none))).toEqual([[false], [false], [false]]);
  });

  it('counts one statement for each request that asked', async () => {
    const counts: QueryCount[] = [{ statements: 0 }, { statements: 0 }];
    await Promise.all(counts.map((count) => countingStatements(count, () => queryCoalesced(db.orm.em.fork(), BY_PREFIX, ['44%', 'PROVINCE']))));
    expect(counts.map((c) => c.statements)).toEqual([1, 1]);
  });

  it('rejects every read of a statement that fails for each of them', async () => {
    const broken = coalescedRead('select code from unit where code = ? and 1 / ? > 0', ['text', 'int']);
    const results = await Promise.allSettled([
      queryCoalesced(db.orm.em.fork(), broken, ['440000', 0]),
      queryCoalesced(db.orm.em.fork(), broken, ['450000', 0]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/division by zero/);
    // The next turn is unaffected.
    expect(await queryCoalesced(db.orm.em.fork(), broken, ['450000', 1])).toEqual([{ coalesced_index: 1, code: '450000' }]);
  });

  it('asks again alone each read of a statement one value failed: only that read fails', async () => {
    const before = sent();
    const results = await Promise.allSettled(['44%', '4\u0000%', '45%'].map((p) => queryCoalesced<{ code: string }>(db.orm.em.fork(), BY_PREFIX, [p, 'PROVINCE'])));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<{ code: string }[]>).value.map((r) => r.code)).toEqual(['440000']);
    expect((results[2] as PromiseFulfilledResult<{ code: string }[]>).value.map((r) => r.code)).toEqual(['450000']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/0x00/);
    // The batch, then each of its three alone.
    expect(coalescingStats.statements - before.statements).toBe(4);
  });

  it('inside a transaction, runs alone on its connection and sees its uncommitted rows', async () => {
    const before = sent();
    const seen = await db.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`insert into unit (code, name, kind) values ('470000', '测试省', 'PROVINCE')`);
      const rows = await queryCoalesced<{ code: string }>(tx, BY_PREFIX, ['47%', 'PROVINCE']);
      await tx.rollback();
      return rows;
    });
    expect(seen.map((r) => r.code)).toEqual(['470000']);
    expect(coalescingStats.statements).toBe(before.statements);
  });

  it('refuses a read whose placeholders and types do not match', () => {
    expect(() => coalescedRead('select ? , ?', ['int'])).toThrow(/placeholders/);
    expect(() => coalescedRead('select ?', ['int', 'int'])).toThrow(/placeholders/);
  });
});

describe('rollup reads at the same moment', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
    await createUnits(hub, smallTree);
    for (const [unit, month] of [['441802001', 1], ['441802100', 1], ['441803102', 2], ['441803104', 1]] as const) {
      dataOf(await hub.gql(SUBMIT, { input: { unitCode: unit, year: 2025, month, figures: sampleFigures() } }));
    }
  });
  afterAll(() => hub.close());

  const ROLLUP = `query($u: String!, $p: PeriodInput!) { rollup(unitCode: $u, period: $p) {
    unit { code } sources { monthlyReportUnits } figures ${figuresSelection()} } }`;

  it('answer each as it is answered alone: figures, not found and refused alike', async () => {
    const district = await hub.tokenFor('441802', 'OVERSIGHT');
    const city = await hub.tokenFor('441800', 'OVERSIGHT');
    const asks: { u: string; p: { year: number; quarter?: number; month?: number }; token?: string }[] = [];
    for (const u of ['441800', '441802', '441803', '441802001', '441803102', '999999']) {
      for (const p of [{ year: 2025, month: 1 }, { year: 2025, month: 2 }, { year: 2025, quarter: 1 }, { year: 2025 }, { year: 2024 }]) {
        asks.push({ u, p }, { u, p, token: district }, { u, p, token: city });
      }
    }
    const ask = (a: (typeof asks)[number]) => hub.gql(ROLLUP, { u: a.u, p: a.p }, a.token);
    const alone = [];
    for (const a of asks) alone.push(await ask(a));
    const before = sent();
    const together = await Promise.all(asks.map(ask));
    expect(together).toEqual(alone);
    expect(coalescingStats.requests - before.requests).toBe(asks.length);
    // What the reads answered covers every case: figures, nothing reported, a unit outside the viewer's subtree, none.
    const codes = new Set(alone.flatMap((r) => r.errors?.map((e) => e.extensions.code) ?? ['OK']));
    expect([...codes].sort()).toEqual(['FORBIDDEN', 'NOT_FOUND', 'OK']);
    // A code no unit can have is not found, and fails none of the reads beside it.
    const beside = await Promise.all([hub.gql(ROLLUP, { u: '4418\u000000', p: { year: 2025 } }), ...asks.slice(0, 15).map(ask)]);
    expect(beside[0].errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(beside.slice(1)).toEqual(alone.slice(0, 15));
    expect(dataOf(await hub.gql(`query($c: String!) { unit(code: $c) { code } }`, { c: '44\u00001800' }))).toEqual({ unit: null });
    expect(alone.some((r) => r.data?.rollup?.sources.monthlyReportUnits === 2)).toBe(true);
    expect(alone.some((r) => r.data?.rollup?.sources.monthlyReportUnits === 0)).toBe(true);
  });

  it('as one statement, give each read what the read gives alone (the statement inside a transaction)', async () => {
    const asks: [string, string | null, { year: number; quarter?: number; month?: number }][] = [];
    for (const u of ['441800', '441802', '441803', '441802001', '441803102', '999999']) {
      for (const viewer of [null, '441802', '441800', '888888']) {
        for (const p of [{ year: 2025, month: 1 }, { year: 2025, month: 2 }, { year: 2025, quarter: 1 }, { year: 2025 }, { year: 2024 }]) asks.push([u, viewer, p]);
      }
    }
    const read = (em: EntityManager, [u, viewer, p]: (typeof asks)[number]) => {
      const period = checkPeriod(p);
      return readUnitRollup(em, u, Basis.SUBMITTED, period.year, monthsOf(period), viewer);
    };
    const before = sent();
    const together = await Promise.all(asks.map((a) => read(hub.db.orm.em.fork(), a)));
    // 120 reads: two statements (at most MAX_BATCH reads in one).
    expect(coalescingStats.statements - before.statements).toBe(Math.ceil(asks.length / MAX_BATCH));
    const alone = await hub.db.orm.em.fork().transactional(async (tx) => {
      const answers = [];
      for (const a of asks) answers.push(await read(tx, a));
      return answers;
    });
    const plain = (r: Awaited<ReturnType<typeof readUnitRollup>>) => ({
      unit: r.unit?.unit().code ?? null,
      row: r.row,
      viewer: r.viewer && { unit: r.viewer.unit?.unit().code ?? null, within: r.viewer.within },
    });
    expect(together.map(plain)).toEqual(alone.map(plain));
    expect(together.filter((r) => r.row).length).toBeGreaterThan(10);
    expect(together.filter((r) => r.viewer?.within === false).length).toBeGreaterThan(10);
    expect(together.filter((r) => !r.unit).length).toBe(20);
  });
});
