/**
 * The one place where errors leave the server. The hub's own codes and GraphQL's request errors reach the client
 * as they are; anything else (a bug, a database failure) is logged with the request id and masked, so no stack
 * trace or SQL text ever reaches a client.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger.js';
import { databaseErrorMapping } from '../db/sql-errors.js';
import { ErrorCode, ownCodes } from './errors.js';
import { withoutSuggestions } from './limits.js';

/** Codes Apollo itself gives to malformed requests; they describe the request, not the server. */
const requestCodes = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE']);

export function createFormatError(logger: Logger, exposeDetails: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = String(formatted.extensions?.code ?? '');
    if (ownCodes.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) return withoutStack(formatted);
    if (requestCodes.has(code)) {
      const clean = withoutStack(formatted);
      return exposeDetails ? clean : { ...clean, message: withoutSuggestions(clean.message) };
    }
    const original = unwrapResolverError(error);
    const database = databaseErrorMapping(original);
    if (database) {
      logger.warn({ err: original, path: formatted.path }, 'database unavailable or contended while answering a request');
      return { message: database.message, path: formatted.path, locations: formatted.locations, extensions: { code: database.code, retryable: database.retryable } };
    }
    const errorId = Math.random().toString(36).slice(2, 10);
    logger.error({ err: original, errorId, path: formatted.path }, 'unexpected error while answering a request');
    return {
      message: `internal error (id ${errorId}); it has been logged`,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId },
    };
  };
}

function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
