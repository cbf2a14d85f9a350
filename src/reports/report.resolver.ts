import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Unit } from '../units/unit.entity.js';
import { requireUnit } from '../units/unit.service.js';
import { checkReportPeriod, PeriodInput } from './period.js';
import { ReportScope } from './report-scope.js';
import { reportHistory } from './report-history.js';
import { toReportView, writeReport } from './report.service.js';
import { ReportEvent, ReportRevisionView, ReportView, ReviewReportInput, SubmitReportInput, SubmitReportPayload } from './report.types.js';
import { review } from './workflow.service.js';

@Resolver(() => ReportView)
export class ReportResolver {
  @Query(() => ReportView, { nullable: true, description: 'A unit’s monthly or annual report with its latest revision; null if none was written.' })
  async report(
    @Arg('unitCode') unitCode: string,
    @Arg('period', () => PeriodInput) periodInput: PeriodInput,
    @Arg('scope', () => ReportScope, { defaultValue: ReportScope.SELF }) scope: ReportScope,
    @Ctx() { loaders, access }: Context,
  ): Promise<ReportView | null> {
    const period = checkReportPeriod(periodInput);
    const unit = await requireUnit(loaders.units, unitCode);
    await access.requireSee(unit);
    const stored = await loaders.reports.current.load({ unitId: unit.id, year: period.year, month: period.month, scope });
    return stored ? toReportView(stored) : null;
  }

  @Mutation(() => SubmitReportPayload, { description: 'Submits a monthly or annual report for review; a re-submission becomes a new revision.' })
  async submitReport(@Arg('input', () => SubmitReportInput) input: SubmitReportInput, @Ctx() { em, loaders, access }: Context): Promise<SubmitReportPayload> {
    const { report, replacedRevision } = await writeReport(em, loaders, access, input, { draft: false, baseRevision: input.baseRevision, idempotencyKey: input.idempotencyKey });
    return { report, replacedRevision, warnings: report.warnings };
  }

  @Mutation(() => SubmitReportPayload, { description: 'Saves figures as a draft: checked like a submission, counted nowhere until submitted.' })
  async saveDraft(@Arg('input', () => SubmitReportInput) input: SubmitReportInput, @Ctx() { em, loaders, access }: Context): Promise<SubmitReportPayload> {
    const { report, replacedRevision } = await writeReport(em, loaders, access, input, { draft: true, baseRevision: input.baseRevision, idempotencyKey: input.idempotencyKey });
    return { report, replacedRevision, warnings: report.warnings };
  }

  @Mutation(() => ReportView, { description: 'Approves a submitted report of a unit directly under the reviewer’s; it is then locked.' })
  approveReport(@Arg('input', () => ReviewReportInput) input: ReviewReportInput, @Ctx() { em, loaders, access }: Context): Promise<ReportView> {
    return review(em, loaders, access, 'APPROVE', input);
  }

  @Mutation(() => ReportView, { description: 'Returns a submitted report for correction, with a reason.' })
  returnReport(@Arg('input', () => ReviewReportInput) input: ReviewReportInput, @Ctx() { em, loaders, access }: Context): Promise<ReportView> {
    return review(em, loaders, access, 'RETURN', input);
  }

  @Mutation(() => ReportView, { description: 'Reopens an approved report for correction, with a reason.' })
  reopenReport(@Arg('input', () => ReviewReportInput) input: ReviewReportInput, @Ctx() { em, loaders, access }: Context): Promise<ReportView> {
    return review(em, loaders, access, 'REOPEN', input);
  }

  @FieldResolver(() => Unit)
  async unit(@Root() report: ReportView, @Ctx() { loaders }: Context): Promise<Unit> {
    return (await loaders.units.byId.load(report.unitId))!;
  }

  @FieldResolver(() => [ReportRevisionView], { description: 'Every revision of the figures, oldest first.' })
  async revisions(@Root() report: ReportView, @Ctx() { loaders }: Context): Promise<ReportRevisionView[]> {
    const revisions = await loaders.reports.revisions.load(report.id);
    return revisions.map(toReportView);
  }

  @FieldResolver(() => [ReportEvent], { description: 'Every change of figures or state: who, when, from which state, and what changed.' })
  async history(@Root() report: ReportView, @Ctx() { loaders }: Context): Promise<ReportEvent[]> {
    return (await reportHistory(loaders, report.id)).map((e) => Object.assign(new ReportEvent(), e));
  }
}
