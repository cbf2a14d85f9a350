import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { normaliseUnitCode } from './unit-code.js';
import { Unit } from './unit.entity.js';
import { CreateUnitInput } from './unit.inputs.js';
import { UnitKind } from './unit-kind.js';
import { descendantsKey } from './unit.loaders.js';
import { createUnit } from './unit.service.js';

@Resolver(() => Unit)
export class UnitResolver {
  @Query(() => Unit, { nullable: true, description: 'A unit by its code; a 12-digit township code works too.' })
  unit(@Arg('code') code: string, @Ctx() { loaders }: Context): Promise<Unit | null> {
    return loaders.units.byCode.load(normaliseUnitCode(code));
  }

  @Mutation(() => Unit)
  createUnit(@Arg('input', () => CreateUnitInput) input: CreateUnitInput, @Ctx() { em, loaders }: Context): Promise<Unit> {
    return createUnit(em, loaders.units, input);
  }

  @FieldResolver(() => Unit, { nullable: true, description: 'The unit this one reports to.' })
  parent(@Root() unit: Unit, @Ctx() { loaders }: Context): Promise<Unit | null> | null {
    return unit.parent ? loaders.units.byId.load(unit.parent.id) : null;
  }

  @FieldResolver(() => [Unit], { description: 'Units directly below, by code.' })
  children(@Root() unit: Unit, @Ctx() { loaders }: Context): Promise<Unit[]> {
    return loaders.units.children.load(unit.id);
  }

  @FieldResolver(() => [Unit], { description: 'Units above, from the root down to the parent.' })
  ancestors(@Root() unit: Unit, @Ctx() { loaders }: Context): Promise<Unit[]> {
    return loaders.units.ancestors.load(unit.id);
  }

  @FieldResolver(() => [Unit], { description: 'Every unit below, nearest first; only the given kinds when `kinds` is set.' })
  descendants(
    @Root() unit: Unit,
    @Ctx() { loaders }: Context,
    @Arg('kinds', () => [UnitKind], { nullable: true }) kinds?: UnitKind[] | null,
  ): Promise<Unit[]> {
    return loaders.units.descendants.load(descendantsKey(unit.id, kinds));
  }
}
