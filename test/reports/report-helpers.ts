/** Small helpers shared by the report tests: submitting, reading back and checking what was (not) stored. */
import { expect } from '@jest/globals';
import { REPORT, SUBMIT } from '../support/fixtures.js';
import { dataOf, type GraphQLResponse, type TestHub } from '../support/test-hub.js';

export interface Period {
  year: number;
  month?: number | null;
  quarter?: number | null;
}

export type Scope = 'SELF' | 'AGGREGATE';

export function submit(hub: TestHub, unitCode: string, period: Period, figures: unknown, scope?: Scope): Promise<GraphQLResponse> {
  return hub.gql(SUBMIT, { input: { unitCode, year: period.year, month: period.month ?? null, figures, ...(scope ? { scope } : {}) } });
}

/** Submits figures that must be accepted; returns `submitReport` of the answer. */
export async function accepted(hub: TestHub, unitCode: string, period: Period, figures: unknown, scope?: Scope): Promise<any> {
  return dataOf(await submit(hub, unitCode, period, figures, scope)).submitReport;
}

/** The `report` query with the fixture's selection; null when nothing was submitted. */
export async function readReport(hub: TestHub, unitCode: string, period: Period, scope?: Scope): Promise<any> {
  return dataOf(await hub.gql(REPORT, { unitCode, period, ...(scope ? { scope } : {}) })).report;
}

/** The stored rows of report_revision for one unit and period, oldest first. */
export function storedRevisions(hub: TestHub, unitCode: string, period: Period, scope: Scope = 'SELF'): Promise<Record<string, any>[]> {
  return hub.db.sql(
    `select v.* from report_revision v join report r on r.id = v.report_id join unit u on u.id = r.unit_id
     where u.code = $1 and r.year = $2 and r.month is not distinct from $3 and r.scope = $4::report_scope order by v.revision`,
    [unitCode, period.year, period.month ?? null, scope],
  );
}

/** Asserts that a rejected submission left no trace: no revision, no report row, and `report` answers null. */
export async function expectNothingSaved(hub: TestHub, unitCode: string, period: Period): Promise<void> {
  expect(await storedRevisions(hub, unitCode, period)).toHaveLength(0);
  const reports = await hub.db.sql(
    `select r.id from report r join unit u on u.id = r.unit_id where u.code = $1 and r.year = $2 and r.month is not distinct from $3`,
    [unitCode, period.year, period.month ?? null],
  );
  expect(reports).toHaveLength(0);
  expect(await readReport(hub, unitCode, period)).toBeNull();
}

export interface ViolationOut {
  identity: string;
  path: string;
  label: string;
  expected: number | string;
  actual: number | string;
  message: string;
}

/** The violations of an answer that must be a VALIDATION_FAILED rejection (and nothing else). */
export function violationsOf(res: GraphQLResponse): ViolationOut[] {
  expect(res.data?.submitReport ?? null).toBeNull();
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0].extensions.code).toBe('VALIDATION_FAILED');
  return res.errors![0].extensions.violations as ViolationOut[];
}

/** The one error of a rejected operation. */
export function errorOf(res: GraphQLResponse): { message: string; extensions: Record<string, any> } {
  expect(res.errors).toHaveLength(1);
  return res.errors![0];
}
