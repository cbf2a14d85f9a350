/**
 * Structured JSON logs (pino). One root logger per process, children per request carry the request id.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'disclosure-hub' }, timestamp: pino.stdTimeFunctions.isoTime });
}
