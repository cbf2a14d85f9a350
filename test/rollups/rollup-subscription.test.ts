/**
 * `rollupUpdates` over a real WebSocket (graphql-ws client): the rollup at once, then after every committed write in
 * the subtree and period, nothing for writes elsewhere; the token and the subtree checked as over HTTP, the connection
 * closed when its token expires; and a second hub process on the same database pushing a write the first one
 * committed (LISTEN/NOTIFY).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createUnits, sampleFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startTestHub, TEST_AUTH_SECRET, type TestHub } from '../support/test-hub.js';
import { review } from '../workflow/workflow-helpers.js';
import { freePort, spawnHub, type HubProcess } from '../process/hub-process.js';

let hub: TestHub;
const MARCH = { year: 2024, month: 3 };
const clients: Client[] = [];

const UPDATES = `subscription($u: String!, $p: PeriodInput!, $b: Basis) {
  rollupUpdates(unitCode: $u, period: $p, basis: $b) { unit { code } basis figures { applications { newReceived { total } } } sources { monthlyReportUnits } }
}`;

/** A graphql-ws client on a hub's /graphql; `token` null: none sent. */
function connect(url: string, token: string | null, onClosed?: (code: number) => void): Client {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => onClosed?.((event as { code: number }).code) },
  });
  clients.push(client);
  return client;
}

