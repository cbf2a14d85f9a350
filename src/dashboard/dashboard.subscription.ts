/**
 * `dashboardUpdates`: the `dashboard` of a unit and year pushed to a dashboard frontend — at once, then again after
 * every committed write that can change it: a submission, approval, return or reopening anywhere in the unit's
 * subtree for the year or the year before (the headline figures compare the two), on any basis (completeness and
 * warnings follow every status); a unit added below it; a deadline rule set at, above or below it. Over WebSocket
 * (graphql-ws), see graphql/websocket.ts; the feed of changes is rollups/rollup-changes.ts. At most one event a
 * second (DASHBOARD_PUSH_INTERVAL_MS).
 */
import { Args, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { eventOf, pushedOnChange } from '../rollups/pushed-updates.js';
import { rollupFeed } from '../rollups/rollup-changes.js';
import { DashboardArgs, dashboardOfUnit, dashboardUnit } from './dashboard.resolver.js';
import { Dashboard } from './dashboard.types.js';

/**
 * A dashboard is read afresh at most once a second per subscription: a city's dashboard costs ~100 ms of CPU (the
 * benchmark's dashboard p50 under load is ~260 ms), and while a city's units submit (hundreds a second at month end)
 * every subscriber would otherwise re-read it back to back. A rollup read is one coalesced statement; it is not held.
 */
export const DASHBOARD_PUSH_INTERVAL_MS = 1_000;

@Resolver()
export class DashboardSubscriptionResolver {
  @Subscription(() => Dashboard, {
    description:
      'The `dashboard` of a unit and year, pushed at once and again after every committed submission, approval, return or reopening in its subtree for that year or the year before, a unit added below it, or a deadline rule set at, above or below it. Over WebSocket (graphql-ws protocol) at /graphql.',
    subscribe: ({ args, context }) => dashboardUpdates(context as Context, args as DashboardArgs),
  })
  // The arguments are read by `subscribe`; declared here for the schema, the `dashboard` query's own.
  dashboardUpdates(@Root() update: Dashboard | Error, @Args() _args: DashboardArgs): Dashboard {
    return eventOf(update);
  }
}

/** Checked before it starts (NOT_FOUND, FORBIDDEN, INVALID_PERIOD end it); the watch is in place before the first read. */
async function dashboardUpdates(ctx: Context, args: DashboardArgs): Promise<AsyncIterableIterator<Dashboard | Error>> {
  const unit = await dashboardUnit(ctx, args);
  const watcher = rollupFeed(ctx.em).watch({ unitId: unit.id, basis: null, years: [args.year - 1, args.year], firstMonth: 1, lastMonth: 12, useAnnual: true });
  return pushedOnChange(ctx, watcher, () => dashboardOfUnit(ctx, unit, args), DASHBOARD_PUSH_INTERVAL_MS);
}
