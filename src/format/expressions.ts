/**
 * Any figure of the format — a stored leaf, a row total, a group subtotal, 三（七）总计 or a block total of section 四 —
 * as the list of stored cells whose sum it is. Rates, rankings and SQL build on this, so a derived figure is defined
 * once, here, in terms of the catalogue.
 */
import { applicantColumns, applicationRows, caseBlocks, caseColumns, cellByPath, outcomeGroups, outcomeRows, resultsTotalRow, type Cell } from './catalogue.js';

export function cellsOf(path: string): Cell[] {
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
  return paths.flatMap(cellsOf).reduce((sum, c) => sum + Number(values[c.path] ?? 0), 0);
}
