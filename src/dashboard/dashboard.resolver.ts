import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { checkPeriod } from '../reports/period.js';
import { RankingMetric } from '../rankings/metrics.js';
import { Basis } from '../reports/report-status.js';
import { Unit } from '../units/unit.entity.js';
import { requireUnit } from '../units/unit.service.js';
import { dashboard } from './dashboard.service.js';
import { ChildBreakdown, Dashboard } from './dashboard.types.js';

@Resolver(() => Dashboard)
export class DashboardResolver {
  @Query(() => Dashboard, { description: 'Headline figures and rates against the year before, the monthly trend, the children, completeness and warnings.' })
  async dashboard(
    @Arg('unitCode') unitCode: string,
    @Arg('year', () => Int) year: number,
    @Arg('rankBy', () => RankingMetric, { defaultValue: 'DISCLOSURE_RATE', description: 'Orders children, top and bottom.' }) rankBy: string,
    @Arg('minDenominator', () => Int, { defaultValue: 1, description: 'A rate with a smaller denominator is left out of top and bottom.' }) minDenominator: number,
    @Arg('basis', () => Basis, { defaultValue: Basis.SUBMITTED }) basis: Basis,
    @Ctx() { em, loaders, access, rollupMode }: Context,
  ): Promise<Dashboard> {
    checkPeriod({ year });
    const unit = await requireUnit(loaders.units, unitCode);
    await access.requireSubtree(unit);
    const children = await loaders.units.children.load(unit.id);
    return dashboard(em, unit, children, year, { rankBy, minDenominator, basis, mode: rollupMode });
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
