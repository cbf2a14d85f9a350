import { Migration } from '@mikro-orm/migrations';

/**
 * No planner statistics for the figure columns of report_revision and rollup (`statistics 0`): ANALYZE skips them.
 *
 * Why: no query selects or joins by a figure (they are summed and returned, and a ranking filters on sums the planner
 * cannot estimate from single columns anyway), but ANALYZE sampled and sorted 30,000 values of each of their ~170
 * columns. Under steady submissions both tables are analysed about once a minute (10 % of the rollup rows change in
 * seconds), and on a 2-core machine each such ANALYZE took a core for ~3 s: a probe of 60 s of 32 submitters showed
 * throughput falling from ~1,150/s to ~650/s for 3 s while autovacuum ran VACUUM ANALYZE on them. The key columns
 * (unit, year, month, period, basis, scope, revision) keep their statistics. Found by the columns' names (the
 * catalogue's `p_`, `a_` and `r_` prefixes with a `__` between row and column), so this does not depend on the
 * catalogue of the day.
 */
export class Migration20261125000009FigureStatistics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
do $$
declare
  t text;
  cols text;
begin
  foreach t in array array['report_revision', 'rollup'] loop
    select string_agg(format('alter column %I set statistics 0', a.attname), ', ' order by a.attnum) into cols
    from pg_attribute a
    where a.attrelid = t::regclass and a.attnum > 0 and not a.attisdropped and a.attname ~ '^[par]_.+__.+';
    if cols is not null then
      execute format('alter table %I %s', t, cols);
    end if;
  end loop;
end $$;
`);
  }
}
