/**
 * SQL for reports, their revisions and their events. The figure columns come from the catalogue, so this file never
 * names a cell. Reads take many keys at once for DataLoaders.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sql, Statement } from '../db/write-transaction.js';
import { cells } from '../format/catalogue.js';
import type { Violation } from '../format/identities.js';
import { continuityCells } from '../format/continuity.js';
import { arrayLiteralItems, listAt, listFromRow, type CellList } from '../format/figures.js';
import { cellAliases, unitYearLock } from '../rollups/preaggregate.js';
import { ReportScope } from './report-scope.js';
import { Basis, type ReportStatus } from './report-status.js';

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
  /** The figures, in catalogue order. */
  values: CellList;
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
    values: listFromRow(row),
    author: { unitCode: (row.author_unit as string | null) ?? null, role: (row.author_role as string | null) ?? null },
    state: toState(row),
  };
}

const lockSql = (unitYear: boolean) => `select r.id, ${stateColumns} from report r
  where ${unitYear ? `${unitYearLock} and ` : ''}r.unit_id = ?::int and r.year = ?::smallint and r.month is not distinct from ?::smallint and r.scope = ?::report_scope
  for update of r`;
const LOCK = lockSql(false);
const LOCK_UNIT_YEAR = lockSql(true);

/**
 * Locks the report of a unit and period for the rest of the transaction, so that concurrent writes to one report
 * queue up instead of racing; a SELF report's unit-year lock (rollups/preaggregate.ts) is taken first, in the same
 * statement. Its rows go to `lockedState`: none when the report does not exist yet (then `lockReport`).
 */
export function lockStatement(key: ReportKey): Statement {
  const self = key.scope === ReportScope.SELF;
  return { sql: self ? LOCK_UNIT_YEAR : LOCK, values: [...(self ? [key.unitId, key.year] : []), key.unitId, key.year, key.month, key.scope] };
}

/** The state of a report locked by `lockStatement`; null when there is no report. */
export function lockedState(rows: Record<string, unknown>[]): ReportState | null {
  const [row] = rows;
  if (!row) return null;
  const state = toState(row, row.id as number);
  return state.currentRevision === 0 ? { ...state, status: null } : state;
}

/** `lockStatement`, creating an empty report (revision 0, no status) first if there is none. */
export async function lockReport(sql: Sql, key: ReportKey): Promise<ReportState> {
  const lock = lockStatement(key);
  const found = lockedState(await sql.query(lock.sql, lock.values));
  if (found) return found;
  await sql.query(
    `insert into report (unit_id, year, month, scope, current_revision, status) values (?::int, ?::smallint, ?::smallint, ?::report_scope, 0, 'DRAFT')
     on conflict on constraint report_period_unique do nothing`,
    [key.unitId, key.year, key.month, key.scope],
  );
  return lockedState(await sql.query(lock.sql, lock.values))!;
}

export async function lockReportById(em: EntityManager, reportId: number): Promise<ReportState | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(`select r.id, ${stateColumns} from report r where r.id = ? for update`, [reportId]);
  return row ? toState(row, row.id as number) : null;
}

export interface WriteReading {
  /**
   * The cells the continuity warnings compare (`continuityCells`) of the current revision of the same unit's report
   * for the period before, at their catalogue positions (null: no such report). A write reads no other figures: its
   * changes are derived from the revisions when the history is read (report-history.ts).
   */
  previous: CellList | null;
  /** What an idempotency key, when one was given, was used for before. */
  seen: { reportId: number; revision: number; requestHash: string } | null;
}

/**
 * Rows `kind` previous (the continuity cells of the same unit's report for the period before, as one array literal)
 * and seen (what an idempotency key was used for).
 */
const READ = `select 'previous' as kind, array[${continuityCells.map((i) => `v.${cells[i].sqlColumn}`).join(', ')}]::text as figures,
    null::int as report_id, null::int as revision, null::text as request_hash
  from report r join report_revision v on v.report_id = r.id and v.revision = r.current_revision
  where r.unit_id = ?::int and r.year = ?::smallint and r.month is not distinct from ?::smallint and r.scope = ?::report_scope and r.current_revision > 0
  union all
  select 'seen', null, report_id, revision, request_hash from idempotency_key where actor = ?::varchar and key = ?::varchar`;

/**
 * What a write needs to know besides the report's state, read once the report is locked (by a statement of its own:
 * one that locks reads as of before it waited): the figures of the period before that the continuity warnings
 * compare, and what an idempotency key was used for. Its rows go to `writeReading`.
 */
export function readStatement(previous: ReportKey, idempotency: { actor: string; key: string } | null): Statement {
  return {
    sql: READ,
    values: [previous.unitId, previous.year, previous.month, previous.scope, idempotency?.actor ?? null, idempotency?.key ?? null],
  };
}

/** The continuity cells read by `READ`, at their positions in a list of every cell (the others left empty). */
const continuityList = (literal: unknown): CellList | null => (typeof literal === 'string' ? listAt(arrayLiteralItems(literal), continuityCells) : null);

/** The rows of `readStatement`. */
export function writeReading(rows: Record<string, unknown>[]): WriteReading {
  const of = (kind: string) => rows.find((r) => r.kind === kind);
  const seen = of('seen');
  return {
    previous: continuityList(of('previous')?.figures),
    seen: seen ? { reportId: seen.report_id as number, revision: seen.revision as number, requestHash: seen.request_hash as string } : null,
  };
}

