import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { findCurrentRevisions, findEvents, findRevisions, reportKeyString, type ReportEventRow, type ReportKey, type StoredRevision } from './report.repository.js';

export interface ReportLoaders {
  /** The revision in force of a unit's report for a period and scope. */
  current: DataLoader<ReportKey, StoredRevision | null, string>;
  /** Every revision of a report, oldest first. */
  revisions: DataLoader<number, StoredRevision[]>;
  /** The history of a report: every change of figures or state. */
  events: DataLoader<number, (ReportEventRow & { seq: number; at: Date })[]>;
}

export function createReportLoaders(em: EntityManager): ReportLoaders {
  return {
    current: new DataLoader(
      async (keys) => {
        const found = await findCurrentRevisions(em, keys);
        return keys.map((k) => found.get(reportKeyString(k)) ?? null);
      },
      { cacheKeyFn: reportKeyString },
    ),
    revisions: new DataLoader(async (ids) => {
      const found = await findRevisions(em, ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
    events: new DataLoader(async (ids) => {
      const found = await findEvents(em, ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
