/**
 * Writing a report's figures — submitting them, or saving a draft — in one transaction: check the period, the unit
 * and every identity of the national format; refuse a locked (approved) report and a stale base revision; then
 * write a new revision and an event (whose cell-by-cell changes the history derives from the revisions:
 * report-history.ts). Nothing is saved when any check fails; nothing accepted before is overwritten. A retried request
 * with the same idempotency key returns the first result.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Access } from '../auth/access.js';
import { continuityWarnings } from '../format/continuity.js';
import { canonicalList, readFiguresInput, type CellList, type Nested } from '../format/figures.js';
import { cells } from '../format/catalogue.js';
import { checkIdentities } from '../format/identities.js';
import { AppError, ErrorCode, ValidationFailedError } from '../graphql/errors.js';
import type { UnitLoaders } from '../units/unit.loaders.js';
import { unitDirectory } from '../units/unit-directory.js';
import { checkSubmittablePeriod, makePeriod, previousReportPeriod } from './period.js';
import type { ReportLoaders } from './report.loaders.js';
import {
  findRevision,
  lockedState,
  lockReport,
  lockStatement,
  readStatement,
  writeReading,
  writeRevisionStatement,
  writtenRevision,
  type ReportKey,
  type ReportState,
  type RollupTarget,
  type StoredRevision,
  type WriteReading,
} from './report.repository.js';
import { ReportScope } from './report-scope.js';
import { Basis, ReportStatus } from './report-status.js';
import { applyRollupChanges } from '../rollups/preaggregate.js';
import { rollupDelta, rollupMembersStatement, type ContributionChange } from '../rollups/rollup-delta.js';
import { rollupsCommitted } from '../rollups/rollup-changes.js';
import { writeTransaction, type Sql, type Statement } from '../db/write-transaction.js';
import { submissionQueue } from './submission-batch.js';
import { ReportView, type SubmitReportInput } from './report.types.js';

export interface Actor {
  unitCode: string;
  role: string;
}

export interface WriteOptions {
  draft: boolean;
  actor: Actor;
  /** The revision the writer started from; a different current revision is a CONFLICT. */
  baseRevision?: number | null;
  idempotencyKey?: string | null;
  /** Only for loading historical figures (demo data, imports): when the report was really received. */
  submittedAt?: Date | null;
  /**
   * Only for bulk loads in one transaction (the demo seed): leave the pre-aggregated rollups alone, because the
   * caller rebuilds them in bulk before its transaction commits. Thousands of deltas to the same city rows in one
   * transaction would leave thousands of row versions that every later delta has to walk past.
   */
  rollupsRebuiltByCaller?: boolean;
}

export async function writeReport(
  em: EntityManager,
  loaders: { units: UnitLoaders; reports: ReportLoaders },
  access: Access,
  input: SubmitReportInput,
  options: Omit<WriteOptions, 'actor'>,
): Promise<{ report: ReportView; replacedRevision: number | null }> {
  const period = checkSubmittablePeriod({ year: input.year, month: input.month });
  if (options.idempotencyKey && options.idempotencyKey.length > 200) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'an idempotency key has at most 200 characters', { length: options.idempotencyKey.length });
  }
  // The unit from the process's directory: a unit's identity never changes, and this saves a statement per write.
  const unit = await unitDirectory(em).require(loaders.units, input.unitCode);
  await access.requireSubmit(unit);
  const reading = readFiguresInput(input.figures as Nested);
  const violations = checkIdentities(reading);
  if (violations.length) throw new ValidationFailedError(violations);

  const key = { unitId: unit.id, year: period.year, month: period.month, scope: input.scope ?? ReportScope.SELF };
  const actor = { unitCode: access.viewer.unitCode, role: access.viewer.role };
  const stored = await storeRevision(em, key, canonicalList(reading.list), input.figures, { ...options, actor });
  loaders.reports.current.clear(key).prime(key, stored.revision);
  loaders.reports.revisions.clear(stored.revision.reportId);
  loaders.reports.events.clear(stored.revision.reportId);
  return { report: toReportView(stored.revision), replacedRevision: stored.replacedRevision };
}

/** `"<path>":` of each cell, for `figuresJson`. */
const jsonKeys = cells.map((c) => `${JSON.stringify(c.path)}:`);

/**
 * The figures as the JSON of an object keyed by path, cells in catalogue order: what request hashes have been made
 * of since the first release (the figures were such an object then), so that a request retried across an upgrade
 * still matches the hash stored for its idempotency key.
 */
