/**
 * A report's history: its events, each with the cells it changed.
 *
 * A step that wrote a revision (SUBMIT, SAVE_DRAFT) stores no copy of its changes (Migration20261125000008): they are
 * that revision against the one before, and both are kept for ever (revisions are never updated or deleted). They are
 * derived here, when the history is read; events written before that migration keep their stored copy, which is the
 * same difference.
 */
import { differingCells, emptyList, type CellList } from '../format/figures.js';
import type { ReportLoaders } from './report.loaders.js';
import type { CellChangeRow, ReportEventRow } from './report.repository.js';

export type HistoryEvent = ReportEventRow & { seq: number; at: Date; changes: CellChangeRow[] };

/** The cells a new revision changes, as the history shows them; for a first revision, every non-zero cell. */
export function cellChanges(before: CellList | null, after: CellList): CellChangeRow[] {
  return differingCells(before ?? emptyList(), after).map(({ cell, before: b, after: a }) => ({ path: cell.path, label: cell.labelZh, before: String(b), after: String(a) }));
}

/** Every event of a report, in order, with its changes (two statements at most, batched across reports by the loaders). */
export async function reportHistory(loaders: { reports: ReportLoaders }, reportId: number): Promise<HistoryEvent[]> {
  const events = await loaders.reports.events.load(reportId);
  if (events.every((e) => e.changes !== null)) return events as HistoryEvent[];
  const figures = new Map((await loaders.reports.revisions.load(reportId)).map((r) => [r.revision, r.values]));
  return events.map((e) => {
    if (e.changes !== null) return e as HistoryEvent;
    const after = figures.get(e.revision);
    if (!after) throw new Error(`report ${reportId}: event ${e.seq} wrote revision ${e.revision}, which is not stored`);
    return { ...e, changes: cellChanges(figures.get(e.revision - 1) ?? null, after) };
  });
}
