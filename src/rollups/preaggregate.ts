/**
 * Pre-aggregated rollups, kept always fresh in the write transaction.
 *
 * A unit's contribution to a period is its own SELF figures combined over the period's months by the time rules
 * (flows summed, opening balance from its first month, closing balances from its last; for a year its annual report
 * where it has one). When a write changes a unit's figures, the contributions of that unit's year are computed
 * before and after the write, and the difference is added to the `rollup` rows of the unit and of every ancestor —
 * in one statement, rows locked in a fixed order, so concurrent writes anywhere in a city neither deadlock nor lose
 * an update. Writes to one unit's year are serialised by an advisory lock, because its quarter and year balances
 * depend on its other months.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells, type Cell } from '../format/catalogue.js';
import { fromScaled, toScaled } from '../format/decimal.js';
import { valuesFromRow, type CellValues } from '../format/figures.js';
import { basisColumn, Basis } from '../reports/report-status.js';

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

interface Contribution {
  months: number;
  annual: boolean;
  values: CellValues;
}

async function contributions(em: EntityManager, unitId: number, year: number, basis: Basis, periods: number[]): Promise<Map<number, Contribution>> {
  const rows = await em.execute<Record<string, unknown>[]>(contributionsSql(basis, '?', '?', periods), [unitId, year, unitId, year]);
  return new Map(rows.map((r) => [r.period as number, { months: r.months as number, annual: r.annual as boolean, values: valuesFromRow(r) }]));
}

/** Serialises writes to one unit's figures of one year (its balances over a quarter or year span its months). */
export async function lockUnitYear(em: EntityManager, unitId: number, year: number): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(?, ?)', [unitId, year]);
}

/** The periods a report of a month (or, with null, an annual report) can change: its month, quarter and year. */
export function periodsOf(month: number | null): number[] {
  return month === null ? [0] : [month, 100 + Math.ceil(month / 3), 0];
}

/**
 * Runs `write` (which changes the unit's figures of the basis for one month, or its annual report) and adds the
 * change of the unit's contributions to the rollups of the unit and all its ancestors. Call inside a transaction.
 */
export async function maintainRollups<T>(em: EntityManager, unitId: number, year: number, month: number | null, basis: Basis, write: () => Promise<T>): Promise<T> {
  await lockUnitYear(em, unitId, year);
  const periods = periodsOf(month);
  const before = await contributions(em, unitId, year, basis, periods);
  const result = await write();
  const after = await contributions(em, unitId, year, basis, periods);
  await applyDeltas(em, unitId, year, basis, before, after);
  return result;
}

async function applyDeltas(em: EntityManager, unitId: number, year: number, basis: Basis, before: Map<number, Contribution>, after: Map<number, Contribution>): Promise<void> {
  const deltas: unknown[][] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    if (!a && !b) continue;
    const counts = [(b ? 1 : 0) - (a ? 1 : 0), (b?.annual ? 1 : 0) - (a?.annual ? 1 : 0), (b?.months ?? 0) - (a?.months ?? 0)];
    const cellDeltas = cells.map((c) =>
      c.kind === 'amount'
        ? fromScaled(toScaled(String(b?.values[c.path] ?? '0')) - toScaled(String(a?.values[c.path] ?? '0')))
        : Number(b?.values[c.path] ?? 0) - Number(a?.values[c.path] ?? 0),
    );
    if (counts.every((n) => n === 0) && cellDeltas.every((d) => d === 0 || d === '0')) continue;
    deltas.push([key, ...counts, ...cellDeltas]);
  }
  if (!deltas.length) return;
  const columns = ['unit_count', 'annual_units', 'unit_months', ...cells.map((c) => c.sqlColumn)];
  const casts = ['int', 'int', 'int', ...cells.map((c) => (c.kind === 'amount' ? 'numeric' : 'bigint'))];
  const row = `(?::smallint, ${casts.map((t) => `?::${t}`).join(', ')})`;
  // Ancestors and periods in a fixed order: concurrent writers lock rollup rows in the same order, so never deadlock.
  await em.execute(
    `insert into rollup (unit_id, basis, year, period, ${columns.join(', ')})
     select c.ancestor_id, ?, ?, d.period, ${columns.map((c) => `d.${c}`).join(', ')}
     from unit_closure c cross join (values ${deltas.map(() => row).join(', ')}) as d (period, ${columns.join(', ')})
     where c.descendant_id = ?
     order by c.ancestor_id, d.period
     on conflict (unit_id, basis, year, period) do update set ${columns.map((c) => `${c} = rollup.${c} + excluded.${c}`).join(', ')}`,
    [basis, year, ...deltas.flat(), unitId],
  );
}

/**
 * The statements that rebuild every rollup from the base reports, in bulk (after a bulk load). Plain SQL without
 * parameters, so that any client can run them (the ORM here, node-postgres in the generator).
 */
export function rebuildRollupStatements(): string[] {
  return [
    'delete from rollup',
    ...[Basis.SUBMITTED, Basis.APPROVED].map(
      (basis) => `insert into rollup (unit_id, basis, year, period, unit_count, annual_units, unit_months, ${cells.map((c) => c.sqlColumn).join(', ')})
       select c.ancestor_id, '${basis}', k.year, k.period, count(*), count(*) filter (where k.annual), sum(k.months),
         ${cells.map((c) => `sum(k.${c.sqlColumn})`).join(', ')}
       from (${contributionsSql(basis, 'select id from unit', 'select distinct year from report')}) k
       join unit_closure c on c.descendant_id = k.unit_id
       group by c.ancestor_id, k.year, k.period`,
    ),
    'analyze rollup',
  ];
}

export async function rebuildRollups(em: EntityManager): Promise<void> {
  await em.transactional(async (tx) => {
    for (const sql of rebuildRollupStatements()) await tx.execute(sql);
  });
}

