/**
 * Concurrent submissions written together: group commit.
 *
 * Every submission in a city adds its rollup change to the same rows (its county's, the city's, the province's; a
 * month, a quarter, a year). Written one transaction each, the submitters of a city queue for those rows, each
 * holding them for its update and its commit's WAL flush, and each pays three round trips and a flush of its own.
 * Here a process lets a few write transactions run at once (`MAX_IN_FLIGHT`); submissions that arrive while those
 * run wait, and the next free slot takes all waiting ones (up to `MAX_BATCH`) as one batch in one transaction of
 * three messages: every report's locks and reads; every revision's write; one statement that adds the sum of their
 * rollup changes to each row concerned (a shared row updated once), with COMMIT. A submission is answered only
 * after that commit. Alone, with no one waiting, a submission takes its own transaction as before: no added delay.
 *
 * Failure isolation: a refusal (a stale base revision, a locked report) refuses that submission only; it writes
 * nothing, and the others go on. Should PostgreSQL refuse a statement of the batch (a unique idempotency key that two
 * members of a batch both use, say), the whole batch is rolled back — nothing of it saved — and each member is
 * written again in a transaction of its own, which gives each its own answer. A member whose report does not exist
 * yet (its first revision) or whose idempotency key was already used is written alone after the batch, as those
 * need statements of their own.
 *
 * Deadlocks: a batch takes its reports' locks in one order (unit, year, month, scope) and its rollup rows in the
 * global order of the write path (rollups/preaggregate.ts). It holds no two writes to one unit-year, and none of a
 * unit-year that another of this process's transactions is writing (that one would only wait for the other's commit
 * in PostgreSQL, holding its own locks meanwhile). Each hub process has its own queue; between processes the locks
 * keep the order.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { batchTransaction } from '../db/write-transaction.js';
import { perConnection } from '../db/per-connection.js';
import { applyRollupChanges } from '../rollups/preaggregate.js';
import { rollupsCommitted } from '../rollups/rollup-changes.js';
import { lockedState, writeReading, type RollupTarget } from './report.repository.js';
import { Basis } from './report-status.js';
import { decideWrite, storeRevisionAlone, type OpeningRows, type PendingWrite, type Stored } from './report.service.js';

/**
 * Write transactions of submissions at once per process: enough to keep PostgreSQL's cores busy while this process
 * checks the next batch, few enough that submissions arriving meanwhile form batches. Side by side with 32 submitters
 * into one city (2 cores): 2 → 493/s, 3 → 514/s, 4 → 536/s, one transaction each (before) 397/s.
 */
export const MAX_IN_FLIGHT = 4;
/** At most this many submissions in one batch (one transaction's locks; one message's size). */
export const MAX_BATCH = 32;

interface Member {
  /** The submitting request's entity manager. */
  em: EntityManager;
  write: PendingWrite;
  resolve(stored: Stored): void;
  reject(error: unknown): void;
}

/** How the queue has written so far (shown at /healthz; tests and the benchmark read it). */
export interface QueueStats {
  /** Transactions of one submission (alone in the queue, or written after or instead of a batch). */
  alone: number;
  /** Transactions of several. */
  batches: number;
  /** Submissions written in those. */
  batched: number;
  /** Batches PostgreSQL refused, whose members were then written one by one. */
  fallbacks: number;
}

const unitYear = (w: PendingWrite) => `${w.key.unitId}|${w.key.year}`;
const order = (a: Member, b: Member) =>
  a.write.key.unitId - b.write.key.unitId || a.write.key.year - b.write.key.year || (a.write.key.month ?? 0) - (b.write.key.month ?? 0) ||
  a.write.key.scope.localeCompare(b.write.key.scope);

export class SubmissionQueue {
  readonly stats: QueueStats = { alone: 0, batches: 0, batched: 0, fallbacks: 0 };
  /** Where a batch PostgreSQL refused is reported (the hub sets its own; none in scripts). */
  logger: Logger | null = null;
  private readonly waiting: Member[] = [];
  private running = 0;
  /** The unit-years of the running transactions (a count: a fallback may write a unit-year again). */
  private readonly writing = new Map<string, number>();

  /** Submissions waiting for a free transaction. */
  get queued(): number {
    return this.waiting.length;
  }

  store(em: EntityManager, write: PendingWrite): Promise<Stored> {
    return new Promise<Stored>((resolve, reject) => {
      this.waiting.push({ em, write, resolve, reject });
      this.pump();
    });
  }

