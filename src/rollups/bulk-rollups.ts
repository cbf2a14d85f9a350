/**
 * The pre-aggregated rollup rows of a bulk load, computed by the loader from the figures it writes, for a load of a
 * whole hierarchy's reports into empty tables (`npm run generate`). Rebuilding them in SQL afterwards (`rebuild.ts`)
 * reads every report back and cost 6.2–6.5 s of the province's 10.5 s import, all of it on one PostgreSQL backend
 * while the loader's core waited. Here the loader's core computes the rows while PostgreSQL writes the reports, and
 * they are written with COPY beside them (266,046 rows in ~2 s).
 *
 * The rows are what every rollup row holds (preaggregate.ts): a unit's own contributions to each period by the time
 * rules (time-rules.ts), and for a unit with children the sum of its children's rows and its own. `npm run verify`
 * recomputes them the other way, from the stored reports (`contributionsSql` summed over the closure table).
 *
 * Counts are added as doubles, exact for whole numbers up to 2^53 (a row that passes that is refused, not rounded);
 * amounts as bigints of 1/10000 (`toScaled`), so no amount passes through a binary float.
 */
import { amountCellIndexes, cells } from '../format/catalogue.js';
import { AMOUNT_SCALE, decimalScale, fromScaled, normaliseDecimal, toScaled } from '../format/decimal.js';
import type { CellValue } from '../format/figures.js';
import type { Basis } from '../reports/report-status.js';
import { PERIODS } from './preaggregate.js';
import { rollupTarget } from './rebuild.js';
import { balanceMember, countedMembers } from './time-rules.js';

/** Rows of `BulkRollups` as COPY text; the table must have been emptied in the same transaction (FREEZE). */
export const COPY_ROLLUPS = `copy ${rollupTarget} from stdin with (freeze)`;

/** One of a unit's SELF reports of a year on a basis: a month (1-12) or the annual report (null). */
export interface BulkMember {
  month: number | null;
  /** The figures in catalogue order: counts as numbers, amounts as decimal strings. */
  values: CellValue[];
  /** `values` as COPY text (tab-separated), where the loader has made it already: a month's row reuses it. */
  text?: string;
}

/** Where a value sits in a row's counts: unit_count, annual_units and unit_months first, then the count cells. */
const UNIT_COUNT = 0;
const ANNUAL_UNITS = 1;
const UNIT_MONTHS = 2;
const countCells = cells.flatMap((c, i) => (c.kind === 'amount' ? [] : [i]));
const countSlots = countCells.map((_, k) => 3 + k);
const WIDTH = 3 + countCells.length;
/** The count slots a period sums over its members (flows, and the annual_units / unit_months tallies). */
const summedSlots = [ANNUAL_UNITS, UNIT_MONTHS, ...countCells.flatMap((cell, k) => (cells[cell].aggregation === 'flow' ? [countSlots[k]] : []))];
const openingSlots = countCells.flatMap((cell, k) => (cells[cell].aggregation === 'opening' ? [countSlots[k]] : []));
const closingSlots = countCells.flatMap((cell, k) => (cells[cell].aggregation === 'closing' ? [countSlots[k]] : []));
// The balances are counts (the catalogue's opening and closing application balances): amounts are only ever summed.
if (amountCellIndexes.some((i) => cells[i].aggregation !== 'flow')) throw new Error('a balance cell that is an amount: bulk-rollups.ts sums every amount');

/** A rollup row's figures: the counts (with the three tallies first) and the amounts in 1/10000. */
interface Row { counts: Float64Array; amounts: bigint[] }
/** A member's figures as a row, with its month and the loader's COPY text of them, if any. */
type Figures = Row & Pick<BulkMember, 'month' | 'text'>;

function scaledAmount(value: CellValue): bigint {
  const text = normaliseDecimal(String(value));
  // PostgreSQL would store more decimals than the scale; toScaled would cut them, and the row would differ.
  if (text === null || decimalScale(text) > AMOUNT_SCALE) throw new Error(`bulk rollups: "${value}" is not an amount with at most ${AMOUNT_SCALE} decimals`);
  return toScaled(text);
}

function figuresOf(member: BulkMember): Figures {
  const counts = new Float64Array(WIDTH);
  counts[UNIT_COUNT] = 1;
  counts[member.month === null ? ANNUAL_UNITS : UNIT_MONTHS] = 1;
  for (let k = 0; k < countCells.length; k++) counts[countSlots[k]] = Number(member.values[countCells[k]]);
  return { month: member.month, text: member.text, counts, amounts: amountCellIndexes.map((i) => scaledAmount(member.values[i])) };
}

