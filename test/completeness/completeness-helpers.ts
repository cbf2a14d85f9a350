/** Reports with chosen submission times, and the completeness query. */
import { dataOf, type TestHub } from '../support/test-hub.js';

/**
 * A report whose revisions came in at the given times (the first is when it was first submitted). Revisions are
 * immutable, so the times cannot be changed after a submission; the rows are written here as a bulk load would,
 * with the report's first submission. Figure columns default to 0, which is balanced.
 */
export async function insertTimedReport(
  hub: TestHub,
  unitCode: string,
  period: { year: number; month?: number | null },
  submittedAt: string[],
  scope: 'SELF' | 'AGGREGATE' = 'SELF',
): Promise<void> {
  const rows = await hub.db.sql(
    `with r as (
       insert into report (unit_id, year, month, scope, current_revision, first_submitted_at)
       select id, $2, $3, $4::report_scope, $5, (select min(at) from unnest($6::timestamptz[]) as at) from unit where code = $1 returning id
     )
     insert into report_revision (report_id, revision, submitted_at)
     select r.id, t.n::int, t.at from r cross join unnest($6::timestamptz[]) with ordinality as t(at, n)
     returning id`,
    [unitCode, period.year, period.month ?? null, scope, submittedAt.length, submittedAt],
  );
  if (rows.length !== submittedAt.length) throw new Error(`no unit ${unitCode}`);
}

export const COMPLETENESS = `query($unitCode: String!, $period: PeriodInput!, $kind: ReportKind!, $status: [CompletenessStatus!]) {
  completeness(unitCode: $unitCode, period: $period, reportKind: $kind) {
    period { label } reportKind
    units expected onTime late missing notYetDue unitsOnTime unitsLate unitsMissing
    entries(status: $status) { unit { code } status expected onTime late missing notYetDue lastSubmittedAt }
  }
}`;

export interface CompletenessEntry {
  unit: { code: string };
  status: string;
  expected: number;
  onTime: number;
  late: number;
  missing: number;
  notYetDue: number;
  lastSubmittedAt: string | null;
}

export async function completeness(
  hub: TestHub,
  unitCode: string,
  period: { year: number; month?: number; quarter?: number },
  kind: 'MONTHLY' | 'ANNUAL' = 'MONTHLY',
  status: string[] | null = null,
): Promise<any> {
  return dataOf(await hub.gql(COMPLETENESS, { unitCode, period, kind, status })).completeness;
}

/** The status of each unit, by code. */
export const statuses = (entries: CompletenessEntry[]) => Object.fromEntries(entries.map((e) => [e.unit.code, e.status]));

/** Year and month now in China (UTC+8). */
export function chinaNow(): { year: number; month: number; day: number } {
  const t = new Date(Date.now() + 8 * 3600_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}
