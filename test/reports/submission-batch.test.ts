/**
 * Concurrent submissions written as one batch (reports/submission-batch.ts): members of a batch are saved together,
 * a refused member refuses only itself, a batch PostgreSQL refuses is rolled back whole and its members are written
 * one by one, and the rollups stay equal to the base reports throughout. The batch is made deterministic: every
 * transaction slot is held by a submission waiting on a unit-year lock this test holds, so the submissions that
 * follow queue up and are taken together when the lock is released.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { verifyRollups } from '../../src/rollups/verify.js';
import { MAX_IN_FLIGHT, submissionQueue } from '../../src/reports/submission-batch.js';
import { coalescingStats } from '../../src/db/coalesced.js';
import { createUnits, seededFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startTestHub, type GraphQLResponse, type TestHub } from '../support/test-hub.js';

// One hub: the rollups are checked against the base reports by verify, not against a second hub.
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  // Every report the batches re-submit exists already (a first revision is written alone, after its batch).
  for (const unit of ['441802001', '441802100', '441803102', 'D441802001', '441802']) for (const m of [1, 2]) dataOf(await submit(unit, m, m));
});
afterAll(() => hub.close());

const submit = (unitCode: string, month: number, seed: number, extra: Record<string, unknown> = {}) =>
  hub.gql(SUBMIT, { input: { unitCode, year: 2025, month, figures: seededFigures(seed), ...extra } });
const queue = () => submissionQueue(hub.db.orm.em);
const revisions = async (unit: string, month: number) =>
  Number((await hub.db.sql<{ n: string }>(
    'select count(*) as n from report_revision v join report r on r.id = v.report_id join unit u on u.id = r.unit_id where u.code = $1 and r.year = 2025 and r.month = $2',
    [unit, month],
  ))[0].n);

/** Advisory locks waited for in this test's database (other suites run beside it on the same server). */
const WAITING = "from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())";

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Runs `members` as one batch: holds the unit-year locks of 441803104 in MAX_IN_FLIGHT earlier years, lets a
 * submission for each of those years take a transaction slot and wait on its lock, queues `members`, then releases
 * the locks.
 */
async function asOneBatch(members: () => Promise<GraphQLResponse>[], whileRunning?: () => Promise<void>): Promise<GraphQLResponse[]> {
  const blocker = new pg.Client({ connectionString: hub.db.url });
  await blocker.connect();
  try {
    const [{ id }] = await hub.db.sql<{ id: number }>("select id from unit where code = '441803104'");
    const years = Array.from({ length: MAX_IN_FLIGHT }, (_, i) => 2024 - i);
    for (const year of years) await blocker.query('select pg_advisory_lock($1::int, $2::int)', [id, year]);
    const holders = years.map((year, i) => hub.gql(SUBMIT, { input: { unitCode: '441803104', year, month: 1 + held++, figures: seededFigures(90 + i) } }));
    await until(async () => Number((await hub.db.sql<{ n: string }>(`select count(*) as n ${WAITING}`))[0].n) === MAX_IN_FLIGHT, 'every slot to wait on a lock');
    const started = members();
    await until(() => queue().queued === started.length, 'the members to queue up');
    await blocker.query('select pg_advisory_unlock_all()');
    (await Promise.all(holders)).forEach((r) => dataOf(r));
    await whileRunning?.();
    return await Promise.all(started);
  } finally {
    await blocker.end();
  }
}
/** Each call's holders write a new month: a first revision, written alone. */
let held = 0;

