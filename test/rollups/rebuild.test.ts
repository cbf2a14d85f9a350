import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { amountCellIndexes, cells } from '../../src/format/catalogue.js';
import { listFromRow, type CellList } from '../../src/format/figures.js';
import { Basis, basisColumn } from '../../src/reports/report-status.js';
import { BulkRollups, type BulkMember } from '../../src/rollups/bulk-rollups.js';
import { rebuildRollups } from '../../src/rollups/preaggregate.js';
import { rollupTarget } from '../../src/rollups/rebuild.js';
import { verifyRollups } from '../../src/rollups/verify.js';
import { createUnits, seededFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
});
afterAll(() => hub.close());

const submit = (unitCode: string, year: number, month: number | null, seed: number, scope = 'SELF') =>
  hub.gql(SUBMIT, { input: { unitCode, year, month, scope, figures: seededFigures(seed) } });

/** Every row with figures of the rollup table or one like it, as one comparable text per row. */
const rollupRows = async (table = 'rollup') =>
  (await hub.db.sql<{ row: string }>(`select r::text as row from ${table} r where unit_count > 0 order by unit_id, basis, year, period`)).map((r) => r.row);

/** What a bulk loader would give BulkRollups for the reports as they stand: every unit's SELF members per basis and year. */
async function bulkLines(withText: boolean): Promise<string[]> {
  const units = await hub.db.sql<{ id: number; parent_id: number | null }>('select id, parent_id from unit');
  const rollups = new BulkRollups(units.map((u) => ({ id: u.id, parentId: u.parent_id })));
  const lines: string[] = [];
  for (const basis of [Basis.SUBMITTED, Basis.APPROVED]) {
    const rows = await hub.db.sql<Record<string, unknown>>(
      `select r.unit_id, r.year, r.month, v.* from report r join report_revision v on v.report_id = r.id and v.revision = r.${basisColumn(basis)}
       where r.scope = 'SELF' order by r.unit_id, r.year, r.month`);
    const byUnitYear = new Map<string, { unitId: number; year: number; members: BulkMember[] }>();
    for (const row of rows) {
      const key = `${row.unit_id}:${row.year}`;
      const entry = byUnitYear.get(key) ?? byUnitYear.set(key, { unitId: Number(row.unit_id), year: Number(row.year), members: [] }).get(key)!;
      const values = listFromRow(row);
      entry.members.push({ month: (row.month as number | null) ?? null, values, text: withText ? values.join('\t') : undefined });
    }
    for (const { unitId, year, members } of byUnitYear.values()) lines.push(...rollups.unitYear(unitId, basis, year, members));
  }
  lines.push(...rollups.parentRows());
  return lines;
}

async function loadInto(table: string, lines: string[]): Promise<void> {
  await hub.db.sql(`drop table if exists ${table}; create table ${table} (like rollup)`);
  const values = lines.map((line) => `(${line.split('\t').map((v, i) => (i === 1 ? `'${v}'` : v)).join(', ')})`);
  await hub.db.sql(`insert into ${rollupTarget.replace(/^rollup/, table)} values ${values.join(', ')}`);
}

