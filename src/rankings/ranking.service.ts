/**
 * Rankings of the units under a unit by any metric, with the previous period's ranks: two SQL statements.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../graphql/errors.js';
import { checkPeriod, makePeriod, type Period } from '../reports/period.js';
import { monthsOf, type RollupMode } from '../rollups/aggregate.sql.js';
import { Basis } from '../reports/report-status.js';
import type { Unit } from '../units/unit.entity.js';
import { metricByName } from './metrics.js';
import { rankUnits } from './ranking.sql.js';
import { Ranking, RankingEntry, SortOrder, UnrankedReason, type RankingInput } from './ranking.types.js';

export function previousPeriod(p: Period): Period {
  if (p.month) return p.month === 1 ? makePeriod(p.year - 1, null, 12) : makePeriod(p.year, null, p.month - 1);
  if (p.quarter) return p.quarter === 1 ? makePeriod(p.year - 1, 4, null) : makePeriod(p.year, p.quarter - 1, null);
  return makePeriod(p.year - 1, null, null);
}

export async function ranking(em: EntityManager, parent: Unit, input: RankingInput, mode: RollupMode): Promise<Ranking> {
  const metric = metricByName.get(input.metric)!;
  const period = checkPeriod(input.period);
  const minDenominator = input.minDenominator ?? 1;
  if (minDenominator < 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'minDenominator cannot be negative', { minDenominator });
  const kinds = input.kinds?.length ? input.kinds : null;
  const groups = kinds
    ? { sql: `select c.descendant_id as group_id from unit_closure c join unit u on u.id = c.descendant_id where c.ancestor_id = ? and c.depth > 0 and u.kind in (?)`, params: [parent.id, kinds] }
    : { sql: `select id as group_id from unit where parent_id = ?`, params: [parent.id] };
  const descending = (input.order ?? SortOrder.DESC) === SortOrder.DESC;
  const basis = input.basis ?? Basis.SUBMITTED;
  const run = (p: Period) => rankUnits(em, { groups, metric, year: p.year, ...monthsOf(p), descending, minDenominator, basis, mode });
  const previous = previousPeriod(period);
  const [now, before] = [await run(period), await run(previous)];
  const beforeByUnit = new Map(before.map((r) => [r.unitId, r]));

  const entries = now.map((r) => {
    const prior = beforeByUnit.get(r.unitId);
    const reason = r.rank !== null ? null : !r.hasFigures ? UnrankedReason.NO_FIGURES : Number(r.denominator) === 0 ? UnrankedReason.ZERO_DENOMINATOR : UnrankedReason.BELOW_MIN_DENOMINATOR;
    return Object.assign(new RankingEntry(), {
      unitId: r.unitId,
      rank: r.rank,
      value: r.value === null ? null : Number(r.value),
      numerator: Number(r.numerator),
      denominator: r.denominator === null ? null : Number(r.denominator),
      unrankedReason: reason,
      previousRank: prior?.rank ?? null,
      previousValue: prior?.hasFigures && prior.value !== null ? Number(prior.value) : null,
      rankChange: r.rank !== null && prior?.rank != null ? prior.rank - r.rank : null,
    });
  });
  return Object.assign(new Ranking(), {
    metric: metric.name,
    metricLabel: metric.zh,
    period,
    previousPeriod: previous,
    order: descending ? SortOrder.DESC : SortOrder.ASC,
    minDenominator,
    basis,
    entries,
    parentId: parent.id,
    kinds,
  });
}
