/**
 * SQL for reports and their revisions. The figure columns come from the catalogue, so this file never names a
 * cell. Reads take many keys at once for DataLoaders.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells } from '../format/catalogue.js';
import type { Violation } from '../format/identities.js';
import { valuesFromRow, type CellValues } from '../format/figures.js';
import type { ReportScope } from './report-scope.js';

export const figureColumns = cells.map((c) => c.sqlColumn);

export interface ReportKey {
  unitId: number;
  year: number;
  month: number | null;
  scope: ReportScope;
}

export interface StoredRevision {
  reportId: number;
  unitId: number;
  year: number;
  month: number | null;
  scope: ReportScope;
  revision: number;
  /** The revision in force for the report. */
  currentRevision: number;
  submittedAt: Date;
  warnings: Violation[];
  values: CellValues;
}

export const reportKeyString = (k: ReportKey) => `${k.unitId}|${k.year}|${k.month ?? ''}|${k.scope}`;

const revisionSelect = `select r.id as report_id, r.unit_id, r.year, r.month, r.scope, r.current_revision,
  v.revision, v.submitted_at, v.warnings, ${figureColumns.map((c) => `v.${c}`).join(', ')}`;

function toStored(row: Record<string, unknown>): StoredRevision {
  return {
    reportId: row.report_id as number,
    unitId: row.unit_id as number,
    year: row.year as number,
    month: (row.month as number | null) ?? null,
    scope: row.scope as ReportScope,
    revision: row.revision as number,
    currentRevision: row.current_revision as number,
    submittedAt: new Date(row.submitted_at as string),
    warnings: (typeof row.warnings === 'string' ? JSON.parse(row.warnings) : row.warnings) as Violation[],
    values: valuesFromRow(row),
  };
}

/**
 * Finds the report of a unit and period, creating an empty one (revision 0) if there is none, and locks it for the
 * rest of the transaction so that concurrent submissions of the same report queue up instead of racing.
 */
export async function lockReport(em: EntityManager, key: ReportKey): Promise<{ id: number; currentRevision: number }> {
  await em.execute(
    `insert into report (unit_id, year, month, scope, current_revision) values (?, ?, ?, ?, 0)
     on conflict on constraint report_period_unique do nothing`,
    [key.unitId, key.year, key.month, key.scope],
  );
  const [row] = await em.execute<{ id: number; current_revision: number }[]>(
    `select id, current_revision from report
     where unit_id = ? and year = ? and month is not distinct from ? and scope = ? for update`,
    [key.unitId, key.year, key.month, key.scope],
  );
  return { id: row.id, currentRevision: row.current_revision };
}

export async function insertRevision(
  em: EntityManager,
  reportId: number,
  revision: number,
  values: CellValues,
  warnings: Violation[],
  submitted: unknown,
  submittedAt: Date | null = null,
): Promise<Date> {
  const [row] = await em.execute<{ submitted_at: string }[]>(
    `insert into report_revision (report_id, revision, warnings, submitted, submitted_at, ${figureColumns.join(', ')})
     values (?, ?, ?::jsonb, ?::jsonb, coalesce(?::timestamptz, now()), ${figureColumns.map(() => '?').join(', ')}) returning submitted_at`,
    [reportId, revision, JSON.stringify(warnings), JSON.stringify(submitted ?? {}), submittedAt, ...cells.map((c) => values[c.path])],
  );
  await em.execute(`update report set current_revision = ?, updated_at = now() where id = ?`, [revision, reportId]);
  return new Date(row.submitted_at);
}

/** The revision in force of each report asked for; absent keys have no report. */
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