export function figuresJson(list: CellList): string {
  let json = '{';
  for (let i = 0; i < list.length; i++) json += (i ? ',' : '') + jsonKeys[i] + JSON.stringify(list[i]);
  return `${json}}`;
}

const requestHash = (key: ReportKey, list: CellList, draft: boolean) =>
  createHash('sha256').update(`[${JSON.stringify(key)},${JSON.stringify(draft)},${figuresJson(list)}]`).digest('hex');

/** What storing a revision answers: the revision now stored, and the one it replaced. */
export interface Stored {
  revision: StoredRevision;
  replacedRevision: number | null;
}

/** A write's key, figures and options, and the statements that open its transaction (locks, then reads). */
export interface PendingWrite {
  key: ReportKey;
  /** The checked figures, in catalogue order. */
  values: CellList;
  submitted: unknown;
  options: WriteOptions;
  previousKey: ReportKey;
  idempotency: { actor: string; key: string; hash: string } | null;
  /** The rollups the write changes (a submission of SELF figures: the SUBMITTED basis), or null. */
  rollups: RollupTarget | null;
  /** Its lock, its read and, when it changes rollups, the read of its unit-year's figures (`rollupMembersStatement`). */
  opening: Statement[];
}

/** The rows of a write's opening statements, in their order (`members` only when the write changes rollups). */
export type OpeningRows = [locked: Record<string, unknown>[], read: Record<string, unknown>[], members?: Record<string, unknown>[]];

/**
 * What a write does once its report is locked and read: nothing but answer with the revision an idempotency key
 * already wrote (`replay`), or write (`write`, whose one row `complete` turns into the answer; `delta`: the change of
 * the rollups, computed from the unit-year's figures read).
 * A refusal is thrown.
 */
export type WriteDecision =
  | { replay: { reportId: number; revision: number } }
  | { write: Statement; rollups: RollupTarget | null; delta: ContributionChange | null; complete(row: Record<string, unknown>): Stored };

export function pendingWrite(key: ReportKey, values: CellList, submitted: unknown, options: WriteOptions): PendingWrite {
  const previousKey = { ...key, ...previousReportPeriod(makePeriod(key.year, null, key.month)) };
  const idempotency = options.idempotencyKey
    ? { actor: `${options.actor.unitCode}/${options.actor.role}`, key: options.idempotencyKey, hash: requestHash(key, values, options.draft) }
    : null;
  // A submission changes the SELF figures of the SUBMITTED basis: the rollups above follow in this transaction.
  const rollups = key.scope === ReportScope.SELF && !options.draft && !options.rollupsRebuiltByCaller
    ? { basis: Basis.SUBMITTED, unitId: key.unitId, year: key.year, month: key.month }
    : null;
  // The unit-year lock first (SELF), then the report: every writer takes its locks in this order. The reads follow
  // the lock, so they see every write committed before it.
  const opening = [lockStatement(key), readStatement(previousKey, idempotency)];
  if (rollups) opening.push(rollupMembersStatement(rollups.basis, rollups.unitId, rollups.year, rollups.month));
  return { key, values, submitted, options, previousKey, idempotency, rollups, opening };
}

