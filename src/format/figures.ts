/**
 * Figures in these shapes, all driven by the catalogue:
 * - `CellList`: the stored leaves in catalogue order (what the write path validates, stores and sums, and what a
 *   report's figures are built from);
 * - `CellValues`: the same leaves keyed by catalogue path, for code that names cells (rates, metrics, dashboards);
 * - the nested GraphQL input (`readFiguresInput`), which may also carry printed totals to be checked;
 * - the nested GraphQL output (`figuresFromList`), with every total and group subtotal derived from the leaves.
 */
import {
  amountCellIndexes,
  applicantColumns,
  applicationLeafRows,
  caseBlocks,
  caseColumns,
  cellIndexOf,
  cells,
  outcomeGroups,
  outcomeRows,
  proactiveRows,
  resultsTotalRow,
  type Cell,
} from './catalogue.js';
import { normaliseDecimal } from './decimal.js';

/** Counts are numbers; amounts (万元) are decimal strings. */
export type CellValue = number | string;
export type CellValues = Record<string, CellValue>;
/** A figure object as GraphQL reads and writes it: nested plain objects. */
export type Nested = { [key: string]: Nested | CellValue | null | undefined };

export const zeroValue = (cell: Cell): CellValue => (cell.kind === 'amount' ? '0' : 0);

export function emptyValues(): CellValues {
  return Object.fromEntries(cells.map((c) => [c.path, zeroValue(c)]));
}

/** Printed totals a submission may carry; they are checked against the leaves, never stored. */
export const givenTotalPaths: string[] = [
  ...[...applicationLeafRows, resultsTotalRow].map((r) => `applications.${r.field}.total`),
  ...applicantColumns.map((c) => `applications.${resultsTotalRow.field}.${c.field}`),
  ...caseBlocks.map((b) => `reviewLitigation.${b.field}.total`),
];

/** A figures input as read for checking: its cells in catalogue order, and the printed totals aside. */
export interface FiguresInputReading {
  list: CellList;
  /** path -> the total as submitted (only those given). */
  givenTotals: Map<string, CellValue>;
}

/**
 * How an input is read, made once from the catalogue: per row object (`section.row`), the cells in it by column
 * (a null column: the row is the value itself) and the printed totals it may carry. A submission is read row by row,
 * ~40 lookups of a row object, not three lookups by a path's keys for each of its 170 cells.
 */
interface InputRow {
  section: string;
  row: string;
  cells: { column: string | null; index: number }[];
  totals: { column: string; path: string }[];
}
const inputRows: InputRow[] = [];
{
  const byKey = new Map<string, InputRow>();
  const rowOf = (section: string, row: string) => {
    const key = `${section}.${row}`;
    let r = byKey.get(key);
    if (!r) {
      byKey.set(key, (r = { section, row, cells: [], totals: [] }));
      inputRows.push(r);
    }
    return r;
  };
  cells.forEach((c, index) => rowOf(c.section, c.rowField).cells.push({ column: c.columnField, index }));
  for (const path of givenTotalPaths) {
    const [section, row, column] = path.split('.');
    rowOf(section, row).totals.push({ column, path });
  }
}

const isObject = (v: unknown): v is Nested => v !== null && typeof v === 'object';

/** Reads a nested figures input: omitted leaves are 0, given totals are kept aside for checking. */
export function readFiguresInput(input: Nested | undefined): FiguresInputReading {
  const list: CellList = new Array(cells.length);
  const givenTotals = new Map<string, CellValue>();
  for (const r of inputRows) {
    const section = isObject(input) ? input[r.section] : undefined;
    const row = isObject(section) ? section[r.row] : undefined;
    for (const { column, index } of r.cells) {
      const v = column === null ? row : isObject(row) ? row[column] : undefined;
      list[index] = v === undefined || v === null ? zeroValue(cells[index]) : (v as CellValue);
    }
    for (const { column, path } of r.totals) {
      const v = isObject(row) ? row[column] : undefined;
      if (v !== undefined && v !== null) givenTotals.set(path, v as CellValue);
    }
  }
  return { list, givenTotals };
}

/**
 * The cells in catalogue order. Figures are built from this shape: a keyed object of 170 entries is a hash table in
 * V8 (past 128 named properties), so building one and looking every cell up by a path string costs more than the
 * rest of a rollup read's own code (side by side: a fifth of the county rollup's requests/s).
 */
export type CellList = CellValue[];


export function listOfValues(values: CellValues): CellList {
  return cells.map((c) => values[c.path] ?? zeroValue(c));
}

export function valuesOfList(list: CellList): CellValues {
  const values: CellValues = {};
  for (let i = 0; i < cells.length; i++) values[cells[i].path] = list[i];
  return values;
}

/** For each applicant column: the cells it sums, by index (the plans are made once, not per answer). */
type ApplicantPlan = { field: string; cells: number[] }[];
const applicantPlan = (rowFields: string[]): ApplicantPlan =>
  applicantColumns.map((c) => ({ field: c.field, cells: rowFields.map((r) => cellIndexOf(`applications.${r}.${c.field}`)) }));

function applicantCounts(list: CellList, plan: ApplicantPlan): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const { field, cells: summed } of plan) {
    let sum = 0;
    for (const i of summed) sum += Number(list[i]);
    out[field] = sum;
    total += sum;
  }
  out.total = total;
  return out;
}

