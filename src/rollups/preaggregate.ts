/**
 * Pre-aggregated rollups, kept always fresh in the write transaction.
 *
 * A unit's contribution to a period is its own SELF figures combined over the period's months by the time rules
 * (flows summed, opening balance from its first month, closing balances from its last; for a year its annual report
 * where it has one). When a write changes a unit's figures, the write statement itself computes how the unit's
 * contributions to the month, quarter and year change (`rollupDeltaCtes`: after minus before), and the difference
 * is added to the `rollup` rows of the unit and of every ancestor by the transaction's last statement, sent with
 * the commit (`applyRollupDeltas`) — rows locked in a fixed order, so concurrent writes anywhere in a city neither
 * deadlock nor lose an update, and hold those shared rows only for that statement and the commit. Writes to one
 * unit's year are serialised by an advisory lock, because its quarter and year balances depend on its other months.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Statement } from '../db/write-transaction.js';
import { cells, type Cell } from '../format/catalogue.js';
import { basisColumn, Basis } from '../reports/report-status.js';
import { rebuildStatements } from './rebuild.js';

/** Period keys of the rollup table: 1-12 the months, 101-104 the quarters, 0 the year. */
export const PERIODS: { key: number; first: number; last: number }[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ key: i + 1, first: i + 1, last: i + 1 })),
  ...Array.from({ length: 4 }, (_, i) => ({ key: 101 + i, first: 3 * i + 1, last: 3 * i + 3 })),
  { key: 0, first: 1, last: 12 },
];

export function periodKey(period: { quarter: number | null; month: number | null }): number {
  return period.month ?? (period.quarter ? 100 + period.quarter : 0);
}

function overTime(cell: Cell): string {
  const col = `b.${cell.sqlColumn}`;
  if (cell.aggregation === 'opening') return `(array_agg(${col} order by b.month))[1] as ${cell.sqlColumn}`;
  if (cell.aggregation === 'closing') return `(array_agg(${col} order by b.month desc))[1] as ${cell.sqlColumn}`;
  return `sum(${col}) as ${cell.sqlColumn}`;
}

/**
 * Contributions of some units to every period of some years: one row per (unit, year, period) with figures.
 * `units` is SQL selecting `unit_id`s, `years` SQL selecting `year`s; their params come first, in that order.
 */
export function contributionsSql(basis: Basis, units: string, years: string, only: number[] | null = null): string {
  const revision = `v.revision = r.${basisColumn(basis)}`;
  const periods = PERIODS.filter((p) => !only || only.includes(p.key))
    .map((p) => `(${p.key}, ${p.first}, ${p.last})`)
    .join(', ');
  return `
    with annual as (
      select r.unit_id, r.year, ${cells.map((c) => `v.${c.sqlColumn}`).join(', ')}
      from report r join report_revision v on v.report_id = r.id and ${revision}
      where r.unit_id in (${units}) and r.year in (${years}) and r.month is null and r.scope = 'SELF'
    ),
    base as (
      select r.unit_id, r.year, r.month, ${cells.map((c) => `v.${c.sqlColumn}`).join(', ')}
      from report r join report_revision v on v.report_id = r.id and ${revision}
      where r.unit_id in (${units}) and r.year in (${years}) and r.month is not null and r.scope = 'SELF'
    ),
    periods (period, first_month, last_month) as (values ${periods})
    -- grain: one row per unit, year and period it has figures for
    select b.unit_id, b.year, p.period, count(*)::int as months, false as annual, ${cells.map(overTime).join(', ')}
    from base b join periods p on b.month between p.first_month and p.last_month
    where not (p.period = 0 and exists (select 1 from annual a where a.unit_id = b.unit_id and a.year = b.year))
    group by b.unit_id, b.year, p.period
    union all
    select unit_id, year, 0, 0, true, ${cells.map((c) => c.sqlColumn).join(', ')} from annual`;
}

/**
 * Serialises writes to one unit's figures of one year (its balances over a quarter or year span its months): SQL for
 * a one-time condition, `(…) is not null`, that takes the lock before the statement reads anything. Parameters: the
 * unit and the year. Writers take it first, then the report row, then rollup rows: one order, so no deadlock.
 */
