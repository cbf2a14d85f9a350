/** Writing, reviewing and reading back reports with real tokens, for the workflow and revision tests. */
import { expect } from '@jest/globals';
import { sampleFigures } from '../support/fixtures.js';
import { dataOf, type GraphQLResponse, type TestHub } from '../support/test-hub.js';

export interface Month {
  year: number;
  month: number;
}

/** Balanced figures whose 一、本年新收 total is 12 + k (k more natural-person applications, all carried forward). */
export function figures(k = 0): Record<string, any> {
  const f = sampleFigures();
  f.applications.newReceived.naturalPerson = 10 + k;
  f.applications.carriedForward.naturalPerson = 2 + k;
  return f;
}

const WRITE = (mutation: string) => `mutation($input: SubmitReportInput!) {
  ${mutation}(input: $input) { replacedRevision report { revision draft status submittedRevision approvedRevision } }
}`;

/** submitReport or saveDraft of a unit's figures for a month, with optional baseRevision and idempotencyKey. */
export function write(
  hub: TestHub,
  token: string,
  mutation: 'submitReport' | 'saveDraft',
  unitCode: string,
  period: Month,
  figs: Record<string, any>,
  extra: { baseRevision?: number; idempotencyKey?: string } = {},
): Promise<GraphQLResponse> {
  return hub.gql(WRITE(mutation), { input: { unitCode, ...period, figures: figs, ...extra } }, token);
}

/** approveReport, returnReport or reopenReport. */
export function review(
  hub: TestHub,
  token: string,
  mutation: 'approveReport' | 'returnReport' | 'reopenReport',
  unitCode: string,
  period: Month,
  extra: { revision?: number; reason?: string } = {},
): Promise<GraphQLResponse> {
  return hub.gql(`mutation($input: ReviewReportInput!) { ${mutation}(input: $input) { status revision statusReason approvedRevision } }`, { input: { unitCode, ...period, ...extra } }, token);
}

/** The report's workflow state as the API answers it (with the hub's default ADMIN token). */
export async function stateOf(hub: TestHub, unitCode: string, period: Month): Promise<any> {
  const q = `query($u: String!, $p: PeriodInput!) { report(unitCode: $u, period: $p) {
    status revision draft submittedRevision approvedRevision statusReason figures { applications { newReceived { total } } } } }`;
  return dataOf(await hub.gql(q, { u: unitCode, p: period })).report;
}

/** 一、本年新收 total of a unit's rollup for a month on a basis, with the basis the answer names. */
export async function rollupOf(hub: TestHub, unitCode: string, period: Month, basis?: 'SUBMITTED' | 'APPROVED'): Promise<{ basis: string; total: number }> {
  const q = `query($u: String!, $p: PeriodInput!, $b: Basis!) { rollup(unitCode: $u, period: $p, basis: $b) { basis figures { applications { newReceived { total } } } } }`;
  const qDefault = `query($u: String!, $p: PeriodInput!) { rollup(unitCode: $u, period: $p) { basis figures { applications { newReceived { total } } } } }`;
  const { rollup } = dataOf(await hub.gql(basis ? q : qDefault, { u: unitCode, p: period, ...(basis ? { b: basis } : {}) }));
  return { basis: rollup.basis, total: rollup.figures.applications.newReceived.total };
}

/** How many revisions and events the database holds for a unit's report of a month. */
export async function storedCounts(hub: TestHub, unitCode: string, period: Month): Promise<{ revisions: number; events: number }> {
  const [row] = await hub.db.sql<{ revisions: string; events: string }>(
    `select (select count(*) from report_revision v where v.report_id = r.id) as revisions, (select count(*) from report_event e where e.report_id = r.id) as events
     from report r join unit u on u.id = r.unit_id where u.code = $1 and r.year = $2 and r.month = $3 and r.scope = 'SELF'`,
    [unitCode, period.year, period.month],
  );
  return row ? { revisions: Number(row.revisions), events: Number(row.events) } : { revisions: 0, events: 0 };
}

/** The code of the one error of a rejected operation. */
export function codeOf(res: GraphQLResponse): string {
  expect(res.errors).toHaveLength(1);
  return res.errors![0].extensions.code;
}
