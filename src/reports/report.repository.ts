/**
 * SQL for reports, their revisions and their events. The figure columns come from the catalogue, so this file never
 * names a cell. Reads take many keys at once for DataLoaders.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells } from '../format/catalogue.js';
import type { Violation } from '../format/identities.js';
import { valuesFromRow, type CellValues } from '../format/figures.js';
import type { ReportScope } from './report-scope.js';
import type { ReportStatus } from './report-status.js';

export const figureColumns = cells.map((c) => c.sqlColumn);

export interface ReportKey {
  unitId: number;
  year: number;
  month: number | null;
  scope: ReportScope;
}

export interface ReportState {
  id: number;
  status: ReportStatus | null;
  /** 0 while the report has no revision yet. */
  currentRevision: number;
  submittedRevision: number | null;
  approvedRevision: number | null;
  statusReason: string | null;
}

export interface StoredRevision extends ReportKey {
  reportId: number;
  revision: number;
  draft: boolean;
  submittedAt: Date;
  warnings: Violation[];
  values: CellValues;
  author: { unitCode: string | null; role: string | null };
  state: ReportState;
}

export const reportKeyString = (k: ReportKey) => `${k.unitId}|${k.year}|${k.month ?? ''}|${k.scope}`;

const stateColumns = 'r.status, r.current_revision, r.submitted_revision, r.approved_revision, r.status_reason';
const revisionSelect = `select r.id as report_id, r.unit_id, r.year, r.month, r.scope, ${stateColumns},
  v.revision, v.draft, v.submitted_at, v.warnings, v.author_unit, v.author_role, ${figureColumns.map((c) => `v.${c}`).join(', ')}`;

function toState(row: Record<string, unknown>, id = row.report_id as number): ReportState {
  return {
    id,
    status: (row.status as ReportStatus | null) ?? null,
    currentRevision: row.current_revision as number,
    submittedRevision: (row.submitted_revision as number | null) ?? null,
    approvedRevision: (row.approved_revision as number | null) ?? null,
    statusReason: (row.status_reason as string | null) ?? null,
  };
}

function toStored(row: Record<string, unknown>): StoredRevision {
  return {
    reportId: row.report_id as number,
    unitId: row.unit_id as number,
    year: row.year as number,
    month: (row.month as number | null) ?? null,
    scope: row.scope as ReportScope,
    revision: row.revision as number,
    draft: row.draft as boolean,
    submittedAt: new Date(row.submitted_at as string),
    warnings: (typeof row.warnings === 'string' ? JSON.parse(row.warnings) : row.warnings) as Violation[],
    values: valuesFromRow(row),
    author: { unitCode: (row.author_unit as string | null) ?? null, role: (row.author_role as string | null) ?? null },
    state: toState(row),
  };
}

/**
 * Finds the report of a unit and period, creating an empty one (revision 0, no status) if there is none, and locks
 * it for the rest of the transaction so that concurrent writes to one report queue up instead of racing.
 */
export async function lockReport(em: EntityManager, key: ReportKey): Promise<ReportState> {
  await em.execute(
    `insert into report (unit_id, year, month, scope, current_revision, status) values (?, ?, ?, ?, 0, 'DRAFT')
     on conflict on constraint report_period_unique do nothing`,
    [key.unitId, key.year, key.month, key.scope],
  );
  const [row] = await em.execute<Record<string, unknown>[]>(
    `select r.id, ${stateColumns} from report r
     where unit_id = ? and year = ? and month is not distinct from ? and scope = ? for update`,
    [key.unitId, key.year, key.month, key.scope],
  );
  const state = toState(row, row.id as number);
  return state.currentRevision === 0 ? { ...state, status: null } : state;
}

export async function lockReportById(em: EntityManager, reportId: number): Promise<ReportState | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(`select r.id, ${stateColumns} from report r where r.id = ? for update`, [reportId]);
  return row ? toState(row, row.id as number) : null;
}

export interface NewRevision {
  revision: number;
  draft: boolean;
  values: CellValues;
  warnings: Violation[];
  submitted: unknown;
  submittedAt: Date | null;
  author: { unitCode: string; role: string };
}

export async function insertRevision(em: EntityManager, reportId: number, r: NewRevision): Promise<Date> {
  const [row] = await em.execute<{ submitted_at: string }[]>(
    `insert into report_revision (report_id, revision, draft, author_unit, author_role, warnings, submitted, submitted_at, ${figureColumns.join(', ')})
     values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, coalesce(?::timestamptz, now()), ${figureColumns.map(() => '?').join(', ')}) returning submitted_at`,
    [reportId, r.revision, r.draft, r.author.unitCode, r.author.role, JSON.stringify(r.warnings), JSON.stringify(r.submitted ?? {}), r.submittedAt, ...cells.map((c) => r.values[c.path])],
  );
  return new Date(row.submitted_at);
}

