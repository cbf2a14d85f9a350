import { Migration } from '@mikro-orm/migrations';

/**
 * Each report keeps when it was first submitted (`report.first_submitted_at`: the earliest of its revisions that is not
 * a draft, null while it has none), which is what completeness asks of every report of a subtree: on time or late.
 *
 * Why: that first submission was an index-only lookup per report into report_revision_submitted_index, 88 % of the
 * buffer reads of a city's completeness (8,292 lookups). Read from the report row the statement reads anyway, a
 * city's completeness (699 units, 2025) took 24.9 → 14.6 ms and the province's (7,880 units) 294 → 185 ms on the
 * benchmark's data (medians of 15, the same figures). The index served nothing else and is dropped: one index entry
 * less for every revision written.
 *
 * The write path sets the column in the statement that writes the revision (reports/report.repository.ts); a bulk
 * load that writes report rows itself must write it too (seeds/generate/load-reports.ts does).
 */
export class Migration20261125000011FirstSubmission extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table report add column first_submitted_at timestamptz null;
update report r set first_submitted_at = f.first
  from (select report_id, min(submitted_at) as first from report_revision where not draft group by report_id) f
  where f.report_id = r.id;
comment on column report.first_submitted_at is 'When the report was first submitted: the earliest submitted_at of its revisions that are not drafts (null: none yet). Completeness counts a report as on time or late from it.';
drop index report_revision_submitted_index;
analyze report;
`);
  }
}
