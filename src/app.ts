/**
 * Builds the hub — schema, Apollo Server and the HTTP server in front of it — from a config, a database and a
 * logger. Nothing happens on import; `main.ts` and the tests call `createHub` and `listen`.
 */
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { coalescingStats } from './db/coalesced.js';
import { countingStatements, type QueryCount } from './db/query-counter.js';
import { createContext, type Context } from './graphql/context.js';
import { createFormatError } from './graphql/format-error.js';
import { createIdeHandler } from './graphql/ide.js';
import { bearer, createTokenVerifier, loadTokenKeys } from './auth/tokens.js';
import { validationRules } from './graphql/limits.js';
import { createExecutor, executorGateway, EXECUTION_SLOT, type WithExecutionSlot } from './graphql/executor.js';
import { createKnownOperations } from './graphql/known-operations.js';
import { buildHubSchema } from './graphql/schema.js';
import { serveSubscriptions } from './graphql/websocket.js';
import { rollupFeed } from './rollups/rollup-changes.js';
import { submissionQueue } from './reports/submission-batch.js';
import type { Logger } from './logger.js';

export const GRAPHQL_PATH = '/graphql';

export interface Hub {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** Starts listening; resolves with the port actually bound (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

export interface HubOptions {
  /** Headers the in-browser IDE starts with (the demo's ready token, in development). */
  ideHeaders?: Record<string, string>;
}

export async function createHub(config: Config, orm: MikroORM, logger: Logger, options: HubOptions = {}): Promise<Hub> {
  const schema = await buildHubSchema();
  const verifyToken = createTokenVerifier(loadTokenKeys(config.auth));
  const exposeStatementCount = config.environment !== 'production';
  submissionQueue(orm.em).logger = logger;
  const executor = createExecutor(schema, config.graphql.executor, config.graphql.compileAfter);
  const knownOperations = config.graphql.knownOperations ? createKnownOperations(executor) : null;
  const formatError = createFormatError(logger, config.graphql.exposeErrorDetails);
  const feed = rollupFeed(orm.em);
  await feed.listen(orm.config.get('clientUrl')!, logger);
  const apollo = new ApolloServer<Context>({
    // Operations run on an executor of our own (graphql/executor.ts), given to Apollo through its gateway interface.
    gateway: executorGateway(schema, executor),
    formatError,
    introspection: config.graphql.introspection,
    validationRules: validationRules(config.graphql),
    parseOptions: { maxTokens: config.graphql.maxTokens },
    includeStacktraceInErrorResponses: false,
    // main.ts stops the server, the pool and the database in order; Apollo must not race it.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // We send no cache hints; left on, Apollo wraps every field resolver to collect them (~2% of a rollup read).
      ApolloServerPluginCacheControlDisabled(),
      // Known operations (graphql/known-operations.ts) do not pass through plugins: a plugin added here that must see every
      // request has to be matched there, or GRAPHQL_KNOWN_OPERATIONS turned off.
      {
        // In development and tests every response says how many SQL statements it cost.
        async requestDidStart() {
          return {
            async willSendResponse({ response, contextValue }) {
              if (!exposeStatementCount || response.body.kind !== 'single') return;
              const count = (contextValue as Context & { statementCount?: QueryCount }).statementCount;
              if (count) response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: count.statements };
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const ide = config.graphql.ide ? createIdeHandler({ endpoint: GRAPHQL_PATH, title: 'disclosure-hub', defaultHeaders: options.ideHeaders }) : () => false;
  const maxBody = config.graphql.maxBodyBytes;

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      logger.error({ err: error }, 'request failed outside GraphQL');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  const subscriptions = serveSubscriptions({ httpServer, path: GRAPHQL_PATH, schema, config, orm, logger, verifyToken, formatError });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (ide(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Also how the process has written submissions so far (alone, in batches, batches refused), how many statements
    // its coalesced reads took, how many operations ran compiled, and the subscriptions' feed: counts, nothing else.
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok', submissions: submissionQueue(orm.em).stats, coalescedReads: coalescingStats, executions: executor.stats, knownOperations: knownOperations?.stats ?? null, subscriptions: { watching: feed.watching, ...feed.stats } });
    if (url.pathname !== GRAPHQL_PATH) return sendJson(res, 404, { errors: [{ message: `nothing at ${url.pathname}; GraphQL answers at ${GRAPHQL_PATH}`, extensions: { code: 'NOT_FOUND' } }] });

    const requestId = String(req.headers['x-request-id'] ?? randomUUID());
    // Every GraphQL request needs a valid token; why one was refused is never said (no help for an attacker).
    const token = bearer(req.headers.authorization);
    const viewer = token ? await verifyToken(token) : null;
    if (!viewer) {
      req.resume();
      return sendJson(res, 401, { errors: [{ message: 'authentication required: send a valid bearer token', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    const body = await readBody(req, maxBody);
    if (body === null) return sendJson(res, 413, { errors: [{ message: `request body larger than ${maxBody} bytes`, extensions: { code: 'BAD_REQUEST' } }] });
    let parsed: unknown = body;
    if ((req.headers['content-type'] ?? '').includes('application/json') && body.length) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'the request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const method = req.method?.toUpperCase() ?? 'GET';
    const count: QueryCount = { statements: 0 };
    // One context per request, for the known way and for Apollo's (which, after a known operation's errors, only
    // answers with the result already in its slot).
    const context: Context & { statementCount: QueryCount } & WithExecutionSlot = Object.assign(createContext(orm, logger, requestId, viewer, config.rollupMode), {
      statementCount: count,
      [EXECUTION_SLOT]: {},
    });
    // Counting runs the request in an AsyncLocalStorage, which costs on every promise: only where it is shown.
    const counted = <T>(run: () => Promise<T>) => (exposeStatementCount ? countingStatements(count, run) : run());

    const known = knownOperations?.lookup(method, req.headers.accept, parsed);
    if (known) {
      const answer = await counted(() => knownOperations!.run(known.plan, parsed, context, exposeStatementCount ? () => ({ sqlStatements: count.statements }) : undefined));
      if ('body' in answer) {
        res.statusCode = 200;
        res.setHeader('content-type', known.mediaType);
        res.setHeader('x-request-id', requestId);
        res.end(answer.body);
        return;
      }
      // Errors: Apollo answers with this result (the executor hands it over instead of running the operation again).
      context[EXECUTION_SLOT].result = answer.errors;
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const httpGraphQLRequest: HTTPGraphQLRequest = { method, headers, search: url.search, body: parsed };
    const response = await counted(() => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context }));
    if (knownOperations && !known) knownOperations.remember(method, req.headers.accept, parsed, context);
    res.statusCode = response.status ?? 200;
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.setHeader('x-request-id', requestId);
    if (response.body.kind === 'complete') {
      // Apollo answers some malformed requests (wrong content type, CSRF preflight missing) in plain text:
      // clients get a GraphQL error in JSON whatever went wrong.
      if (!(response.headers.get('content-type') ?? '').includes('json')) {
        return sendJson(res, response.status ?? 400, { errors: [{ message: response.body.string.trim(), extensions: { code: 'BAD_REQUEST' } }] });
      }
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return {
    httpServer,
    apollo,
    listen(port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      await closingStep(logger, 'subscriptions', () => subscriptions.close());
      await closingStep(logger, 'http server', () => new Promise<void>((resolve) => httpServer.close(() => resolve())));
      await closingStep(logger, 'apollo', () => apollo.stop());
      await closingStep(logger, 'rollup feed', () => feed.stop());
    },
  };
}

/** A step of closing the hub; one that takes long is named in the log, so a shutdown that hangs says where. */
async function closingStep(logger: Logger, step: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  const slow = setInterval(() => logger.warn({ step, waitingMs: Date.now() - started }, `closing the hub: still waiting on the ${step}`), 5_000);
  slow.unref();
  try {
    await run();
  } finally {
    clearInterval(slow);
  }
}

function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop keeping what arrives, let the client finish sending, and answer 413.
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}
