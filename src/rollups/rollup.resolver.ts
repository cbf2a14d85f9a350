import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { completenessSummary } from '../completeness/completeness.service.js';
import { Completeness, ReportKind } from '../completeness/completeness.types.js';
import type { Context } from '../graphql/context.js';
import { checkPeriod, PeriodInput } from '../reports/period.js';
import { Basis } from '../reports/report-status.js';
import { Unit } from '../units/unit.entity.js';
import { rollupOfUnit, rollupPublished, rollupSources } from './rollup.service.js';
import { PublishedComparison, Rollup, RollupSources } from './rollup.types.js';

@Resolver(() => Rollup)
export class RollupResolver {
  @Query(() => Rollup, { description: 'The national tables summed over a unit and everything below it, for a month, a quarter or a year.' })
  async rollup(
    @Arg('unitCode') unitCode: string,
    @Arg('period', () => PeriodInput) periodInput: PeriodInput,
    @Arg('basis', () => Basis, { defaultValue: Basis.SUBMITTED, description: 'Latest submitted figures, or only approved ones.' }) basis: Basis,
    @Ctx() ctx: Context,
  ): Promise<Rollup> {
    return rollupOfUnit(ctx, unitCode, checkPeriod(periodInput), basis, ctx.rollupMode);
  }

  @FieldResolver(() => RollupSources, { description: 'Where the figures came from.' })
  sources(@Root() r: Rollup, @Ctx() { em }: Context): Promise<RollupSources> {
    return rollupSources(em, r);
  }

  @FieldResolver(() => PublishedComparison, { nullable: true, description: 'Null when the unit published no AGGREGATE report for the period.' })
  published(@Root() r: Rollup, @Ctx() { em }: Context): Promise<PublishedComparison | null> {
    return rollupPublished(em, r);
  }

  @FieldResolver(() => Unit)
  async unit(@Root() r: Rollup, @Ctx() { loaders }: Context): Promise<Unit> {
    return r.unitEntity?.() ?? (await loaders.units.byId.load(r.unitId))!;
  }

  @FieldResolver(() => Completeness, { description: 'Monthly reports of the subtree for the months of the period.' })
  completeness(@Root() r: Rollup, @Ctx() { em }: Context): Promise<Completeness> {
    return completenessSummary(em, r.unitId, r.period, ReportKind.MONTHLY);
  }
}
