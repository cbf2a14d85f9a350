/**
 * Completeness counts a report from its first submitted revision: drafts, before or after it, never count, and a unit
 * that only saved a draft is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUnits, smallTree } from '../support/fixtures.js';
import { startTestHub, type TestHub } from '../support/test-hub.js';
import { completeness, statuses, type CompletenessEntry } from './completeness-helpers.js';

let hub: TestHub;
const APRIL = { year: 2025, month: 4 }; // due by the end of 10 May 2025, China time

/** A report whose revisions came in at the given times, drafts marked, written as a bulk load would. */
async function insertRevisions(unitCode: string, revisions: { at: string; draft: boolean }[]): Promise<void> {
  const submitted = revisions.map((r, i) => (r.draft ? null : i + 1)).filter((n) => n !== null);
  await hub.db.sql(
    `with r as (
       insert into report (unit_id, year, month, scope, current_revision, status, submitted_revision, first_submitted_at)
       select id, $2, $3, 'SELF', $4, (case when $5::int is null then 'DRAFT' else 'SUBMITTED' end)::report_status, $5::int,
         (select min(t.at) from unnest($6::timestamptz[], $7::boolean[]) as t(at, draft) where not t.draft)
       from unit where code = $1 returning id
     )
     insert into report_revision (report_id, revision, submitted_at, draft)
     select r.id, t.n::int, t.at, t.draft from r cross join unnest($6::timestamptz[], $7::boolean[]) with ordinality as t(at, draft, n)`,
    [unitCode, APRIL.year, APRIL.month, revisions.length, submitted.at(-1) ?? null, revisions.map((r) => r.at), revisions.map((r) => r.draft)],
  );
}

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  // a draft on 5 May, submitted on 12 May: late, whatever the draft's date
  await insertRevisions('441802001', [{ at: '2025-05-05T09:00:00+08:00', draft: true }, { at: '2025-05-12T09:00:00+08:00', draft: false }]);
  // submitted on 8 May, then a draft of a correction on 20 May: still on time, and last submitted on the 8th
  await insertRevisions('441802100', [{ at: '2025-05-08T09:00:00+08:00', draft: false }, { at: '2025-05-20T09:00:00+08:00', draft: true }]);
  // only a draft: missing
  await insertRevisions('441803102', [{ at: '2025-05-01T09:00:00+08:00', draft: true }]);
});
afterAll(() => hub.close());

describe('drafts in completeness', () => {
  it('count a report from its first submission, never from a draft', async () => {
    const c = await completeness(hub, '441800', APRIL);
    const s = statuses(c.entries);
    expect([s['441802001'], s['441802100'], s['441803102']]).toEqual(['LATE', 'ON_TIME', 'MISSING']);
    const byCode = new Map(c.entries.map((e: CompletenessEntry) => [e.unit.code, e]));
    expect(new Date((byCode.get('441802001') as CompletenessEntry).lastSubmittedAt!).toISOString()).toBe('2025-05-12T01:00:00.000Z');
    expect(new Date((byCode.get('441802100') as CompletenessEntry).lastSubmittedAt!).toISOString()).toBe('2025-05-08T01:00:00.000Z');
    expect((byCode.get('441803102') as CompletenessEntry).lastSubmittedAt).toBeNull();
    expect(c).toMatchObject({ units: 8, expected: 8, onTime: 1, late: 1, missing: 6, notYetDue: 0 });
  });

  it('count the same in a quarter and in the dashboard of the year', async () => {
    expect(await completeness(hub, '441802', { year: 2025, quarter: 2 })).toMatchObject({ units: 4, expected: 12, onTime: 1, late: 1, missing: 10 });
    const { dashboard } = (await hub.gql(`{ dashboard(unitCode: "441800", year: 2025) { completeness { expected onTime late missing } } }`)).data!;
    expect(dashboard.completeness).toEqual({ expected: 96, onTime: 1, late: 1, missing: 94 });
  });
});
