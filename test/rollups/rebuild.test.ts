import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rebuildRollups } from '../../src/rollups/preaggregate.js';
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

/** Every rollup row with figures, as one comparable text per row. */
async function rollupRows(): Promise<string[]> {
  const rows = await hub.db.sql<{ row: string }>(
    `select r::text as row from rollup r where unit_count > 0 order by unit_id, basis, year, period`);
  return rows.map((r) => r.row);
}

describe('the bulk rollup rebuild', () => {
  it('gives exactly the rows the write path kept: gaps, balances, re-submissions, annual and AGGREGATE reports, both bases, two years', async () => {
    const writes: [string, number, number | null, number, string?][] = [
      ['441802001', 2025, 1, 1], ['441802001', 2025, 2, 2], ['441802001', 2025, 5, 3], ['441802001', 2025, 2, 9], // gap in March-April, a re-submission
      ['441802100', 2025, 2, 4], ['441803102', 2025, 3, 5], ['441803104', 2025, 12, 6],
      ['441803104', 2025, null, 7], // an annual report stands for the unit's months in the year, not in its quarters
      ['441803', 2025, null, 8, 'AGGREGATE'], // a published area report: never summed
      ['441802', 2024, 11, 10], ['441802', 2024, 12, 11], ['D441802001', 2024, 6, 12], ['441800', 2025, 7, 13],
    ];
    for (const [unit, year, month, seed, scope] of writes) dataOf(await submit(unit, year, month, seed, scope));
    const reviewer = await hub.tokenFor('441802', 'REVIEWER');
    for (const [u, m] of [['441802001', 2], ['441802100', 2], ['441802001', 5]] as const) {
      dataOf(await hub.gql(`mutation($i: ReviewReportInput!) { approveReport(input: $i) { status } }`, { i: { unitCode: u, year: 2025, month: m } }, reviewer));
    }
    const kept = await rollupRows();
    expect(kept.length).toBeGreaterThan(50);

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
});
