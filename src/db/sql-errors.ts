/**
 * What a failure of PostgreSQL means for a client: one table from SQLSTATE classes (and socket errors) to the
 * hub's error codes. Anything not listed is a bug and stays INTERNAL_SERVER_ERROR.
 */
import { ErrorCode } from '../graphql/errors.js';

interface Mapping {
  code: ErrorCode;
  retryable: boolean;
  message: string;
}

const UNAVAILABLE: Mapping = { code: ErrorCode.DATABASE_UNAVAILABLE, retryable: true, message: 'the database is unavailable for a moment; retry the request' };

/** By SQLSTATE, or by its two-character class. */
const BY_SQLSTATE: Record<string, Mapping> = {
  '08': UNAVAILABLE, // connection exception
  '57P01': UNAVAILABLE, // admin_shutdown: the server is restarting
  '57P02': UNAVAILABLE, // crash_shutdown
  '57P03': UNAVAILABLE, // cannot_connect_now: starting up or recovering
  '53300': UNAVAILABLE, // too_many_connections
  '40001': { code: ErrorCode.CONFLICT, retryable: true, message: 'a concurrent change got in the way; retry the request' }, // serialization_failure
  '40P01': { code: ErrorCode.CONFLICT, retryable: true, message: 'a concurrent change got in the way; retry the request' }, // deadlock_detected
  '57014': { code: ErrorCode.TIMEOUT, retryable: true, message: 'the query took too long and was cancelled' }, // query_canceled
};

const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** The mapping for an error thrown by the driver or the ORM, or null when it is not a known database condition. */
export function databaseErrorMapping(error: unknown): Mapping | null {
  // graphql-js wraps a thrown value that is not an Error of its own realm as NonErrorThrown with `thrownValue`.
  const next = (e: Record<string, unknown>) => (e.cause ?? e.thrownValue) as Record<string, unknown> | undefined;
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; e = next(e), depth++) {
    const sqlState = typeof e.code === 'string' ? e.code : typeof e.sqlState === 'string' ? e.sqlState : undefined;
    if (sqlState && SOCKET_ERRORS.has(sqlState)) return UNAVAILABLE;
    if (sqlState && /^[0-9A-Z]{5}$/.test(sqlState)) return BY_SQLSTATE[sqlState] ?? BY_SQLSTATE[sqlState.slice(0, 2)] ?? null;
    const message = typeof e.message === 'string' ? e.message : '';
    if (/Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(message)) return UNAVAILABLE;
  }
  return null;
}
