import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generate, type GenerateSummary } from '../../scripts/generate.js';
import { buildHierarchy } from '../../seeds/generate/hierarchy.js';
import { submission } from '../../seeds/generate/load-reports.js';
import { silentProgress } from '../../seeds/generate/progress.js';
import { applicantColumns, cells, outcomeRows } from '../../src/format/catalogue.js';
import { verifyRollups } from '../../src/rollups/verify.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// One county (英德市) with its townships and a few departments, two years: a few seconds per run.
const YEARS = [2024, 2025];
let a: TestDatabase;
let b: TestDatabase;
let c: TestDatabase;
let summary: GenerateSummary;

beforeAll(async () => {
  [a, b, c] = await Promise.all([createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  summary = await generate(a.url, { scale: 'tiny', seed: 7, years: YEARS }, silentProgress);
  await generate(b.url, { scale: 'tiny', seed: 7, years: YEARS }, silentProgress);
  await generate(c.url, { scale: 'tiny', seed: 8, years: YEARS }, silentProgress);
}, 120_000);
afterAll(() => Promise.all([a, b, c].map((db) => db?.drop())));

const count = async (db: TestDatabase, sql: string) => Number((await db.sql<{ n: string }>(sql))[0].n);

/** Every stored figure and the submission time of each (unit code, year, month), as one comparable text per row
 * (a row value: concat_ws would take more than the 100 arguments a function may have). */
async function figures(db: TestDatabase): Promise<Map<string, string>> {
  const rows = await db.sql<{ key: string; v: string }>(
    `select u.code || ':' || r.year || '-' || r.month as key, row(v.submitted_at, ${cells.map((x) => `v.${x.sqlColumn}`).join(', ')})::text as v
     from report r join unit u on u.id = r.unit_id join report_revision v on v.report_id = r.id`,
  );
  return new Map(rows.map((r) => [r.key, r.v]));
}

describe('generate --scale tiny', () => {
  it('loads the pre-aggregated rollups in step with the reports, of every unit with figures in its subtree, and keeps subtree sizes', async () => {
    const result = await verifyRollups(a.orm.em.fork());
    expect(result.rowsChecked).toBeGreaterThan(100);
    expect(result.differences).toBe(0);
    // Every unit has figures of its own (the generator skips 1 % of unit-months, not units): a year row each.
    expect(await count(a, `select count(*) as n from unit u where not exists (select 1 from rollup r where r.unit_id = u.id and r.period = 0 and r.year = 2025)`)).toBe(0);
    const [{ wrong }] = await a.sql<{ wrong: string }>(
      `select count(*) as wrong from unit u where u.subtree_size <> (select count(*) from unit_closure c where c.ancestor_id = u.id)`,
    );
    expect(Number(wrong)).toBe(0);
  });

  it('loads the units of the hierarchy, each with a self row and one closure row per ancestor', async () => {
    const units = buildHierarchy('tiny', { seed: 7 });
    expect(summary.units).toBe(units.length);
    expect(await count(a, 'select count(*) as n from unit')).toBe(units.length);
    expect(units.filter((u) => u.kind === 'DEPARTMENT').every((u) => /^D441881\d{3}$/.test(u.code) && u.name.startsWith('英德市'))).toBe(true);
    // The closure table must be exactly the set of (unit, ancestor, distance) pairs that parent_id spells out.
    const mismatched = await count(a, `
      with recursive chain(descendant_id, ancestor_id, depth) as (
        select id, id, 0 from unit
        union all select c.descendant_id, u.parent_id, c.depth + 1 from chain c join unit u on u.id = c.ancestor_id where u.parent_id is not null)
      select count(*) as n from (
        (select * from chain except select descendant_id, ancestor_id, depth from unit_closure)
        union all (select descendant_id, ancestor_id, depth from unit_closure except select * from chain)) x`);
    expect(mismatched).toBe(0);
    expect(await count(a, `select count(*) as n from unit u where not exists (select 1 from unit_closure c where c.descendant_id = u.id and c.ancestor_id = u.id and c.depth = 0)`)).toBe(0);
  });

  it('stores revisions in which APP_BALANCE holds in every applicant column', async () => {
    const balance = applicantColumns
      .map((col) => {
        const cell = (row: string) => `a_${row}__${col.key}`;
        return `${cell('new_received')} + ${cell('carried_over')} <> ${outcomeRows.map((r) => cell(r.key)).join(' + ')} + ${cell('carried_forward')}`;
      })
      .join(' or ');
    expect(await count(a, `select count(*) as n from report_revision where ${balance}`)).toBe(0);
    expect(await count(a, `select count(*) as n from report_revision where revision <> 1 or warnings <> '[]'::jsonb or submitted->>'source' <> 'synthetic'`)).toBe(0);
    expect(await count(a, `select count(*) as n from report where current_revision <> 1 or scope <> 'SELF'`)).toBe(0);
    expect(await count(a, `select count(*) as n from report_revision where a_new_received__natural_person > 0`)).toBeGreaterThan(10);
  });

  it('gives the same figures for the same seed, and different ones for another seed', async () => {
    const [first, second, other] = await Promise.all([figures(a), figures(b), figures(c)]);
    expect(first.size).toBe(summary.reports);
    expect(second).toEqual(first);
    const shared = [...first.keys()].filter((k) => other.has(k));
    const differing = shared.filter((k) => other.get(k) !== first.get(k));
    expect(differing.length / shared.length).toBeGreaterThan(0.5);
  });

  it('leaves about 1% of unit-months unreported', async () => {
    const expected = summary.units * YEARS.length * 12;
    const reports = await count(a, 'select count(*) as n from report');
    expect(reports + summary.missing).toBe(expected);
    expect(summary.missing / expected).toBeGreaterThan(0.002);
    expect(summary.missing / expected).toBeLessThan(0.03);
    // Over many keys the share is 1% to within a tenth of itself.
    let missing = 0;
    for (let i = 0; i < 100_000; i++) if (!submission(`U${i}`, 1, 2025, 1 + (i % 12))) missing++;
    expect(missing / 100_000).toBeGreaterThan(0.009);
    expect(missing / 100_000).toBeLessThan(0.011);
  });

  it('has most reports sent in the first days of the next month and some late, China time', async () => {
    const nextMonth = `(make_date(r.year, r.month, 1) + interval '1 month')::date`;
    const timing = await a.sql<{ early: string; late: string; all: string }>(
      `select count(*) filter (where v.submitted_at < ${nextMonth}::timestamp at time zone 'Asia/Shanghai') as early,
              count(*) filter (where v.submitted_at >= (${nextMonth} + 10)::timestamp at time zone 'Asia/Shanghai') as late,
              count(*) as all
       from report r join report_revision v on v.report_id = r.id`,
    );
    const { early, late, all } = timing[0];
    expect(Number(early)).toBe(0);
    expect(Number(late)).toBe(summary.late);
    expect(Number(late) / Number(all)).toBeGreaterThan(0.03);
    expect(Number(late) / Number(all)).toBeLessThan(0.25);
  });

  it('leaves the tables as the migrations made them: foreign keys checked and back, indexes rebuilt, sequences past the last id', async () => {
    const keys = await a.sql<{ name: string; definition: string }>(
      `select conrelid::regclass || '.' || conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
       where contype = 'f' and conrelid in ('report'::regclass, 'report_revision'::regclass, 'rollup'::regclass, 'unit_closure'::regclass)
       order by 1`);
    expect(keys).toEqual([
      { name: 'report.report_unit_id_fkey', definition: 'FOREIGN KEY (unit_id) REFERENCES unit(id) ON DELETE RESTRICT' },
      { name: 'report_revision.report_revision_report_id_fkey', definition: 'FOREIGN KEY (report_id) REFERENCES report(id) ON DELETE RESTRICT' },
      { name: 'rollup.rollup_unit_id_fkey', definition: 'FOREIGN KEY (unit_id) REFERENCES unit(id) ON DELETE CASCADE' },
      { name: 'unit_closure.unit_closure_ancestor_id_fkey', definition: 'FOREIGN KEY (ancestor_id) REFERENCES unit(id) ON DELETE CASCADE' },
      { name: 'unit_closure.unit_closure_descendant_id_fkey', definition: 'FOREIGN KEY (descendant_id) REFERENCES unit(id) ON DELETE CASCADE' },
    ]);
    // The indexes, unique constraints and primary keys set aside during the load are back, as a migrated database has them.
    const indexes = (db: TestDatabase) => db.sql<{ def: string }>(
      `select pg_get_indexdef(indexrelid) || coalesce(' / ' || c.conname, '') as def from pg_index i
       left join pg_constraint c on c.conindid = i.indexrelid
       where i.indrelid in ('report'::regclass, 'report_revision'::regclass, 'rollup'::regclass) order by 1`);
    const migrated = await createTestDatabase();
    try {
      const expected = await indexes(migrated);
      expect(expected.length).toBeGreaterThanOrEqual(7);
      expect(expected.map((e) => e.def)).toContain('CREATE UNIQUE INDEX rollup_pkey ON public.rollup USING btree (unit_id, basis, year, period) / rollup_pkey');
      expect(await indexes(a)).toEqual(expected);
    } finally {
      await migrated.drop();
    }
    // Reports are submitted as the write path leaves them, and the next row of either table gets a fresh id.
    expect(await count(a, `select count(*) as n from report where status <> 'SUBMITTED' or submitted_revision is distinct from current_revision or approved_revision is not null`)).toBe(0);
    const [ids] = await a.sql<{ report: boolean; revision: boolean }>(
      `select nextval(pg_get_serial_sequence('report', 'id')) > (select max(id) from report) as report,
              nextval(pg_get_serial_sequence('report_revision', 'id')) > (select max(id) from report_revision) as revision`);
    expect(ids).toEqual({ report: true, revision: true });
  });

  it('refuses a database that holds units, and replaces them with --reset', async () => {
    await expect(generate(a.url, { scale: 'tiny', seed: 7, years: [2025] }, silentProgress)).rejects.toThrow(/--reset/);
    const again = await generate(a.url, { scale: 'tiny', seed: 9, years: [2025], reset: true }, silentProgress);
    expect(await count(a, 'select count(*) as n from unit')).toBe(again.units);
    expect(await count(a, 'select count(*) as n from report_revision')).toBe(again.reports);
    // The guards are back on after the reset.
    await expect(a.sql('delete from report_revision')).rejects.toThrow(/immutable/);
  });
});
