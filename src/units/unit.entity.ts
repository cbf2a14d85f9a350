import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Opt, Ref } from '@mikro-orm/core';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { UnitKind } from './unit-kind.js';

/**
 * A reporting unit: a government at any level, or a department, development zone or other organ under one.
 * The hierarchy has any depth; `unit_closure` (kept by a database trigger) answers subtree and ancestor queries.
 */
@ObjectType({ description: 'A reporting unit (填报单位) in the hierarchy.' })
@Entity({ tableName: 'unit' })
export class Unit {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @Field({ description: 'Division code (6-digit county and above, 9-digit township) or a department’s own code.' })
  @Property({ unique: true })
  code!: string;

  @Field()
  @Property()
  name!: string;

  @Field(() => UnitKind)
  @Enum({ items: () => UnitKind, nativeEnumName: 'unit_kind' })
  kind!: UnitKind;

  @Index()
  @ManyToOne(() => Unit, { nullable: true, ref: true, deleteRule: 'restrict' })
  parent!: Ref<Unit> | null;

  @Field(() => DateTimeISOResolver)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
