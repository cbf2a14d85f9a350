/**
 * `dashboardUpdates`: the `dashboard` of a unit and year pushed to a dashboard frontend — at once, then again after
 * every committed write that can change it: a submission, approval, return or reopening anywhere in the unit's
 * subtree for the year or the year before (the headline figures compare the two), on any basis (completeness and
 * warnings follow every status). Over WebSocket (graphql-ws), see graphql/websocket.ts; the feed of changes is
 * rollups/rollup-changes.ts. At most one event a second (DASHBOARD_PUSH_INTERVAL_MS). Not pushed: a new unit or
 * deadline rule, which shows with the next event.
 */
import { Arg, Int, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { checkPeriod } from '../reports/period.js';
import { RankingMetric } from '../rankings/metrics.js';
import { Basis } from '../reports/report-status.js';
import { pushedOnChange } from '../rollups/pushed-updates.js';
import { rollupFeed } from '../rollups/rollup-changes.js';
import { requireUnit } from '../units/unit.service.js';
import { dashboard } from './dashboard.service.js';
import { Dashboard } from './dashboard.types.js';

/**
 * A dashboard is read afresh at most once a second per subscription: a city's dashboard costs ~100 ms of CPU (the
 * benchmark's dashboard p50 under load is ~260 ms), and while a city's units submit (hundreds a second at month end)
 * every subscriber would otherwise re-read it back to back. A rollup read is one coalesced statement; it is not held.
 */
export const DASHBOARD_PUSH_INTERVAL_MS = 1_000;

interface Args {
  unitCode: string;
  year: number;
  rankBy: string;
  minDenominator: number;
  basis: Basis;
}

@Resolver()
export class DashboardSubscriptionResolver {
  @Subscription(() => Dashboard, {
    description:
      'The `dashboard` of a unit and year, pushed at once and again after every committed submission, approval, return or reopening in its subtree for that year or the year before. Over WebSocket (graphql-ws protocol) at /graphql.',
    subscribe: ({ args, context }) => dashboardUpdates(context as Context, args as Args),
  })
  dashboardUpdates(
    @Root() update: Dashboard | Error,
    // The arguments are read by `subscribe`; declared here for the schema, with the `dashboard` query's defaults.
    @Arg('unitCode') _unitCode: string,
    @Arg('year', () => Int) _year: number,
    @Arg('rankBy', () => RankingMetric, { defaultValue: 'DISCLOSURE_RATE', description: 'Orders children, top and bottom.' }) _rankBy: string,
    @Arg('minDenominator', () => Int, { defaultValue: 1, description: 'A rate with a smaller denominator is left out of top and bottom.' }) _minDenominator: number,
    @Arg('basis', () => Basis, { defaultValue: Basis.SUBMITTED }) _basis: Basis,
  ): Dashboard {
    if (update instanceof Error) throw update;
    return update;
  }
}

/** Checked before it starts (NOT_FOUND, FORBIDDEN, BAD_USER_INPUT end it); the watch is in place before the first read. */
async function dashboardUpdates(ctx: Context, args: Args): Promise<AsyncIterableIterator<Dashboard | Error>> {
  checkPeriod({ year: args.year });
  const unit = await requireUnit(ctx.loaders.units, args.unitCode);
  await ctx.access.requireSubtree(unit);
  const watcher = rollupFeed(ctx.em).watch({ unitId: unit.id, basis: null, years: [args.year - 1, args.year], firstMonth: 1, lastMonth: 12, useAnnual: true });
  const options = { rankBy: args.rankBy, minDenominator: args.minDenominator, basis: args.basis, mode: ctx.rollupMode };
  return pushedOnChange(ctx, watcher, async () => dashboard(ctx.em, unit, await ctx.loaders.units.children.load(unit.id), args.year, options), DASHBOARD_PUSH_INTERVAL_MS);
}
