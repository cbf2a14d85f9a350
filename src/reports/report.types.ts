import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { figuresFromList, type CellList, type Nested } from '../format/figures.js';
import { Figures, FiguresInput } from './figures.graphql.js';
import { Period } from './period.js';
import type { ReportState } from './report.repository.js';
import { ReportScope } from './report-scope.js';
import { ReportStatus } from './report-status.js';

@ObjectType({ description: 'A warning-severity check that failed: stored with the revision, never blocking.' })
export class ReportWarning {
  @Field({ description: 'X_CARRY_CONTINUITY or X_IN_FORCE_CONTINUITY (report-format.json).' })
  identity!: string;

  @Field()
  path!: string;

  @Field({ description: 'The cell as the printed form names it.' })
  label!: string;

  @Field(() => Float)
  expected!: number;

  @Field(() => Float)
  actual!: number;

  @Field()
  message!: string;
}

/** Fields shared by a report and each of its revisions; `figures` and `unit` are resolved from the stored values. */
@ObjectType({ description: 'Who wrote a revision or took a step: the unit and role of their token.' })
export class Actor {
  @Field(() => String, { nullable: true, description: 'A unit code, or * for a token valid for the whole hierarchy.' })
  unitCode!: string | null;

  @Field(() => String, { nullable: true })
  role!: string | null;
}

@ObjectType({ description: 'One accepted set of figures of a report (a draft or a submission).' })
export class ReportRevisionView {
  @Field(() => Int)
  revision!: number;

  @Field({ description: 'A saved draft, which counts nowhere.' })
  draft!: boolean;

  @Field(() => Actor)
  author!: Actor;

  @Field(() => DateTimeISOResolver)
  submittedAt!: Date;

  @Field(() => [ReportWarning])
  warnings!: ReportWarning[];

  @Field(() => Figures, { description: 'The figures with every total and group subtotal derived.' })
  get figures(): Nested {
    return figuresFromList(this.values);
  }

  /** Not in the schema: what the fields above and the unit resolver are computed from. */
  unitId!: number;
  /** The figures in catalogue order. */
  values!: CellList;
}

@ObjectType('Report', { description: 'A unit’s report for a month or a year, with the figures of its revision in force.' })
export class ReportView extends ReportRevisionView {
  @Field(() => ID)
  id!: number;

  @Field(() => Period)
  period!: Period;

  @Field(() => ReportScope)
  scope!: ReportScope;

  @Field(() => ReportStatus)
  get status(): ReportStatus {
    return this.state.status!;
  }

  @Field(() => Int, { nullable: true, description: 'The latest submitted revision (the SUBMITTED basis).' })
  get submittedRevision(): number | null {
    return this.state.submittedRevision;
  }

  @Field(() => Int, { nullable: true, description: 'The latest approved revision (the APPROVED basis).' })
  get approvedRevision(): number | null {
    return this.state.approvedRevision;
  }

  @Field(() => String, { nullable: true, description: 'Why it was returned or reopened.' })
  get statusReason(): string | null {
    return this.state.statusReason;
  }

  state!: ReportState;
}

@ObjectType({ description: 'A cell a revision changed.' })
export class CellChange {
  @Field()
  path!: string;

  @Field()
  label!: string;

  @Field()
  before!: string;

  @Field()
  after!: string;
}

@ObjectType({ description: 'One change of a report’s figures or state, in order: nothing is ever changed in place.' })
export class ReportEvent {
  @Field(() => Int)
  seq!: number;

  @Field(() => DateTimeISOResolver)
  at!: Date;

  @Field({ description: 'SAVE_DRAFT, SUBMIT, APPROVE, RETURN or REOPEN' })
  action!: string;

  @Field(() => ReportStatus, { nullable: true })
  fromStatus!: ReportStatus | null;

  @Field(() => ReportStatus)
  toStatus!: ReportStatus;

  @Field(() => Int, { description: 'The figures revision the step wrote or acted on.' })
  revision!: number;

  @Field(() => Actor)
  actor!: Actor;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => [CellChange], { description: 'Cell by cell, what the step changed in the figures (empty for approvals and returns).' })
  changes!: CellChange[];
}

@InputType({ description: 'Figures of one unit for one month, or for a whole year (an annual report).' })
export class SubmitReportInput {
  @Field()
  unitCode!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { nullable: true, description: '1-12 for a monthly report; absent for an annual report.' })
  month?: number | null;

  @Field(() => ReportScope, { nullable: true, defaultValue: ReportScope.SELF })
  scope?: ReportScope | null;

  @Field(() => FiguresInput)
  figures!: Record<string, unknown>;

  @Field(() => Int, { nullable: true, description: 'The revision this submission was based on; when another is current the answer is CONFLICT.' })
  baseRevision?: number | null;

  @Field(() => String, { nullable: true, description: 'A retried request with the same key returns the first result instead of writing twice.' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A reviewer’s step on the report of a unit directly under theirs.' })
export class ReviewReportInput {
  @Field()
  unitCode!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { nullable: true })
  month?: number | null;

  @Field(() => ReportScope, { nullable: true, defaultValue: ReportScope.SELF })
  scope?: ReportScope | null;

  @Field(() => Int, { nullable: true, description: 'For approval: the submitted revision reviewed; another one is a CONFLICT.' })
  revision?: number | null;

  @Field(() => String, { nullable: true, description: 'Required to return or reopen.' })
  reason?: string | null;
}

@ObjectType()
export class SubmitReportPayload {
  @Field(() => ReportView)
  report!: ReportView;

  @Field(() => Int, { nullable: true, description: 'The revision this submission replaced; null for a first submission.' })
  replacedRevision!: number | null;

  @Field(() => [ReportWarning])
  warnings!: ReportWarning[];
}
