import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Unit } from '../units/unit.entity.js';
import { requireUnit } from '../units/unit.service.js';
import { checkReportPeriod, PeriodInput } from './period.js';
import { ReportScope } from './report-scope.js';
import { submitReport, toReportView } from './report.service.js';
import { ReportRevisionView, ReportView, SubmitReportInput, SubmitReportPayload } from './report.types.js';

@Resolver(() => ReportView)
export class ReportResolver {
  @Query(() => ReportView, { nullable: true, description: 'A unit’s monthly or annual report as now in force; null if none was submitted.' })
  async report(
    @Arg('unitCode') unitCode: string,
    @Arg('period', () => PeriodInput) periodInput: PeriodInput,
    @Arg('scope', () => ReportScope, { defaultValue: ReportScope.SELF }) scope: ReportScope,
    @Ctx() { loaders }: Context,
  ): Promise<ReportView | null> {
    const period = checkReportPeriod(periodInput);
    const unit = await requireUnit(loaders.units, unitCode);
    const stored = await loaders.reports.current.load({ unitId: unit.id, year: period.year, month: period.month, scope });
    return stored ? toReportView(stored) : null;
  }

  @Mutation(() => SubmitReportPayload, { description: 'Submits a monthly or annual report; a re-submission becomes a new revision.' })
  async submitReport(@Arg('input', () => SubmitReportInput) input: SubmitReportInput, @Ctx() { em, loaders }: Context): Promise<SubmitReportPayload> {
    const { report, replacedRevision } = await submitReport(em, loaders, input);
    return { report, replacedRevision, warnings: report.warnings };
  }

  @FieldResolver(() => Unit)
  async unit(@Root() report: ReportView, @Ctx() { loaders }: Context): Promise<Unit> {
    return (await loaders.units.byId.load(report.unitId))!;
  }

  @FieldResolver(() => [ReportRevisionView], { description: 'Every accepted revision, oldest first.' })
  async revisions(@Root() report: ReportView, @Ctx() { loaders }: Context): Promise<ReportRevisionView[]> {
    const revisions = await loaders.reports.revisions.load(report.id);
    return revisions.map(toReportView);
  }
}