/** A unit's own contribution to a period from its counted members (at least one): a one-member period is that member. */
function contribution(counted: Figures[]): Row {
  if (counted.length === 1) return counted[0];
  const counts = new Float64Array(WIDTH);
  const amounts = amountCellIndexes.map(() => 0n);
  for (const m of counted) {
    for (const slot of summedSlots) counts[slot] += m.counts[slot];
    for (let k = 0; k < amounts.length; k++) amounts[k] += m.amounts[k];
  }
  counts[UNIT_COUNT] = 1;
  const first = balanceMember(counted, false)!;
  const last = balanceMember(counted, true)!;
  for (const slot of openingSlots) counts[slot] = first.counts[slot];
  for (const slot of closingSlots) counts[slot] = last.counts[slot];
  return { counts, amounts };
}

function add(into: Row, row: Row): void {
  for (let i = 0; i < WIDTH; i++) into.counts[i] += row.counts[i];
  for (let k = 0; k < into.amounts.length; k++) into.amounts[k] += row.amounts[k];
}

/** A row's figures as COPY text, in the column order of `rollupTarget`. */
function rowText(row: Row): string {
  const out = new Array<string>(3 + cells.length);
  for (let i = 0; i < 3; i++) out[i] = String(row.counts[i]);
  for (let k = 0; k < countCells.length; k++) out[3 + countCells[k]] = String(row.counts[countSlots[k]]);
  for (let k = 0; k < amountCellIndexes.length; k++) out[3 + amountCellIndexes[k]] = fromScaled(row.amounts[k]);
  for (let i = 0; i < WIDTH; i++) {
    if (!Number.isSafeInteger(row.counts[i])) throw new Error(`bulk rollups: a sum of ${row.counts[i]} is beyond what is added exactly here (2^53)`);
  }
  return out.join('\t');
}

/**
 * Collects the rollup rows of a bulk load. Give it every unit of the hierarchy, then each unit's members year by year
 * (`unitYear`), in any order; a unit without children gets its rows back at once, the units with children get theirs
 * from `parentRows` at the end, when every row below them has been added.
 */
export class BulkRollups {
  private readonly parentOf = new Map<number, number | null>();
  private readonly depthOf = new Map<number, number>();
  /** Per unit with children: its rows so far, by basis, year and period. */
  private readonly sums = new Map<number, Map<string, Row>>();

  constructor(units: { id: number; parentId: number | null }[]) {
    for (const u of units) this.parentOf.set(u.id, u.parentId);
    for (const u of units) if (u.parentId !== null) this.sums.set(u.parentId, new Map());
    const depth = (id: number): number => {
      let d = this.depthOf.get(id);
      if (d === undefined) {
        const parent = this.parentOf.get(id);
        if (parent === undefined) throw new Error(`bulk rollups: unit ${id} was not given`);
        this.depthOf.set(id, (d = parent === null ? 0 : depth(parent) + 1));
      }
      return d;
    };
    for (const u of units) depth(u.id);
  }

  /**
   * The rows of one unit's year on `basis` from its members (reports as they stand on that basis): COPY lines for a
   * unit without children; none for a unit with children, whose rows `parentRows` gives.
   */
  unitYear(unitId: number, basis: Basis, year: number, members: BulkMember[]): string[] {
    const parent = this.parentOf.get(unitId);
    if (parent === undefined) throw new Error(`bulk rollups: unit ${unitId} was not given`);
    const own = this.sums.get(unitId);
    const figures = members.map(figuresOf);
    const lines: string[] = [];
    for (const period of PERIODS) {
      const counted = countedMembers(figures, period);
      if (!counted.length) continue;
      const row = contribution(counted);
      // A unit with children adds its own contributions to its sums, which reach its parent once finished.
      if (own) {
        this.addTo(unitId, basis, year, period.key, row);
        continue;
      }
      if (parent !== null) this.addTo(parent, basis, year, period.key, row);
      // A month's row is its report: the counts 1, 0, 1 and the figures as the loader wrote them.
      const month = counted.length === 1 && counted[0].month === period.key ? counted[0] : null;
      const text = month?.text !== undefined ? `1\t0\t1\t${month.text}` : rowText(row);
      lines.push(`${unitId}\t${basis}\t${year}\t${period.key}\t${text}`);
    }
    return lines;
  }

  /** The rows of every unit with children, deepest first: each adds its finished rows to its parent's. Call once. */
  *parentRows(): Generator<string> {
    const parents = [...this.sums.keys()].sort((a, b) => this.depthOf.get(b)! - this.depthOf.get(a)!);
    for (const unitId of parents) {
      const parent = this.parentOf.get(unitId)!;
      for (const [key, row] of this.sums.get(unitId)!) {
        if (parent !== null) {
          const [basis, year, period] = key.split('\t');
          this.addTo(parent, basis as Basis, Number(year), Number(period), row);
        }
        yield `${unitId}\t${key}\t${rowText(row)}`;
      }
      this.sums.delete(unitId);
    }
  }

  private addTo(unitId: number, basis: Basis, year: number, period: number, row: Row): void {
    const rows = this.sums.get(unitId)!;
    const key = `${basis}\t${year}\t${period}`;
    const sum = rows.get(key);
    if (sum) add(sum, row);
    else rows.set(key, { counts: Float64Array.from(row.counts), amounts: [...row.amounts] });
  }
}
