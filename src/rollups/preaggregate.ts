/**
 * Pre-aggregated rollups, kept always fresh in the write transaction.
 *
 * A unit's contribution to a period is its own SELF figures combined over the period's months by the time rules
 * (flows summed, opening balance from its first month, closing balances from its last; for a year its annual report
 * where it has one). When a write changes a unit's figures, the hub computes how the unit's contributions to the
 * month, quarter and year change from what the write's transaction read (`rollupDelta`, rollup-delta.ts: after minus
 * before), and the difference is added to the `rollup` rows of the unit and of every ancestor by the transaction's
 * last statement, sent with the commit (`applyRollupChanges`) — rows locked in a fixed order, so concurrent writes anywhere in a city neither
 * deadlock nor lose an update, and hold those shared rows only for that statement and the commit. Writes to one
 * unit's year are serialised by an advisory lock, because its quarter and year balances depend on its other months.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Statement } from '../db/write-transaction.js';
import { cells, type Cell } from '../format/catalogue.js';
import { basisColumn, Basis } from '../reports/report-status.js';
import { rebuildStatements } from './rebuild.js';
import { fromScaled } from '../format/decimal.js';
import type { ContributionChange } from './rollup-delta.js';

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

// The rows come summed and ordered from `applyRollupChanges`: the i-th row is the i-th element of each array (`v` a
// bigint[][] of `applied` counts, `a` a numeric[][] of the amounts), inserted in that order (`order by i`), so its
// row locks are taken in it. The arrays are the statement's typed parameters: converted once per execution, not at
// each of their 170 references.
const applyChangesSql = `
  insert into rollup (unit_id, basis, year, period, ${applied.join(', ')})
  select d.ids[i], ?::varchar, d.years[i], d.periods[i],
    ${[...['int', 'int', 'int'].map((cast, k) => `d.v[i][${k + 1}]::${cast}`), ...counts.map((_, k) => `d.v[i][${k + 4}]`), ...amounts.map((_, k) => `d.a[i][${k + 1}]`)].join(', ')}
  from (select ?::int[] as ids, ?::smallint[] as years, ?::smallint[] as periods, ?::bigint[] as v, ?::numeric[] as a) d
  cross join generate_subscripts(d.ids, 1) as i
  order by i
  on conflict (unit_id, basis, year, period) do update set ${applied.map((c) => `${c} = rollup.${c} + excluded.${c}`).join(', ')}`;

interface SummedRow {
  unitId: number;
  /** The unit's distance from its root: rows are locked deepest level first. */
  level: number;
  year: number;
  period: number;
  counts: number[];
  amounts: bigint[];
}

/**
 * The statement that adds the rollup changes of one write or several (a batch of submissions,
 * reports/submission-batch.ts) to the rollups of their units and every ancestor, writers' last statement, sent with
 * the commit: the rows of a city and its province are what every submitter in the city waits for. A row several
 * writes share (the city's, the province's) is summed here and updated once. Null when no row changes.
 *
 * Rows are locked in one global order, so concurrent writers (batches, single writes, approvals, other hub
 * processes) never deadlock: by the unit's level in the hierarchy, deepest first, then the unit, the year and the
 * period. The root's rows, which every writer shares, are taken last and held the shortest.
 */
export function applyRollupChanges(basis: Basis, writes: { year: number; change: ContributionChange }[]): Statement | null {
  const rows = new Map<string, SummedRow>();
  for (const { year, change } of writes) {
    const top = change.ancestors.length - 1;
    change.ancestors.forEach((unitId, depth) => {
      for (const p of change.periods) {
        const key = `${unitId}|${year}|${p.key}`;
        let row = rows.get(key);
        if (!row) rows.set(key, (row = { unitId, level: top - depth, year, period: p.key, counts: p.counts.map(() => 0), amounts: p.amounts.map(() => 0n) }));
        for (let k = 0; k < p.counts.length; k++) row.counts[k] += p.counts[k];
        for (let k = 0; k < p.amounts.length; k++) row.amounts[k] += p.amounts[k];
      }
    });
  }
  // Changes that cancel out within a batch leave their rows alone.
  const changed = [...rows.values()].filter((r) => r.counts.some((v) => v !== 0) || r.amounts.some((v) => v !== 0n));
  if (!changed.length) return null;
  changed.sort((a, b) => b.level - a.level || a.unitId - b.unitId || a.year - b.year || a.period - b.period);
  const matrix = (rows: readonly (number | string)[][]) => `{${rows.map((r) => `{${r.join(',')}}`).join(',')}}`;
  return {
    sql: applyChangesSql,
    values: [
      basis,
      `{${changed.map((r) => r.unitId).join(',')}}`,
      `{${changed.map((r) => r.year).join(',')}}`,
      `{${changed.map((r) => r.period).join(',')}}`,
      matrix(changed.map((r) => r.counts)),
      matrix(changed.map((r) => r.amounts.map(fromScaled))),
    ],
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

