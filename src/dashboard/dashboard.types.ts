import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Completeness } from '../completeness/completeness.types.js';
import { Period } from '../reports/period.js';
import { Basis } from '../reports/report-status.js';
import { FiguresWithRates } from '../rollups/rollup.types.js';
import { Rate } from '../rollups/rates.graphql.js';
import { RankingMetric } from '../rankings/metrics.js';

@ObjectType({ implements: FiguresWithRates, description: 'Figures and rates of a subtree for a period.' })
export class FigureSummary extends FiguresWithRates {
  @Field(() => Period)
  period!: Period;
}

@ObjectType({ description: 'A headline figure of the year beside the year before.' })
export class HeadlineFigure {
  @Field(() => RankingMetric)
  metric!: string;

  @Field()
  label!: string;

  @Field(() => Float, { nullable: true, description: 'A count, or a rate between 0 and 1 (null without a denominator).' })
  value!: number | null;

  @Field(() => Float, { nullable: true })
  previous!: number | null;

  @Field(() => Float, { nullable: true, description: 'value − previous' })
  change!: number | null;

  @Field(() => Float, { nullable: true, description: '(value − previous) / previous, for counts; null when previous is 0 or for rates.' })
  changeRatio!: number | null;
}

@ObjectType({ description: 'One month of the trend series.' })
export class TrendPoint {
  @Field(() => Period)
  period!: Period;

  @Field(() => Int, { description: '新收申请 总计' })
  newReceived!: number;

  @Field(() => Int, { description: '办理结果 总计' })
  resultsTotal!: number;

  @Field(() => Int, { description: '予以公开 + 部分公开' })
  disclosed!: number;

  @Field(() => Rate)
  disclosureRate!: Rate;

  @Field(() => Int, { description: '行政复议 总计' })
  adminReviews!: number;

  @Field(() => Int, { description: '行政诉讼 总计 (直接起诉 + 复议后起诉)' })
  lawsuits!: number;

  @Field(() => Int, { description: 'Units that reported for the month.' })
  reportingUnits!: number;
}

@ObjectType({ implements: FiguresWithRates, description: 'A direct child of the unit, with its whole subtree’s figures.' })
export class ChildBreakdown extends FiguresWithRates {
  @Field(() => Float, { nullable: true, description: 'The value of the dashboard’s `rankBy` metric.' })
  metricValue!: number | null;

  unitId!: number;
}

@ObjectType({ description: 'How many warnings of one kind the reports in force carry.' })
export class WarningCount {
  @Field()
  identity!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class WarningSummary {
  @Field(() => Int, { description: 'Reports in force with at least one warning.' })
  reportsWithWarnings!: number;

  @Field(() => [WarningCount])
  byIdentity!: WarningCount[];
}

@ObjectType({ description: 'Everything an oversight office’s dashboard shows for a unit and a year, in a bounded number of SQL statements.' })
export class Dashboard {
  @Field(() => Int)
  year!: number;

  @Field(() => Basis, { description: 'Which figures were counted.' })
  basis!: Basis;

  @Field(() => FigureSummary)
  current!: FigureSummary;

  @Field(() => FigureSummary)
  previous!: FigureSummary;

  @Field(() => [HeadlineFigure])
  headline!: HeadlineFigure[];

  @Field(() => [TrendPoint], { description: 'Month by month, January to December.' })
  trend!: TrendPoint[];

  @Field(() => RankingMetric, { description: 'The metric `children`, `top` and `bottom` are ordered by.' })
  rankBy!: string;

  @Field(() => [ChildBreakdown], { description: 'Every direct child, by code.' })
  children!: ChildBreakdown[];

  @Field(() => [ChildBreakdown], { description: 'The five children with the highest `rankBy` value (those with a value).' })
  top!: ChildBreakdown[];

  @Field(() => [ChildBreakdown], { description: 'The five with the lowest.' })
  bottom!: ChildBreakdown[];

  @Field(() => Completeness)
  completeness!: Completeness;

  @Field(() => WarningSummary)
  warnings!: WarningSummary;

  unitId!: number;
}
