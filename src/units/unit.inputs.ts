import { Field, InputType } from 'type-graphql';
import { UnitKind } from './unit-kind.js';

@InputType({ description: 'A new reporting unit. Its parent must exist already.' })
export class CreateUnitInput {
  @Field({ description: 'Division code (6 digits; 9 or 12 for township-level units) or a department’s own code.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => UnitKind)
  kind!: UnitKind;

  @Field(() => String, { nullable: true, description: 'Code of the unit this one reports to; absent for a root.' })
  parentCode?: string | null;
}
