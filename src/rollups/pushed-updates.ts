/**
 * The event stream of a subscription that pushes a read again whenever the feed says its data changed
 * (`rollupUpdates`, `dashboardUpdates`): the read at once, then once more after each signal of the watcher; signals
 * that come during a read collapse into one more read (rollup-changes.ts). Every read gets a fresh context, so that
 * none sees what an earlier one cached. A read that fails is that event's error; the stream goes on.
 */
import { renewContext, type Context } from '../graphql/context.js';
import type { Watcher } from './rollup-changes.js';

export function pushedOnChange<T>(ctx: Context, watcher: Watcher, read: () => Promise<T>): AsyncIterableIterator<T | Error> {
  let first = true;
  let closed = false;
  const done = (): IteratorResult<T | Error> => ({ done: true, value: undefined });
  const iterator: AsyncIterableIterator<T | Error> = {
    async next() {
      if (!first) await watcher.changed();
      first = false;
      if (closed) return done();
      renewContext(ctx);
      try {
        return { done: false, value: await read() };
      } catch (error) {
        return { done: false, value: error instanceof Error ? error : new Error(String(error)) };
      }
    },
    async return() {
      closed = true;
      watcher.close();
      return done();
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