export interface NewRevision {
  revision: number;
  draft: boolean;
  values: CellList;
  warnings: Violation[];
  submitted: unknown;
  submittedAt: Date | null;
  author: { unitCode: string; role: string };
}

export interface ReportEventRow {
  action: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus;
  revision: number;
  actor: { unitCode: string; role: string };
  reason: string | null;
  /**
   * The cells the step changed. Null for a step that wrote a revision (SUBMIT, SAVE_DRAFT): its changes are that
   * revision against the one before, derived when the history is read (report-history.ts), not stored twice.
   */
  changes: CellChangeRow[] | null;
}

/** One cell a step changed, as the history shows it. */
export interface CellChangeRow {
  path: string;
  label: string;
  before: string;
  after: string;
}

/** The unit, year and month whose contributions to the rollups of a basis a write changes. */
export interface RollupTarget {
  basis: Basis;
  unitId: number;
  year: number;
  month: number | null;
}

/**
 * The report's new state, and the number of its next event: each report counts its events (`last_event_seq`,
 * migration 000010), so an event's number comes from the row the step updates anyway. It was `max(seq) + 1` over
 * report_event, whose generic plan, made while that table was empty, was a sequential scan that grew with every event
 * (1.2 ms at 20,000 events, for each write of a batch).
 */
const stateUpdate = (set = '') => `update report set status = ?::report_status, current_revision = ?::int, submitted_revision = ?::int,
  approved_revision = ?::int, status_reason = ?::text, last_event_seq = last_event_seq + 1, updated_at = now()${set} where id = ?::int
  returning last_event_seq`;
const stateParams = (s: ReportState) => [s.status, s.currentRevision, s.submittedRevision, s.approvedRevision, s.statusReason, s.id];

/**
 * What a revision adds to its report's state: a revision that is not a draft may be its first submission, the
 * earliest wins (migration 000011). Read from the row the statement's `revision` CTE wrote; least() passes over the
 * null a draft gives, leaving the column as it was.
 */
const firstSubmission = `, first_submitted_at = least(first_submitted_at, (select w.submitted_at from revision w where not w.draft))`;

/** The step's event, numbered by `stateUpdate` (a CTE named `state` in the same statement). */
const eventInsert = `insert into report_event (report_id, seq, action, from_status, to_status, revision, actor_unit, actor_role, reason, changes)
  select ?::int, state.last_event_seq, ?::varchar, ?::report_status, ?::report_status, ?::int, ?::varchar, ?::varchar, ?::text, ?::jsonb
  from state`;
const eventParams = (reportId: number, e: ReportEventRow) =>
  [reportId, e.action, e.fromStatus, e.toStatus, e.revision, e.actor.unitCode, e.actor.role, e.reason, e.changes && JSON.stringify(e.changes)];

const WRITE_REVISION = `
  with revision_figures as (select ${cells.map((c, i) => `?::${c.kind === 'amount' ? 'numeric' : 'int'} ${cellAliases[i]}`).join(', ')}),
  revision as (
    insert into report_revision (report_id, revision, draft, author_unit, author_role, warnings, submitted, submitted_at, ${figureColumns.join(', ')})
    select ?::int, ?::int, ?::boolean, ?::varchar, ?::varchar, ?::jsonb, ?::jsonb, coalesce(?::timestamptz, now()), ${cellAliases.join(', ')}
    from revision_figures
    returning submitted_at, draft
  ),
  state as (${stateUpdate(firstSubmission)}),
  event as (${eventInsert}),
  idempotency as (
    insert into idempotency_key (actor, key, request_hash, report_id, revision)
    select ?::varchar, ?::varchar, ?::char(64), ?::int, ?::int where ?::boolean
  )
  select w.submitted_at from revision w`;

/**
 * Writes a new revision, the report's new state, its event and the idempotency key in one statement. Its one row
 * goes to `writtenRevision`. (The rollup change of a submission is computed before, in the hub: rollups/rollup-delta.ts.)
 */
export function writeRevisionStatement(
  r: NewRevision,
  state: ReportState,
  event: ReportEventRow,
  idempotency: { actor: string; key: string; hash: string } | null,
): Statement {
  return {
    sql: WRITE_REVISION,
    values: [
      ...r.values,
      state.id, r.revision, r.draft, r.author.unitCode, r.author.role, JSON.stringify(r.warnings), JSON.stringify(r.submitted ?? {}), r.submittedAt,
      ...stateParams(state),
      ...eventParams(state.id, event),
      idempotency?.actor ?? null, idempotency?.key ?? null, idempotency?.hash ?? null, state.id, r.revision, idempotency !== null,
    ],
  };
}

/** The row of `writeRevisionStatement`: when the revision was received. */
export function writtenRevision(row: Record<string, unknown>): { submittedAt: Date } {
  return { submittedAt: new Date(row.submitted_at as string) };
}

const WRITE_STATE = `with state as (${stateUpdate()}), event as (${eventInsert}) select 1`;

/** A workflow step: the report's new state and its event in one statement. */
export async function writeState(sql: Sql, state: ReportState, event: ReportEventRow): Promise<void> {
  await sql.query(WRITE_STATE, [...stateParams(state), ...eventParams(state.id, event)]);
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

export async function findRevision(sql: Sql, reportId: number, revision: number): Promise<StoredRevision | null> {
  const [row] = await sql.query(
    `${revisionSelect} from report r join report_revision v on v.report_id = r.id where r.id = ?::int and v.revision = ?::int`,
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
        changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as CellChangeRow[] | null,
      },
    ]);
  }
  return out;
}