export const unitYearLock = '(select pg_advisory_xact_lock(?::int, ?::int)) is not null';

/**
 * Inside the write path's statements the cells go by short names, `c1`, `c2`, ... in catalogue order: PostgreSQL
 * copies and scans a prepared statement's whole text on every execution (about 1 ns a byte, and three times over
 * for a protocol-level one), and 166 names of 40 characters at every step made the write statement 114 kB.
 */
export const cellAliases = cells.map((_, i) => `c${i + 1}`);
const aliases = (f: (alias: string, cell: Cell) => string, of: Cell[] = cells) => of.map((c) => f(cellAliases[cells.indexOf(c)], c)).join(', ');

/** Selects the cells of report revision `v` under their short names. */
export const revisionCells = (v: string) => aliases((a, c) => `${v}.${c.sqlColumn} ${a}`);

const counts = cells.filter((c) => c.kind !== 'amount');
const amounts = cells.filter((c) => c.kind === 'amount');

/**
 * CTEs ending in `rollup_delta (period, counts, amounts)`: how a write changes a unit's contributions (the time rules
 * of `contributionsSql`) to the periods of one month — the month, its quarter, its year — or of its annual report, on
 * a basis: the contributions after the write minus those before. "Before" is what the statement's snapshot holds;
 * "after" is the same with that month's figures replaced by the row of `next` (a relation of the columns c1, c2,
 * ...). Run under the unit-year lock, so nothing else changes the unit's year in between. `counts` is a bigint[] of
 * the period, unit_count, annual_units, unit_months and the count cells, `amounts` a numeric[] of the amount cells;
 * periods whose rollups do not change are left out.
 * Parameters, where the CTEs stand: the unit, the year, the month (null: the annual report).
 */
