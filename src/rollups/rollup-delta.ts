/**
 * How one write changes a unit's contributions to the pre-aggregated rollups, computed in the hub from what the
 * write's transaction read under the unit-year lock (`rollupMembersStatement`), and added to the unit's and every
 * ancestor's rows by `applyRollupChanges` (preaggregate.ts) with the commit.
 *
 * The time rules are those of `contributionsSql` (time-rules.ts): a unit's contribution to a period is its months in the period
 * (flows summed, an opening balance from its first month, a closing balance from its last) or, for a year, its annual
 * report where it has one. A write replaces one member (a month, or the annual report) of one basis: the delta of
 * each period it belongs to is the contribution after the write minus that before.
 *
 * Until 2026-11-24 the write statement computed this in SQL (CTEs over the unit's year, ~170 columns at each step).
 * Side by side with 32 submitters into one city, that computation cost a third of the submissions' throughput,
 * mostly PostgreSQL setting up and running 170-column projections, aggregates and joins for ≤ 13 rows. Here it is
 * a few thousand additions; the read it needs fetches only the balance cells of the members the write does not touch.
 */
import type { Statement } from '../db/write-transaction.js';
import { amountCellIndexes, cells } from '../format/catalogue.js';
import { toScaled } from '../format/decimal.js';
import { arrayLiteralItems, cellsArraySql, listAt, listFromItems, type CellList } from '../format/figures.js';
import { basisColumn, type Basis } from '../reports/report-status.js';
import { PERIODS } from './preaggregate.js';
import { balanceMember, countedMembers } from './time-rules.js';

/**
 * How a write changes its unit's contributions: per period whose rollups change, the change of [unit_count,
 * annual_units, unit_months, the count cells…] and of the amount cells (in 1/10000, `toScaled`); and the unit's
 * ancestors, itself first, then upwards to its root, to whose rows `applyRollupChanges` (preaggregate.ts) adds it.
 * (The feed's `RollupChange`, rollup-changes.ts, is another thing: which unit and period changed, for subscribers.)
 */
export interface ContributionChange {
  ancestors: number[];
  periods: { key: number; counts: number[]; amounts: bigint[] }[];
}

const balanceIndexes = cells.flatMap((c, i) => (c.aggregation === 'flow' ? [] : [i]));
const countIndexes = cells.flatMap((c, i) => (c.kind === 'amount' ? [] : [i]));
/** The count cells that are flows (summed over a period's members); the others are balances. */
const flowCountIndexes = countIndexes.filter((i) => cells[i].aggregation === 'flow');
/** For each balance cell: whether it is an opening balance (the first member's) rather than a closing one (the last's). */
const balanceOpens = balanceIndexes.map((i) => cells[i].aggregation === 'opening');
/** Where each count cell goes in a period's `counts`: after unit_count, annual_units and unit_months, in catalogue order. */
const countSlot = new Map(countIndexes.map((cell, k) => [cell, 3 + k]));
const flowSlots = flowCountIndexes.map((i) => countSlot.get(i)!);
const balanceSlots = balanceIndexes.map((i) => countSlot.get(i)!);

// Every balance is a count (the catalogue's opening and closing application balances): kept as numbers below.
if (balanceIndexes.some((i) => cells[i].kind === 'amount')) throw new Error('a balance cell that is an amount: rollup-delta.ts sums balances as counts');

// A row even for a unit with no figures yet (members null): the ancestors come with it.
const membersSql = (basis: Basis) => `select c.ancestors, m.month, m.figures
  from (select array_agg(ancestor_id order by depth)::text as ancestors from unit_closure where descendant_id = ?::int) c
  left join lateral (
    select r.month, case when r.month is not distinct from ?::smallint or ?::smallint is null
      then ${cellsArraySql('v')} else array[${balanceIndexes.map((i) => `v.${cells[i].sqlColumn}`).join(', ')}]::text end as figures
    from report r join report_revision v on v.report_id = r.id and v.revision = r.${basisColumn(basis)}
    where r.unit_id = ?::int and r.year = ?::smallint and r.scope = 'SELF'
  ) m on true`;
const MEMBERS = new Map<Basis, string>();

/**
 * The unit's SELF figures of the year on a basis as they stand before a write to `month` (null: the annual report):
 * a row per month or annual report with figures, all cells for the member written (and for every member when the
 * annual report is written: the months' flows leave the year then), the balance cells only for the others (their
 * flows count on both sides of the write, and cancel); and, on every row, the unit's ancestors. Run under the
 * unit-year lock, after it was taken.
 */
