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

/** The deadline of a report of the month `month` (SQL), for a unit's terms `t`; one `?`: the year. */
function dueSql(kind: ReportKindValue, month: string): string {
  return kind === 'MONTHLY'
    ? `((make_date(?::int, ${month}, 1) + interval '1 month')::date + t.monthly_day)::timestamp at time zone 'Asia/Shanghai'`
    : `(make_date(?::int + 1, t.annual_month, t.annual_day) + 1)::timestamp at time zone 'Asia/Shanghai'`;
}

/**
 * Per-unit counts for the subtree of a unit, as a CTE `per_unit`; params: see `completenessParams`.
 * Each unit's reports are read through the unit's own index entries (both laterals aggregate, so PostgreSQL runs them
 * unit by unit): the cost follows the subtree, not every report of the year. A report's first submission is kept on
 * its row (`first_submitted_at`, migration 000011): no read of its revisions, however many corrections came after it.
 * Reports and expected months are counted apart and combined by arithmetic (a unit has at most one SELF report per
 * month), never joined row by row.
 */
export function perUnitCompletenessSql(kind: ReportKindValue): string {
  const expectedMonths = kind === 'MONTHLY' ? `generate_series(?::int, ?::int) as mo(month)` : `(select null::int as month) as mo`;
  const reportMonths = kind === 'MONTHLY' ? `r.month between ? and ?` : `r.month is null`;
  return `
    with members as (select c.descendant_id as unit_id from unit_closure c where c.ancestor_id = ?),
    -- the nearest rule at or above each unit
    rule as (
      select distinct on (m.unit_id) m.unit_id, d.monthly_day, d.annual_month, d.annual_day
      from members m join unit_closure a on a.descendant_id = m.unit_id join deadline_rule d on d.unit_id = a.ancestor_id
      order by m.unit_id, a.depth
    ),
    -- grain: one row per unit, with the deadline terms that apply to it
    terms as (
      select m.unit_id, coalesce(rl.monthly_day, ${DEFAULT_MONTHLY_DAY}) as monthly_day,
        coalesce(rl.annual_month, ${DEFAULT_ANNUAL_MONTH}) as annual_month, coalesce(rl.annual_day, ${DEFAULT_ANNUAL_DAY}) as annual_day
      from members m left join rule rl on rl.unit_id = m.unit_id
    ),
    -- grain: one row per unit
    per_unit as (
      select t.unit_id, e.expected, s.on_time, s.late, e.past_due - s.reported_past_due as missing,
        e.expected - e.past_due - (s.on_time + s.late - s.reported_past_due) as not_due, s.last_submitted_at
      from terms t
      -- the unit's reports of the period that were ever submitted: each with its first submission and its deadline
      cross join lateral (
        select count(*) filter (where f.first_at <= f.due)::int as on_time, count(*) filter (where f.first_at > f.due)::int as late,
          count(*) filter (where f.due < ?::timestamptz)::int as reported_past_due, max(f.first_at) as last_submitted_at
        from (
          select ${dueSql(kind, 'r.month')} as due, r.first_submitted_at as first_at
          from report r
          where r.unit_id = t.unit_id and r.year = ? and ${reportMonths} and r.scope = 'SELF' and r.first_submitted_at is not null
        ) f
      ) s
      -- the reports it was expected to submit, and how many of them were due by now
      cross join lateral (
        select count(*)::int as expected, count(*) filter (where d.due < ?::timestamptz)::int as past_due
        from (select ${dueSql(kind, 'mo.month')} as due from ${expectedMonths}) d
      ) e
    )`;
}

export function completenessParams(kind: ReportKindValue, unitId: number, year: number, firstMonth: number, lastMonth: number, asOf: Date): unknown[] {
  const months = kind === 'MONTHLY' ? [firstMonth, lastMonth] : [];
  return [unitId, asOf, year, year, ...months, asOf, year, ...months];
}
