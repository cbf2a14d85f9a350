import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../graphql/context.js';
import { Unit } from '../units/unit.entity.js';
import { requireUnit } from '../units/unit.service.js';
import { toCsv, toMarkdown, type UnitLabel } from './ranking.export.js';
import { ranking } from './ranking.service.js';
import { Ranking, RankingEntry, RankingInput } from './ranking.types.js';

async function labels(ctx: Context, r: Ranking): Promise<{ parent: UnitLabel; units: Map<number, UnitLabel> }> {
  const units = await ctx.loaders.units.byId.loadMany([r.parentId, ...r.entries.map((e) => e.unitId)]);
  const map = new Map((units.filter((u) => u instanceof Unit) as Unit[]).map((u) => [u.id, u]));
  return { parent: map.get(r.parentId)!, units: map };
}

@Resolver(() => Ranking)
export class RankingResolver {
  @Query(() => Ranking, { description: 'Ranks the units under a unit by a count or a rate, each by its whole subtree’s figures.' })
  async ranking(@Arg('input', () => RankingInput) input: RankingInput, @Ctx() { em, loaders, access, rollupMode }: Context): Promise<Ranking> {
    const parent = await requireUnit(loaders.units, input.parentCode);
    // Every unit a ranking lists lies in the parent's subtree: reading that subtree covers them all.
    await access.requireSubtree(parent);
    return ranking(em, parent, input, rollupMode);
  }

  @FieldResolver(() => Unit)
  async parent(@Root() r: Ranking, @Ctx() { loaders }: Context): Promise<Unit> {
    return (await loaders.units.byId.load(r.parentId))!;
  }

  @FieldResolver(() => String, { description: 'The ranking as CSV with Chinese headers (UTF-8 with BOM), as circulated in a 通报.' })
  async csv(@Root() r: Ranking, @Ctx() ctx: Context): Promise<string> {
    const { parent, units } = await labels(ctx, r);
    return toCsv(r, parent, units);
  }

  @FieldResolver(() => String, { description: 'The ranking as a Markdown table with Chinese headers.' })
  async markdown(@Root() r: Ranking, @Ctx() ctx: Context): Promise<string> {
    const { parent, units } = await labels(ctx, r);
    return toMarkdown(r, parent, units);
  }
}

@Resolver(() => RankingEntry)
export class RankingEntryResolver {
  @FieldResolver(() => Unit)
  async unit(@Root() e: RankingEntry, @Ctx() { loaders }: Context): Promise<Unit> {
    return (await loaders.units.byId.load(e.unitId))!;
  }
}
