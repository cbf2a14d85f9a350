/**
 * The event stream of a subscription that pushes a read again whenever the feed says its data changed
 * (`rollupUpdates`, `dashboardUpdates`): the read at once, then once more after each signal of the watcher; signals
 * that come during a read collapse into one more read (rollup-changes.ts). Every read gets a fresh context, so that
 * none sees what an earlier one cached. A read that fails is that event's error; the stream goes on.
 */
import { renewContext, type Context } from '../graphql/context.js';
import type { Watcher } from './rollup-changes.js';

export function pushedOnChange<T>(ctx: Context, watcher: Watcher, read: () => Promise<T>, minIntervalMs = 0): AsyncIterableIterator<T | Error> {
  let first = true;
  let closed = false;
  let lastRead = 0;
  let pause: { timer: NodeJS.Timeout; resolve: () => void } | null = null;
  const done = (): IteratorResult<T | Error> => ({ done: true, value: undefined });
  const iterator: AsyncIterableIterator<T | Error> = {
    async next() {
      if (!first) {
        await watcher.changed();
        // An expensive read (a dashboard) is pushed at most once per minIntervalMs: changes meanwhile wait and collapse
        // into the next read, so that a burst of submissions does not keep every subscriber re-reading back to back.
        const wait = lastRead + minIntervalMs - Date.now();
        if (wait > 0 && !closed) await new Promise<void>((resolve) => (pause = { timer: setTimeout(resolve, wait), resolve }));
        pause = null;
      }
      first = false;
      if (closed) return done();
      lastRead = Date.now();
      // A change notified by now committed before this read begins, so the read shows it: it needs no read of its own
      // (a change notified later may have committed before the read too; that costs one read with the same figures).
      watcher.clear();
      renewContext(ctx);
      try {
        return { done: false, value: await read() };
      } catch (error) {
        return { done: false, value: error instanceof Error ? error : new Error(String(error)) };
      }
    },
    async return() {
      closed = true;
      if (pause) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
      watcher.close();
      return done();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** A subscription field's value for an event of `pushedOnChange`: a failed read is that event's error. */
export function eventOf<T>(update: T | Error): T {
  if (update instanceof Error) throw update;
  return update;
}
