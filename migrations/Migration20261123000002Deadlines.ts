import { Migration } from '@mikro-orm/migrations';

/**
 * Submission deadlines per region: a rule set on a unit applies to its whole subtree, the nearest rule winning.
 * Units without a rule above them use the defaults (monthly reports by the 10th of the next month, annual reports by
 * January 31 of the next year).
 */
export class Migration20261123000002Deadlines extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table deadline_rule (
  unit_id int primary key references unit (id) on delete cascade,
  monthly_day smallint not null check (monthly_day between 1 and 28),
  annual_month smallint not null check (annual_month between 1 and 12),
  annual_day smallint not null check (annual_day between 1 and 31),
  updated_at timestamptz not null default now()
);
`);
  }
}
