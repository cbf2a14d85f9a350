/**
 * Rollups: the SELF figures of a unit's whole subtree for a period (three SQL statements whatever its size), and the
 * unit's own published AGGREGATE report beside them, cell by cell, so an office can reconcile the two.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { cells } from '../format/catalogue.js';
import { fromScaled, toScaled } from '../format/decimal.js';
import { emptyValues, type CellValues } from '../format/figures.js';
import type { Period } from '../reports/period.js';
import { ReportScope } from '../reports/report-scope.js';
import { basisColumn, type Basis } from '../reports/report-status.js';
import type { Unit } from '../units/unit.entity.js';
import { aggregate, monthsOf, type RollupMode } from './aggregate.sql.js';
import { CellDifference, PublishedComparison, Rollup, RollupSources } from './rollup.types.js';

export async function rollup(em: EntityManager, unit: Unit, period: Period, basis: Basis, mode: RollupMode): Promise<Rollup> {
  const time = { year: period.year, ...monthsOf(period), basis, mode };
  const groups = { sql: 'select ?::int as group_id', params: [unit.id] };
  const computed = (await aggregate(em, { groups, members: 'subtree', scope: ReportScope.SELF, ...time })).get(unit.id);
  const published = (await aggregate(em, { groups, members: 'self', scope: ReportScope.AGGREGATE, ...time })).get(unit.id);
  // Bounded by the AGGREGATE reports of the period (a few per government), not by the size of the subtree.
  const [counts] = await em.execute<{ units: number; aggregates: number }[]>(
    `select (select subtree_size from unit where id = ?) as units,
       (select count(*)::int from report r join unit_closure c on c.descendant_id = r.unit_id and c.ancestor_id = ? and c.depth > 0
        where r.scope = 'AGGREGATE' and r.year = ? and r.${basisColumn(basis)} is not null
          and (r.month between ? and ? ${time.useAnnual ? 'or r.month is null' : ''})) as aggregates`,
    [unit.id, unit.id, period.year, time.firstMonth, time.lastMonth],
  );
  const values = computed?.values ?? emptyValues();
  const reporting = (computed?.annualUnits ?? 0) + (computed?.monthlyUnits ?? 0);
  return Object.assign(new Rollup(), {
    unitId: unit.id,
    period,
    basis,
    values,
    sources: Object.assign(new RollupSources(), {
      unitsInSubtree: counts.units,
      annualReportUnits: computed?.annualUnits ?? 0,
      monthlyReportUnits: computed?.monthlyUnits ?? 0,
      unitMonths: computed?.months ?? 0,
      unitsWithoutFigures: counts.units - reporting,
      aggregateReportsExcluded: counts.aggregates,
    }),
    published: published ? comparison(published.values, values) : null,
  });
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