export async function updateState(em: EntityManager, state: ReportState): Promise<void> {
  await em.execute(
    `update report set status = ?::report_status, current_revision = ?, submitted_revision = ?, approved_revision = ?, status_reason = ?, updated_at = now()
     where id = ?`,
    [state.status, state.currentRevision, state.submittedRevision, state.approvedRevision, state.statusReason, state.id],
  );
}

export interface ReportEventRow {
  action: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus;
  revision: number;
  actor: { unitCode: string; role: string };
  reason: string | null;
  changes: unknown[];
}

export async function insertEvent(em: EntityManager, reportId: number, e: ReportEventRow): Promise<void> {
  await em.execute(
    `insert into report_event (report_id, seq, action, from_status, to_status, revision, actor_unit, actor_role, reason, changes)
     select ?, coalesce(max(seq), 0) + 1, ?, ?::report_status, ?::report_status, ?, ?, ?, ?, ?::jsonb from report_event where report_id = ?`,
    [reportId, e.action, e.fromStatus, e.toStatus, e.revision, e.actor.unitCode, e.actor.role, e.reason, JSON.stringify(e.changes), reportId],
  );
}

/** The revision now in force (the latest of any kind) of each report asked for; absent keys have no report. */
export async function findCurrentRevisions(em: EntityManager, keys: readonly ReportKey[]): Promise<Map<string, StoredRevision>> {
  if (!keys.length) return new Map();
  // grain: one row per key that has a report
  const rows = await em.execute<Record<string, unknown>[]>(
    `${revisionSelect}
     from (values ${keys.map(() => '(?::int, ?::int, ?::int, ?::text)').join(', ')}) as k(unit_id, year, month, scope)
     join report r on r.unit_id = k.unit_id and r.year = k.year and r.month is not distinct from k.month
                  and r.scope = k.scope::report_scope and r.current_revision > 0
     join report_revision v on v.report_id = r.id and v.revision = r.current_revision`,
    keys.flatMap((k) => [k.unitId, k.year, k.month, k.scope]),
  );
  const out = new Map<string, StoredRevision>();
  for (const row of rows) {
    const stored = toStored(row);
    out.set(reportKeyString(stored), stored);
  }
  return out;
}

/** Every revision of each report, oldest first. */
export async function findRevisions(em: EntityManager, reportIds: readonly number[]): Promise<Map<number, StoredRevision[]>> {
  // grain: one row per revision
  const rows = await em.execute<Record<string, unknown>[]>(
    `${revisionSelect} from report r join report_revision v on v.report_id = r.id
     where r.id in (?) order by r.id, v.revision`,
    [reportIds],
  );
  const out = new Map<number, StoredRevision[]>();
  for (const row of rows) {
    const stored = toStored(row);
    out.set(stored.reportId, [...(out.get(stored.reportId) ?? []), stored]);
  }
  return out;
}

export async function findRevision(em: EntityManager, reportId: number, revision: number): Promise<StoredRevision | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(
    `${revisionSelect} from report r join report_revision v on v.report_id = r.id where r.id = ? and v.revision = ?`,
    [reportId, revision],
  );
  return row ? toStored(row) : null;
}

/** Every event of each report, in order. */
export async function findEvents(em: EntityManager, reportIds: readonly number[]): Promise<Map<number, (ReportEventRow & { seq: number; at: Date })[]>> {
  // grain: one row per event
  const rows = await em.execute<Record<string, unknown>[]>(
    `select report_id, seq, at, action, from_status, to_status, revision, actor_unit, actor_role, reason, changes
     from report_event where report_id in (?) order by report_id, seq`,
    [reportIds],
  );
  const out = new Map<number, (ReportEventRow & { seq: number; at: Date })[]>();
  for (const r of rows) {
    const id = r.report_id as number;
    out.set(id, [
      ...(out.get(id) ?? []),
      {
        seq: r.seq as number,
        at: new Date(r.at as string),
        action: r.action as string,
        fromStatus: (r.from_status as ReportStatus | null) ?? null,
        toStatus: r.to_status as ReportStatus,
        revision: r.revision as number,
        actor: { unitCode: r.actor_unit as string, role: r.actor_role as string },
        reason: (r.reason as string | null) ?? null,
        changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as unknown[],
      },
    ]);
  }
  return out;
}
