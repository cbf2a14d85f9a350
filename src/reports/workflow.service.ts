/**
 * A reviewer's steps on a report of a unit directly under theirs: approve a submission (the report is then locked),
 * return it with a reason, or reopen an approved one. Each step is an event; figures never change here.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Access } from '../auth/access.js';
import { AppError, ErrorCode, notFound } from '../graphql/errors.js';
import type { UnitLoaders } from '../units/unit.loaders.js';
import { requireUnit } from '../units/unit.service.js';
import { checkReportPeriod } from './period.js';
import type { ReportLoaders } from './report.loaders.js';
import { findRevision, lockReport, writeState, type ReportState, type RollupTarget } from './report.repository.js';
import { ReportScope } from './report-scope.js';
import { Basis, ReportStatus } from './report-status.js';
import { applyRollupChanges } from '../rollups/preaggregate.js';
import { rollupDelta, rollupMembersStatement, type ContributionChange } from '../rollups/rollup-delta.js';
import { rollupsCommitted, STATUS_ONLY } from '../rollups/rollup-changes.js';
import { writeTransaction } from '../db/write-transaction.js';
import { toReportView } from './report.service.js';
import type { ReportView, ReviewReportInput } from './report.types.js';

export type ReviewAction = 'APPROVE' | 'RETURN' | 'REOPEN';

const FROM: Record<ReviewAction, ReportStatus> = { APPROVE: ReportStatus.SUBMITTED, RETURN: ReportStatus.SUBMITTED, REOPEN: ReportStatus.APPROVED };
const TO: Record<ReviewAction, ReportStatus> = { APPROVE: ReportStatus.APPROVED, RETURN: ReportStatus.RETURNED, REOPEN: ReportStatus.RETURNED };

export async function review(
  em: EntityManager,
  loaders: { units: UnitLoaders; reports: ReportLoaders },
  access: Access,
  action: ReviewAction,
  input: ReviewReportInput,
): Promise<ReportView> {
  const period = checkReportPeriod({ year: input.year, month: input.month });
  const unit = await requireUnit(loaders.units, input.unitCode);
  await access.requireReview(unit);
  const reason = input.reason?.trim() || null;
  if (action !== 'APPROVE' && !reason) throw new AppError(ErrorCode.BAD_USER_INPUT, `a reason is required to ${action.toLowerCase()} a report`);
  const key = { unitId: unit.id, year: period.year, month: period.month, scope: input.scope ?? ReportScope.SELF };

  // The unit-year lock first (SELF), then the report: every writer takes its locks in this order.
  let changed: RollupTarget | null = null;
  const updated = await writeTransaction(em, [], async (sql) => {
    const report = await lockReport(sql, key);
    if (report.status === null) throw notFound('report', { unitCode: input.unitCode, period: { year: period.year, month: period.month } });
    if (report.status !== FROM[action]) {
      throw new AppError(ErrorCode.INVALID_STATE, `only a ${FROM[action]} report can be ${TO[action] === ReportStatus.APPROVED ? 'approved' : action === 'RETURN' ? 'returned' : 'reopened'}; this one is ${report.status}`, {
        status: report.status,
      });
    }
    if (action === 'APPROVE' && input.revision != null && input.revision !== report.submittedRevision) {
      throw new AppError(ErrorCode.CONFLICT, `revision ${report.submittedRevision} was submitted since revision ${input.revision} was reviewed`, {
        revision: input.revision,
        currentRevision: report.submittedRevision,
      });
    }
    const state: ReportState = {
      ...report,
      status: TO[action],
      approvedRevision: action === 'APPROVE' ? report.submittedRevision : report.approvedRevision,
      statusReason: reason,
    };
    const acted = action === 'APPROVE' ? report.submittedRevision! : report.currentRevision;
    const event = {
      action,
      fromStatus: report.status,
      toStatus: state.status!,
      revision: acted,
      actor: { unitCode: access.viewer.unitCode, role: access.viewer.role },
      reason,
      changes: [],
    };
    const current = (await findRevision(sql, report.id, report.currentRevision))!;
    // Approval changes the figures of the APPROVED basis: the rollups above follow in this transaction.
    const rollups = key.scope === ReportScope.SELF && action === 'APPROVE' ? { basis: Basis.APPROVED, unitId: key.unitId, year: key.year, month: key.month } : null;
    let delta: ContributionChange | null = null;
    if (rollups) {
      // The figures approved are those submitted (a submitted report has no newer draft: it is its current revision).
      const approved = report.submittedRevision === current.revision ? current : (await findRevision(sql, report.id, report.submittedRevision!))!;
      const members = rollupMembersStatement(rollups.basis, rollups.unitId, rollups.year, rollups.month);
      delta = rollupDelta(await sql.query(members.sql, members.values), rollups.month, approved.values);
    }
    await writeState(sql, state, event);
    changed = rollups;
    return { result: { ...current, state }, last: rollups && delta && applyRollupChanges(rollups.basis, [{ year: rollups.year, change: delta }]) };
  });
  // Subscribed dashboards follow completeness too: a return or a reopening changes no figures, only the status.
  rollupsCommitted(em, [changed ?? { basis: STATUS_ONLY, unitId: key.unitId, year: key.year, month: key.month }]);
  loaders.reports.current.clear(key);
  loaders.reports.events.clear(updated.reportId);
  return toReportView(updated);
}
