/**
 * Warning-severity checks between consecutive periods of one unit (report-format.json: X_CARRY_CONTINUITY,
 * X_IN_FORCE_CONTINUITY). They never block a submission: real reports restate balances after clean-ups and
 * mergers. They are stored with the revision and returned with the report.
 */
import { applicantColumns, carriedForwardRow, carriedOverRow, cellIndexOf, cells, proactiveRows } from './catalogue.js';
import type { CellList } from './figures.js';
import { violation, type Violation } from './identities.js';

/** Per applicant column: this period's 上年结转 and the previous period's 结转下年度, by position in a `CellList`. */
const carries = applicantColumns.map((c) => {
  const path = `applications.${carriedOverRow.field}.${c.field}`;
  return { path, carriedOver: cellIndexOf(path), carriedForward: cellIndexOf(`applications.${carriedForwardRow.field}.${c.field}`) };
});
/** Per document row: 现行有效件数 and this period's issued and repealed. */
const inForce = proactiveRows
  .filter((r) => r.shape === 'documents')
  .map((r) => {
    const base = `proactive.${r.field}`;
    return { path: `${base}.inForce`, inForce: cellIndexOf(`${base}.inForce`), issued: cellIndexOf(`${base}.issued`), repealed: cellIndexOf(`${base}.repealed`) };
  });

/** The cells of the period before that the warnings read (all of them counts): a write reads only these. */
export const continuityCells = [...new Set([...carries.map((c) => c.carriedForward), ...inForce.map((r) => r.inForce)])];
if (continuityCells.some((i) => cells[i].kind !== 'count')) throw new Error('continuity: a compared cell that is not a count');

export function continuityWarnings(current: CellList, previous: CellList | null, previousLabel: string): Violation[] {
  if (!previous) return [];
  const found: Violation[] = [];
  for (const c of carries) {
    const expected = Number(previous[c.carriedForward]);
    const actual = Number(current[c.carriedOver]);
    if (actual !== expected) {
      found.push(violation('X_CARRY_CONTINUITY', c.path, expected, actual, `上期（${previousLabel}）结转 ${expected}，本期上年结转 ${actual}`));
    }
  }
  for (const r of inForce) {
    const expected = Number(previous[r.inForce]) + Number(current[r.issued]) - Number(current[r.repealed]);
    const actual = Number(current[r.inForce]);
    if (actual !== expected) {
      found.push(violation('X_IN_FORCE_CONTINUITY', r.path, expected, actual, `上期（${previousLabel}）现行有效加本期制发减废止应为 ${expected}，实为 ${actual}`));
    }
  }
  return found;
}
