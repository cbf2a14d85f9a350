import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Period } from '../reports/period.js';

export enum ReportKind {
  MONTHLY = 'MONTHLY',
  ANNUAL = 'ANNUAL',
}
registerEnumType(ReportKind, { name: 'ReportKind', description: 'Monthly reports, or the annual report (年度报告).' });

export enum CompletenessStatus {
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
  MISSING = 'MISSING',
  NOT_DUE = 'NOT_DUE',
}
registerEnumType(CompletenessStatus, {
  name: 'CompletenessStatus',
  valuesConfig: {
    ON_TIME: { description: '按时报送: every expected report came in by its deadline' },
    LATE: { description: '逾期报送: every report due came in, at least one after its deadline' },
    MISSING: { description: '未报送: at least one report past its deadline has not come in' },
    NOT_DUE: { description: '未到期: nothing is missing yet, some reports are not yet due' },
  },
});

@ObjectType({ description: 'Counts of expected reports by how they came in.' })
export class CompletenessCounts {
  @Field(() => Int, { description: 'Reports expected (units × months for MONTHLY).' })
  expected!: number;

  @Field(() => Int)
  onTime!: number;

  @Field(() => Int)
  late!: number;

  @Field(() => Int)
  missing!: number;

  @Field(() => Int)
  notYetDue!: number;
}

@ObjectType()
export class UnitCompleteness extends CompletenessCounts {
  @Field(() => CompletenessStatus)
  status!: CompletenessStatus;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the unit’s latest expected report first came in.' })
  lastSubmittedAt!: Date | null;

  unitId!: number;
}

@ObjectType({ description: 'Who under a unit was expected to report for a period, who did, who was late, who is missing.' })
export class Completeness extends CompletenessCounts {
  @Field(() => Period)
  period!: Period;

  @Field(() => ReportKind)
  reportKind!: ReportKind;

  @Field(() => Int, { description: 'Units expected to report (the unit itself and every unit below it).' })
  units!: number;

  @Field(() => Int, { description: 'Units by status.' })
  unitsOnTime!: number;

  @Field(() => Int)
  unitsLate!: number;

  @Field(() => Int)
  unitsMissing!: number;

  unitId!: number;
  asOf!: Date;
}

@ObjectType({ description: 'Submission deadlines in force for a unit (from the nearest rule at or above it).' })
export class Deadlines {
  @Field(() => Int, { description: 'Monthly reports are due by this day of the next month.' })
  monthlyDay!: number;

  @Field(() => Int, { description: 'Annual reports are due by this month and day of the next year.' })
  annualMonth!: number;

  @Field(() => Int)
  annualDay!: number;

  @Field(() => String, { nullable: true, description: 'Code of the unit whose rule applies; null for the defaults.' })
  setBy!: string | null;
}

@InputType()
export class SetDeadlinesInput {
  @Field({ description: 'The region (unit) whose subtree the rule covers.' })
  unitCode!: string;

  @Field(() => Int, { description: '1-28' })
  monthlyDay!: number;

  @Field(() => Int, { description: '1-12' })
  annualMonth!: number;

  @Field(() => Int, { description: '1-31, a day that exists in that month' })
  annualDay!: number;
}
