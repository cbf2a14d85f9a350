import { Migration } from '@mikro-orm/migrations';

/**
 * The review workflow and the audit trail.
 * - A report has a status (DRAFT → SUBMITTED → APPROVED, or RETURNED and resubmitted) and points at three revisions:
 *   the latest of any kind (current), the latest submitted (the SUBMITTED basis of rollups) and the latest approved
 *   (the APPROVED basis). Drafts never count anywhere.
 * - Every change of figures or state is an event: who, when, from which state to which, and the cell changes.
 * - Idempotency keys make a retried submission return the first result instead of writing twice.
 */
export class Migration20261123000003Workflow extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create type report_status as enum ('DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED');

alter table report
  add column status report_status not null default 'SUBMITTED',
  add column submitted_revision int null,
  add column approved_revision int null,
  add column status_reason text null;
update report set submitted_revision = current_revision where current_revision > 0;

-- Bulk loads insert submitted reports without naming the workflow columns: they are submitted as they stand.
create function report_submitted_by_default() returns trigger language plpgsql as $$
begin
  if new.status = 'SUBMITTED' and new.submitted_revision is null and new.current_revision > 0 then
    new.submitted_revision := new.current_revision;
  end if;
  return new;
end $$;
create trigger report_submitted_by_default before insert on report for each row execute function report_submitted_by_default();

alter table report_revision
  add column draft boolean not null default false,
  add column author_unit varchar(40) null,
  add column author_role varchar(20) null;

create table report_event (
  id bigserial primary key,
  report_id int not null references report (id) on delete restrict,
  seq int not null,
  at timestamptz not null default now(),
  action varchar(20) not null,
  from_status report_status null,
  to_status report_status not null,
  revision int not null,
  actor_unit varchar(40) not null,
  actor_role varchar(20) not null,
  reason text null,
  changes jsonb not null default '[]',
  constraint report_event_unique unique (report_id, seq)
);
create trigger report_event_immutable before update or delete on report_event
  for each row execute function report_revision_immutable();
create trigger report_event_no_truncate before truncate on report_event
  for each statement execute function report_revision_immutable();

create table idempotency_key (
  actor varchar(80) not null,
  key varchar(200) not null,
  request_hash char(64) not null,
  report_id int not null references report (id) on delete restrict,
  revision int not null,
  created_at timestamptz not null default now(),
  primary key (actor, key)
);
`);
  }
}
