/**
 * Figures in three shapes, all driven by the catalogue:
 * - `CellValues`: the stored leaves, keyed by catalogue path (what is validated, stored and summed);
 * - the nested GraphQL input (`readFiguresInput`), which may also carry printed totals to be checked;
 * - the nested GraphQL output (`buildFigures`), with every total and group subtotal derived from the leaves.
 */
import {
  applicantColumns,
  applicationLeafRows,
  caseBlocks,
  caseColumns,
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

function at(obj: Nested | undefined, path: string[]): CellValue | null | undefined {
  let cur: Nested | CellValue | null | undefined = obj;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = cur[key];
  }
  return cur as CellValue | null | undefined;
}

/** Printed totals a submission may carry; they are checked against the leaves, never stored. */
export const givenTotalPaths: string[] = [
  ...[...applicationLeafRows, resultsTotalRow].map((r) => `applications.${r.field}.total`),
  ...applicantColumns.map((c) => `applications.${resultsTotalRow.field}.${c.field}`),
  ...caseBlocks.map((b) => `reviewLitigation.${b.field}.total`),
];

export interface FiguresInputReading {
  values: CellValues;
  /** path -> the total as submitted (only those given). */
  givenTotals: Map<string, CellValue>;
}

// The keys of each path, split once (every submission reads every cell).
const cellKeys = cells.map((c) => c.path.split('.'));
const givenTotalKeys = givenTotalPaths.map((p) => p.split('.'));

/** Reads a nested figures input: omitted leaves are 0, given totals are kept aside for checking. */
export function readFiguresInput(input: Nested | undefined): FiguresInputReading {
  const values: CellValues = {};
  for (let i = 0; i < cells.length; i++) {
    const v = at(input, cellKeys[i]);
    values[cells[i].path] = v === undefined || v === null ? zeroValue(cells[i]) : v;
  }
  const givenTotals = new Map<string, CellValue>();
  for (let i = 0; i < givenTotalPaths.length; i++) {
    const v = at(input, givenTotalKeys[i]);
    if (v !== undefined && v !== null) givenTotals.set(givenTotalPaths[i], v);
  }
  return { values, givenTotals };
}

const count = (values: CellValues, path: string) => Number(values[path] ?? 0);

/** For each applicant column: the leaf paths it sums (the paths are built once, not per answer). */
type ApplicantPlan = { field: string; paths: string[] }[];
const applicantPlan = (rowFields: string[]): ApplicantPlan =>
  applicantColumns.map((c) => ({ field: c.field, paths: rowFields.map((r) => `applications.${r}.${c.field}`) }));

function applicantCounts(values: CellValues, plan: ApplicantPlan): Record<string, number> {
  const out: Record<string, number> = {};
  let total = 0;
  for (const { field, paths } of plan) {
    let sum = 0;
    for (const path of paths) sum += count(values, path);
    out[field] = sum;
    total += sum;
  }
  out.total = total;
  return out;
}

const leafPlans = applicationLeafRows.map((r) => ({ field: r.field, plan: applicantPlan([r.field]) }));
const groupPlans = outcomeGroups.map((g) => ({ field: g.field, plan: applicantPlan(g.leaves.map((l) => l.field)) }));
const resultsTotalPlan = applicantPlan(outcomeRows.map((r) => r.field));
const casePlans = caseBlocks.map((b) => ({ field: b.field, columns: caseColumns.map((c) => ({ field: c.field, path: `reviewLitigation.${b.field}.${c.field}` })) }));

/** The output shape of the contract's `Figures`, every total and subtotal derived from the leaves. */
export function buildFigures(values: CellValues): Nested {
  const proactive: Nested = {};
  for (const r of proactiveRows) {
    if (r.shape === 'documents') {
      proactive[r.field] = Object.fromEntries(r.columns.map((c) => [c.field, values[`proactive.${r.field}.${c.field}`]]));
    } else {
      proactive[r.field] = values[`proactive.${r.field}`];
    }
  }
  const applications: Nested = {};
  for (const { field, plan } of leafPlans) applications[field] = applicantCounts(values, plan);
  for (const { field, plan } of groupPlans) applications[field] = applicantCounts(values, plan);
  applications[resultsTotalRow.field] = applicantCounts(values, resultsTotalPlan);
  const reviewLitigation: Nested = {};
  for (const { field, columns } of casePlans) {
    const block: Record<string, number> = {};
    let total = 0;
    for (const c of columns) total += block[c.field] = count(values, c.path);
    block.total = total;
    reviewLitigation[field] = block;
  }
  return { proactive, applications, reviewLitigation };
}

/** The values as stored: amounts in their canonical decimal form ("0012.50" -> "12.5"). Call after validation. */
export function canonicalValues(values: CellValues): CellValues {
  const out: CellValues = {};
  for (const c of cells) out[c.path] = c.kind === 'amount' ? (normaliseDecimal(String(values[c.path])) ?? values[c.path]) : values[c.path];
  return out;
}

/** Reads the cells of a SQL row (`report_revision` or a sum over it). Postgres returns bigint and numeric as text. */
export function valuesFromRow(row: Record<string, unknown>): CellValues {
  const values: CellValues = {};
  for (const c of cells) {
    values[c.path] = cellValue(c, row[c.sqlColumn]);
  }
  return values;
}

/** A cell as PostgreSQL returns it (text for bigint and numeric, null for none) in its CellValues form. */
const cellValue = (c: Cell, raw: unknown): CellValue => (c.kind === 'amount' ? normaliseAmount(raw) : Number(raw ?? 0));

/**
 * SQL for `leading` expressions and then every cell of the row `alias`, in catalogue order, as one array literal:
 * one text column instead of 170 is what makes a figure read cheap in the driver. Read back with
 * `arrayLiteralItems` and `valuesFromList`.
 */
export function cellsArraySql(alias: string, leading: string[] = []): string {
  return `array[${[...leading, ...cells.map((c) => `${alias}.${c.sqlColumn}`)].join(', ')}]::text`;
}

/** The elements of a `cellsArraySql` literal. None is quoted (every one is a number or NULL): it splits at its commas. */
export function arrayLiteralItems(text: string): string[] {
  return text.slice(1, -1).split(',');
}

/** The cells from the elements of a `cellsArraySql` literal, starting at element `offset` (after its leading ones). */
export function valuesFromList(items: string[], offset = 0): CellValues {
  const values: CellValues = {};
  for (let i = 0; i < cells.length; i++) {
    const raw = items[offset + i];
    values[cells[i].path] = cellValue(cells[i], raw === 'NULL' ? null : raw);
  }
  return values;
}

function normaliseAmount(raw: unknown): string {
  if (raw === null || raw === undefined) return '0';
  const text = String(raw);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** Cell-by-cell difference b - a for counts; amounts are compared as exact strings. */
export function differingCells(a: CellValues, b: CellValues): { cell: Cell; before: CellValue; after: CellValue }[] {
  return cells
    .filter((c) => (c.kind === 'amount' ? normaliseAmount(a[c.path]) !== normaliseAmount(b[c.path]) : count(a, c.path) !== count(b, c.path)))
    .map((c) => ({ cell: c, before: a[c.path], after: b[c.path] }));
}
