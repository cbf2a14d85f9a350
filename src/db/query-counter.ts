/**
 * Counts the SQL statements run on behalf of one GraphQL request. MikroORM reports every statement, raw SQL
 * included, to its logger; the logger below adds it to the counter of the request it runs in.
 * Tests read the count to prove that a query costs a bounded number of statements whatever the data size.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger as OrmLogger, LogContext, LoggerOptions } from '@mikro-orm/core';
import type { Logger } from '../logger.js';

export interface QueryCount { statements: number }

const current = new AsyncLocalStorage<QueryCount>();

/** Runs `fn` with a fresh statement counter; `count.statements` is read after it settles. */
export function countingStatements<T>(count: QueryCount, fn: () => T): T {
  return current.run(count, fn);
}

/** Counts one statement the ORM did not run (a prepared statement on its pool) for the request it runs in. */
export function countStatement(): void {
  const count = current.getStore();
  if (count) count.statements += 1;
}

const SLOW_SQL_SHOWN = 400;

/** The ORM's logger: counts statements and passes slow or failing ones to the structured log. */
export function createOrmLogger(logger: Logger): (options: LoggerOptions) => OrmLogger {
  return () => ({
    log: (namespace: string, message: string) => logger.debug({ namespace }, message),
    error: (namespace: string, message: string) => logger.error({ namespace }, message),
    warn: (namespace: string, message: string) => logger.warn({ namespace }, message),
    logQuery(context: LogContext) {
      if (context.namespace === 'slow-query') {
        // The statement's start and its length: a 170-column statement is tens of kB, too much for one log line
        // (LOG_LEVEL=trace logs every statement whole).
        const whole = context.query ?? '';
        const sql = whole.length > SLOW_SQL_SHOWN ? `${whole.slice(0, SLOW_SQL_SHOWN)} …` : whole;
        logger.warn({ sql, sqlLength: whole.length, tookMs: context.took }, 'slow SQL statement');
        return;
      }
      const count = current.getStore();
      if (count) count.statements += 1;
      logger.trace({ sql: context.query, tookMs: context.took }, 'SQL statement');
      if (context.level === 'error') logger.debug({ sql: context.query }, 'SQL statement failed');
    },
    setDebugMode: () => undefined,
    isEnabled: () => false,
  });
}
