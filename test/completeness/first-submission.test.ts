/**
 * A report keeps when it was first submitted (`report.first_submitted_at`, migration 000011), which completeness counts
 * from: the write path sets it with the first revision that is not a draft and never moves it afterwards (drafts,
 * corrections, approval, reopening); the migration fills it for reports written before it, from their revisions.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Migration20261125000011FirstSubmission } from '../../migrations/Migration20261125000011FirstSubmission.js';
import { createUnits, smallTree } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';
import { figures, review, write, type Month } from '../workflow/workflow-helpers.js';
import { completeness, statuses, type CompletenessEntry } from './completeness-helpers.js';

let hub: TestHub;
let submitter: string;
let reviewer: string;
const UNIT = '441802001';
const MAR: Month = { year: 2025, month: 3 };
const APR: Month = { year: 2025, month: 4 };

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  submitter = await hub.tokenFor(UNIT, 'SUBMITTER');
  reviewer = await hub.tokenFor('441802', 'REVIEWER');
});
afterAll(() => hub.close());

/** The report's kept first submission, and the earliest of its revisions that are not drafts. */
async function firstSubmission(period: Month): Promise<{ kept: Date | null; earliest: Date | null }> {
  const [row] = await hub.db.sql<{ kept: Date | null; earliest: Date | null }>(
    `select r.first_submitted_at as kept, (select min(v.submitted_at) from report_revision v where v.report_id = r.id and not v.draft) as earliest
     from report r join unit u on u.id = r.unit_id where u.code = $1 and r.year = $2 and r.month = $3 and r.scope = 'SELF'`,
    [UNIT, period.year, period.month],
  );
  return row;
}

describe('the first submission of a report', () => {
  it('is none while the report has only drafts, then the time of its first submitted revision, whatever follows', async () => {
    dataOf(await write(hub, submitter, 'saveDraft', UNIT, MAR, figures(0)));
    expect(await firstSubmission(MAR)).toEqual({ kept: null, earliest: null });
    expect(statuses((await completeness(hub, '441802', MAR)).entries)[UNIT]).toBe('MISSING');

    dataOf(await write(hub, submitter, 'submitReport', UNIT, MAR, figures(1)));
    const first = await firstSubmission(MAR);
    expect(first.kept).toBeInstanceOf(Date);
    expect(first.kept).toEqual(first.earliest);
    const [revision2] = await hub.db.sql<{ submitted_at: Date }>(
      `select v.submitted_at from report_revision v join report r on r.id = v.report_id join unit u on u.id = r.unit_id
       where u.code = $1 and r.year = $2 and r.month = $3 and v.revision = 2`,
      [UNIT, MAR.year, MAR.month],
    );
    expect(first.kept).toEqual(revision2.submitted_at);

    // a correction, a return with a draft after it, an approval and a reopening: none of them moves it
    dataOf(await write(hub, submitter, 'submitReport', UNIT, MAR, figures(2)));
    dataOf(await review(hub, reviewer, 'returnReport', UNIT, MAR, { reason: 'the fees look wrong' }));
    dataOf(await write(hub, submitter, 'saveDraft', UNIT, MAR, figures(3)));
    dataOf(await write(hub, submitter, 'submitReport', UNIT, MAR, figures(4)));
    dataOf(await review(hub, reviewer, 'approveReport', UNIT, MAR, { revision: 5 }));
    dataOf(await review(hub, reviewer, 'reopenReport', UNIT, MAR, { reason: 'a figure to check' }));
    dataOf(await write(hub, submitter, 'submitReport', UNIT, MAR, figures(5)));
    expect(await firstSubmission(MAR)).toEqual(first);
    const [{ revisions }] = await hub.db.sql<{ revisions: number }>(
      `select count(*)::int as revisions from report_revision v join report r on r.id = v.report_id join unit u on u.id = r.unit_id
       where u.code = $1 and r.year = $2 and r.month = $3`,
      [UNIT, MAR.year, MAR.month],
    );
    expect(revisions).toBe(6);

    // submitted today, after the deadline of March (10 April 2025): late, and last submitted then
    const entry = (await completeness(hub, '441802', MAR)).entries.find((e: CompletenessEntry) => e.unit.code === UNIT)!;
    expect(entry).toMatchObject({ status: 'LATE', late: 1, missing: 0 });
    expect(new Date(entry.lastSubmittedAt!)).toEqual(first.kept);
  });

  it('is filled by the migration for reports written before it, and completeness answers the same', async () => {
    dataOf(await write(hub, submitter, 'submitReport', UNIT, APR, figures(0)));
    dataOf(await write(hub, submitter, 'submitReport', UNIT, APR, figures(1)));
    await write(hub, await hub.tokenFor('441803102', 'SUBMITTER'), 'saveDraft', '441803102', APR, figures(0));
    const before = await hub.db.sql(`select id, first_submitted_at from report order by id`);
    expect(before.filter((r) => r.first_submitted_at !== null)).toHaveLength(2);
    expect(before.filter((r) => r.first_submitted_at === null)).toHaveLength(1);
    const answers = [await completeness(hub, '441800', MAR), await completeness(hub, '441800', APR)];

    // the schema as it stood before migration 000011, then that migration's own statements
    await hub.db.sql(`alter table report drop column first_submitted_at;
      create index report_revision_submitted_index on report_revision (report_id, submitted_at) where not draft`);
    const migration = new Migration20261125000011FirstSubmission(hub.db.orm.em.getDriver(), hub.db.orm.config);
    await migration.up();
    for (const statement of migration.getQueries()) await hub.db.sql(statement as string);

    expect(await hub.db.sql(`select id, first_submitted_at from report order by id`)).toEqual(before);
    expect(await hub.db.sql(`select 1 from pg_indexes where indexname = 'report_revision_submitted_index'`)).toEqual([]);
    expect([await completeness(hub, '441800', MAR), await completeness(hub, '441800', APR)]).toEqual(answers);
  });
});
