import { describe, expect, it } from '@jest/globals';
import { cells } from '../../src/format/catalogue.js';
import { fromScaled, toScaled } from '../../src/format/decimal.js';
import { Basis } from '../../src/reports/report-status.js';
import { applyRollupChanges } from '../../src/rollups/preaggregate.js';
import { random } from '../../seeds/synthetic-figures.js';
import { rollupDelta, type ContributionChange } from '../../src/rollups/rollup-delta.js';

/**
 * The hub's delta of a write (rollup-delta.ts) against a plain recomputation: each period's contribution before and
 * after the write, by the time rules written out here once more (flows summed over the counted members, opening from
 * the first, closing from the last; a year's annual report alone where there is one), subtracted. The database tests
 * (modes-agree, rebuild) check the same end to end; these try many shapes of a unit's year in a second.
 */
type Figures = (number | string)[];
interface Member { month: number | null; figures: Figures }

const balance = cells.map((c) => c.aggregation !== 'flow');
const isAmount = cells.map((c) => c.kind === 'amount');

function randomFigures(rng: () => number): Figures {
  return cells.map((c) => (c.kind === 'amount' ? fromScaled(BigInt(Math.floor(rng() * 2_000_000))) : Math.floor(rng() * 50)));
}

/** The rows `rollupMembersStatement` returns: all cells of the member written (of every member when the annual report is), balances of the others. */
function rows(members: Member[], written: number | null, ancestors = [7, 3, 1]): Record<string, unknown>[] {
  const base = { ancestors: `{${ancestors.join(',')}}` };
  if (!members.length) return [{ ...base, month: null, figures: null }];
  return members.map((m) => {
    const full = written === null || m.month === written;
    const items = full ? m.figures : m.figures.filter((_, i) => balance[i]);
    return { ...base, month: m.month, figures: `{${items.join(',')}}` };
  });
}

/** A unit's contribution to a period: [unit_count, annual_units, unit_months, counts…] and amounts, or null. */
function contribution(members: Member[], first: number, last: number, year: boolean) {
  const annual = members.find((m) => m.month === null);
  const counted = year && annual ? [annual] : members.filter((m) => m.month !== null && m.month >= first && m.month <= last).sort((a, b) => a.month! - b.month!);
  if (!counted.length) return null;
  const counts = cells.map((c, i) => {
    if (c.kind === 'amount') return 0;
    if (c.aggregation === 'opening') return Number(counted[0].figures[i]);
    if (c.aggregation === 'closing') return Number(counted[counted.length - 1].figures[i]);
    return counted.reduce((sum, m) => sum + Number(m.figures[i]), 0);
  });
  const amounts = cells.flatMap((c, i) => (c.kind === 'amount' ? [counted.reduce((sum, m) => sum + toScaled(String(m.figures[i])), 0n)] : []));
  return { head: [1, annual && year ? 1 : 0, counted.filter((m) => m.month !== null).length], counts: counts.filter((_, i) => !isAmount[i]), amounts };
}

function expectedChange(before: Member[], month: number | null, next: Figures) {
  const after = [...before.filter((m) => m.month !== month), { month, figures: next }];
  const periods = month === null ? [[0, 1, 12]] : [[0, 1, 12], [month, month, month], [100 + Math.ceil(month / 3), 3 * Math.ceil(month / 3) - 2, 3 * Math.ceil(month / 3)]];
  return periods
    .map(([key, first, last]) => {
      const a = contribution(after, first, last, key === 0);
      const b = contribution(before, first, last, key === 0);
      const head = [0, 1, 2].map((k) => (a?.head[k] ?? 0) - (b?.head[k] ?? 0));
      const counts = (a ?? b)!.counts.map((_, k) => (a?.counts[k] ?? 0) - (b?.counts[k] ?? 0));
      const amounts = (a ?? b)!.amounts.map((_, k) => (a?.amounts[k] ?? 0n) - (b?.amounts[k] ?? 0n));
      return { key, counts: [...head, ...counts], amounts };
    })
    .filter((p) => p.counts.some((v) => v !== 0) || p.amounts.some((v) => v !== 0n))
    .sort((x, y) => x.key - y.key);
}

