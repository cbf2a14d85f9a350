/**
 * Reporting periods. Reports are monthly or annual; rollups also take quarters. A period is valid from 2008 (the
 * first year of the disclosure regulation) up to the current month in China Standard Time.
 */
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { invalidPeriod } from '../graphql/errors.js';

export enum PeriodKind {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}
registerEnumType(PeriodKind, { name: 'PeriodKind' });

@InputType({ description: 'A year; with `quarter` (1-4) or `month` (1-12) a part of it. Neither: the whole year.' })
export class PeriodInput {
  @Field(() => Int)
  year!: number;

  @Field(() => Int, { nullable: true })
  quarter?: number | null;

  @Field(() => Int, { nullable: true })
  month?: number | null;
}

@ObjectType()
export class Period {
  @Field(() => PeriodKind)
  kind!: PeriodKind;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { nullable: true })
  quarter!: number | null;

  @Field(() => Int, { nullable: true })
  month!: number | null;

  @Field({ description: 'e.g. 2025年, 2025年第2季度, 2025年3月' })
  label!: string;
}

export const FIRST_YEAR = 2008;

/** Year and month now in China (UTC+8, no daylight saving). */
export function chinaToday(now: Date = new Date()): { year: number; month: number } {
  const t = new Date(now.getTime() + 8 * 3600_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1 };
}

export function makePeriod(year: number, quarter: number | null, month: number | null): Period {
  const kind = month ? PeriodKind.MONTH : quarter ? PeriodKind.QUARTER : PeriodKind.YEAR;
  const label = month ? `${year}年${month}月` : quarter ? `${year}年第${quarter}季度` : `${year}年`;
  return Object.assign(new Period(), { kind, year, quarter: quarter ?? null, month: month ?? null, label });
}

/** Checks a period and returns it in canonical form; INVALID_PERIOD names what is wrong. */
export function checkPeriod(input: { year: number; quarter?: number | null; month?: number | null }, now?: Date): Period {
  const { year } = input;
  const quarter = input.quarter ?? null;
  const month = input.month ?? null;
  const today = chinaToday(now);
  if (quarter !== null && month !== null) throw invalidPeriod('give either a quarter or a month, not both', { ...input });
  if (month !== null && !(Number.isInteger(month) && month >= 1 && month <= 12)) throw invalidPeriod(`month must be 1-12, got ${month}`, { ...input });
  if (quarter !== null && !(Number.isInteger(quarter) && quarter >= 1 && quarter <= 4)) throw invalidPeriod(`quarter must be 1-4, got ${quarter}`, { ...input });
  if (year < FIRST_YEAR) throw invalidPeriod(`year ${year} is before ${FIRST_YEAR}, the first year of the disclosure regulation`, { ...input });
  if (year > today.year) throw invalidPeriod(`year ${year} is in the future`, { ...input });
  const firstMonth = month ?? (quarter ? quarter * 3 - 2 : 1);
  if (year === today.year && firstMonth > today.month) throw invalidPeriod(`${makePeriod(year, quarter, month).label} has not begun yet`, { ...input });
  return makePeriod(year, quarter, month);
}

/** A report covers one month or one whole year. */
export function checkReportPeriod(input: { year: number; quarter?: number | null; month?: number | null }, now?: Date): Period {
  if (input.quarter) throw invalidPeriod('reports are monthly or annual; a quarter is a rollup of its months', { ...input });
  return checkPeriod(input, now);
}

/** A report can be submitted once its month or year is over. */
export function checkSubmittablePeriod(input: { year: number; month?: number | null }, now?: Date): Period {
  const period = checkReportPeriod(input, now);
  const today = chinaToday(now);
  if (period.year === today.year && (period.month === null || period.month === today.month)) {
    throw invalidPeriod(`${period.label} has not ended yet; its report can be submitted once it is over`, { ...input });
  }
  return period;
}

/** The period just before: the previous month, or the previous year for an annual period. */
export function previousReportPeriod(p: Period): { year: number; month: number | null } {
  if (p.month === null) return { year: p.year - 1, month: null };
  return p.month === 1 ? { year: p.year - 1, month: 12 } : { year: p.year, month: p.month - 1 };
}