describe('rollups in bulk: the SQL rebuild, and the rows a bulk loader computes (BulkRollups)', () => {
  it('give exactly the rows the write path kept: gaps, balances, re-submissions, annual and AGGREGATE reports, both bases, two years', async () => {
    const writes: [string, number, number | null, number, string?][] = [
      ['441802001', 2025, 1, 1], ['441802001', 2025, 2, 2], ['441802001', 2025, 5, 3], ['441802001', 2025, 2, 9], // gap in March-April, a re-submission
      ['441802100', 2025, 2, 4], ['441803102', 2025, 3, 5], ['441803104', 2025, 12, 6],
      ['441803104', 2025, null, 7], // an annual report stands for the unit's months in the year, not in its quarters
      ['441803', 2025, null, 8, 'AGGREGATE'], // a published area report: never summed
      ['441802', 2024, 11, 10], ['441802', 2024, 12, 11], ['D441802001', 2024, 6, 12], ['441800', 2025, 7, 13],
      ['441803', 2025, 4, 14], // a unit with children and figures of its own
    ];
    for (const [unit, year, month, seed, scope] of writes) dataOf(await submit(unit, year, month, seed, scope));
    const reviewer = await hub.tokenFor('441802', 'REVIEWER');
    for (const [u, m] of [['441802001', 2], ['441802100', 2], ['441802001', 5]] as const) {
      dataOf(await hub.gql(`mutation($i: ReviewReportInput!) { approveReport(input: $i) { status } }`, { i: { unitCode: u, year: 2025, month: m } }, reviewer));
    }
    const kept = await rollupRows();
    expect(kept.length).toBeGreaterThan(50);
    // Fees are summed too (an amount in every seeded month), so the amounts' exact path is covered.
    expect(kept.some((row) => /\.\d/.test(row))).toBe(true);

    // A loader's rows, with the months' COPY text reused as the generator has it, and with every row formatted here.
    for (const withText of [true, false]) {
      await loadInto('bulk_rollup', await bulkLines(withText));
      expect(await rollupRows('bulk_rollup')).toEqual(kept);
    }

    await rebuildRollups(hub.db.orm.em.fork());

    expect(await rollupRows()).toEqual(kept);
    expect((await verifyRollups(hub.db.orm.em.fork())).differences).toBe(0);
  });

  it('puts back the keys it sets aside while loading: no rows without a unit, no two rows for one period', async () => {
    const keysNow = () => hub.db.sql<{ name: string; definition: string }>(
      `select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'rollup'::regclass and contype in ('f', 'p') order by conname`);
    const before = await keysNow();
    await rebuildRollups(hub.db.orm.em.fork());
    const keys = await keysNow();
    expect(keys).toEqual(before);
    expect(keys.map((k) => k.definition)).toEqual(['PRIMARY KEY (unit_id, basis, year, period)', 'FOREIGN KEY (unit_id) REFERENCES unit(id) ON DELETE CASCADE']);
    await expect(hub.db.sql(`insert into rollup (unit_id, basis, year, period) values (-1, 'SUBMITTED', 2025, 1)`)).rejects.toThrow(/foreign key/);
    const [row] = await hub.db.sql<{ unit_id: number; year: number; period: number }>('select unit_id, year, period from rollup where basis = $1 limit 1', ['SUBMITTED']);
    await expect(hub.db.sql(`insert into rollup (unit_id, basis, year, period) values (${row.unit_id}, 'SUBMITTED', ${row.year}, ${row.period})`)).rejects.toThrow(/duplicate key/);
  });
  it('refuses, in a loader\'s rows, what they cannot add exactly: an amount with more than four decimals, a sum beyond 2^53, a unit not given', () => {
    const rollups = new BulkRollups([{ id: 1, parentId: null }, { id: 2, parentId: 1 }]);
    const values: CellList = cells.map((c) => (c.kind === 'amount' ? '0' : 0));
    expect(() => rollups.unitYear(3, Basis.SUBMITTED, 2025, [{ month: 1, values }])).toThrow(/unit 3 was not given/);
    const fees = values.slice();
    fees[amountCellIndexes[0]] = '1.23456';
    expect(() => rollups.unitYear(2, Basis.SUBMITTED, 2025, [{ month: 1, values: fees }])).toThrow(/at most 4 decimals/);
    const huge = values.slice();
    huge[cells.findIndex((c) => c.kind !== 'amount' && c.aggregation === 'flow')] = 2 ** 52;
    // 2^52 in one month: its month, quarter and year; in two months the quarter's 2^53 is refused.
    expect(rollups.unitYear(2, Basis.SUBMITTED, 2024, [{ month: 1, values: huge }]).length).toBe(3);
    expect(() => rollups.unitYear(2, Basis.SUBMITTED, 2025, [1, 2].map((month) => ({ month, values: huge })))).toThrow(/beyond what is added exactly/);
  });
});
