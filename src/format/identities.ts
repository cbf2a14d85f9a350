/**
 * The error-severity identities of the national format (report-format.json → identities), checked on every
 * submission. Each violation names the cell by its dotted path and by the form's own Chinese labels.
 */
import {
  applicantColumns,
  applicantTotalColumn,
  applicationLeafRows,
  applicationRows,
  carriedForwardRow,
  carriedOverRow,
  caseBlocks,
  caseColumns,
  cellByPath,
  cellIndexOf,
  cells,
  derivedLabel,
  newReceivedRow,
  outcomeRows,
  resultsTotalRow,
} from './catalogue.js';
import { AMOUNT_SCALE, decimalScale, isNegativeDecimal, normaliseDecimal } from './decimal.js';
import type { CellValue, FiguresInputReading } from './figures.js';

export type IdentityId =
  | 'APP_BALANCE'
  | 'APP_RESULTS_SUM'
  | 'APP_ROW_TOTAL'
  | 'REV_BLOCK_TOTAL'
  | 'NON_NEGATIVE'
  | 'AMOUNT_PRECISION'
  | 'AMOUNT_FORMAT'
  | 'X_CARRY_CONTINUITY'
  | 'X_IN_FORCE_CONTINUITY';

export interface Violation {
  identity: IdentityId;
  path: string;
  /** The cell as the printed form names it, e.g. `三、（三）1.属于国家秘密 / 自然人`. */
  label: string;
  expected: number | string;
  actual: CellValue;
  message: string;
}

/**
 * `applications.<row>.<column>` for every row and column (总计 too), built once: the checks below look cells up a few
 * thousand times per submission, and building each key anew was most of their cost.
 */
const appPaths: Record<string, Record<string, string>> = Object.fromEntries(
  applicationRows.map((r) => [r.field, Object.fromEntries([...applicantColumns, applicantTotalColumn].map((c) => [c.field, `applications.${r.field}.${c.field}`]))]),
);
const casePaths = caseBlocks.map((b) => ({ total: `reviewLitigation.${b.field}.total`, cells: caseColumns.map((c) => `reviewLitigation.${b.field}.${c.field}`) }));

/**
 * The application table by position, made once: `leafCells[r][j]` is the list index of leaf row r (catalogue order)
 * and applicant column j. The relational checks below read a matrix of these, never a path.
 */
const leafCells = applicationLeafRows.map((r) => applicantColumns.map((c) => cellIndexOf(appPaths[r.field][c.field])));
const leafPosition = new Map(applicationLeafRows.map((r, k) => [r.field, k]));
const outcomePositions = outcomeRows.map((r) => leafPosition.get(r.field)!);
const [NEW_RECEIVED, CARRIED_OVER, CARRIED_FORWARD] = [newReceivedRow, carriedOverRow, carriedForwardRow].map((r) => leafPosition.get(r.field)!);
/** Row position of 三（七）总计, which is derived, not a leaf. */
const RESULTS = -1;
const totalPathOf = (r: number) => appPaths[r === RESULTS ? resultsTotalRow.field : applicationLeafRows[r].field].total;
const resultsColumnPaths = applicantColumns.map((c) => appPaths[resultsTotalRow.field][c.field]);
const caseIndexes = casePaths.map((b) => b.cells.map(cellIndexOf));

/** Postgres `integer`; a count beyond it is not a plausible number of applications for one unit and period. */
const MAX_COUNT = 2_147_483_647;

export function violation(identity: IdentityId, path: string, expected: number | string, actual: CellValue, why?: string): Violation {
  const label = cellByPath.get(path)?.labelZh ?? derivedLabel(path);
  const detail = why ?? `应为 ${expected}，实为 ${actual}`;
  return { identity, path, label, expected, actual, message: `${label}：${detail}（${identity}）` };
}

