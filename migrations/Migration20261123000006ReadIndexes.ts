import { Migration } from '@mikro-orm/migrations';

/**
 * Two small partial indexes on report revisions for the reads of dashboards and completeness, so that neither reads
 * the wide revision rows (166 figure columns) of every report of a subtree:
 * - each report's submissions (not drafts) with their time: a report's first submission, which decides whether it
 *   came in on time, is then an index-only lookup;
 * - the revisions that carry a warning (a small share): the warning counts of a subtree start from these.
 * Both are maintained by PostgreSQL with every write; nothing here is a copy of data that could go stale.
 */
export class Migration20261123000006ReadIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create index report_revision_submitted_index on report_revision (report_id, submitted_at) where not draft;
create index report_revision_warned_index on report_revision (report_id, revision) where warnings <> '[]'::jsonb;
analyze report_revision;
`);
  }
}
