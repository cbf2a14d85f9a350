import { Migration } from '@mikro-orm/migrations';

/**
 * A step that writes a revision (SUBMIT, SAVE_DRAFT) no longer stores a copy of its cell changes: they are that
 * revision against the one before, both kept for ever (revisions are never updated or deleted), and the history
 * derives them when it is read (reports/report-history.ts). Its `changes` is NULL; events written before keep theirs.
 *
 * Why: a re-submission typically changes most of its ~170 cells, and the copy — path, Chinese label, before and
 * after of each — was ~18 KB of JSON per submission, which the hub built and quoted and PostgreSQL parsed into
 * jsonb, compressed and wrote out of line (TOAST) with its WAL. Side by side with 32 submitters into one city,
 * leaving it out took 961 → 1,032 submissions/s.
 */
export class Migration20261125000008DerivedEventChanges extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table report_event alter column changes drop not null;
comment on column report_event.changes is 'The cells the step changed, [{path, label, before, after}]; NULL for a step that wrote a revision since 2026-11-25: its changes are that revision against the one before, derived when read.';
`);
  }
}
