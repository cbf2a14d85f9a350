/**
 * The feed of committed rollup changes, for subscriptions (`rollupUpdates`, `dashboardUpdates`): which units' figures
 * of which basis, year and month changed (or their status, or the hierarchy: see `RollupChange`), told to every hub
 * process on the database through PostgreSQL's LISTEN/NOTIFY.
 *
 * - Writers call `committed` after their transaction has committed (submissions alone or in a batch, reviews, units
 *   added, deadline rules set).
 *   Changes are gathered for up to FLUSH_MS and sent as one NOTIFY, outside the write transaction: a NOTIFY in it
 *   would hold PostgreSQL's notification lock through the commit's flush, and serialise every submitter's commit.
 * - Each hub keeps one connection that LISTENs (reconnecting when it breaks), and on a notification asks which
 *   ancestors the changed units have (one statement, only when it has watchers) and signals the watchers whose
 *   unit is one of them, for a period the change falls in (a deadline rule: also the watchers below it). Its own
 *   changes come back the same way, so one process or several behave alike.
 * - A watcher keeps a flag, not a queue: changes that come while its subscriber is still reading collapse into one
 *   more read.
 * Not durable: a notification sent while a hub is reconnecting is lost to it; a subscriber that reconnects gets the
 * current figures first (the subscription's first event), so it never stays behind for long.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { perConnection } from '../db/per-connection.js';
import type { Logger } from '../logger.js';
import type { Basis } from '../reports/report-status.js';

export const CHANNEL = 'disclosure_hub_rollups';
/** How long changes gather before they are sent: at most one NOTIFY per 50 ms per process, however many writes. */
const FLUSH_MS = 50;
/** Unit ids per notification (PostgreSQL's payload limit is 8,000 bytes). */
const UNITS_PER_NOTIFY = 500;
const RECONNECT_MS = 1_000;

/**
 * A committed change of a unit's report: a month's (1-12) or its annual report's (month null), of its figures on a
 * basis, or of its status only (`STATUS`: returned or reopened; completeness changes, figures do not). Or a change of
 * the hierarchy that concerns every period (year 0): a unit added (`UNITS`: its ancestors' rollups count one unit more,
 * their completeness expects it), or a deadline rule set at a unit (`DEADLINES`: the completeness of its subtree, and
 * of the units above it, may change; figures do not).
 */
export interface RollupChange {
  basis: Basis | typeof STATUS_ONLY | typeof UNITS_CHANGED | typeof DEADLINES_CHANGED;
  year: number;
  month: number | null;
  unitId: number;
}

export const STATUS_ONLY = 'STATUS';
export const UNITS_CHANGED = 'UNITS';
export const DEADLINES_CHANGED = 'DEADLINES';
/** The year of a change that concerns every period. */
export const EVERY_YEAR = 0;

/**
 * What a subscriber watches: a unit's subtree, for the months of a period in some years (a whole year also its annual
 * reports); on a basis, or (null) any change at all, status-only ones included.
 */
export interface WatchedRollup {
  unitId: number;
  basis: Basis | null;
  years: number[];
  firstMonth: number;
  lastMonth: number;
  useAnnual: boolean;
}

export interface Watcher {
  /** Resolves when a change concerns the watched rollup (at once when one came since the last call). */
  changed(): Promise<void>;
  /** Forgets the changes signalled so far: called just before a read, which sees every one of them (committed first). */
  clear(): void;
  close(): void;
}

/** On the wire: [basis, year, month (0: annual), unit ids][]. */
type Notification = [string, number, number, number[]][];

class WatcherEntry implements Watcher {
  private dirty = false;
  private wake: (() => void) | null = null;
  constructor(
    readonly watched: WatchedRollup,
    private readonly remove: (w: WatcherEntry) => void,
  ) {}
  signal(): void {
    this.dirty = true;
    this.wake?.();
    this.wake = null;
  }
  changed(): Promise<void> {
    if (this.dirty) {
      this.dirty = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wake = () => {
        this.dirty = false;
        resolve();
      };
    });
  }
  clear(): void {
    this.dirty = false;
  }
  /** Stops watching; a `changed()` still waiting resolves (its subscriber is ending). */
  close(): void {
    this.remove(this);
    this.wake?.();
    this.wake = null;
  }
}

export class RollupFeed {
  private pending = new Map<string, Set<number>>();
  private timer: NodeJS.Timeout | null = null;
  private readonly watchers = new Set<WatcherEntry>();
  private listener: pg.Client | null = null;
  private listeners = 0;
  private stopped = true;
  private reconnect: NodeJS.Timeout | null = null;
  private ready: Promise<void> | null = null;
  private readonly sending = new Set<Promise<void>>();
  logger: Logger | null = null;
  readonly stats = { notified: 0, received: 0, signalled: 0 };

  constructor(private readonly em: EntityManager) {}

  /** Changes that have committed; sent to every hub within FLUSH_MS. */
  committed(changes: RollupChange[]): void {
    for (const c of changes) {
      const key = `${c.basis}|${c.year}|${c.month ?? 0}`;
      let units = this.pending.get(key);
      if (!units) this.pending.set(key, (units = new Set()));
      units.add(c.unitId);
    }
    if (changes.length && !this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      // A process that ends within FLUSH_MS of a write (a script) is not kept waiting for it; a hub flushes on close.
      this.timer.unref();
    }
  }

