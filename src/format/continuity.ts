/**
 * Warning-severity checks between consecutive periods of one unit (report-format.json: X_CARRY_CONTINUITY,
 * X_IN_FORCE_CONTINUITY). They never block a submission: real reports restate balances after clean-ups and
 * mergers. They are stored with the revision and returned with the report.
 */
import { applicantColumns, carriedForwardRow, carriedOverRow, proactiveRows } from './catalogue.js';
import type { CellValues } from './figures.js';
import { violation, type Violation } from './identities.js';

export function continuityWarnings(current: CellValues, previous: CellValues | null, previousLabel: string): Violation[] {
  if (!previous) return [];
  const found: Violation[] = [];
  for (const c of applicantColumns) {
    const path = `applications.${carriedOverRow.field}.${c.field}`;
    const expected = Number(previous[`applications.${carriedForwardRow.field}.${c.field}`]);
    const actual = Number(current[path]);
    if (actual !== expected) {
      found.push(violation('X_CARRY_CONTINUITY', path, expected, actual, `上期（${previousLabel}）结转 ${expected}，本期上年结转 ${actual}`));
    }
  }
  for (const r of proactiveRows.filter((x) => x.shape === 'documents')) {
    const base = `proactive.${r.field}`;
    const expected = Number(previous[`${base}.inForce`]) + Number(current[`${base}.issued`]) - Number(current[`${base}.repealed`]);
    const actual = Number(current[`${base}.inForce`]);
    if (actual !== expected) {
      found.push(violation('X_IN_FORCE_CONTINUITY', `${base}.inForce`, expected, actual, `上期（${previousLabel}）现行有效加本期制发减废止应为 ${expected}，实为 ${actual}`));
    }
  }
  return found;
}
