import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Access } from '../auth/access.js';
import type { Context } from '../graphql/context.js';
import { normaliseUnitCode } from './unit-code.js';
import { Unit } from './unit.entity.js';
import { CreateUnitInput } from './unit.inputs.js';
import { UnitKind } from './unit-kind.js';
import { descendantsKey } from './unit.loaders.js';
import { createUnit } from './unit.service.js';

/** Nested unit fields list only what the viewer may see; the checks of one level are batched into one statement. */
async function visible(access: Access, units: Unit[]): Promise<Unit[]> {
  const allowed = await Promise.all(units.map((u) => access.canSee(u)));
  return units.filter((_, i) => allowed[i]);
}

@Resolver(() => Unit)
export class UnitResolver {
  @Query(() => Unit, { nullable: true, description: 'A unit by its code; a 12-digit township code works too.' })
  async unit(@Arg('code') code: string, @Ctx() { loaders, access }: Context): Promise<Unit | null> {
    const unit = await loaders.units.byCode.load(normaliseUnitCode(code));
    if (unit) await access.requireSee(unit);
    return unit;
  }

  @Mutation(() => Unit)
  createUnit(@Arg('input', () => CreateUnitInput) input: CreateUnitInput, @Ctx() { em, loaders, access }: Context): Promise<Unit> {
    return createUnit(em, loaders.units, access, input);
  }

  @FieldResolver(() => Unit, { nullable: true, description: 'The unit this one reports to; null at the root or above the viewer’s scope.' })
  async parent(@Root() unit: Unit, @Ctx() { loaders, access }: Context): Promise<Unit | null> {
    const parent = unit.parent ? await loaders.units.byId.load(unit.parent.id) : null;
    return parent && (await access.canSee(parent)) ? parent : null;
  }

  @FieldResolver(() => [Unit], { description: 'Units directly below, by code (those the viewer may see).' })
  async children(@Root() unit: Unit, @Ctx() { loaders, access }: Context): Promise<Unit[]> {
    return visible(access, await loaders.units.children.load(unit.id));
  }

  @FieldResolver(() => [Unit], { description: 'Units above, from the root down to the parent (those the viewer may see).' })
  async ancestors(@Root() unit: Unit, @Ctx() { loaders, access }: Context): Promise<Unit[]> {
    return visible(access, await loaders.units.ancestors.load(unit.id));
  }

  @FieldResolver(() => [Unit], { description: 'Every unit below, nearest first; only the given kinds when `kinds` is set.' })
  async descendants(
    @Root() unit: Unit,
    @Ctx() { loaders, access }: Context,
    @Arg('kinds', () => [UnitKind], { nullable: true }) kinds?: UnitKind[] | null,
  ): Promise<Unit[]> {
    return visible(access, await loaders.units.descendants.load(descendantsKey(unit.id, kinds)));
  }
}
