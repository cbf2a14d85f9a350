/**
 * Any figure of the format — a stored leaf, a row total, a group subtotal, 三（七）总计 or a block total of section 四 —
 * as the list of stored cells whose sum it is. Rates, rankings and SQL build on this, so a derived figure is defined
 * once, here, in terms of the catalogue.
 */
import { applicantColumns, applicationRows, caseBlocks, caseColumns, cellByPath, outcomeGroups, outcomeRows, resultsTotalRow, type Cell } from './catalogue.js';

// The catalogue is fixed, so each figure's cells are listed once: dashboards and rankings ask for the same few
// figures (the 126 cells of 办理结果总计 among them) hundreds of times per request.
const cellsByPath = new Map<string, readonly Cell[]>();

export function cellsOf(path: string): readonly Cell[] {
  let found = cellsByPath.get(path);
  if (!found) cellsByPath.set(path, (found = Object.freeze(listCells(path))));
  return found;
}

function listCells(path: string): Cell[] {
  const stored = cellByPath.get(path);
  if (stored) return [stored];
  const [section, row, column] = path.split('.');
  const columns = column === 'total' ? applicantColumns.map((c) => c.field) : [column];
  if (section === 'applications') {
    const rows =
      row === resultsTotalRow.field
        ? outcomeRows
        : (outcomeGroups.find((g) => g.field === row)?.leaves ?? applicationRows.filter((r) => r.field === row && r.kind === 'leaf'));
    const found = rows.flatMap((r) => columns.map((c) => cellByPath.get(`applications.${r.field}.${c}`)));
    if (found.length && found.every(Boolean)) return found as Cell[];
  }
  if (section === 'reviewLitigation' && column === 'total' && caseBlocks.some((b) => b.field === row)) {
    return caseColumns.map((c) => cellByPath.get(`reviewLitigation.${row}.${c.field}`)!);
  }
  throw new Error(`no figure at ${path}`);
}

export function sumOfPaths(values: Record<string, number | string>, paths: string[]): number {
  let sum = 0;
  for (const path of paths) for (const c of cellsOf(path)) sum += Number(values[c.path] ?? 0);
  return sum;
}
