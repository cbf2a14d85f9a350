import { Migration } from '@mikro-orm/migrations';

/**
 * `bigint_total(bigint)`: the sum of bigints as a bigint, for the rollup rebuild's subtree sums (rollups/rebuild.ts).
 *
 * Why: PostgreSQL's `sum(bigint)` adds in 128 bits and returns numeric, which the rebuild then converts back into the
 * bigint column, for 165 columns of every row it adds to a parent. Adding with `int8pl` itself (the `+` of bigints)
 * took the rebuild's subtree sums from 1.44–1.61 s to 1.27–1.29 s at province scale (three runs each, interleaved).
 * An overflow is the same error either way ("bigint out of range"): there, when the result is stored into the
 * column; here, when it happens. Like `sum()`, it skips nulls and is null over no rows.
 */
export class Migration20261125000012BigintTotal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create aggregate bigint_total(bigint) (sfunc = int8pl, stype = bigint, combinefunc = int8pl, parallel = safe);
comment on aggregate bigint_total(bigint) is 'The sum of bigints as a bigint (sum() returns numeric); used by the rollup rebuild.';
`);
  }
}
