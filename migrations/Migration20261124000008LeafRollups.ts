import { Migration } from '@mikro-orm/migrations';

/**
 * Units without children keep no rows in `rollup`: a unit with no unit below it is its own whole subtree, and its
 * rollup for a period is its own contribution, computed when read from its at most 13 reports of the year
 * (src/rollups/preaggregate.ts, `ownRollupSql`). They were 98 % of the table (7,736 of 7,880 units at province scale)
 * and half of every submission's rollup work. Their rows go; the rows of every unit with children stay as they are
 * (they hold the same sums either way). A unit that gets its first child stores its own rows from then on
 * (src/units/unit.service.ts).
 */
export class Migration20261124000008LeafRollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`delete from rollup r where not exists (select 1 from unit child where child.parent_id = r.unit_id)`);
  }
}
