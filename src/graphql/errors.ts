/**
 * The hub's error codes (README, "Errors"). Every rejection a client can act on carries one of these in
 * `extensions.code`; anything else is logged with the request id and answered as INTERNAL_SERVER_ERROR.
 */
import { GraphQLError } from 'graphql';
import type { Violation } from '../format/identities.js';

export enum ErrorCode {
  /** Malformed input that GraphQL itself rejects (wrong type, a fractional count, an unknown field). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** A period that cannot hold a report: month outside 1-12, a year before 2008 or in the future, ... */
  INVALID_PERIOD = 'INVALID_PERIOD',
  /** The named unit (or other record) does not exist. */
  NOT_FOUND = 'NOT_FOUND',
  /** A unit with this code exists already. */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** A unit code of the wrong shape for its kind, or a unit placed under a parent it cannot belong to. */
  INVALID_UNIT = 'INVALID_UNIT',
  /** Figures that break identities of the national format; `extensions.violations` lists each one. */
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  /** No valid bearer token (missing, malformed, forged, expired, or naming no unit). */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** The token's unit and role do not allow this operation or field. */
  FORBIDDEN = 'FORBIDDEN',
  /** The report is approved and locked until its reviewer reopens it. */
  PERIOD_LOCKED = 'PERIOD_LOCKED',
  /** The report is not in a state that allows this step (e.g. approving a draft). */
  INVALID_STATE = 'INVALID_STATE',
  /** The database is restarting or unreachable; `extensions.retryable` is true. */
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  /** A concurrent change got in the way (or, with revisions, the submission was based on a stale one). */
  CONFLICT = 'CONFLICT',
  /** A query ran past the database's statement timeout. */
  TIMEOUT = 'TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Codes the hub raises itself; they reach the client as they are. */
export const ownCodes = new Set<string>(Object.values(ErrorCode));

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const notFound = (what: string, key: Record<string, unknown>) => new AppError(ErrorCode.NOT_FOUND, `${what} not found`, key);

export const invalidPeriod = (message: string, period: Record<string, unknown>) => new AppError(ErrorCode.INVALID_PERIOD, message, { period });

export class ValidationFailedError extends AppError {
  constructor(violations: Violation[]) {
    const first = violations[0]?.message ?? '';
    super(ErrorCode.VALIDATION_FAILED, `the figures break ${violations.length} rule(s) of the national format, nothing was saved: ${first}${violations.length > 1 ? ' …' : ''}`, {
      violations,
    });
  }
}
