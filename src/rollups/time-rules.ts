/**
 * The time rules of a unit's contribution to a period, for code that combines a unit's figures in the hub rather than
 * in SQL (`contributionsSql`, preaggregate.ts, is the same rule in SQL): the write path's change of a unit's rollups
 * (`rollupDelta`) and a bulk load's rollup rows (`bulkRollups`).
 *
 * A member is one of a unit's SELF reports of a year: a month (1-12) or the annual report (month null). A period
 * counts the annual report alone for a year that has one, else the months in the period; flows are summed over the
 * counted members, an opening balance is the first one's, a closing balance the last one's.
 */

export interface Period { key: number; first: number; last: number }

/** The members of a period: the annual report alone for a year that has one, else the months in the period. */
export function countedMembers<M extends { month: number | null }>(members: M[], period: Period): M[] {
  if (period.key === 0 && members.some((m) => m.month === null)) return members.filter((m) => m.month === null);
  return members.filter((m) => m.month !== null && m.month >= period.first && m.month <= period.last);
}

/** Orders members as the balances read them: the annual report (alone when it counts) first, then by month. */
const position = (m: { month: number | null }) => m.month ?? 0;

/** The member an opening balance (`last` false) or a closing balance (`last` true) is read from; null for none. */
export function balanceMember<M extends { month: number | null }>(counted: M[], last: boolean): M | null {
  if (!counted.length) return null;
  return counted.reduce((best, m) => ((last ? position(m) > position(best) : position(m) < position(best)) ? m : best));
}
