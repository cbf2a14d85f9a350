import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../graphql/errors.js';
import type { Period } from '../reports/period.js';
import { monthsOf } from '../rollups/aggregate.sql.js';
import { DEADLINES_CHANGED, EVERY_YEAR, rollupsCommitted } from '../rollups/rollup-changes.js';
import type { Unit } from '../units/unit.entity.js';
import { completenessParams, DEFAULT_ANNUAL_DAY, DEFAULT_ANNUAL_MONTH, DEFAULT_MONTHLY_DAY, perUnitCompletenessSql } from './completeness.sql.js';
import { Completeness, CompletenessStatus, Deadlines, ReportKind, UnitCompleteness, type SetDeadlinesInput } from './completeness.types.js';

function statusOf(c: { missing: number; late: number; notYetDue: number; onTime: number }): CompletenessStatus {
  if (c.missing) return CompletenessStatus.MISSING;
  if (c.late) return CompletenessStatus.LATE;
  if (c.notYetDue) return CompletenessStatus.NOT_DUE;
  return CompletenessStatus.ON_TIME;
}

/** Totals over the subtree, counted by PostgreSQL: one statement whatever the number of units. */
export async function completenessSummary(em: EntityManager, unitId: number, period: Period, kind: ReportKind, asOf = new Date()): Promise<Completeness> {
  const { firstMonth, lastMonth } = monthsOf(period);
  const [row] = await em.execute<Record<string, number>[]>(
    `${perUnitCompletenessSql(kind)}
     select count(*)::int as units, coalesce(sum(expected), 0)::int as expected, coalesce(sum(on_time), 0)::int as on_time,
       coalesce(sum(late), 0)::int as late, coalesce(sum(missing), 0)::int as missing, coalesce(sum(not_due), 0)::int as not_due,
       count(*) filter (where missing = 0 and late = 0 and not_due = 0)::int as units_on_time,
       count(*) filter (where missing = 0 and late > 0)::int as units_late,
       count(*) filter (where missing > 0)::int as units_missing
     from per_unit`,
    completenessParams(kind, unitId, period.year, firstMonth, lastMonth, asOf),
  );
  return Object.assign(new Completeness(), {
    period,
    reportKind: kind,
    units: row.units,
    expected: row.expected,
    onTime: row.on_time,
    late: row.late,
    missing: row.missing,
    notYetDue: row.not_due,
    unitsOnTime: row.units_on_time,
    unitsLate: row.units_late,
    unitsMissing: row.units_missing,
    unitId,
    asOf,
  });
}

/** One entry per unit of the subtree, worst first, then by code. */
export async function completenessEntries(em: EntityManager, c: Completeness): Promise<UnitCompleteness[]> {
  const { firstMonth, lastMonth } = monthsOf(c.period);
  const rows = await em.execute<Record<string, unknown>[]>(
    `${perUnitCompletenessSql(c.reportKind)}
     select p.*, u.code from per_unit p join unit u on u.id = p.unit_id order by p.missing desc, p.late desc, u.code`,
    completenessParams(c.reportKind, c.unitId, c.period.year, firstMonth, lastMonth, c.asOf),
  );
  return rows.map((r) => {
    const counts = { expected: r.expected as number, onTime: r.on_time as number, late: r.late as number, missing: r.missing as number, notYetDue: r.not_due as number };
    return Object.assign(new UnitCompleteness(), {
      ...counts,
      status: statusOf(counts),
      lastSubmittedAt: r.last_submitted_at ? new Date(r.last_submitted_at as string) : null,
      unitId: r.unit_id as number,
    });
  });
}

export async function effectiveDeadlines(em: EntityManager, unitId: number): Promise<Deadlines> {
  const [rule] = await em.execute<{ monthly_day: number; annual_month: number; annual_day: number; code: string }[]>(
    `select d.monthly_day, d.annual_month, d.annual_day, u.code from unit_closure a join deadline_rule d on d.unit_id = a.ancestor_id
     join unit u on u.id = d.unit_id where a.descendant_id = ? order by a.depth limit 1`,
    [unitId],
  );
  return Object.assign(new Deadlines(), rule
    ? { monthlyDay: rule.monthly_day, annualMonth: rule.annual_month, annualDay: rule.annual_day, setBy: rule.code }
    : { monthlyDay: DEFAULT_MONTHLY_DAY, annualMonth: DEFAULT_ANNUAL_MONTH, annualDay: DEFAULT_ANNUAL_DAY, setBy: null });
}

export async function setDeadlines(em: EntityManager, unit: Unit, input: SetDeadlinesInput): Promise<Deadlines> {
  const { monthlyDay, annualMonth, annualDay } = input;
  const daysInMonth = new Date(Date.UTC(2001, annualMonth, 0)).getUTCDate(); // not a leap year: 29 February would be missed
  if (!(monthlyDay >= 1 && monthlyDay <= 28) || !(annualMonth >= 1 && annualMonth <= 12) || !(annualDay >= 1 && annualDay <= daysInMonth)) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `deadlines need a monthly day of 1-28 and a real month and day for annual reports, got ${monthlyDay}, ${annualMonth}-${annualDay}`, { ...input });
  }
  await em.execute(
    `insert into deadline_rule (unit_id, monthly_day, annual_month, annual_day) values (?, ?, ?, ?)
     on conflict (unit_id) do update set monthly_day = excluded.monthly_day, annual_month = excluded.annual_month,
       annual_day = excluded.annual_day, updated_at = now()`,
    [unit.id, monthlyDay, annualMonth, annualDay],
  );
  // Subscribed dashboards in its subtree and above it follow completeness, which deadlines decide.
  rollupsCommitted(em, [{ basis: DEADLINES_CHANGED, year: EVERY_YEAR, month: null, unitId: unit.id }]);
  return Object.assign(new Deadlines(), { monthlyDay, annualMonth, annualDay, setBy: unit.code });
}
