import { Field, Int, InterfaceType, ObjectType } from 'type-graphql';
import { figuresFromList, listOfValues, valuesOfList, type CellList, type CellValues, type Nested } from '../format/figures.js';
import { computeRates, type RateValue } from '../format/rates.js';
import { Figures } from '../reports/figures.graphql.js';
import { Period } from '../reports/period.js';
import { Basis } from '../reports/report-status.js';
import type { Unit } from '../units/unit.entity.js';
import type { RollupMode } from './aggregate.sql.js';
import { Rates } from './rates.graphql.js';

@ObjectType({ description: 'Where the figures of a rollup came from.' })
export class RollupSources {
  @Field(() => Int, { description: 'Units in the subtree, the unit itself included.' })
  unitsInSubtree!: number;

  @Field(() => Int, { description: 'Units whose annual report stood for their year.' })
  annualReportUnits!: number;

  @Field(() => Int, { description: 'Units whose monthly reports were summed.' })
  monthlyReportUnits!: number;

  @Field(() => Int, { description: 'Unit-months summed.' })
  unitMonths!: number;

  @Field(() => Int, { description: 'Units with no SELF figures for the period.' })
  unitsWithoutFigures!: number;

  @Field(() => Int, { description: 'AGGREGATE reports below the unit for the period, left out of the sums.' })
  aggregateReportsExcluded!: number;
}

@ObjectType({ description: 'A cell where a published area-wide report differs from the sum of its parts.' })
export class CellDifference {
  @Field()
  path!: string;

  @Field()
  label!: string;

  @Field({ description: 'As published (AGGREGATE report).' })
  published!: string;

  @Field({ description: 'As summed from the SELF reports of the subtree.' })
  computed!: string;

  @Field({ description: 'published − computed' })
  difference!: string;
}

/**
 * Figures with their rates, resolved lazily from the summed cells. The cells are given either keyed (`values`) or in
 * catalogue order (`list`, what the pre-aggregated read parses); each form is made from the other only when asked.
 */
@InterfaceType({ description: 'Figures of the national format with the rates computed from them.' })
export abstract class FiguresWithRates {
  #values?: CellValues;
  #list?: CellList;

  get values(): CellValues {
    return (this.#values ??= valuesOfList(this.#list!));
  }

  set values(values: CellValues) {
    this.#values = values;
    this.#list = undefined;
  }

  get list(): CellList {
    return (this.#list ??= listOfValues(this.#values!));
  }

  set list(list: CellList) {
    this.#list = list;
    this.#values = undefined;
  }

  @Field(() => Figures)
  get figures(): Nested {
    return figuresFromList(this.list);
  }

  @Field(() => Rates)
  get rates(): Record<string, RateValue> {
    return computeRates(this.values);
  }
}

@ObjectType({ implements: FiguresWithRates, description: 'The unit’s own published area-wide (AGGREGATE) report, beside what its units submitted.' })
export class PublishedComparison extends FiguresWithRates {
  @Field(() => [CellDifference], { description: 'Only the cells that differ.' })
  differences!: CellDifference[];

  @Field({ description: 'True when every cell agrees.' })
  matches!: boolean;
}

@ObjectType({ implements: FiguresWithRates, description: 'The national tables summed over a unit and every unit below it, for a month, a quarter or a year.' })
export class Rollup extends FiguresWithRates {
  @Field(() => Period)
  period!: Period;

  @Field(() => Basis, { description: 'Which figures were counted: latest submitted, or approved only.' })
  basis!: Basis;

  unitId!: number;
  /** The unit as an entity, where the read that found it can make it without asking the database again. */
  unitEntity?: () => Unit;
  mode!: RollupMode;
  counts!: { annualUnits: number; monthlyUnits: number; months: number };
}
