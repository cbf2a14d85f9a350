/**
 * Subscriptions over WebSocket, on the HTTP server's port and path (/graphql), in the graphql-ws protocol
 * (`graphql-transport-ws`). Queries and mutations stay on HTTP POST.
 *
 * - The token goes in the connection's init payload, `{ "authorization": "Bearer …" }` (browsers cannot set headers
 *   on a WebSocket); without a valid one the connection is closed with 4403 Forbidden, and so is a connection when
 *   the token it was opened with expires.
 * - The WebSocket libraries are loaded with the first upgrade request (~7 MB of memory a hub that no dashboard
 *   subscribes to does without).
 * - Each subscription is parsed with the HTTP path's token limit, validated with its rules and limits (depth,
 *   aliases, cost; introspection where it is off), its variables checked, and at most MAX_SUBSCRIPTIONS run on one
 *   connection. Errors carry the same codes as over HTTP and go through the same formatting (error masking).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { Viewer } from '../auth/access.js';
import { bearer, type TokenVerifier } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createContext } from './context.js';
import { validationRules } from './limits.js';

/** Subscriptions one connection may run at once: each is a read per change it is told of. */
export const MAX_SUBSCRIPTIONS = 20;

export interface SubscriptionServer {
  close(): Promise<void>;
}

interface Options {
  httpServer: http.Server;
  path: string;
  schema: GraphQLSchema;
  config: Config;
  orm: MikroORM;
  logger: Logger;
  verifyToken: TokenVerifier;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

/** setTimeout's longest delay (~24.8 days); a longer wait is taken in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A connection lives no longer than the token it was opened with: at its expiry the socket is closed with 4403, as a
 * connection without a valid token is, and the client connects again with a fresh token.
 */
function closeAtExpiry(socket: import('ws').WebSocket, expiresAtMs: number | null): void {
  if (expiresAtMs === null) return;
  let timer: NodeJS.Timeout;
  const wait = () => {
    const left = expiresAtMs - Date.now();
    if (left <= 0) return socket.close(4403, 'Forbidden: the token has expired');
    timer = setTimeout(wait, Math.min(left, LONGEST_TIMER_MS));
  };
  wait();
  socket.once('close', () => clearTimeout(timer));
}

/** A GraphQL error with a code of ours (graphql-js's own errors have none). */
function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: { ...error.extensions, code } });
}
const refusal = (message: string, code = 'BAD_REQUEST') => [new GraphQLError(message, { extensions: { code } })];

export function serveSubscriptions(options: Options): SubscriptionServer {
  let started: Promise<{ wss: WebSocketServer; dispose(): Promise<void> | void }> | null = null;
  const upgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== options.path) {
      socket.destroy();
      return;
    }
    (started ??= start(options)).then(
      ({ wss }) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)),
      (error: unknown) => {
        options.logger.error({ err: error }, 'could not start serving subscriptions');
        socket.destroy();
      },
    );
  };
  options.httpServer.on('upgrade', upgrade);
  return {
    async close() {
      options.httpServer.off('upgrade', upgrade);
      if (!started) return;
      const { wss, dispose } = await started;
      // Open sockets would keep the HTTP server from closing.
      for (const client of wss.clients) client.terminate();
      await dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

async function start(options: Options) {
  const [{ WebSocketServer }, { useServer }] = await Promise.all([import('ws'), import('graphql-ws/use/ws')]);
  const { schema, config, orm, logger } = options;
  const rules = [...specifiedRules, ...validationRules(config.graphql), ...(config.graphql.introspection ? [] : [NoSchemaIntrospectionCustomRule])];
  const viewers = new WeakMap<object, Viewer>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.graphql.maxBodyBytes });
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => options.formatError(e.toJSON(), e));

  const server = useServer(
    {
      schema,
      async onConnect(ctx) {
        const token = bearer(String(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization ?? ''));
        const viewer = token ? await options.verifyToken(token) : null;
        if (!viewer) return false;
        viewers.set(ctx, viewer);
        closeAtExpiry(ctx.extra.socket, options.verifyToken.expiresAt(token!));
        return true;
      },
      onSubscribe(ctx, _id, payload) {
        const viewer = viewers.get(ctx);
        if (!viewer) return refusal('authentication required: send a valid bearer token', 'UNAUTHENTICATED');
        if (Object.keys(ctx.subscriptions).length >= MAX_SUBSCRIPTIONS) return refusal(`at most ${MAX_SUBSCRIPTIONS} subscriptions run on one connection`);
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: config.graphql.maxTokens });
        } catch (error) {
          return [coded(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return refusal('name the operation to run: the document has none or several', 'GRAPHQL_VALIDATION_FAILED');
        if (operation.operation !== 'subscription') return refusal('queries and mutations are answered over HTTP POST; a WebSocket carries subscriptions');
        const invalid = validate(schema, document, rules);
        if (invalid.length) return invalid.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
        const variables = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (variables.errors) return variables.errors.map((e) => coded(e, 'BAD_USER_INPUT'));
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createContext(orm, logger, `ws-${randomUUID()}`, viewer, config.rollupMode),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );

  return { wss, dispose: () => server.dispose() };
}
