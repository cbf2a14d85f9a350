import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { checkPeriod } from '../reports/period.js';
import { RankingMetric } from '../rankings/metrics.js';
import { Basis } from '../reports/report-status.js';
import { Unit } from '../units/unit.entity.js';
import { requireUnit } from '../units/unit.service.js';
import { dashboard } from './dashboard.service.js';
import { ChildBreakdown, Dashboard } from './dashboard.types.js';

/** The arguments of `dashboard` and of `dashboardUpdates` (dashboard.subscription.ts). */
@ArgsType()
export class DashboardArgs {
  // In the order schema.graphql has always listed them (type-graphql listed a method's @Arg parameters last first).
  @Field(() => Basis, { defaultValue: Basis.SUBMITTED })
  basis!: Basis;

  @Field(() => Int, { defaultValue: 1, description: 'A rate with a smaller denominator is left out of top and bottom.' })
  minDenominator!: number;

  @Field(() => RankingMetric, { defaultValue: 'DISCLOSURE_RATE', description: 'Orders children, top and bottom.' })
  rankBy!: string;

  @Field(() => Int)
  year!: number;

  @Field()
  unitCode!: string;
}

/** The unit a dashboard is asked for, checked: the year (INVALID_PERIOD), the unit (NOT_FOUND), the viewer's right (FORBIDDEN). */
export async function dashboardUnit(ctx: Context, args: DashboardArgs): Promise<Unit> {
  checkPeriod({ year: args.year });
  const unit = await requireUnit(ctx.loaders.units, args.unitCode);
  await ctx.access.requireSubtree(unit);
  return unit;
}

/** The dashboard of a checked unit, with its children as they are now. */
export async function dashboardOfUnit(ctx: Context, unit: Unit, args: DashboardArgs): Promise<Dashboard> {
  const children = await ctx.loaders.units.children.load(unit.id);
  return dashboard(ctx.em, unit, children, args.year, { rankBy: args.rankBy, minDenominator: args.minDenominator, basis: args.basis, mode: ctx.rollupMode });
}

@Resolver(() => Dashboard)
export class DashboardResolver {
  @Query(() => Dashboard, { description: 'Headline figures and rates against the year before, the monthly trend, the children, completeness and warnings.' })
  async dashboard(@Args() args: DashboardArgs, @Ctx() ctx: Context): Promise<Dashboard> {
    return dashboardOfUnit(ctx, await dashboardUnit(ctx, args), args);
  }

  @FieldResolver(() => Unit)
  async unit(@Root() d: Dashboard, @Ctx() { loaders }: Context): Promise<Unit> {
    return (await loaders.units.byId.load(d.unitId))!;
  }
}

@Resolver(() => ChildBreakdown)
export class ChildBreakdownResolver {
  @FieldResolver(() => Unit)
  async unit(@Root() c: ChildBreakdown, @Ctx() { loaders }: Context): Promise<Unit> {
    return (await loaders.units.byId.load(c.unitId))!;
  }
}