  /**
   * Starts transactions while slots are free: each takes the waiting submissions, one per unit-year, and none of a
   * unit-year a running transaction writes (it would only wait there for that one's commit, holding its own locks,
   * and make the batches behind it wait too); those stay first in line.
   */
  private pump(): void {
    while (this.running < MAX_IN_FLIGHT && this.waiting.length) {
      const batch: Member[] = [];
      const taken = new Set<string>();
      for (let i = 0; i < this.waiting.length && batch.length < MAX_BATCH; ) {
        const m = this.waiting[i];
        const key = unitYear(m.write);
        if (taken.has(key) || this.writing.has(key)) {
          i++;
          continue;
        }
        taken.add(key);
        batch.push(m);
        this.waiting.splice(i, 1);
      }
      if (!batch.length) return;
      for (const key of taken) this.writing.set(key, (this.writing.get(key) ?? 0) + 1);
      this.running++;
      void this.write(batch).finally(() => {
        for (const key of taken) {
          const n = this.writing.get(key)! - 1;
          if (n) this.writing.set(key, n);
          else this.writing.delete(key);
        }
        this.running--;
        this.pump();
      });
    }
  }

  private async write(batch: Member[]): Promise<void> {
    if (batch.length === 1) return this.alone(batch[0]);
    this.stats.batches++;
    this.stats.batched += batch.length;
    batch.sort(order);
    const later: Member[] = [];
    const refused = new Set<Member>();
    let written: { member: Member; stored: Stored; rollups: RollupTarget | null }[];
    try {
      written = await batchTransaction(batch[0].em, async (send, commit) => {
        const opened = await send(batch.flatMap((m) => m.write.opening));
        const writes = [];
        let at = 0;
        for (const member of batch) {
          // Each member's opening statements: its lock, its read, and the read of its unit-year's figures.
          const [locked, read, members] = opened.slice(at, (at += member.write.opening.length)) as OpeningRows;
          const report = lockedState(locked);
          if (!report) {
            later.push(member);
            continue;
          }
          try {
            const decision = decideWrite(member.write, report, writeReading(read), members);
            if ('replay' in decision) later.push(member);
            else writes.push({ member, decision });
          } catch (refusal) {
            refused.add(member);
            member.reject(refusal);
          }
        }
        const rows = writes.length ? await send(writes.map((w) => w.decision.write)) : [];
        const done = writes.map((w, i) => ({ ...w, stored: w.decision.complete(rows[i][0]) }));
        const apply = applyRollupChanges(
          Basis.SUBMITTED,
          done.filter((d) => d.decision.rollups).map((d) => ({ year: d.decision.rollups!.year, change: d.decision.delta! })),
        );
        await commit(apply ? [apply] : []);
        return done.map((d) => ({ member: d.member, stored: d.stored, rollups: d.decision.rollups }));
      });
      rollupsCommitted(batch[0].em, written.map((w) => w.rollups));
    } catch (error) {
      const refusedByDatabase = refusedStatement(error);
      // A member refused already has its answer; it is never written afterwards.
      const open = batch.filter((m) => !refused.has(m));
      if (!refusedByDatabase) {
        // The connection failed, or this code did: whether the commit happened is not known, so no write of the batch
        // is retried. Those left for afterwards were not in it.
        for (const m of open) if (!later.includes(m)) m.reject(error);
        for (const m of later) await this.alone(m);
        return;
      }
      // Rolled back: nothing of the batch is saved. Each member not yet answered again, alone.
      this.stats.fallbacks++;
      this.logger?.warn({ err: error, code: (error as { code: string }).code, members: open.length }, 'PostgreSQL refused a batch of submissions: writing each alone');
      for (const m of open) await this.alone(m);
      return;
    }
    for (const { member, stored } of written) member.resolve(stored);
    for (const m of later) await this.alone(m);
  }

  private async alone(m: Member): Promise<void> {
    this.stats.alone++;
    try {
      m.resolve(await storeRevisionAlone(m.em, m.write));
    } catch (error) {
      m.reject(error);
    }
  }
}

/**
 * Did PostgreSQL refuse a statement of the batch (so the transaction was rolled back and nothing is saved)? An error
 * response with its SQLSTATE, other than those of a connection or a server in trouble (08 connection exception, 53
 * insufficient resources, 57 operator intervention, 58 system error, XX internal error), after which a write is not
 * to be tried again blindly.
 */
function refusedStatement(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && 'severity' in (error as object) && !['08', '53', '57', '58', 'XX'].includes(code.slice(0, 2));
}

/** The queue of the process's database. */
export const submissionQueue = perConnection(() => new SubmissionQueue());