  /**
   * Sends what has gathered (also called when a hub closes, so that nothing committed is left unsaid). Resolves when
   * every send begun before it has ended too: `stop` must not let the pool close under a send the timer began.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const send = this.send();
    this.sending.add(send);
    void send.finally(() => this.sending.delete(send));
    return Promise.all(this.sending).then(() => undefined);
  }

  private async send(): Promise<void> {
    if (!this.pending.size) return;
    const notifications: Notification[] = [];
    for (const [key, units] of this.pending) {
      const [basis, year, month] = key.split('|');
      const ids = [...units];
      for (let i = 0; i < ids.length; i += UNITS_PER_NOTIFY) notifications.push([[basis, Number(year), Number(month), ids.slice(i, i + UNITS_PER_NOTIFY)]]);
    }
    this.pending.clear();
    try {
      for (const n of notifications) await this.em.fork().execute('select pg_notify(?, ?)', [CHANNEL, JSON.stringify(n)]);
      this.stats.notified += notifications.length;
    } catch (error) {
      this.logger?.warn({ err: error }, 'could not notify subscribers of rollup changes');
    }
  }

  /** Starts listening (once per database, however many hubs share it); resolves when LISTEN is in place. */
  listen(url: string, logger: Logger): Promise<void> {
    this.logger = logger;
    this.listeners++;
    if (this.listeners === 1) {
      this.stopped = false;
      this.ready = this.connect(url, true).catch((error: unknown) => {
        // A hub that cannot listen does not start; nothing is left trying to reconnect for it.
        this.listeners--;
        this.stopped = true;
        throw error;
      });
    }
    return this.ready!;
  }

  /** Connects and LISTENs; a connection lost later is replaced after RECONNECT_MS (the first one must succeed). */
  private async connect(url: string, first = false): Promise<void> {
    const client = new pg.Client({ connectionString: url, application_name: 'disclosure-hub rollup feed' });
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.payload) void this.received(message.payload);
    });
    let lost = false;
    const retry = (error: unknown) => {
      // Once per connection, however many errors it reports.
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger?.warn({ err: error }, `rollup feed connection lost; reconnecting in ${RECONNECT_MS} ms`);
      this.reconnect = setTimeout(() => void this.connect(url).catch(() => undefined), RECONNECT_MS);
    };
    client.on('error', retry);
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
      if (this.stopped) {
        // The last hub closed while this reconnected: nothing is to listen any more.
        lost = true;
        await client.end().catch(() => undefined);
        return;
      }
      this.listener = client;
    } catch (error) {
      if (first) {
        lost = true;
        await client.end().catch(() => undefined);
      } else retry(error);
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.listeners = Math.max(0, this.listeners - 1);
    await this.flush();
    if (this.listeners > 0) return;
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => undefined);
  }

  watch(watched: WatchedRollup): Watcher {
    const entry = new WatcherEntry(watched, (w) => this.watchers.delete(w));
    this.watchers.add(entry);
    return entry;
  }

  get watching(): number {
    return this.watchers.size;
  }

  private async received(payload: string): Promise<void> {
    this.stats.received++;
    if (!this.watchers.size) return;
    let notification: Notification;
    try {
      notification = JSON.parse(payload) as Notification;
    } catch {
      return;
    }
    try {
      // A deadline rule concerns the units below it too: their ancestors are read with the changed units'.
      const watchedBelow = notification.some(([basis]) => basis === DEADLINES_CHANGED) ? [...this.watchers].map((w) => w.watched.unitId) : [];
      const units = [...new Set([...notification.flatMap(([, , , ids]) => ids), ...watchedBelow])];
      // grain: one row per changed (or watched) unit and each of its ancestors (itself included)
      const rows = await this.em.fork().execute<{ unit_id: number; ancestor_id: number }[]>(
        'select descendant_id as unit_id, ancestor_id from unit_closure where descendant_id = any(?::int[])',
        // as an array literal: the ORM would spread a JavaScript array into a list
        [`{${units.join(',')}}`],
      );
      const above = new Map<number, number[]>();
      for (const r of rows) above.set(r.unit_id, [...(above.get(r.unit_id) ?? []), r.ancestor_id]);
      const within = (unit: number, ancestor: number) => above.get(unit)?.includes(ancestor) ?? false;
      for (const watcher of this.watchers) {
        const w = watcher.watched;
        const concerned = notification.some(([basis, year, month, ids]) => {
          if (basis === UNITS_CHANGED) return ids.some((id) => within(id, w.unitId));
          if (basis === DEADLINES_CHANGED) return w.basis === null && ids.some((id) => within(id, w.unitId) || within(w.unitId, id));
          return (
            (w.basis === null || basis === w.basis) &&
            w.years.includes(year) &&
            (month === 0 ? w.useAnnual : month >= w.firstMonth && month <= w.lastMonth) &&
            ids.some((id) => within(id, w.unitId))
          );
        });
        if (concerned) {
          this.stats.signalled++;
          watcher.signal();
        }
      }
    } catch (error) {
      this.logger?.warn({ err: error }, 'could not match rollup changes to subscriptions');
    }
  }
}

/** The feed of the process's database. */
export const rollupFeed = perConnection((em) => new RollupFeed(em));

/**
 * After a write's transaction has committed: its rollup changes go to the feed. Inside a caller's transaction (a bulk
 * load, whose caller rebuilds the rollups) nothing is said, as the caller's commit is not this code's to see.
 */
export function rollupsCommitted(em: EntityManager, changes: (RollupChange | null | undefined)[]): void {
  if (em.isInTransaction()) return;
  const real = changes.filter((c): c is RollupChange => !!c);
  if (real.length) rollupFeed(em).committed(real);
}
