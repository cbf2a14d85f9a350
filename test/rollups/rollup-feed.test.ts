/**
 * The rollup feed's shutdown: `stop` must wait for a NOTIFY the flush timer has already begun. CI once hung for a
 * minute closing a hub: the timer's send was waiting for a pooled connection when `stop` found nothing pending and
 * returned, the test database's ORM then closed its pool under the send, and the connection the send was handed was
 * never released, so the pool's end never came. Here the send is held deterministically: the feed's ORM has one
 * connection, and the test holds it in a transaction.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ormConfig } from '../../src/db/orm.config.js';
import { CHANNEL, RollupFeed } from '../../src/rollups/rollup-changes.js';
import { Basis } from '../../src/reports/report-status.js';
import { createTestDatabase, testLogger, type TestDatabase } from '../support/test-database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const settled = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => 'settled' as const), new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms).unref())]);

it('stop waits for a send the flush timer began, and the pool then closes', async () => {
  const listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  const received: string[] = [];
  listener.on('notification', (n) => received.push(n.payload!));
  await listener.query(`listen ${CHANNEL}`);

  const orm = await MikroORM.init(ormConfig(db.url, testLogger, { poolSize: 1 }));
  const feed = new RollupFeed(orm.em.fork());
  feed.logger = testLogger;
  let release!: () => void;
  let holding!: () => void;
  const connectionHeld = new Promise<void>((resolve) => (holding = resolve));
  const held = orm.em.fork().transactional(async (em) => {
    await em.execute('select 1');
    holding();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await connectionHeld;

  feed.committed([{ basis: Basis.SUBMITTED, year: 2024, month: 3, unitId: 7 }]);
  await new Promise((resolve) => setTimeout(resolve, 150)); // the timer (50 ms) has fired; its send waits for the connection (were it late, stop's own send would)
  const stopping = feed.stop();
  expect(await settled(stopping, 200)).toBe('pending');

  release();
  await held;
  expect(await settled(stopping, 5_000)).toBe('settled');
  expect(feed.stats.notified).toBe(1);
  expect(await settled(orm.close(true), 5_000)).toBe('settled');

  for (let i = 0; i < 50 && !received.length; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(received.map((p) => JSON.parse(p))).toEqual([[[Basis.SUBMITTED, 2024, 3, [7]]]]);
  await listener.end();
});