const proactivePlans = proactiveRows.map((r) =>
  r.shape === 'documents'
    ? { field: r.field, columns: r.columns.map((c) => ({ field: c.field, cell: cellIndexOf(`proactive.${r.field}.${c.field}`) })), cell: -1 }
    : { field: r.field, columns: null, cell: cellIndexOf(`proactive.${r.field}`) },
);
const leafPlans = applicationLeafRows.map((r) => ({ field: r.field, plan: applicantPlan([r.field]) }));
const groupPlans = outcomeGroups.map((g) => ({ field: g.field, plan: applicantPlan(g.leaves.map((l) => l.field)) }));
const resultsTotalPlan = applicantPlan(outcomeRows.map((r) => r.field));
const casePlans = caseBlocks.map((b) => ({ field: b.field, columns: caseColumns.map((c) => ({ field: c.field, cell: cellIndexOf(`reviewLitigation.${b.field}.${c.field}`) })) }));

/** The output shape of the contract's `Figures`, every total and subtotal derived from the leaves. */
export function figuresFromList(list: CellList): Nested {
  const proactive: Nested = {};
  for (const r of proactivePlans) {
    if (r.columns) {
      const row: Nested = {};
      for (const c of r.columns) row[c.field] = list[c.cell];
      proactive[r.field] = row;
    } else {
      proactive[r.field] = list[r.cell];
    }
  }
  const applications: Nested = {};
  for (const { field, plan } of leafPlans) applications[field] = applicantCounts(list, plan);
  for (const { field, plan } of groupPlans) applications[field] = applicantCounts(list, plan);
  applications[resultsTotalRow.field] = applicantCounts(list, resultsTotalPlan);
  const reviewLitigation: Nested = {};
  for (const { field, columns } of casePlans) {
    const block: Record<string, number> = {};
    let total = 0;
    for (const c of columns) total += block[c.field] = Number(list[c.cell]);
    block.total = total;
    reviewLitigation[field] = block;
  }
  return { proactive, applications, reviewLitigation };
}

/** The cells as stored: amounts in their canonical decimal form ("0012.50" -> "12.5"). Call after validation. */
export function canonicalList(list: CellList): CellList {
  const out = list.slice();
  for (const i of amountCellIndexes) out[i] = normaliseDecimal(String(list[i])) ?? list[i];
  return out;
}

/** A report with no figures yet: every cell 0. */
export function emptyList(): CellList {
  return cells.map(zeroValue);
}

/** Reads the cells of a SQL row (`report_revision` or a sum over it). Postgres returns bigint and numeric as text. */
export function valuesFromRow(row: Record<string, unknown>): CellValues {
  return valuesOfList(listFromRow(row));
}

/** The cells of a SQL row in catalogue order. */
export function listFromRow(row: Record<string, unknown>): CellList {
  const list: CellList = new Array(cells.length);
  for (let i = 0; i < cells.length; i++) list[i] = cellValue(cells[i], row[cells[i].sqlColumn]);
  return list;
}

/** A cell as PostgreSQL returns it (text for bigint and numeric, null for none) in its CellValues form. */
const cellValue = (c: Cell, raw: unknown): CellValue => (c.kind === 'amount' ? normaliseAmount(raw) : Number(raw ?? 0));

/**
 * SQL for `leading` expressions and then every cell of the row `alias`, in catalogue order, as one array literal:
 * one text column instead of 170 is what makes a figure read cheap in the driver. Read back with
 * `arrayLiteralItems` and `listFromItems`.
 */
export function cellsArraySql(alias: string, leading: string[] = []): string {
  return `array[${[...leading, ...cells.map((c) => `${alias}.${c.sqlColumn}`)].join(', ')}]::text`;
}

/** The elements of a `cellsArraySql` literal. None is quoted (every one is a number or NULL): it splits at its commas. */
export function arrayLiteralItems(text: string): string[] {
  return text.slice(1, -1).split(',');
}

/**
 * A list with only the cells at `indexes` (all counts), read in that order from an array literal's elements; the
 * others are left empty. For reads that fetch a few cells of a revision, not all 170.
 */
export function listAt(items: string[], indexes: readonly number[]): CellList {
  const list: CellList = new Array(cells.length);
  for (let k = 0; k < indexes.length; k++) list[indexes[k]] = Number(items[k]);
  return list;
}

/** The cells from the elements of a `cellsArraySql` literal, starting at element `offset` (after its leading ones). */
export function listFromItems(items: string[], offset = 0): CellList {
  const list: CellList = new Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const raw = items[offset + i];
    list[i] = cellValue(cells[i], raw === 'NULL' ? null : raw);
  }
  return list;
}

function normaliseAmount(raw: unknown): string {
  if (raw === null || raw === undefined) return '0';
  const text = String(raw);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** The cells whose value differs between a and b: counts as numbers, amounts as exact decimal strings. */
export function differingCells(a: CellList, b: CellList): { cell: Cell; before: CellValue; after: CellValue }[] {
  const out: { cell: Cell; before: CellValue; after: CellValue }[] = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const differs = c.kind === 'amount' ? normaliseAmount(a[i]) !== normaliseAmount(b[i]) : Number(a[i] ?? 0) !== Number(b[i] ?? 0);
    if (differs) out.push({ cell: c, before: a[i], after: b[i] });
  }
  return out;
}