export function rollupDeltaCtes(basis: Basis, next: string): string {
  const periods = PERIODS.map((p) => `(${p.key}, ${p.first}, ${p.last})`).join(', ');
  const balances = cells.filter((c) => c.aggregation !== 'flow');
  // A balance is the first (opening) or last (closing) member's, after minus before; flows are summed with a weight.
  const change = (cell: Cell, alias: string) => {
    if (cell.aggregation === 'flow') return `coalesce(fl.${alias}, 0)`;
    const [a, b] = cell.aggregation === 'opening' ? ['fa', 'fb'] : ['la', 'lb'];
    return `coalesce(${a}.${alias}, 0) - coalesce(${b}.${alias}, 0)`;
  };
  return `
    rollup_target as (select ?::int as unit_id, ?::smallint as year, ?::smallint as month),
    -- grain: one row per report of the unit's year with figures on the basis, and one for the written figures (month
    -- null: an annual report); k orders them, an annual report first. Before the write (b) counts all but the written
    -- figures, after it (a) all but the figures they replace.
    rollup_figures as (
      select r.month, coalesce(r.month, 0) as k, true as b, r.month is distinct from t.month as a, ${revisionCells('v')}
      from rollup_target t
      join report r on r.unit_id = t.unit_id and r.year = t.year and r.scope = 'SELF'
      join report_revision v on v.report_id = r.id and v.revision = r.${basisColumn(basis)}
      union all
      select t.month, coalesce(t.month, 0), false, true, n.* from rollup_target t cross join ${next} n
    ),
    rollup_annual as (select bool_or(b and month is null) as b, bool_or(a and month is null) as a from rollup_figures),
    rollup_periods as (
      select p.period, p.first_month, p.last_month
      from rollup_target t cross join (values ${periods}) as p (period, first_month, last_month)
      where p.period = 0 or p.period = t.month or p.period = 100 + (t.month + 2) / 3
    ),
    -- grain: one row per period and figures that count for it on either side: a month for its month, quarter and year,
    -- an annual report for the year, where it stands alone (the months of a side with an annual report do not count).
    -- Figures are named by (k, a, b), not carried: most members count on both sides and change nothing.
    rollup_members as (
      select m.*, m.in_a::int - m.in_b::int as w from (
        select p.period, f.k, f.month, f.a, f.b,
          f.b and (f.month is null or not (p.period = 0 and y.b)) as in_b, f.a and (f.month is null or not (p.period = 0 and y.a)) as in_a
        from rollup_figures f cross join rollup_annual y
        join rollup_periods p on f.month between p.first_month and p.last_month or f.month is null and p.period = 0
      ) m
    ),
    -- grain: one row per period: how many units, annual reports and months count after minus before, and which member
    -- is first and last on each side
    rollup_change as (
      select m.period, bool_or(m.in_a)::int - bool_or(m.in_b)::int as unit_count,
        count(*) filter (where m.in_a and m.month is null) - count(*) filter (where m.in_b and m.month is null) as annual_units,
        count(m.month) filter (where m.in_a) - count(m.month) filter (where m.in_b) as unit_months,
        min(m.k) filter (where m.in_a) as first_a, min(m.k) filter (where m.in_b) as first_b,
        max(m.k) filter (where m.in_a) as last_a, max(m.k) filter (where m.in_b) as last_b
      from rollup_members m group by m.period
    ),
    -- grain: one row per period whose flows change: after minus before, summed over the members that count on one
    -- side only (weighted: +1 after, -1 before); a member on both sides adds nothing, so it is not read at all
    rollup_flows as (
      select m.period, ${aliases((a) => `sum(f.${a} * m.w) ${a}`, cells.filter((c) => c.aggregation === 'flow'))}
      from rollup_members m join rollup_figures f on f.k = m.k and f.a = m.a and f.b = m.b
      where m.w <> 0
      group by m.period
    ),
    rollup_balances as (select k, a, b, ${aliases((a) => a, balances)} from rollup_figures),
    rollup_delta as (
      select * from (
        select c.period, array[c.period, c.unit_count, c.annual_units, c.unit_months, ${aliases((a, c) => change(c, a), counts)}]::bigint[] as counts,
          array[${aliases((a, c) => change(c, a), amounts)}]::numeric[] as amounts
        from rollup_change c
        left join rollup_flows fl on fl.period = c.period
        left join rollup_balances fa on fa.a and fa.k = c.first_a
        left join rollup_balances fb on fb.b and fb.k = c.first_b
        left join rollup_balances la on la.a and la.k = c.last_a
        left join rollup_balances lb on lb.b and lb.k = c.last_b
      ) d
      where d.counts[2:] <> array_fill(0::bigint, array[${counts.length + 3}]) or d.amounts <> array_fill(0::numeric, array[${amounts.length}])
    )`;
}

/**
 * The rows of `rollup_delta` as two arrays (one text column each: far cheaper to write and to read again than 170
 * columns or JSON), a row per period: `rollup_counts` bigint[][] and `rollup_amounts` numeric[][]. Null when the
 * write changes no rollup.
 */
export const rollupDeltaSelect = `(select array_agg(d.counts order by d.period)::text from rollup_delta d) as rollup_counts,
  (select array_agg(d.amounts order by d.period)::text from rollup_delta d) as rollup_amounts`;

const applied = ['unit_count', 'annual_units', 'unit_months', ...counts.map((c) => c.sqlColumn), ...amounts.map((c) => c.sqlColumn)];

/**
 * The values of a delta row `d` (its period's counts `d.v[d.i]`, amounts `d.a[d.i]`) in `applied` order, each
 * through `f` (as it is, or summed over several writes), with the column's type.
 */
const deltaValues = (f: (element: string) => string) =>
  [
    ...['int', 'int', 'int', ...counts.map(() => '')].map((cast, k) => `${f(`d.v[d.i][${k + 2}]`)}${cast && `::${cast}`}`),
    ...amounts.map((_, k) => f(`d.a[d.i][${k + 1}]`)),
  ].join(', ');
/** Adds the inserted deltas to the rows that exist. */
const addedToRows = `on conflict (unit_id, basis, year, period) do update set ${applied.map((c) => `${c} = rollup.${c} + excluded.${c}`).join(', ')}`;

