/**
 * Rebuilding every pre-aggregated rollup from the base reports in bulk (after the migration that made the table, the
 * demo seed, or a load that did not compute them; `preaggregate.ts` exports it as `rebuildRollupStatements` /
 * `rebuildRollups`; `npm run generate` computes its rows as it writes the reports, bulk-rollups.ts). The time rules of `contributionsSql`, computed in two
 * passes instead of summing one row per unit, ancestor and period (a million rows at province scale):
 * 1. every unit's own contributions: its months are its reports as they stand, its quarters and years one aggregate
 *    over its months (or its annual report);
 * 2. the subtree sums bottom-up, one level of the hierarchy at a time: a parent adds its children's finished rows to
 *    its own, so each row is added once, to its parent, instead of to every ancestor.
 * `npm run verify` recomputes every row the other way (`contributionsSql` summed over the closure table).
 */
import { cells, type Cell } from '../format/catalogue.js';
import { Basis, basisColumn } from '../reports/report-status.js';

const cols = cells.map((c) => c.sqlColumn);
const counts = ['unit_count', 'annual_units', 'unit_months'];
/** The rollup table with its columns in the order every bulk writer of it (this file, bulk-rollups.ts) gives them. */
export const rollupTarget = `rollup (unit_id, basis, year, period, ${[...counts, ...cols].join(', ')})`;
/** The rollup column's own type, named in every branch of a UNION: otherwise all would be widened to numeric. */
const typed = (cell: Cell, expr: string) => `(${expr})::${cell.kind === 'amount' ? 'numeric' : 'bigint'}`;
const values = (from: string) => cells.map((c) => typed(c, `${from}.${c.sqlColumn}`)).join(', ');

/*
 * An opening balance is the value of the first month with figures, a closing balance that of the last. Packing the
 * month into the high 32 bits and the value, shifted to be non-negative, into the low 32 bits makes that one min() or
 * max() of a bigint: no array_agg with its per-group sort. Every count is an int, so it fits.
 */
const pack = (order: string, value: string) => `(${order}::bigint << 32) + (${value}::bigint + 2147483648)`;
const unpack = (packed: string) => `((${packed}) & 4294967295) - 2147483648`;

function overTime(cell: Cell, order: string, from: string): string {
  const col = `${from}.${cell.sqlColumn}`;
  if (cell.aggregation === 'flow') return `sum(${col})`;
  if (cell.kind === 'amount') return `(array_agg(${col} order by ${order}${cell.aggregation === 'closing' ? ' desc' : ''}))[1]`;
  return unpack(`${cell.aggregation === 'opening' ? 'min' : 'max'}(${pack(order, col)})`);
}

/**
 * Pass 1: the own contributions of every unit to every period it has figures for, on both bases, written as its
 * rollup rows (a unit without children is done then): its months are its reports as they stand; its quarters and
 * years one aggregate over its months (two grouping sets of one sort); its annual report, where it has one, is its
 * year instead.
 */
function ownContributions(): string {
  const both = [Basis.SUBMITTED, Basis.APPROVED];
  const counted = both.map((basis) => `r.${basisColumn(basis)}`).join(', ');
  const bases = both.map((basis) => `select '${basis}' where v.revision = r.${basisColumn(basis)}`).join(' union all ');
  const annualOf = (basis: string) => `exists (
      select 1 from report a join report_revision v
        on v.report_id = a.id and v.revision = case ${basis} ${[Basis.SUBMITTED, Basis.APPROVED].map((b) => `when '${b}' then a.${basisColumn(b)}`).join(' ')} end
      where a.unit_id = m.unit_id and a.year = m.year and a.month is null and a.scope = 'SELF')`;
  return `insert into ${rollupTarget}
    with figures as not materialized (
      -- grain: one row per SELF report and basis, with the figures of the revision that basis counts. The revisions
      -- some basis counts are joined first, then paired with their bases (a revision both count gives two rows):
      -- 7 % faster than pairing every report with both bases and joining each pair to its revision.
      select r.unit_id, b.basis, r.year, r.month, ${cols.map((c) => `v.${c}`).join(', ')}
      from report r join report_revision v on v.report_id = r.id and v.revision in (${counted})
      cross join lateral (${bases}) as b (basis)
      where r.scope = 'SELF'
    )
    select m.unit_id, m.basis, m.year, m.month, 1, 0, 1, ${values('m')} from figures m where m.month is not null
    union all
    -- grain: one row per unit, basis, year and quarter with monthly figures, and per unit, basis and year
    select m.unit_id, m.basis, m.year, coalesce(100 + (m.month + 2) / 3, 0), 1, 0, count(*)::int,
      ${cells.map((c) => typed(c, overTime(c, 'm.month', 'm'))).join(', ')}
    from figures m where m.month is not null
    group by grouping sets ((m.unit_id, m.basis, m.year, (m.month + 2) / 3), (m.unit_id, m.basis, m.year))
    -- a year from the unit's months, unless its annual report stands for them
    having grouping((m.month + 2) / 3) = 0 or not ${annualOf('m.basis')}
    union all
    select a.unit_id, a.basis, a.year, 0, 1, 1, 0, ${values('a')} from figures a where a.month is null`;
}