/** The results of one subscription as they come, and a wait for the n-th. */
function subscribe(client: Client, query: string, variables: Record<string, unknown>) {
  const results: any[] = [];
  /** When each result came (ms since the epoch). */
  const times: number[] = [];
  let ended = false;
  let failure: unknown = null;
  const waiters: (() => void)[] = [];
  const wakeAll = () => waiters.splice(0).forEach((w) => w());
  const stop = client.subscribe(
    { query, variables },
    {
      next: (result) => (results.push(result), times.push(Date.now()), wakeAll()),
      error: (error) => ((failure = error), (ended = true), wakeAll()),
      complete: () => ((ended = true), wakeAll()),
    },
  );
  return {
    results,
    times,
    get ended() {
      return ended;
    },
    get failure() {
      return failure;
    },
    /** Waits until `n` results have come (or the subscription ended), at most `ms`. */
    async count(n: number, ms = 10_000): Promise<any[]> {
      const deadline = Date.now() + ms;
      while (results.length < n && !ended && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return results;
    },
    stop,
  };
}

const total = (result: any) => result.data.rollupUpdates.figures.applications.newReceived.total;
const submit = async (unitCode: string, figures = sampleFigures()) => dataOf(await hub.gql(SUBMIT, { input: { unitCode, ...MARCH, figures } }));
/** Longer than the feed's 50 ms gathering and a notification's way back. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  await submit('441802100');
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await hub.close();
});

describe('rollupUpdates', () => {
  it('pushes the rollup at once, again after a write below it in its period, and not for writes elsewhere', async () => {
    // The set-up's write is told within 50 ms; a subscription started before that would be pushed it once more.
    await settle();
    const oversight = connect(hub.url, await hub.tokenFor('441802', 'OVERSIGHT'));
    const district = subscribe(oversight, UPDATES, { u: '441802', p: MARCH });
    const quarter = subscribe(oversight, UPDATES, { u: '441802', p: { year: 2024, quarter: 1 } });
    const april = subscribe(oversight, UPDATES, { u: '441802', p: { year: 2024, month: 4 } });
    const [first] = await district.count(1);
    expect(first.data.rollupUpdates).toMatchObject({ unit: { code: '441802' }, basis: 'SUBMITTED', sources: { monthlyReportUnits: 1 } });
    await quarter.count(1);
    await april.count(1);
    const one = total(first);

    // A sibling district's write concerns none of them.
    await submit('441803102');
    await settle();
    expect([district.results.length, quarter.results.length, april.results.length]).toEqual([1, 1, 1]);

    // A write below 441802 in March: the month and the quarter are pushed again, April is not.
    await submit('441802001');
    const [, second] = await district.count(2);
    expect(second.data.rollupUpdates.sources.monthlyReportUnits).toBe(2);
    expect(total(second)).toBe(2 * one);
    expect(total((await quarter.count(2))[1])).toBe(2 * one);
    await settle();
    expect([district.results.length, quarter.results.length, april.results.length]).toEqual([2, 2, 1]);
  });

  it('pushes an approval to a subscription on the APPROVED basis', async () => {
    const client = connect(hub.url, await hub.tokenFor('441800', 'OVERSIGHT'));
    const approved = subscribe(client, UPDATES, { u: '441800', p: MARCH, b: 'APPROVED' });
    const [first] = await approved.count(1);
    expect(first.data.rollupUpdates.sources.monthlyReportUnits).toBe(0);
    dataOf(await review(hub, await hub.tokenFor('441802', 'REVIEWER'), 'approveReport', '441802100', MARCH));
    const [, second] = await approved.count(2);
    expect(second.data.rollupUpdates).toMatchObject({ basis: 'APPROVED', sources: { monthlyReportUnits: 1 } });
  });

  it('refuses a subtree the token does not cover, an unknown unit, and queries over the socket', async () => {
    const client = connect(hub.url, await hub.tokenFor('441803', 'OVERSIGHT'));
    const forbidden = subscribe(client, UPDATES, { u: '441802', p: MARCH });
    await forbidden.count(1);
    expect(forbidden.results[0].errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    await forbidden.count(2);
    expect(forbidden.ended).toBe(true);

    const unknown = subscribe(client, UPDATES, { u: '999999', p: MARCH });
    await unknown.count(1);
    expect(unknown.results[0].errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);

    const query = subscribe(client, '{ unit(code: "441803") { code } }', {});
    await query.count(1);
    expect(query.results).toEqual([]);
    expect((query.failure as any[]).map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);

    const wrongVariable = subscribe(client, UPDATES, { u: 441803, p: MARCH });
    await wrongVariable.count(1);
    expect((wrongVariable.failure as any[]).map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('closes a connection without a valid token (4403)', async () => {
    for (const token of [null, 'not-a-token']) {
      let closedWith = 0;
      const client = connect(hub.url, token, (code) => (closedWith = code));
      const updates = subscribe(client, UPDATES, { u: '441802', p: MARCH });
      await updates.count(1);
      expect(updates.results).toEqual([]);
      expect(closedWith).toBe(4403);
    }
  });
});

const DASHBOARD_UPDATES = `subscription($u: String!, $y: Int!) {
  dashboardUpdates(unitCode: $u, year: $y) {
    unit { code } year basis
    headline { metric value previous }
    trend { period { month } newReceived reportingUnits }
    children { unit { code } }
    completeness { units expected missing }
  }
}`;

describe('dashboardUpdates', () => {
  const received = (event: any) => new Map(event.data.dashboardUpdates.headline.map((h: any) => [h.metric, h])).get('NEW_RECEIVED') as any;
  const may = (event: any) => event.data.dashboardUpdates.trend[4];

  it('pushes the dashboard at once, after writes below it in the year or the year before, after a return, and not for writes elsewhere', async () => {
    await settle();
    const oversight = connect(hub.url, await hub.tokenFor('441802', 'OVERSIGHT'));
    const updates = subscribe(oversight, DASHBOARD_UPDATES, { u: '441802', y: 2024 });
    // A rollup subscriber on the SUBMITTED basis, to show that a return (no figure changes) is not pushed to it.
    const march = subscribe(oversight, UPDATES, { u: '441802', p: MARCH });
    const [first] = await updates.count(1);
    await march.count(1);
    expect(first.data.dashboardUpdates).toMatchObject({ unit: { code: '441802' }, year: 2024, basis: 'SUBMITTED' });
    expect(first.data.dashboardUpdates.children.map((c: any) => c.unit.code)).toEqual(['441802001', '441802100', 'D441802001']);
    expect(may(first)).toEqual({ period: { month: 5 }, newReceived: 0, reportingUnits: 0 });
    const one = total((await march.count(1))[0]) / 2; // two units below 441802 reported March, the same figures

    // Elsewhere: a sibling district in 2024, and 441802's subtree in 2022 (neither this year nor the one before).
    await submit('441803102');
    dataOf(await hub.gql(SUBMIT, { input: { unitCode: '441802100', year: 2022, month: 5, figures: sampleFigures() } }));
    await settle();
    expect(updates.results).toHaveLength(1);

    // May 2024 below 441802: the trend's May.
    dataOf(await hub.gql(SUBMIT, { input: { unitCode: '441802001', year: 2024, month: 5, figures: sampleFigures() } }));
    const [, second] = await updates.count(2);
    expect(may(second)).toEqual({ period: { month: 5 }, newReceived: one, reportingUnits: 1 });

    // May 2023 below 441802: the year before, which the headline compares with.
    const previous = received(second).previous;
    dataOf(await hub.gql(SUBMIT, { input: { unitCode: '441802001', year: 2023, month: 5, figures: sampleFigures() } }));
    const [, , third] = await updates.count(3);
    expect(received(third).previous).toBe(previous + one);
    await settle();
    expect(updates.results).toHaveLength(3);

    // A return changes no figures but the report's status: the dashboard is pushed, the SUBMITTED rollup is not.
    const pushedToMarch = march.results.length;
    dataOf(await review(hub, await hub.tokenFor('441802', 'REVIEWER'), 'returnReport', '441802001', { year: 2024, month: 5 }, { reason: 'check 二、' }));
    const [, , , fourth] = await updates.count(4);
    expect(fourth.data.dashboardUpdates.unit.code).toBe('441802');
    await settle();
    expect(updates.results).toHaveLength(4);
    expect(march.results).toHaveLength(pushedToMarch);

    // Two writes 200 ms apart, right after an event: one event for both, a second after the last read began at the
    // earliest (a dashboard is read at most once a second per subscription), with both in it.
    dataOf(await hub.gql(SUBMIT, { input: { unitCode: '441802100', year: 2024, month: 5, figures: sampleFigures() } }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    dataOf(await hub.gql(SUBMIT, { input: { unitCode: '441802001', year: 2024, month: 5, figures: sampleFigures() } }));
    const fifth = (await updates.count(5))[4];
    expect(may(fifth)).toEqual({ period: { month: 5 }, newReceived: 2 * one, reportingUnits: 2 });
    expect(updates.times[4] - updates.times[3]).toBeGreaterThanOrEqual(800);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(updates.results).toHaveLength(5);
  });

  it('pushes the dashboard when a unit is added below it or a deadline rule set above or below it; a rollup when a unit is added', async () => {
    await settle();
    const SOURCES = `subscription($u: String!, $p: PeriodInput!) { rollupUpdates(unitCode: $u, period: $p) { sources { unitsInSubtree } } }`;
    const CREATE = `mutation($i: CreateUnitInput!) { createUnit(input: $i) { code } }`;
    const DEADLINES = `mutation($u: String!) { setDeadlines(input: { unitCode: $u, monthlyDay: 15, annualMonth: 2, annualDay: 28 }) { setBy } }`;
    const oversight = connect(hub.url, await hub.tokenFor('441802', 'OVERSIGHT'));
    const dashboard = subscribe(oversight, DASHBOARD_UPDATES, { u: '441802', y: 2024 });
    const sources = subscribe(oversight, SOURCES, { u: '441802', p: MARCH });
    const [first] = await dashboard.count(1);
    const [before] = await sources.count(1);
    const units = (event: any) => event.data.dashboardUpdates.completeness.units;

    // A town added below 441802: both pushed, each counting it.
    dataOf(await hub.gql(CREATE, { i: { code: '441802101', name: '东城街道', kind: 'SUBDISTRICT', parentCode: '441802' } }));
    const [, second] = await dashboard.count(2);
    const [, after] = await sources.count(2);
    expect(units(second)).toBe(units(first) + 1);
    expect(after.data.rollupUpdates.sources.unitsInSubtree).toBe(before.data.rollupUpdates.sources.unitsInSubtree + 1);

    // Elsewhere: a unit in the sibling district, and a deadline rule there. Nothing is pushed.
    dataOf(await hub.gql(CREATE, { i: { code: '441803103', name: '山塘镇', kind: 'TOWN', parentCode: '441803' } }));
    dataOf(await hub.gql(DEADLINES, { u: '441803' }));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(dashboard.results).toHaveLength(2);
    expect(sources.results).toHaveLength(2);

    // A deadline rule at the city, above 441802, and one at a town below it: the dashboard only (figures are the same).
    dataOf(await hub.gql(DEADLINES, { u: '441800' }));
    await dashboard.count(3);
    dataOf(await hub.gql(DEADLINES, { u: '441802001' }));
    await dashboard.count(4);
    await settle();
    expect(dashboard.results).toHaveLength(4);
    expect(sources.results).toHaveLength(2);
  });

  it('is refused for a subtree the token does not cover (FORBIDDEN) and for a year before the regulation (INVALID_PERIOD)', async () => {
    const client = connect(hub.url, await hub.tokenFor('441803', 'OVERSIGHT'));
    const forbidden = subscribe(client, DASHBOARD_UPDATES, { u: '441802', y: 2024 });
    await forbidden.count(1);
    expect(forbidden.results[0].errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const badYear = subscribe(client, DASHBOARD_UPDATES, { u: '441803', y: 1900 });
    await badYear.count(1);
    expect(badYear.results[0].errors.map((e: any) => e.extensions.code)).toEqual(['INVALID_PERIOD']);
  });
});

describe('a connection and its token', () => {
  it('is closed with 4403 when the token it was opened with expires', async () => {
    let closedWith = 0;
    const client = connect(hub.url, await hub.tokenFor('441802', 'OVERSIGHT', '2s'), (code) => (closedWith = code));
    const updates = subscribe(client, UPDATES, { u: '441802', p: MARCH });
    await updates.count(1);
    expect(updates.results[0].data.rollupUpdates.unit.code).toBe('441802');
    expect(closedWith).toBe(0);
    const deadline = Date.now() + 5_000;
    while (!closedWith && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedWith).toBe(4403);
  });
});

describe('rollupUpdates across hub processes', () => {
  let other: HubProcess;
  afterAll(async () => {
    await other?.stop();
  });

  it('a second hub on the same database pushes what the first committed', async () => {
    const port = await freePort();
    other = spawnHub({ ...process.env, DATABASE_URL: hub.db.url, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'info', AUTH_SECRET: TEST_AUTH_SECRET, NODE_ENV: 'test' });
    await other.waitFor('serving GraphQL');
    const client = connect(`http://127.0.0.1:${port}/graphql`, await hub.tokenFor('441800', 'OVERSIGHT'));
    const city = subscribe(client, UPDATES, { u: '441800', p: MARCH });
    const [first] = await city.count(1);
    await submit('441803104');
    const [, second] = await city.count(2);
    expect(second.data.rollupUpdates.sources.monthlyReportUnits).toBe(first.data.rollupUpdates.sources.monthlyReportUnits + 1);
  }, 60_000);
});
