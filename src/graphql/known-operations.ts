/**
 * Known operations: a POST whose query text Apollo already parsed, validated and ran (a query or a mutation) runs
 * again on the executor (`executor.ts`: compiled where it can be) without Apollo's request pipeline, when nothing
 * about the request could make Apollo answer otherwise.
 *
 * Why: dashboards poll the same few documents and submitters send the same mutation. For them Apollo's pipeline (the
 * request's checks, the SHA-256 of the query text to find the parsed document, the plugin hooks, content
 * negotiation, the response's copies) redoes per request work whose outcome depends on the text alone: the parse,
 * the validation (limits and introspection included), the operation's plan. Side by side it was a third of a
 * rollup read's throughput and 8 % of the submissions' (README, Performance). What depends on the request is done
 * again: the token (before this), the variables (graphql-js checks them, as on Apollo's way), the context, the
 * execution and its access checks.
 *
 * Only a request Apollo would answer in the same bytes takes this way (`test/graphql/known-operations.test.ts`
 * compares them): a JSON object body with a string `query`, no `extensions` (persisted queries are Apollo's),
 * `variables` an object if present; an `accept` header, if any, for which Apollo chooses application/json or
 * application/graphql-response+json (`answerMediaType`; the answer is the same JSON in either). An answer with errors
 * is not sent from here: the request goes to Apollo with its result, which the executor hands Apollo instead of
 * running the operation again (a mutation must not run twice), and Apollo answers, logs and formats its errors as
 * always. Apollo plugins do not see the requests
 * answered here: the hub has one, the statement count of development answers, which is added here too.
 */
import type { ExecutionResult } from 'graphql';
import Negotiator from 'negotiator';
import { EXECUTION_SLOT, type OperationPlan, type Executor, type WithExecutionSlot } from './executor.js';

/** The parsed body of a request that could take the short way; anything else is Apollo's. */
interface QueryBody { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Apollo's media types for an answer of one result, in its order of preference (`MEDIA_TYPES` in @apollo/server). */
const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
const CALLBACK_TYPE = 'application/json; callbackSpec=1.0; charset=utf-8';

/**
 * The media type Apollo answers a request with this `accept` header in, as Apollo chooses it (the same negotiator, the
 * same candidates in the same order), when it is one this way answers in; undefined otherwise (Apollo's 406, or the
 * callback protocol of HTTP subscriptions). Clients send one header again and again: the choices are remembered.
 */
const mediaTypes = new Map<string, string | undefined>();
function answerMediaType(accept: string | undefined): string | undefined {
  if (accept === undefined || accept === '') return JSON_TYPE;
  if (mediaTypes.has(accept)) return mediaTypes.get(accept);
  const chosen = new Negotiator({ headers: { accept } }).mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE, CALLBACK_TYPE]);
  const type = chosen === JSON_TYPE || chosen === GRAPHQL_RESPONSE_TYPE ? chosen : undefined;
  if (mediaTypes.size >= 100) mediaTypes.clear();
  mediaTypes.set(accept, type);
  return type;
}

/** Whether a parsed POST body and its headers leave Apollo nothing to decide but what the query text decides. */
function eligible(body: unknown, accept: string | undefined): body is QueryBody {
  if (!answerMediaType(accept)) return false;
  if (!isRecord(body) || typeof body.query !== 'string' || 'extensions' in body) return false;
  if (body.operationName != null && typeof body.operationName !== 'string') return false;
  return body.variables == null || isRecord(body.variables);
}

export interface KnownOperationsOptions {
  /** The most texts kept, and their total length in characters: the oldest go first. */
  maxEntries?: number;
  maxCharacters?: number;
}

/**
 * A hub's clients send a few dozen operation texts; the bound is for one that sends a new text each time (values
 * written into the query instead of variables). A plan keeps its document and, compiled, its generated code alive:
 * ~180 kB for the benchmark's rollup read, so 100 plans stay under ~20 MB of the 250 MB the hub is allowed.
 */
export function createKnownOperations(executor: Executor, options: KnownOperationsOptions = {}) {
  const maxEntries = options.maxEntries ?? 100;
  const maxCharacters = options.maxCharacters ?? 1_000_000;
  // Insertion order is age: a full map drops its oldest text, which runs once through Apollo again if sent again.
  const plans = new Map<string, OperationPlan>();
  let characters = 0;
  const stats = { runs: 0, handedToApollo: 0, known: 0 };
  const keyOf = (body: QueryBody) => `${body.operationName ?? ''}\n${body.query}`;

  return {
    stats,

    /** The plan for this request and the media type of its answer, if it may take the short way. */
    lookup(method: string | undefined, accept: string | undefined, body: unknown): { plan: OperationPlan; mediaType: string } | undefined {
      if (method !== 'POST' || !plans.size || !eligible(body, accept)) return undefined;
      const plan = plans.get(keyOf(body));
      return plan && { plan, mediaType: answerMediaType(accept)! };
    },

    /** After Apollo answered: the text of a request whose operation ran is known from now on. */
    remember(method: string | undefined, accept: string | undefined, body: unknown, contextValue: WithExecutionSlot): void {
      if (method !== 'POST' || !eligible(body, accept)) return;
      const { plan } = contextValue[EXECUTION_SLOT];
      // Queries and mutations (subscriptions are the WebSocket's); a name the document lacks stays Apollo's to refuse.
      if (!plan?.operation || plan.operation.operation === 'subscription') return;
      const key = keyOf(body);
      if (plans.has(key) || key.length > maxCharacters) return;
      plans.set(key, plan);
      characters += key.length;
      for (const [oldest] of plans) {
        if (plans.size <= maxEntries && characters <= maxCharacters) break;
        plans.delete(oldest);
        characters -= oldest.length;
      }
      stats.known = plans.size;
    },

    /**
     * Runs a known operation: the response body (Apollo's: the JSON and a newline), or, when the answer has errors, the
     * result, for Apollo to answer with (`EXECUTION_SLOT`'s `result`).
     */
    async run(plan: OperationPlan, body: unknown, contextValue: object, extensions?: () => Record<string, unknown>): Promise<{ body: string } | { errors: ExecutionResult }> {
      const result: ExecutionResult = await executor.runPlan(plan, (body as QueryBody).variables, contextValue);
      if (result.errors) {
        stats.handedToApollo++;
        return { errors: result };
      }
      stats.runs++;
      return { body: `${JSON.stringify(extensions ? { data: result.data, extensions: extensions() } : { data: result.data })}\n` };
    },
  };
}

