/**
 * Pre-aggregated rollups, kept always fresh in the write transaction.
 *
 * A unit's contribution to a period is its own SELF figures combined over the period's months by the time rules
 * (flows summed, opening balance from its first month, closing balances from its last; for a year its annual report
 * where it has one). When a write changes a unit's figures, the hub computes how the unit's contributions to the
 * month, quarter and year change from what the write's transaction read (`rollupDelta`, rollup-delta.ts: after minus
 * before), and the difference is added to the `rollup` rows of the unit and of every ancestor by the transaction's last statement, sent with
 * the commit (`applyRollupDeltas`) — rows locked in a fixed order, so concurrent writes anywhere in a city neither
 * deadlock nor lose an update, and hold those shared rows only for that statement and the commit. Writes to one
 * unit's year are serialised by an advisory lock, because its quarter and year balances depend on its other months.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Statement } from '../db/write-transaction.js';
import { cells, type Cell } from '../format/catalogue.js';
import { basisColumn, Basis } from '../reports/report-status.js';
import { rebuildStatements } from './rebuild.js';
import type { RollupDelta } from './rollup-delta.js';

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
 * Inside the write statement the cells go by short names, `c1`, `c2`, ... in catalogue order: PostgreSQL copies and
 * scans a prepared statement's whole text on every execution (about 1 ns a byte, and three times over for a
 * protocol-level one), and 166 names of 40 characters at every step made the write statement 114 kB.
 */
export const cellAliases = cells.map((_, i) => `c${i + 1}`);

const counts = cells.filter((c) => c.kind !== 'amount');
const amounts = cells.filter((c) => c.kind === 'amount');

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
 * The statement that adds the rows of a write's delta (`rollupDelta`, rollup-delta.ts) to the rollups of the
 * unit and every ancestor; null when the write changed no contribution. Writers run it last, with the commit: the
 * rollup rows of a city and its province are what every submitter in the city waits for.
 */
export function applyRollupDeltas(unitId: number, year: number, basis: Basis, delta: RollupDelta): Statement | null {
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
export function applyRollupDeltaBatch(basis: Basis, writes: { unitId: number; year: number; delta: RollupDelta }[]): Statement | null {
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