/** Checks a write against its report's locked state and what it read, and says what to do (`WriteDecision`). */
export function decideWrite(w: PendingWrite, report: ReportState, reading: WriteReading, members: Record<string, unknown>[] | undefined): WriteDecision {
  const { key, values, options, idempotency, rollups } = w;
  if (reading.seen) {
    if (reading.seen.requestHash !== idempotency!.hash || reading.seen.reportId !== report.id) {
      throw new AppError(ErrorCode.CONFLICT, 'this idempotency key was used for a different request', { idempotencyKey: options.idempotencyKey });
    }
    return { replay: { reportId: report.id, revision: reading.seen.revision } };
  }
  if (report.status === ReportStatus.APPROVED) {
    throw new AppError(ErrorCode.PERIOD_LOCKED, 'this report is approved and locked; its reviewer must reopen it first', { approvedRevision: report.approvedRevision });
  }
  if (options.draft && report.status === ReportStatus.SUBMITTED) {
    throw new AppError(ErrorCode.INVALID_STATE, 'this report is submitted and awaits review; submit a new revision instead of a draft', { status: report.status });
  }
  if (options.baseRevision != null && options.baseRevision !== report.currentRevision) {
    throw new AppError(ErrorCode.CONFLICT, `the report changed since revision ${options.baseRevision}: revision ${report.currentRevision} is current`, {
      baseRevision: options.baseRevision,
      currentRevision: report.currentRevision,
    });
  }
  const warnings = continuityWarnings(values, reading.previous, makePeriod(w.previousKey.year, null, w.previousKey.month).label);
  const revision = report.currentRevision + 1;
  const status = options.draft ? ReportStatus.DRAFT : ReportStatus.SUBMITTED;
  const state = { ...report, status, currentRevision: revision, submittedRevision: options.draft ? report.submittedRevision : revision, statusReason: null };
  const event = {
    action: options.draft ? 'SAVE_DRAFT' : 'SUBMIT',
    fromStatus: report.status,
    toStatus: status,
    revision,
    actor: options.actor,
    reason: null,
    // Not stored: the history derives them from this revision and the one before (report-history.ts).
    changes: null,
  };
  const newRevision = { revision, draft: options.draft, values, warnings, submitted: w.submitted, submittedAt: options.submittedAt ?? null, author: options.actor };
  return {
    write: writeRevisionStatement(newRevision, state, event, idempotency),
    rollups,
    delta: rollups ? rollupDelta(members!, key.month, values) : null,
    complete(row) {
      const written = writtenRevision(row);
      return {
        revision: { reportId: report.id, ...key, revision, draft: options.draft, submittedAt: written.submittedAt, warnings, values, author: options.actor, state },
        replacedRevision: report.currentRevision || null,
      };
    },
  };
}

/**
 * Writes checked figures as the next revision of a report. The report row is locked first: writers queue up.
 * Submissions on the hot path go through the submission queue (submission-batch.ts), which writes concurrent ones
 * in one transaction; alone, a write is three round trips (db/write-transaction.ts): begin, lock and reads (the
 * period before's continuity cells, and its unit-year's figures, from which the hub computes the change of the
 * rollups); the write (revision, state, event, idempotency key) in one statement; the rollup change applied with the
 * commit.
 */
export async function storeRevision(em: EntityManager, key: ReportKey, values: CellList, submitted: unknown, options: WriteOptions): Promise<Stored> {
  const pending = pendingWrite(key, values, submitted, options);
  return em.isInTransaction() ? storeRevisionAlone(em, pending) : submissionQueue(em).store(em, pending);
}

/** One write in a transaction of its own (or the caller's). */
export async function storeRevisionAlone(em: EntityManager, w: PendingWrite): Promise<Stored> {
  let changed: RollupTarget | null = null;
  const stored = await writeTransaction(em, w.opening, async (sql, opened) => {
    const [locked] = opened as OpeningRows;
    let [, read, members] = opened as OpeningRows;
    let report = lockedState(locked);
    if (!report) {
      // A first revision: the report is created and locked, and read again.
      report = await lockReport(sql, w.key);
      read = await sql.query(w.opening[1].sql, w.opening[1].values);
      if (w.opening[2]) members = await sql.query(w.opening[2].sql, w.opening[2].values);
    }
    const decision = decideWrite(w, report, writeReading(read), members);
    if ('replay' in decision) return { result: await replayed(sql, decision.replay), last: null };
    const [row] = await sql.query(decision.write.sql, decision.write.values);
    const { rollups } = decision;
    changed = rollups;
    return { result: decision.complete(row), last: rollups && applyRollupChanges(rollups.basis, [{ year: rollups.year, change: decision.delta! }]) };
  });
  rollupsCommitted(em, [changed]);
  return stored;
}

/** The answer to a retried request: the revision its idempotency key wrote the first time. */
async function replayed(sql: Sql, first: { reportId: number; revision: number }): Promise<Stored> {
  const revision = (await findRevision(sql, first.reportId, first.revision))!;
  return { revision, replacedRevision: revision.revision > 1 ? revision.revision - 1 : null };
}

export function toReportView(s: StoredRevision): ReportView {
  return Object.assign(new ReportView(), {
    id: s.reportId,
    unitId: s.unitId,
    period: makePeriod(s.year, null, s.month),
    scope: s.scope,
    revision: s.revision,
    draft: s.draft,
    submittedAt: s.submittedAt,
    warnings: s.warnings,
    values: s.values,
    author: s.author,
    state: s.state,
  });
}