/** Returns every violated error identity; an empty list means the figures may be saved. */
export function checkIdentities({ list, givenTotals }: FiguresInputReading): Violation[] {
  const found: Violation[] = [];

  // NON_NEGATIVE (and the amount format): every count a whole number >= 0, every amount a decimal >= 0 to 1 元.
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    const v = list[i];
    if (cell.kind === 'count') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_COUNT) {
        found.push(violation('NON_NEGATIVE', cell.path, 'a whole number ≥ 0', v, `应为不小于 0 的整数，实为 ${v}`));
      }
      continue;
    }
    const text = normaliseDecimal(String(v));
    if (text === null) found.push(violation('AMOUNT_FORMAT', cell.path, 'a decimal number of 万元', v, `应为以万元计的数字，实为 ${v}`));
    else if (isNegativeDecimal(text)) found.push(violation('NON_NEGATIVE', cell.path, 'an amount ≥ 0', v, `金额不能为负，实为 ${v}`));
    else if (decimalScale(text) > AMOUNT_SCALE) {
      found.push(violation('AMOUNT_PRECISION', cell.path, `at most ${AMOUNT_SCALE} decimal places (1 元)`, v, `万元金额最多保留 ${AMOUNT_SCALE} 位小数（精确到元），实为 ${v}`));
    }
  }
  for (const [path, v] of givenTotals) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) found.push(violation('NON_NEGATIVE', path, 'a whole number ≥ 0', v, `应为不小于 0 的整数，实为 ${v}`));
  }

  // Printed totals are rare: without any, every total below is the sum of its leaves.
  const anyGiven = givenTotals.size > 0;
  const given = (path: string) => (anyGiven && givenTotals.has(path) ? Number(givenTotals.get(path)) : undefined);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const leaves = leafCells.map((row) => row.map((i) => Number(list[i])));
  /** Column j (the applicant columns, then J: 总计) of row r. */
  const J = applicantColumns.length;

  // APP_ROW_TOTAL: in every row, 总计 = the six applicant columns. For 三（七）总计 the columns may be given too.
  const resultsColumns = applicantColumns.map((_, j) => given(resultsColumnPaths[j]) ?? sum(outcomePositions.map((r) => leaves[r][j])));
  const rowColumns = (r: number) => (r === RESULTS ? resultsColumns : leaves[r]);
  const rowTotals = new Map<number, number>();
  const rowTotal = (r: number) => {
    let total = rowTotals.get(r);
    if (total === undefined) rowTotals.set(r, (total = given(totalPathOf(r)) ?? sum(rowColumns(r))));
    return total;
  };
  for (const r of [...leaves.keys(), RESULTS]) {
    const path = totalPathOf(r);
    const printed = given(path);
    const expected = sum(rowColumns(r));
    if (printed !== undefined && printed !== expected) found.push(violation('APP_ROW_TOTAL', path, expected, printed));
  }

  // APP_RESULTS_SUM: in every column, 三（七）总计 = the 21 outcome leaves.
  const cellOf = (r: number, j: number) => (j === J ? rowTotal(r) : leaves[r][j]);
  for (let j = 0; j <= J; j++) {
    const path = j === J ? totalPathOf(RESULTS) : resultsColumnPaths[j];
    const printed = given(path);
    if (printed === undefined) continue;
    const expected = sum(outcomePositions.map((r) => cellOf(r, j)));
    if (printed !== expected) found.push(violation('APP_RESULTS_SUM', path, expected, printed));
  }

  // APP_BALANCE: in every column, 一 + 二 = 三（七）总计 + 四. Reported on 四, the balancing cell.
  for (let j = 0; j <= J; j++) {
    const results = j === J ? rowTotal(RESULTS) : resultsColumns[j];
    const opening = cellOf(NEW_RECEIVED, j) + cellOf(CARRIED_OVER, j);
    const closing = cellOf(CARRIED_FORWARD, j);
    if (opening !== results + closing) {
      const path = j === J ? totalPathOf(CARRIED_FORWARD) : appPaths[carriedForwardRow.field][applicantColumns[j].field];
      const why = `一 + 二 应等于 三（七）+ 四：${cellOf(NEW_RECEIVED, j)} + ${cellOf(CARRIED_OVER, j)} ≠ ${results} + ${closing}`;
      found.push(violation('APP_BALANCE', path, opening - results, closing, why));
    }
  }

  // REV_BLOCK_TOTAL: in each block of section 四, 总计 = 维持 + 纠正 + 其他结果 + 尚未审结.
  for (const [k, b] of casePaths.entries()) {
    const path = b.total;
    const printed = given(path);
    if (printed === undefined) continue;
    const expected = sum(caseIndexes[k].map((i) => Number(list[i])));
    if (printed !== expected) found.push(violation('REV_BLOCK_TOTAL', path, expected, printed));
  }
  return found;
}
