/**
 * Recomputes the pre-aggregated rollups from the base reports and lists every difference. `npm run verify` runs it;
 * it must find none. Work goes by basis and year, so progress can be shown and memory stays flat.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells } from '../format/catalogue.js';
import { Basis } from '../reports/report-status.js';
import { contributionsSql } from './preaggregate.js';

export interface RollupDifference {
  unitId: number;
  basis: Basis;
  year: number;
  period: number;
  /** What the rollup table holds (null: no row) and what the base reports give (null: nothing). */
  stored: Record<string, unknown> | null;
  expected: Record<string, unknown> | null;
}

export interface VerifyResult {
  rowsChecked: number;
  differences: number;
  examples: RollupDifference[];
}

const columns = ['unit_count', 'annual_units', 'unit_months', ...cells.map((c) => c.sqlColumn)];

export async function verifyRollups(em: EntityManager, onProgress: (done: number, total: number, label: string) => void = () => undefined): Promise<VerifyResult> {
  const years = (await em.execute<{ year: number }[]>('select distinct year from report union select distinct year from rollup order by 1')).map((r) => r.year);
  const steps = [Basis.SUBMITTED, Basis.APPROVED].flatMap((basis) => years.map((year) => ({ basis, year })));
  const result: VerifyResult = { rowsChecked: 0, differences: 0, examples: [] };
  for (const [i, { basis, year }] of steps.entries()) {
    onProgress(i, steps.length, `${basis} ${year}`);
    const rows = await em.execute<Record<string, unknown>[]>(
      `with expected as (
         select c.ancestor_id as unit_id, k.period, count(*)::bigint as unit_count, (count(*) filter (where k.annual))::bigint as annual_units,
           sum(k.months)::bigint as unit_months, ${cells.map((c) => `sum(k.${c.sqlColumn}) as ${c.sqlColumn}`).join(', ')}
         from (${contributionsSql(basis, 'select id from unit', '?')}) k join unit_closure c on c.descendant_id = k.unit_id
         group by c.ancestor_id, k.period
       ),
       stored as (select unit_id, period, ${columns.join(', ')} from rollup where basis = ? and year = ? and unit_count > 0),
       compared as (
         select coalesce(e.unit_id, s.unit_id) as unit_id, coalesce(e.period, s.period) as period,
           (row(${columns.map((c) => `e.${c}::numeric`).join(', ')}) is distinct from row(${columns.map((c) => `s.${c}::numeric`).join(', ')})) as differs,
           case when s.unit_id is null then null else to_jsonb(s) end as stored,
           case when e.unit_id is null then null else to_jsonb(e) end as expected
         from expected e full join stored s on s.unit_id = e.unit_id and s.period = e.period
       )
       select (select count(*)::int from compared) as checked, (select count(*)::int from compared where differs) as differing,
         (select coalesce(json_agg(d), '[]') from (select unit_id, period, stored, expected from compared where differs limit 5) d) as examples`,
      [year, year, basis, year],
    );
    const [row] = rows;
    result.rowsChecked += row.checked as number;
    result.differences += row.differing as number;
    const examples = (typeof row.examples === 'string' ? JSON.parse(row.examples) : row.examples) as Omit<RollupDifference, 'basis' | 'year'>[];
    for (const e of examples) if (result.examples.length < 10) result.examples.push({ ...e, basis, year });
  }
  onProgress(steps.length, steps.length, 'done');
  return result;
}