/**
 * Pass 2, from the deepest level up: each parent adds the finished rows of its children at that level to its own
 * (creating the rows of periods it has no figures of its own for). A unit's level is its depth in the closure table.
 * `level` is the loop variable of the block that runs it.
 */
function subtreeSums(): string {
  // A count column is a bigint: bigint_total (migration 000012) adds bigints as bigints, where sum() would add them in
  // 128 bits and return numeric for the column to convert back. The unit counts are ints, the amount numeric.
  const total = (cell: Cell) => `${cell.kind === 'amount' ? 'sum' : 'bigint_total'}(r.${cell.sqlColumn})`;
  return `insert into ${rollupTarget}
    select u.parent_id, r.basis, r.year, r.period, ${[...counts.map((c) => `sum(r.${c})`), ...cells.map(total)].join(', ')}
    from unit u join rollup r on r.unit_id = u.id
    where u.id in (select descendant_id from unit_closure group by descendant_id having max(depth) = level)
    group by u.parent_id, r.basis, r.year, r.period
    on conflict (unit_id, basis, year, period) do update set
      ${[...counts, ...cols].map((c) => `${c} = rollup.${c} + excluded.${c}`).join(', ')}`;
}

/**
 * The statements, in order: one block, so that it is one transaction even for a client that sends it alone, then
 * fresh statistics of the columns reads look rows up by.
 * - TRUNCATE, not DELETE: a delete writes every old row to the WAL once more and leaves the table twice its size.
 *   Its exclusive lock makes readers and writers wait for the new rows (seconds) instead of seeing half-built ones.
 * - The table's foreign keys are dropped for the load and added again from their catalog definitions: a key checks
 *   each inserted row with a lookup of its own (a second per 250,000 rows), added again it checks them all at once.
 *   Dropping the key to `unit` locks `unit` too, until the commit: a rebuild is maintenance after a bulk load. Both
 *   are locked at the start, `unit` before `rollup` as the write path takes them (a report's key check, then its
 *   rollup rows), so the block never holds the rollup table while it waits for `unit`.
 * - The primary key is dropped too while pass 1 only inserts, and added again before pass 2, whose ON CONFLICT needs
 *   it: one index built from sorted rows instead of 266,000 insertions into it (a province's rows alone: 3.1 → 2.2 s;
 *   its whole rebuild, side by side: 8.1 → 7.7 s, median of 5).
 * - work_mem for this transaction only: the aggregates of pass 1 and 2 hold a few hundred MB at province scale and
 *   would otherwise spill to disk.
 */
export function rebuildStatements(): string[] {
  return [
    `do $rebuild$
    declare
      level int;
      key record;
      keys text[] := '{}';
      primary_key text;
      statement text;
    begin
      perform set_config('work_mem', '256MB', true);
      lock table unit, rollup in access exclusive mode;
      truncate rollup;
      for key in select conname, contype, pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = 'rollup'::regclass and contype in ('f', 'p') loop
        execute format('alter table rollup drop constraint %I', key.conname);
        if key.contype = 'p' then
          primary_key := format('alter table rollup add constraint %I %s', key.conname, key.definition);
        else
          keys := keys || format('alter table rollup add constraint %I %s', key.conname, key.definition);
        end if;
      end loop;
      ${ownContributions()};
      execute primary_key;
      for level in select distinct depth from unit_closure where depth > 0 order by depth desc loop
        ${subtreeSums()};
      end loop;
      foreach statement in array keys loop
        execute statement;
      end loop;
    end $rebuild$`,
    'analyze rollup (unit_id, basis, year, period, unit_count)',
  ];
}