describe('the delta of a write (rollup-delta.ts)', () => {
  it('equals after minus before, recomputed, for 2,000 random years: gaps, first and last months moving, annual reports', () => {
    const rng = random(42);
    let annualWrites = 0;
    let withAnnual = 0;
    for (let run = 0; run < 2000; run++) {
      const members: Member[] = [];
      for (let m = 1; m <= 12; m++) if (rng() < 0.4) members.push({ month: m, figures: randomFigures(rng) });
      if (rng() < 0.25) members.push({ month: null, figures: randomFigures(rng) });
      const month = rng() < 0.15 ? null : 1 + Math.floor(rng() * 12);
      const next = rng() < 0.1 && members.some((m) => m.month === month) ? members.find((m) => m.month === month)!.figures : randomFigures(rng);
      if (month === null) annualWrites++;
      if (members.some((m) => m.month === null)) withAnnual++;
      const change = rollupDelta(rows(members, month), month, next);
      expect({ run, periods: change.periods }).toEqual({ run, periods: expectedChange(members, month, next) });
      expect(change.ancestors).toEqual([7, 3, 1]);
    }
    // The cases that matter most were tried many times each.
    expect(annualWrites).toBeGreaterThan(200);
    expect(withAnnual).toBeGreaterThan(400);
  });

  it('is empty when the figures written are those already counted', () => {
    const rng = random(1);
    const members: Member[] = [3, 4, 5].map((month) => ({ month, figures: randomFigures(rng) }));
    expect(rollupDelta(rows(members, 4), 4, members[1].figures).periods).toEqual([]);
  });

  it('gives a unit with no figures yet its ancestors, and a first month a unit, a month and its figures', () => {
    const figures = randomFigures(random(2));
    const change = rollupDelta(rows([], 2, [9, 4]), 2, figures);
    expect(change.ancestors).toEqual([9, 4]);
    expect(change.periods.map((p) => [p.key, ...p.counts.slice(0, 3)])).toEqual([[0, 1, 0, 1], [2, 1, 0, 1], [101, 1, 0, 1]]);
  });
});

describe('applying the changes of several writes (applyRollupChanges)', () => {
  const change = (ancestors: number[], key: number, count: number): ContributionChange => ({
    ancestors,
    periods: [{ key, counts: [1, 0, 1, ...cells.filter((c) => c.kind !== 'amount').map(() => count)], amounts: [5n] }],
  });

  it('sums the rows writes share and orders every row by level (deepest first), unit, year and period', () => {
    // Two townships (level 3) of one county (level 2) in one city (1) of one province (0); another county's township.
    const statement = applyRollupChanges(Basis.SUBMITTED, [
      { year: 2025, change: change([31, 21, 11, 1], 12, 2) },
      { year: 2025, change: change([30, 21, 11, 1], 12, 3) },
      { year: 2025, change: change([40, 22, 11, 1], 104, 4) },
    ])!;
    const [basis, ids, years, periods, counts, amounts] = statement.values as string[];
    expect(basis).toBe('SUBMITTED');
    expect(ids).toBe('{30,31,40,21,22,11,11,1,1}');
    expect(years).toBe('{2025,2025,2025,2025,2025,2025,2025,2025,2025}');
    expect(periods).toBe('{12,12,104,12,104,12,104,12,104}');
    const rowsOf = (literal: string) => literal.slice(2, -2).split('},{').map((r) => r.split(','));
    // The county 21 gets both its townships' changes: 2 + 3 in each count cell, two units, 10 (0.001) of amounts.
    expect(rowsOf(counts)[3].slice(0, 4)).toEqual(['2', '0', '2', '5']);
    expect(rowsOf(amounts)[3]).toEqual(['0.001']);
    expect(rowsOf(counts)).toHaveLength(9);
  });

  it('leaves out rows whose changes cancel, and says null when nothing is left', () => {
    const up = change([5, 1], 3, 2);
    const down: ContributionChange = { ancestors: [5, 1], periods: up.periods.map((p) => ({ key: p.key, counts: p.counts.map((v) => -v), amounts: p.amounts.map((v) => -v) })) };
    expect(applyRollupChanges(Basis.SUBMITTED, [{ year: 2025, change: up }, { year: 2025, change: down }])).toBeNull();
    expect(applyRollupChanges(Basis.APPROVED, [{ year: 2025, change: { ancestors: [5, 1], periods: [] } }])).toBeNull();
  });
});
