/**
 * Rollups: the SELF figures of a unit's whole subtree for a period (three SQL statements whatever its size), and the
 * unit's own published AGGREGATE report beside them, cell by cell, so an office can reconcile the two.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells } from '../format/catalogue.js';
import { fromScaled, toScaled } from '../format/decimal.js';
import { emptyValues, type CellList, type CellValues } from '../format/figures.js';
import type { Period } from '../reports/period.js';
import { ReportScope } from '../reports/report-scope.js';
import { basisColumn, type Basis } from '../reports/report-status.js';
import type { Access } from '../auth/access.js';
import { notFound } from '../graphql/errors.js';
import { couldBeUnitCode, normaliseUnitCode } from '../units/unit-code.js';
import type { UnitLoaders } from '../units/unit.loaders.js';
import { requireUnit } from '../units/unit.service.js';
import { aggregate, monthsOf, type AggregateRow, type RollupMode } from './aggregate.sql.js';
import { readUnitRollup, type FoundUnit } from './rollup-read.js';
import { CellDifference, PublishedComparison, Rollup, RollupSources } from './rollup.types.js';

/**
 * A unit's rollup as the `rollup` query answers it: the unit found by its code, the viewer's right to its subtree
 * checked, and the summed figures. Pre-aggregated, the unit, its figures and the viewer's right are one prepared
 * statement; on the fly, the unit is looked up and its subtree summed. Sources and the published report are resolved
 * only when a query asks for them (`rollupSources`, `rollupPublished`).
 */
export async function rollupOfUnit(ctx: { em: EntityManager; loaders: { units: UnitLoaders }; access: Access }, unitCode: string, period: Period, basis: Basis, mode: RollupMode): Promise<Rollup> {
  const time = monthsOf(period);
  if (mode === 'onthefly') {
    const unit = await requireUnit(ctx.loaders.units, unitCode);
    await ctx.access.requireSubtree(unit);
    const computed = (await aggregate(ctx.em, { groups: { sql: 'select ?::int as group_id', params: [unit.id] }, members: 'subtree', scope: ReportScope.SELF, year: period.year, ...time, basis, mode })).get(unit.id);
    return rollupOf(unit.id, period, basis, mode, computed);
  }
  const code = normaliseUnitCode(unitCode);
  if (!couldBeUnitCode(code)) throw notFound('unit', { unitCode });
  const read = await readUnitRollup(ctx.em, code, basis, period.year, time, ctx.access.unitCode);
  if (!read.unit) throw notFound('unit', { unitCode });
  // The units the read found become entities only when a field or a check asks for them, and then serve the
  // request's loaders too.
  const primed = (found: FoundUnit): FoundUnit => ({
    id: found.id,
    unit: () => {
      const unit = found.unit();
      ctx.loaders.units.byCode.prime(unit.code, unit);
      ctx.loaders.units.byId.prime(unit.id, unit);
      return unit;
    },
  });
  const unit = primed(read.unit);
  if (read.viewer) ctx.access.learn(read.viewer.unit && primed(read.viewer.unit), unit.id, read.viewer.within);
  await ctx.access.requireSubtree(unit);
  return Object.assign(rollupOf(unit.id, period, basis, mode, read.row), { unitEntity: unit.unit });
}

type Computed = ({ values: CellValues } | { list: CellList }) & Pick<AggregateRow, 'annualUnits' | 'monthlyUnits' | 'months'>;

function rollupOf(unitId: number, period: Period, basis: Basis, mode: RollupMode, computed: Computed | null | undefined): Rollup {
  const rollup = Object.assign(new Rollup(), {
    unitId,
    period,
    basis,
    mode,
    counts: { annualUnits: computed?.annualUnits ?? 0, monthlyUnits: computed?.monthlyUnits ?? 0, months: computed?.months ?? 0 },
  });
  if (computed && 'list' in computed) rollup.list = computed.list;
  else rollup.values = computed?.values ?? emptyValues();
  return rollup;
}

export async function rollupSources(em: EntityManager, r: Rollup): Promise<RollupSources> {
  const time = monthsOf(r.period);
  // Bounded by the AGGREGATE reports of the period (a few per government), not by the size of the subtree.
  const [counts] = await em.execute<{ units: number; aggregates: number }[]>(
    `select (select subtree_size from unit where id = ?) as units,
       (select count(*)::int from report r join unit_closure c on c.descendant_id = r.unit_id and c.ancestor_id = ? and c.depth > 0
        where r.scope = 'AGGREGATE' and r.year = ? and r.${basisColumn(r.basis)} is not null
          and (r.month between ? and ? ${time.useAnnual ? 'or r.month is null' : ''})) as aggregates`,
    [r.unitId, r.unitId, r.period.year, time.firstMonth, time.lastMonth],
  );
  return Object.assign(new RollupSources(), {
    unitsInSubtree: counts.units,
    annualReportUnits: r.counts.annualUnits,
    monthlyReportUnits: r.counts.monthlyUnits,
    unitMonths: r.counts.months,
    unitsWithoutFigures: counts.units - r.counts.annualUnits - r.counts.monthlyUnits,
    aggregateReportsExcluded: counts.aggregates,
  });
}

export async function rollupPublished(em: EntityManager, r: Rollup): Promise<PublishedComparison | null> {
  const groups = { sql: 'select ?::int as group_id', params: [r.unitId] };
  const time = { year: r.period.year, ...monthsOf(r.period), basis: r.basis, mode: r.mode };
  const published = (await aggregate(em, { groups, members: 'self', scope: ReportScope.AGGREGATE, ...time })).get(r.unitId);
  return published ? comparison(published.values, r.values) : null;
}

function comparison(published: CellValues, computed: CellValues): PublishedComparison {
  const differences = cells
    .map((c) => {
      // Amounts are compared exactly, to the 元 (4 decimal places of 万元), never through a float.
      const diff =
        c.kind === 'amount'
          ? fromScaled(toScaled(String(published[c.path])) - toScaled(String(computed[c.path])))
          : String(Number(published[c.path]) - Number(computed[c.path]));
      return diff === '0'
        ? null
        : Object.assign(new CellDifference(), { path: c.path, label: c.labelZh, published: String(published[c.path]), computed: String(computed[c.path]), difference: diff });
    })
    .filter((d): d is CellDifference => d !== null);
  return Object.assign(new PublishedComparison(), { values: published, differences, matches: differences.length === 0 });
}
