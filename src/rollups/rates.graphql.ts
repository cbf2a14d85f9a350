/** GraphQL types of the derived rates, generated from format/rates.ts. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { rateDefinitions } from '../format/rates.js';
import { declareType } from '../graphql/declare-type.js';

@ObjectType({ description: 'A rate with what it is computed from; `value` is null when the denominator is 0.' })
export class Rate {
  @Field(() => Int)
  numerator!: number;

  @Field(() => Int)
  denominator!: number;

  @Field(() => Float, { nullable: true })
  value!: number | null;
}

export const Rates = declareType(
  'object',
  'Rates',
  'Rates computed from summed numerators and denominators (never averages of percentages).',
  rateDefinitions.map((d) => ({ name: d.field, type: () => Rate, description: `${d.zh}: ${d.description}` })),
);
