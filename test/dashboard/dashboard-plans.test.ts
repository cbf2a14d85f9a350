/**
 * The dashboard's warning counts are read subtree first whatever the planner's statistics say. Statistics taken
 * before any warning existed (a fresh import, the benchmark's data) once made PostgreSQL start from every warned
 * revision and, for each, loop over every report of the subtree: 14 s for a city. The plan's outermost scan must be
 * the subtree (unit_closure), then each unit's reports, then each report's revision in force.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { warningCountsSql } from '../../src/dashboard/dashboard.sql.js';
import { Basis } from '../../src/reports/report-status.js';
import { insertMonthlyReports, insertTree } from '../rankings/bulk.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.close());

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] }

/** The tables a plan scans, depth first, outer (first) child before inner: the order in which joins drive them. */
function scans(node: PlanNode): string[] {
  return [...(node['Relation Name'] ? [node['Relation Name']] : []), ...(node.Plans ?? []).flatMap(scans)];
}

describe('the warning counts of a dashboard', () => {
  it('are planned subtree first even when the statistics predate every warning', async () => {
    expect(await insertTree(hub, '4201', 6, 30)).toBe(187);
    for (const month of [1, 2, 3, 4, 5, 6]) await insertMonthlyReports(hub, '420100', 2025, month);
    await hub.db.sql('analyze'); // no revision carries a warning yet
    // Then every report of the year is corrected with a warning (as the app would write them: revision 2 in force).
    await hub.db.sql(`insert into report_revision (report_id, revision, submitted_at, warnings, submitted)
      select id, 2, now(), '[{"identity": "X_CARRY_CONTINUITY"}]'::jsonb, '{}'::jsonb from report`);
    await hub.db.sql(`update report set current_revision = 2, submitted_revision = 2`);

    const [city] = await hub.db.sql<{ id: number }>(`select id from unit where code = '420100'`);
    let n = 0;
    const text = warningCountsSql(Basis.SUBMITTED).replace(/\?/g, () => `$${++n}`);
    const [{ 'QUERY PLAN': plan }] = await hub.db.sql<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`explain (format json) ${text}`, [2025, city.id]);
    expect(scans(plan[0].Plan)).toEqual(['unit_closure', 'report', 'report_revision']);

    const [totals] = (await hub.db.sql<{ identity: string | null; count: number; reports: number }>(text, [2025, city.id])).filter((r) => r.identity === null);
    expect(totals).toEqual({ identity: null, count: 187 * 6, reports: 187 * 6 });
  });
});
