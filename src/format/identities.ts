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

/** The position in a `CellList` of each stored cell, by row and column: the checks read the list, never a path. */
const cellIndex = new Map(cells.map((c, i) => [c.path, i]));
const appIndex: Record<string, Record<string, number>> = Object.fromEntries(
  applicationLeafRows.map((r) => [r.field, Object.fromEntries(applicantColumns.map((c) => [c.field, cellIndex.get(appPaths[r.field][c.field])!]))]),
);
const caseIndexes = casePaths.map((b) => b.cells.map((p) => cellIndex.get(p)!));

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

  const leaf = (row: string, col: string) => Number(list[appIndex[row][col]]);
  const given = (path: string) => (givenTotals.has(path) ? Number(givenTotals.get(path)) : undefined);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  // APP_ROW_TOTAL: in every row, 总计 = the six applicant columns. For 三（七）总计 the columns may be given too.
  const resultsColumn = (col: string) => given(appPaths[resultsTotalRow.field][col]) ?? sum(outcomeRows.map((r) => leaf(r.field, col)));
  const rowColumns = (row: string) =>
    applicantColumns.map((c) => (row === resultsTotalRow.field ? resultsColumn(c.field) : leaf(row, c.field)));
  const rowTotal = (row: string) => given(appPaths[row].total) ?? sum(rowColumns(row));
  for (const row of [...applicationLeafRows.map((r) => r.field), resultsTotalRow.field]) {
    const path = appPaths[row].total;
    const printed = given(path);
    const expected = sum(rowColumns(row));
    if (printed !== undefined && printed !== expected) found.push(violation('APP_ROW_TOTAL', path, expected, printed));
  }

  // APP_RESULTS_SUM: in every column, 三（七）总计 = the 21 outcome leaves.
  const columnsWithTotal = [...applicantColumns.map((c) => c.field), applicantTotalColumn.field];
  const cellOf = (row: string, col: string) => (col === applicantTotalColumn.field ? rowTotal(row) : leaf(row, col));
  for (const col of columnsWithTotal) {
    const path = appPaths[resultsTotalRow.field][col];
    const printed = given(path);
    const expected = sum(outcomeRows.map((r) => cellOf(r.field, col)));
    if (printed !== undefined && printed !== expected) found.push(violation('APP_RESULTS_SUM', path, expected, printed));
  }

  // APP_BALANCE: in every column, 一 + 二 = 三（七）总计 + 四. Reported on 四, the balancing cell.
  for (const col of columnsWithTotal) {
    const results = col === applicantTotalColumn.field ? rowTotal(resultsTotalRow.field) : resultsColumn(col);
    const opening = cellOf(newReceivedRow.field, col) + cellOf(carriedOverRow.field, col);
    const closing = cellOf(carriedForwardRow.field, col);
    if (opening !== results + closing) {
      const path = appPaths[carriedForwardRow.field][col];
      const why = `一 + 二 应等于 三（七）+ 四：${cellOf(newReceivedRow.field, col)} + ${cellOf(carriedOverRow.field, col)} ≠ ${results} + ${closing}`;
      found.push(violation('APP_BALANCE', path, opening - results, closing, why));
    }
  }

  // REV_BLOCK_TOTAL: in each block of section 四, 总计 = 维持 + 纠正 + 其他结果 + 尚未审结.
  for (const [k, b] of casePaths.entries()) {
    const path = b.total;
    const printed = given(path);
    const expected = sum(caseIndexes[k].map((i) => Number(list[i])));
    if (printed !== undefined && printed !== expected) found.push(violation('REV_BLOCK_TOTAL', path, expected, printed));
  }
  return found;
}
