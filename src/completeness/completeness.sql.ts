/**
 * Who was expected to report for a period, who did, on time or late, and who is missing. Every unit of the subtree
 * (the unit itself included) is expected to submit a SELF report for each month of the period (MONTHLY), or one
 * annual report (ANNUAL). A report counts from its first submitted revision (drafts do not count): later corrections
 * do not make it late.
 * Deadlines come from the nearest `deadline_rule` at or above the unit, else the defaults, in China Standard Time.
 */
export const DEFAULT_MONTHLY_DAY = 10;
export const DEFAULT_ANNUAL_MONTH = 1;
export const DEFAULT_ANNUAL_DAY = 31;

export type ReportKindValue = 'MONTHLY' | 'ANNUAL';

/** Per-unit counts for the subtree of `?` (unit id); params: see `completenessParams`. */
export function perUnitCompletenessSql(kind: ReportKindValue): string {
  const due =
    kind === 'MONTHLY'
      ? `((make_date(?::int, mo.month, 1) + interval '1 month')::date + coalesce(rl.monthly_day, ${DEFAULT_MONTHLY_DAY}))::timestamp at time zone 'Asia/Shanghai'`
      : `(make_date(?::int + 1, coalesce(rl.annual_month, ${DEFAULT_ANNUAL_MONTH}), coalesce(rl.annual_day, ${DEFAULT_ANNUAL_DAY})) + 1)::timestamp at time zone 'Asia/Shanghai'`;
  const months = kind === 'MONTHLY' ? `cross join generate_series(?::int, ?::int) as mo(month)` : `cross join (select null::int as month) as mo`;
  const reportMonths = kind === 'MONTHLY' ? `r.month between ? and ?` : `r.month is null`;
  return `
    with members as (select c.descendant_id as unit_id from unit_closure c where c.ancestor_id = ?),
    -- the nearest rule at or above each unit
    rule as (
      select distinct on (m.unit_id) m.unit_id, d.monthly_day, d.annual_month, d.annual_day
      from members m join unit_closure a on a.descendant_id = m.unit_id join deadline_rule d on d.unit_id = a.ancestor_id
      order by m.unit_id, a.depth
    ),
    -- grain: one row per unit and expected report
    expected as (
      select m.unit_id, mo.month, ${due} as due
      from members m ${months} left join rule rl on rl.unit_id = m.unit_id
    ),
    firsts as (
      select r.unit_id, r.month, min(v.submitted_at) as first_at
      from report r join report_revision v on v.report_id = r.id
      where r.unit_id in (select unit_id from members) and r.year = ? and ${reportMonths} and r.scope = 'SELF' and not v.draft
      group by r.unit_id, r.month
    ),
    -- grain: one row per unit
    per_unit as (
      select e.unit_id, count(*)::int as expected,
        count(*) filter (where f.first_at <= e.due)::int as on_time,
        count(*) filter (where f.first_at > e.due)::int as late,
        count(*) filter (where f.first_at is null and ?::timestamptz > e.due)::int as missing,
        count(*) filter (where f.first_at is null and ?::timestamptz <= e.due)::int as not_due,
        max(f.first_at) as last_submitted_at
      from expected e left join firsts f on f.unit_id = e.unit_id and f.month is not distinct from e.month
      group by e.unit_id
    )`;
}

export function completenessParams(kind: ReportKindValue, unitId: number, year: number, firstMonth: number, lastMonth: number, asOf: Date): unknown[] {
  return kind === 'MONTHLY'
    ? [unitId, year, firstMonth, lastMonth, year, firstMonth, lastMonth, asOf, asOf]
    : [unitId, year, year, asOf, asOf];
}