// Rows in one global order, so concurrent writers never deadlock: the unit first, then its ancestors upwards (an
// ancestor's level is the unit's less its depth, so this is by level, deepest first), and by period. The root's
// rows, which every writer shares, are taken last and held the shortest.
const applyDeltasSql = `
  insert into rollup (unit_id, basis, year, period, ${applied.join(', ')})
  select c.ancestor_id, ?::varchar, ?::smallint, d.v[d.i][1]::smallint,
    ${deltaValues((x) => x)}
  from (select x.v, x.a, i from (select ?::bigint[] as v, ?::numeric[] as a) x cross join generate_subscripts(x.v, 1) as i) d
  cross join unit_closure c
  where c.descendant_id = ?::int
  order by c.depth, d.v[d.i][1]
  ${addedToRows}`;

/**
 * The statement that adds the rows of `rollup_delta` (as `rollupDeltaSelect` returned them) to the rollups of the
 * unit and every ancestor; null when the write changed no contribution. Writers run it last, with the commit: the
 * rollup rows of a city and its province are what every submitter in the city waits for.
 */
export function applyRollupDeltas(unitId: number, year: number, basis: Basis, delta: { rollup_counts?: unknown; rollup_amounts?: unknown }): Statement | null {
  if (typeof delta.rollup_counts !== 'string') return null;
  return { sql: applyDeltasSql, values: [basis, year, delta.rollup_counts, delta.rollup_amounts, unitId] };
}

// The same order for the rows of several writes at once: by the ancestor's level in the hierarchy (its distance from
// the root; deepest first), then the ancestor, the year and the period. For one write it is the order above (one
// ancestor per level, one year), so batches and single writers take shared rows in one global order.
// The writes' arrays come as text and are cast once (materialized): referred to 170 times, a cast in a subquery that
// PostgreSQL pulls up would parse the text again at every reference.
const applyBatchSql = `
  with writes as materialized (
    select w.unit_id, w.year, w.v::bigint[] as v, w.a::numeric[] as a
    from unnest(?::int[], ?::smallint[], ?::text[], ?::text[]) as w (unit_id, year, v, a)
  )
  insert into rollup (unit_id, basis, year, period, ${applied.join(', ')})
  select c.ancestor_id, ?::varchar, d.year, d.v[d.i][1]::smallint,
    ${deltaValues((x) => `sum(${x})`)}
  from (
    select w.unit_id, w.year, w.v, w.a, i
    from writes w cross join generate_subscripts(w.v, 1) as i
  ) d
  join unit_closure c on c.descendant_id = d.unit_id
  cross join lateral (select max(l.depth) as level from unit_closure l where l.descendant_id = c.ancestor_id) l
  group by l.level, c.ancestor_id, d.year, d.v[d.i][1]
  order by l.level desc, c.ancestor_id, d.year, d.v[d.i][1]
  ${addedToRows}`;

/**
 * One statement that adds the rollup changes of several writes (a batch of submissions, reports/submission-batch.ts)
 * to the rollups of their units and every ancestor: a row shared by several writes (the city's, the province's) is
 * updated once, with their sum. Null when none of the writes changed a contribution.
 */
export function applyRollupDeltaBatch(basis: Basis, writes: { unitId: number; year: number; delta: { rollup_counts?: unknown; rollup_amounts?: unknown } }[]): Statement | null {
  const changed = writes.filter((w) => typeof w.delta.rollup_counts === 'string');
  if (!changed.length) return null;
  return {
    sql: applyBatchSql,
    values: [changed.map((w) => w.unitId), changed.map((w) => w.year), changed.map((w) => w.delta.rollup_counts), changed.map((w) => w.delta.rollup_amounts), basis],
  };
}

/**
 * The statements that rebuild every rollup from the base reports, in bulk (after a bulk load), in one transaction
 * (`rebuild.ts`). Plain SQL without parameters, so that any client can run them (the ORM here, node-postgres in the
 * generator).
 */
export function rebuildRollupStatements(): string[] {
  return rebuildStatements();
}

export async function rebuildRollups(em: EntityManager): Promise<void> {
  await em.transactional(async (tx) => {
    for (const sql of rebuildRollupStatements()) await tx.execute(sql);
  });
}

