import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { checkPeriod, PeriodInput } from '../reports/period.js';
import { Unit } from '../units/unit.entity.js';
import { requireUnit } from '../units/unit.service.js';
import { completenessEntries, completenessSummary, effectiveDeadlines, setDeadlines } from './completeness.service.js';
import { Completeness, CompletenessStatus, Deadlines, ReportKind, SetDeadlinesInput, UnitCompleteness } from './completeness.types.js';

@Resolver(() => Completeness)
export class CompletenessResolver {
  @Query(() => Completeness, { description: 'Who under a unit has reported for a period, on time or late, and who is missing.' })
  async completeness(
    @Arg('unitCode') unitCode: string,
    @Arg('period', () => PeriodInput) periodInput: PeriodInput,
    @Arg('reportKind', () => ReportKind, { defaultValue: ReportKind.MONTHLY }) reportKind: ReportKind,
    @Ctx() { em, loaders, access }: Context,
  ): Promise<Completeness> {
    const period = checkPeriod(periodInput);
    const unit = await requireUnit(loaders.units, unitCode);
    await access.requireSubtree(unit);
    return completenessSummary(em, unit.id, period, reportKind);
  }

  @FieldResolver(() => [UnitCompleteness], { description: 'Each unit of the subtree, missing and late first; only the given statuses when set.' })
  async entries(
    @Root() completeness: Completeness,
    @Ctx() { em }: Context,
    @Arg('status', () => [CompletenessStatus], { nullable: true }) status?: CompletenessStatus[] | null,
  ): Promise<UnitCompleteness[]> {
    const entries = await completenessEntries(em, completeness);
    return status?.length ? entries.filter((e) => status.includes(e.status)) : entries;
  }

  @Query(() => Deadlines, { description: 'The submission deadlines in force for a unit.' })
  async deadlines(@Arg('unitCode') unitCode: string, @Ctx() { em, loaders, access }: Context): Promise<Deadlines> {
    const unit = await requireUnit(loaders.units, unitCode);
    await access.requireSee(unit);
    return effectiveDeadlines(em, unit.id);
  }

  @Mutation(() => Deadlines, { description: 'Sets the deadlines for a region: the unit and everything below it without a nearer rule.' })
  async setDeadlines(@Arg('input', () => SetDeadlinesInput) input: SetDeadlinesInput, @Ctx() { em, loaders, access }: Context): Promise<Deadlines> {
    const unit = await requireUnit(loaders.units, input.unitCode);
    await access.requireAdmin(unit);
    return setDeadlines(em, unit, input);
  }
}

@Resolver(() => UnitCompleteness)
export class UnitCompletenessResolver {
  @FieldResolver(() => Unit)
  async unit(@Root() entry: UnitCompleteness, @Ctx() { loaders }: Context): Promise<Unit> {
    return (await loaders.units.byId.load(entry.unitId))!;
  }
}
