/**
 * `rollupUpdates`: a rollup pushed to a dashboard — at once, then again after every committed write that changes it
 * (a submission or an approval anywhere in the unit's subtree, for a month of the period; a unit added below it),
 * from any hub process on the database (rollup-changes.ts). Over WebSocket (graphql-ws), see graphql/websocket.ts.
 */
import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { checkPeriod, PeriodInput, type Period } from '../reports/period.js';
import { Basis } from '../reports/report-status.js';
import { requireUnit } from '../units/unit.service.js';
import { monthsOf } from './aggregate.sql.js';
import { eventOf, pushedOnChange } from './pushed-updates.js';
import { rollupFeed } from './rollup-changes.js';
import { rollupOfUnit } from './rollup.service.js';
import { Rollup } from './rollup.types.js';

interface Args {
  unitCode: string;
  period: PeriodInput;
  basis: Basis;
}

@Resolver()
export class RollupSubscriptionResolver {
  @Subscription(() => Rollup, {
    description:
      'The `rollup` of a unit, pushed at once and again after every committed write that changes it (a submission or approval in its subtree, for a month of the period, or a unit added below it). Over WebSocket (graphql-ws protocol) at /graphql.',
    subscribe: ({ args, context }) => rollupUpdates(context as Context, args as Args),
  })
  rollupUpdates(
    @Root() update: Rollup | Error,
    // The arguments are read by `subscribe`; declared here for the schema.
    @Arg('unitCode') _unitCode: string,
    @Arg('period', () => PeriodInput) _period: PeriodInput,
    @Arg('basis', () => Basis, { defaultValue: Basis.SUBMITTED, description: 'Latest submitted figures, or only approved ones.' }) _basis: Basis,
  ): Rollup {
    // A read that failed (the database, say) is that event's error; the subscription goes on.
    return eventOf(update);
  }
}

/**
 * The unit and the viewer's right to it are checked before the subscription starts (NOT_FOUND, FORBIDDEN end it with
 * an error). The watch is in place before the first read, so no change between the two is missed.
 */
async function rollupUpdates(ctx: Context, args: Args): Promise<AsyncIterableIterator<Rollup | Error>> {
  const period: Period = checkPeriod(args.period);
  const unit = await requireUnit(ctx.loaders.units, args.unitCode);
  await ctx.access.requireSubtree(unit);
  const watcher = rollupFeed(ctx.em).watch({ unitId: unit.id, basis: args.basis, years: [period.year], ...monthsOf(period) });
  return pushedOnChange(ctx, watcher, () => rollupOfUnit(ctx, unit.code, period, args.basis, ctx.rollupMode));
}
