import { Migration } from '@mikro-orm/migrations';

/**
 * The non-negativity of a revision's 165 count columns as one domain, `figure_count` (integer ≥ 0), instead of 165
 * CHECK constraints.
 *
 * Why: PostgreSQL prepares a table's CHECK constraints afresh for every statement that inserts into it — it reads
 * each one's stored expression back from text and plans it — and a submission inserts one revision per statement.
 * Under the benchmark's 32 submitters that was 11 % of PostgreSQL's time (a profile with call graphs: ExecConstraints,
 * most of it stringToNode). A domain's check is kept by its type and only set up per statement: inserting a
 * 166-column row measured 0.195 ms with the checks, 0.063 ms with the domain, 0.036 ms with no check at all.
 *
 * The same rule holds (the services refuse a negative count first, with NON_NEGATIVE naming the cell; this is the
 * database's own guarantee behind them). The columns are found by their constraints, `CHECK ((col >= 0))` on an
 * integer column of report_revision, so this does not depend on the catalogue of the day. The domain has no check
 * while the columns change type (no table rewrite), and gets it afterwards, which validates the stored rows once.
 * A view a deployment made over these columns would have to be dropped first (the benchmark drops its own).
 */
export class Migration20261124000007FigureCountDomain extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create domain figure_count as integer;

do $$
declare
  c record;
  changes text[] := '{}';
begin
  for c in
    select con.conname, a.attname
    from pg_constraint con
    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
    where con.conrelid = 'report_revision'::regclass and con.contype = 'c' and cardinality(con.conkey) = 1
      and a.atttypid = 'integer'::regtype and pg_get_constraintdef(con.oid) = format('CHECK ((%I >= 0))', a.attname)
  loop
    changes := changes || format('drop constraint %I', c.conname) || format('alter column %I type figure_count', c.attname);
  end loop;
  if cardinality(changes) > 0 then
    execute 'alter table report_revision ' || array_to_string(changes, ', ');
  end if;
end $$;

alter domain figure_count add constraint figure_count_not_negative check (value >= 0);
`);
  }
}
