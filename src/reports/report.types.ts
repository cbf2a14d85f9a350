import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { buildFigures, type CellValues, type Nested } from '../format/figures.js';
import { Figures, FiguresInput } from './figures.graphql.js';
import { Period } from './period.js';
import { ReportScope } from './report-scope.js';

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
@ObjectType({ description: 'One accepted set of figures of a report.' })
export class ReportRevisionView {
  @Field(() => Int)
  revision!: number;

  @Field(() => DateTimeISOResolver)
  submittedAt!: Date;

  @Field(() => [ReportWarning])
  warnings!: ReportWarning[];

  @Field(() => Figures, { description: 'The figures with every total and group subtotal derived.' })
  get figures(): Nested {
    return buildFigures(this.values);
  }

  /** Not in the schema: what the fields above and the unit resolver are computed from. */
  unitId!: number;
  values!: CellValues;
}

@ObjectType('Report', { description: 'A unit’s report for a month or a year, with the figures of its revision in force.' })
export class ReportView extends ReportRevisionView {
  @Field(() => ID)
  id!: number;

  @Field(() => Period)
  period!: Period;

  @Field(() => ReportScope)
  scope!: ReportScope;
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
