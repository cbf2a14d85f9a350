/**
 * The IDE's fetcher (`/ide/assets/fetcher.js`) with the graphql-ws browser build the IDE serves, both fetched from a
 * real hub and run as a page would run them (in a fresh JavaScript context whose only WebSocket is the `ws` package's,
 * which has the browser's API): subscriptions go over the socket with the headers editor's token, and are pushed
 * again after a write; queries go to GraphiQL's HTTP fetcher; a missing token ends the subscription with an error.
 * What this leaves to a browser: GraphiQL rendering the events (GraphiQL 3 iterates what a fetcher returns).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import vm from 'node:vm';
import WebSocket from 'ws';
import { createUnits, sampleFigures, smallTree, SUBMIT } from '../support/fixtures.js';
import { dataOf, startTestHub, type TestHub } from '../support/test-hub.js';

let hub: TestHub;
let page: { createHubFetcher: Function; graphqlWs: unknown };
const httpCalls: unknown[] = [];
let fetcher: (params: object, opts?: object) => any;
const sockets: WebSocket[] = [];

/** A WebSocket as the page has it (the browser's API), remembered so that the test can close what is left open. */
class PageWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }
}

beforeAll(async () => {
  hub = await startTestHub();
  await createUnits(hub, smallTree);
  // Each unit added is told to subscribers within the feed's 50 ms: a subscription started before that would get an
  // event for it, and the test would take that for the event of its write.
  await new Promise((resolve) => setTimeout(resolve, 400));
  const origin = hub.url.replace(/\/graphql$/, '');
  const asset = async (name: string) => {
    const res = await fetch(`${origin}/ide/assets/${name}`);
    expect(res.status).toBe(200);
    return res.text();
  };
  const html = await (await fetch(hub.url, { headers: { accept: 'text/html' } })).text();
  // The page loads graphql-ws before the fetcher, and the fetcher before boot.js, which uses both.
  const scripts = [...html.matchAll(/<script src="\/ide\/assets\/([\w.-]+)"/g)].map((m) => m[1]);
  expect(scripts.slice(-3)).toEqual(['graphql-ws.min.js', 'fetcher.js', 'boot.js']);

  const context = vm.createContext({ WebSocket: PageWebSocket, URL, setTimeout, clearTimeout });
  vm.runInContext(await asset('graphql-ws.min.js'), context);
  vm.runInContext(await asset('fetcher.js'), context);
  page = context as unknown as typeof page;
  const overHttp = (params: object, opts: object) => (httpCalls.push({ params, opts }), Promise.resolve({ data: { fromHttp: true } }));
  fetcher = page.createHubFetcher('/graphql', overHttp, page.graphqlWs, { href: `${origin}/graphql` }) as typeof fetcher;
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  await hub.close();
});

const MARCH = { year: 2024, month: 3 };
const UPDATES = 'subscription Live { rollupUpdates(unitCode: "441802", period: { year: 2024, month: 3 }) { sources { monthlyReportUnits } } }';

it('runs a subscription over the WebSocket with the token of the headers editor, pushed again after a write', async () => {
  const token = await hub.tokenFor('441802', 'OVERSIGHT');
  const events = fetcher({ query: UPDATES, operationName: 'Live' }, { headers: { Authorization: `Bearer ${token}` } });
  const iterator = events[Symbol.asyncIterator]();
  expect((await iterator.next()).value).toEqual({ data: { rollupUpdates: { sources: { monthlyReportUnits: 0 } } } });
  dataOf(await hub.gql(SUBMIT, { input: { unitCode: '441802100', ...MARCH, figures: sampleFigures() } }));
  expect((await iterator.next()).value).toEqual({ data: { rollupUpdates: { sources: { monthlyReportUnits: 1 } } } });
  await iterator.return();
  expect(httpCalls).toEqual([]);
});

it('sends queries and mutations to the HTTP fetcher, by the operation the IDE runs', async () => {
  const query = { query: '{ unit(code: "441802") { code } }' };
  expect(await fetcher(query, { headers: {} })).toEqual({ data: { fromHttp: true } });
  // A document with a subscription and a query: the operation chosen decides.
  const both = `query Q { unit(code: "441802") { code } } ${UPDATES}`;
  const documentAST = { definitions: [{ kind: 'OperationDefinition', operation: 'query', name: { value: 'Q' } }, { kind: 'OperationDefinition', operation: 'subscription', name: { value: 'Live' } }] };
  expect(await fetcher({ query: both, operationName: 'Q' }, { headers: {}, documentAST })).toEqual({ data: { fromHttp: true } });
  expect(httpCalls).toHaveLength(2);
  const token = await hub.tokenFor('441802', 'OVERSIGHT');
  const live = fetcher({ query: both, operationName: 'Live' }, { headers: { authorization: `Bearer ${token}` }, documentAST });
  const first = await live[Symbol.asyncIterator]().next();
  expect(first.value.data.rollupUpdates.sources.monthlyReportUnits).toBe(1);
  await live.return();
  expect(httpCalls).toHaveLength(2);
});

it('ends a subscription without a token with the socket closed 4403', async () => {
  const events = fetcher({ query: UPDATES }, { headers: {} });
  const failure = await events[Symbol.asyncIterator]().next().then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toMatchObject({ code: 4403 });
});
