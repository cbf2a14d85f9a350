/**
 * Unit codes. Governments are keyed by their statistical division code: 6 digits from province to county level
 * (440000, 441800, 441803), 9 digits for township-level units (441803102). The 12-digit form of a township code
 * (441803102000) names the same unit and is accepted everywhere. Departments and other organs bring their own code,
 * such as a unified social credit code (统一社会信用代码) or a portal id.
 */
import { AppError, ErrorCode } from '../graphql/errors.js';
import { governmentLevel, UnitKind } from './unit-kind.js';

/** Canonical form: trimmed, upper case, a 12-digit township code shortened to its 9 significant digits. */
export function normaliseUnitCode(code: string): string {
  const c = code.trim().toUpperCase();
  return /^\d{9}000$/.test(c) ? c.slice(0, 9) : c;
}

const SHAPE: Partial<Record<UnitKind, RegExp>> = {
  PROVINCE: /^\d{2}0000$/,
  PREFECTURE: /^\d{4}00$/,
  DISTRICT: /^\d{6}$/,
  COUNTY: /^\d{6}$/,
  COUNTY_CITY: /^\d{6}$/,
  SUBDISTRICT: /^\d{9}$/,
  TOWN: /^\d{9}$/,
  TOWNSHIP: /^\d{9}$/,
};
const OWN_CODE = /^[0-9A-Z][0-9A-Z._-]{1,39}$/;

/**
 * Whether a normalised code could name a unit at all: every kind's codes are of the OWN_CODE shape (division codes
 * are digits). A lookup of anything else is answered without asking the database (a NUL byte, say, which
 * PostgreSQL refuses in text).
 */
export function couldBeUnitCode(code: string): boolean {
  return OWN_CODE.test(code);
}

export function assertCodeFitsKind(code: string, kind: UnitKind): void {
  const shape = SHAPE[kind] ?? OWN_CODE;
  if (shape.test(code)) return;
  const wanted =
    governmentLevel[kind] === 4
      ? 'a 9-digit (or 12-digit) township code'
      : governmentLevel[kind] !== null
        ? 'a 6-digit division code'
        : '2-40 letters, digits, dots, dashes or underscores';
  throw new AppError(ErrorCode.INVALID_UNIT, `a ${kind} unit needs ${wanted}, got "${code}"`, { unitCode: code, kind });
}
