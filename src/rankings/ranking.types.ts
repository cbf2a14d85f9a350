import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Period, PeriodInput } from '../reports/period.js';
import { Basis } from '../reports/report-status.js';
import { UnitKind } from '../units/unit-kind.js';
import { RankingMetric } from './metrics.js';

export enum SortOrder {
  DESC = 'DESC',
  ASC = 'ASC',
}
registerEnumType(SortOrder, { name: 'SortOrder' });

export enum UnrankedReason {
  NO_FIGURES = 'NO_FIGURES',
  ZERO_DENOMINATOR = 'ZERO_DENOMINATOR',
  BELOW_MIN_DENOMINATOR = 'BELOW_MIN_DENOMINATOR',
}
registerEnumType(UnrankedReason, {
  name: 'UnrankedReason',
  valuesConfig: {
    NO_FIGURES: { description: '本期未报送数据' },
    ZERO_DENOMINATOR: { description: '分母为零，比率无意义' },
    BELOW_MIN_DENOMINATOR: { description: '分母低于最小样本量' },
  },
});

@InputType()
export class RankingInput {
  @Field({ description: 'Rank the units directly under this one ...' })
  parentCode!: string;

  @Field(() => [UnitKind], { nullable: true, description: '... or, when given, every unit of these kinds anywhere in its subtree.' })
  kinds?: UnitKind[] | null;

  @Field(() => PeriodInput)
  period!: PeriodInput;

  @Field(() => RankingMetric)
  metric!: string;

  @Field(() => SortOrder, { defaultValue: SortOrder.DESC })
  order!: SortOrder;

  @Field(() => Int, { defaultValue: 1, description: 'A rate whose denominator is smaller is listed unranked, with the reason.' })
  minDenominator!: number;

  @Field(() => Basis, { defaultValue: Basis.SUBMITTED, description: 'Latest submitted figures, or only approved ones.' })
  basis!: Basis;
}

@ObjectType({ description: 'One unit of a ranking; each unit’s figure is the rollup of its whole subtree.' })
export class RankingEntry {
  @Field(() => Int, { nullable: true, description: 'Competition rank (1, 2, 2, 4); null for an unranked entry.' })
  rank!: number | null;

  @Field(() => Float, { nullable: true, description: 'The metric: a count, an amount in 万元, or a rate between 0 and 1.' })
  value!: number | null;

  @Field(() => Float, { description: 'For a rate its numerator; for a count or amount the value itself.' })
  numerator!: number;

  @Field(() => Int, { nullable: true, description: 'For a rate its denominator.' })
  denominator!: number | null;

  @Field(() => UnrankedReason, { nullable: true })
  unrankedReason!: UnrankedReason | null;

  @Field(() => Int, { nullable: true, description: 'Rank in the previous period (month, quarter or year before).' })
  previousRank!: number | null;

  @Field(() => Float, { nullable: true })
  previousValue!: number | null;

  @Field(() => Int, { nullable: true, description: 'previousRank − rank: positive when the unit moved up.' })
  rankChange!: number | null;

  unitId!: number;
}

@ObjectType()
export class Ranking {
  @Field(() => RankingMetric)
  metric!: string;

  @Field({ description: 'The metric’s Chinese name.' })
  metricLabel!: string;

  @Field(() => Period)
  period!: Period;

  @Field(() => Period)
  previousPeriod!: Period;

  @Field(() => SortOrder)
  order!: SortOrder;

  @Field(() => Int)
  minDenominator!: number;

  @Field(() => Basis)
  basis!: Basis;

  @Field(() => [RankingEntry])
  entries!: RankingEntry[];

  parentId!: number;
  kinds!: UnitKind[] | null;
}
