/**
 * Submitting a report: check the period, the unit and every identity of the national format, then write a new
 * revision in one transaction. Nothing is saved when any check fails; nothing accepted before is overwritten.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { continuityWarnings } from '../format/continuity.js';
import { canonicalValues, readFiguresInput, type CellValues, type Nested } from '../format/figures.js';
import { checkIdentities } from '../format/identities.js';
import { ValidationFailedError } from '../graphql/errors.js';
import type { UnitLoaders } from '../units/unit.loaders.js';
import { requireUnit } from '../units/unit.service.js';
import { checkSubmittablePeriod, makePeriod, previousReportPeriod } from './period.js';
import type { ReportLoaders } from './report.loaders.js';
import { findCurrentRevisions, insertRevision, lockReport, reportKeyString, type ReportKey, type StoredRevision } from './report.repository.js';
import { ReportScope } from './report-scope.js';
import { ReportView, type SubmitReportInput } from './report.types.js';

export interface SubmitResult {
  report: ReportView;
  replacedRevision: number | null;
}

export async function submitReport(
  em: EntityManager,
  loaders: { units: UnitLoaders; reports: ReportLoaders },
  input: SubmitReportInput,
): Promise<SubmitResult> {
  const period = checkSubmittablePeriod({ year: input.year, month: input.month });
  const unit = await requireUnit(loaders.units, input.unitCode);
  const reading = readFiguresInput(input.figures as Nested);
  const violations = checkIdentities(reading);
  if (violations.length) throw new ValidationFailedError(violations);

  const key = { unitId: unit.id, year: period.year, month: period.month, scope: input.scope ?? ReportScope.SELF };
  const stored = await storeRevision(em, key, canonicalValues(reading.values), input.figures);
  loaders.reports.current.clear(key).prime(key, stored.revision);
  loaders.reports.revisions.clear(stored.revision.reportId);
  return { report: toReportView(stored.revision), replacedRevision: stored.replacedRevision };
}

/**
 * Writes checked figures as the next revision of a report, in one transaction. The report row is locked first, so
 * concurrent submissions of one report are serialised and each gets its own revision number.
 */
export async function storeRevision(
  em: EntityManager,
  key: ReportKey,
  values: CellValues,
  submitted: unknown,
  /** Only for loading historical figures (demo data, imports): when the report was really received. */
  submittedAt: Date | null = null,
): Promise<{ revision: StoredRevision; replacedRevision: number | null }> {
  const previousKey = { ...key, ...previousReportPeriod(makePeriod(key.year, null, key.month)) };
  return em.transactional(async (tx) => {
    const report = await lockReport(tx, key);
    const previous = (await findCurrentRevisions(tx, [previousKey])).get(reportKeyString(previousKey)) ?? null;
    const previousLabel = makePeriod(previousKey.year, null, previousKey.month).label;
    const warnings = continuityWarnings(values, previous?.values ?? null, previousLabel);
    const revision = report.currentRevision + 1;
    const storedAt = await insertRevision(tx, report.id, revision, values, warnings, submitted, submittedAt);
    return {
      revision: { reportId: report.id, ...key, revision, currentRevision: revision, submittedAt: storedAt, warnings, values },
      replacedRevision: report.currentRevision || null,
    };
  });
}

export function toReportView(s: StoredRevision): ReportView {
  return Object.assign(new ReportView(), {
    id: s.reportId,
    unitId: s.unitId,
    period: makePeriod(s.year, null, s.month),
    scope: s.scope,
    revision: s.revision,
    submittedAt: s.submittedAt,
    warnings: s.warnings,
    values: s.values,
  });
}