export function rollupMembersStatement(basis: Basis, unitId: number, year: number, month: number | null): Statement {
  const sql = MEMBERS.get(basis) ?? MEMBERS.set(basis, membersSql(basis)).get(basis)!;
  return { sql, values: [unitId, month, month, unitId, year] };
}

interface Member {
  /** 1-12, or null for the annual report. */
  month: number | null;
  /** The cells in catalogue order; only the balance cells where `full` is false. */
  values: CellList;
  full: boolean;
}

function members(rows: Record<string, unknown>[]): Member[] {
  return rows.filter((row) => row.figures !== null).map((row) => {
    const items = arrayLiteralItems(row.figures as string);
    if (items.length === cells.length) return { month: (row.month as number | null) ?? null, values: listFromItems(items), full: true };
    return { month: (row.month as number | null) ?? null, values: listAt(items, balanceIndexes), full: false };
  });
}

function flowValues(m: Member): CellList {
  if (!m.full) throw new Error(`rollup delta: the figures of month ${m.month} were not read, but its flows change a period`);
  return m.values;
}

/**
 * The change of replacing the member `month` (null: the annual report) of `rows` (`rollupMembersStatement`) by the
 * figures `next` (catalogue order): the periods whose rollups change, each after minus before, by period; none when
 * nothing changes.
 */
export function rollupDelta(rows: Record<string, unknown>[], month: number | null, next: CellList): ContributionChange {
  // Every unit has its own closure row (the unit table's trigger adds it): without one, its rollups cannot be kept.
  if (typeof rows[0]?.ancestors !== 'string') throw new Error('rollup delta: the unit has no rows in unit_closure');
  const ancestors = arrayLiteralItems(rows[0].ancestors).map(Number);
  const before = members(rows);
  const written: Member = { month, values: next, full: true };
  const after = [...before.filter((m) => m.month !== month), written];
  const keys = month === null ? [0] : [0, month, 100 + Math.ceil(month / 3)];
  const periods: ContributionChange['periods'] = [];
  // A member's flows, as numbers and scaled amounts, made once: the write's old and new month change up to three
  // periods (its month, quarter and year) by the same figures.
  const flowsOf = new Map<Member, { counts: Float64Array; amounts: bigint[] }>();
  const flows = (m: Member) => {
    let f = flowsOf.get(m);
    if (!f) {
      const values = flowValues(m);
      const counts = new Float64Array(flowCountIndexes.length);
      for (let k = 0; k < flowCountIndexes.length; k++) counts[k] = Number(values[flowCountIndexes[k]]);
      flowsOf.set(m, (f = { counts, amounts: amountCellIndexes.map((i) => toScaled(String(values[i]))) }));
    }
    return f;
  };
  for (const key of keys.sort((a, b) => a - b)) {
    const period = PERIODS.find((p) => p.key === key)!;
    const a = countedMembers(after, period);
    const b = countedMembers(before, period);
    const counts = new Array<number>(3 + countIndexes.length).fill(0);
    const amounts = amountCellIndexes.map(() => 0n);
    // Flows: a member counted on one side only, or replaced (the written one), adds its figures with a sign; the
    // others count on both sides with the same figures and cancel, so they were not read in full.
    const add = (m: Member, sign: 1 | -1) => {
      const f = flows(m);
      for (let k = 0; k < flowSlots.length; k++) counts[flowSlots[k]] += sign * f.counts[k];
      for (let k = 0; k < amounts.length; k++) amounts[k] += sign === 1 ? f.amounts[k] : -f.amounts[k];
    };
    for (const m of a) if (!b.includes(m)) add(m, 1);
    for (const m of b) if (!a.includes(m)) add(m, -1);
    // Balances: the first (opening) or last (closing) member's after minus before.
    const [firstA, lastA, firstB, lastB] = [balanceMember(a, false), balanceMember(a, true), balanceMember(b, false), balanceMember(b, true)];
    for (let k = 0; k < balanceIndexes.length; k++) {
      const i = balanceIndexes[k];
      const [x, y] = balanceOpens[k] ? [firstA, firstB] : [lastA, lastB];
      counts[balanceSlots[k]] = Number(x?.values[i] ?? 0) - Number(y?.values[i] ?? 0);
    }
    counts[0] = Number(a.length > 0) - Number(b.length > 0);
    counts[1] = a.filter((m) => m.month === null).length - b.filter((m) => m.month === null).length;
    counts[2] = a.filter((m) => m.month !== null).length - b.filter((m) => m.month !== null).length;
    if (counts.some((v) => v !== 0) || amounts.some((v) => v !== 0n)) periods.push({ key, counts, amounts });
  }
  return { ancestors, periods };
}