describe('submissions written in one batch', () => {
  it('saves its members together, refuses a stale one alone, writes a first revision after it, and keeps the rollups exact', async () => {
    const before = { ...queue().stats };
    const stale = await revisions('441802100', 2);
    const [a, refused, c, d, first] = await asOneBatch(() => [
      submit('441802001', 1, 11),
      submit('441802100', 2, 13, { baseRevision: 99 }),
      submit('441803102', 1, 14),
      submit('D441802001', 2, 15),
      submit('441802', 7, 16), // no report yet: written alone, after the batch
    ]);
    for (const r of [a, c, d, first]) dataOf(r);
    expect(refused.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(await revisions('441802100', 2)).toBe(stale);
    expect(await revisions('441802', 7)).toBe(1);
    // One batch of the five; alone: the MAX_IN_FLIGHT lock holders and the first revision.
    expect(queue().stats).toEqual({ ...before, batches: before.batches + 1, batched: before.batched + 5, alone: before.alone + MAX_IN_FLIGHT + 1 });
    expect((await verifyRollups(hub.db.orm.em.fork())).differences).toBe(0);
  });

  it('rolls back a batch PostgreSQL refuses and writes each member alone: one answer each, nothing doubled', async () => {
    const before = { ...queue().stats };
    const counts = await Promise.all([['441802001', 1], ['441802100', 1], ['441803102', 2], ['441802', 1]].map(([u, m]) => revisions(u as string, m as number)));
    // Two different requests under one idempotency key: the second write of the batch breaks the key's uniqueness.
    const [x, y, z, w] = await asOneBatch(() => [
      submit('441802001', 1, 21, { idempotencyKey: 'batch-shared-key' }),
      submit('441802100', 1, 22, { idempotencyKey: 'batch-shared-key' }),
      submit('441803102', 2, 23),
      submit('441802', 1, 24),
    ]);
    expect(queue().stats.fallbacks).toBe(before.fallbacks + 1);
    // Operators see the same counts at /healthz.
    expect(await (await fetch(hub.url.replace(/\/graphql$/, '/healthz'))).json()).toEqual({ status: 'ok', submissions: queue().stats, coalescedReads: coalescingStats, executions: expect.any(Object), knownOperations: expect.any(Object), subscriptions: expect.any(Object) });
    const keyed = [x, y];
    expect(keyed.filter((r) => !r.errors).length).toBe(1);
    expect(keyed.find((r) => r.errors)!.errors![0].extensions.code).toBe('CONFLICT');
    dataOf(z);
    dataOf(w);
    const after = await Promise.all([['441802001', 1], ['441802100', 1], ['441803102', 2], ['441802', 1]].map(([u, m]) => revisions(u as string, m as number)));
    expect(after.map((n, i) => n - counts[i])).toEqual(x.errors ? [0, 1, 1, 1] : [1, 0, 1, 1]);
    expect((await verifyRollups(hub.db.orm.em.fork())).differences).toBe(0);
  });

  it('answers every member with an error, and writes nothing again, when the connection is lost in the middle of a batch', async () => {
    const before = { ...queue().stats };
    const keys: [string, number][] = [['441802001', 2], ['441803102', 2], ['D441802001', 1]];
    const counts = await Promise.all(keys.map(([u, m]) => revisions(u, m)));
    // A second session holds the unit-year of the batch's first member, so that the batch waits in PostgreSQL; its
    // backend is then terminated, as an operator or a failover would.
    const holder = new pg.Client({ connectionString: hub.db.url });
    await holder.connect();
    try {
      const [{ id }] = await hub.db.sql<{ id: number }>("select id from unit where code = '441802001'");
      await holder.query('select pg_advisory_lock($1::int, 2025)', [id]);
      const answers = await asOneBatch(() => keys.map(([u, m], i) => submit(u, m, 40 + i)), async () => {
        await until(async () => (await hub.db.sql(`select 1 ${WAITING} and objid = 2025 and classid = $1`, [id])).length === 1, 'the batch to wait');
        await hub.db.sql(`select pg_terminate_backend(pid) ${WAITING} and objid = 2025 and classid = $1`, [id]);
      });
      for (const a of answers) expect(a.errors?.[0].extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
    } finally {
      await holder.end();
    }
    // Not known to be refused (the connection died): no member is written again, and nothing of the batch was saved.
    expect(queue().stats.fallbacks).toBe(before.fallbacks);
    expect(queue().stats.batches).toBe(before.batches + 1);
    expect(await Promise.all(keys.map(([u, m]) => revisions(u, m)))).toEqual(counts);
    expect((await verifyRollups(hub.db.orm.em.fork())).differences).toBe(0);
  });
});
