/**
 * Known queries: a POST whose query text already ran compiled (`executor.ts`) runs its compiled form again without
 * Apollo's request pipeline, when nothing about the request could make Apollo answer otherwise.
 *
 * Why: a dashboard polls the same few documents. For them Apollo's pipeline (the request's checks, the SHA-256 of
 * the query text to find the parsed document, the plugin hooks, content negotiation, the response's copies) was a
 * sixth of a rollup read's time in the hub, all of it redoing work whose outcome depends on the text alone: the
 * parse, the validation (limits and introspection included) and the compiled form. What depends on the request is
 * done again: the token (before this), the variables (graphql-js checks them, as on Apollo's way), the context, the
 * execution and its access checks.
 *
 * Only a request Apollo would answer in the same bytes takes this way (`test/graphql/known-queries.test.ts` compares
 * them): a JSON object body with a string `query`, no `extensions` (persisted queries are Apollo's), `variables` an
 * object if present; no `accept` header, or one naming only application/json or anything (Apollo answers other
 * accepts in other media types). An answer with errors is not sent: the request goes to Apollo with its result,
 * which the executor hands Apollo instead of running the query again, and Apollo answers, logs and formats its errors
 * as always. Apollo plugins do not see these
 * requests: the hub has one, the statement count of development answers, which is added here too.
 */
import type { ExecutionResult } from 'graphql';
import { EXECUTION_SLOT, type CompiledPlan, type Executor, type WithExecutionSlot } from './executor.js';

/** The parsed body of a request that could take the short way; anything else is Apollo's. */
interface QueryBody { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Accept headers for which Apollo answers `application/json; charset=utf-8`, as this way does. */
const PLAIN_JSON_ACCEPTS = new Set(['*/*', 'application/json', 'application/json; charset=utf-8']);

/** Whether a parsed POST body and its headers leave Apollo nothing to decide but what the query text decides. */
function eligible(body: unknown, accept: string | undefined): body is QueryBody {
  if (accept !== undefined && !PLAIN_JSON_ACCEPTS.has(accept.trim().toLowerCase())) return false;
  if (!isRecord(body) || typeof body.query !== 'string' || 'extensions' in body) return false;
  if (body.operationName != null && typeof body.operationName !== 'string') return false;
  return body.variables == null || isRecord(body.variables);
}

export interface KnownQueriesOptions {
  /** The most query texts kept, and their total length in characters: the oldest go first. */
  maxEntries?: number;
  maxCharacters?: number;
}

export function createKnownQueries(executor: Executor, options: KnownQueriesOptions = {}) {
  const maxEntries = options.maxEntries ?? 1_000;
  const maxCharacters = options.maxCharacters ?? 4_000_000;
  // Insertion order is age: a full map drops its oldest text, which runs once through Apollo again if sent again.
  const plans = new Map<string, CompiledPlan>();
  let characters = 0;
  const stats = { runs: 0, handedToApollo: 0, known: 0 };
  const keyOf = (body: QueryBody) => `${body.operationName ?? ''}\n${body.query}`;

  return {
    stats,

    /** The compiled plan for this request, if it may take the short way. */
    lookup(method: string | undefined, accept: string | undefined, body: unknown): CompiledPlan | undefined {
      if (method !== 'POST' || !plans.size || !eligible(body, accept)) return undefined;
      return plans.get(keyOf(body));
    },

    /** After Apollo answered: the text of a request whose operation ran compiled is known from now on. */
    remember(method: string | undefined, accept: string | undefined, body: unknown, contextValue: WithExecutionSlot): void {
      if (method !== 'POST' || !eligible(body, accept)) return;
      const { plan } = contextValue[EXECUTION_SLOT];
      if (!plan) return;
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
     * Runs a known query: the response body (Apollo's: the JSON and a newline), or, when the answer has errors, the
     * result, for Apollo to answer with (`EXECUTION_SLOT`'s `result`).
     */
    async run(plan: CompiledPlan, body: unknown, contextValue: object, extensions?: () => Record<string, unknown>): Promise<{ body: string } | { errors: ExecutionResult }> {
      const result: ExecutionResult = await executor.runCompiled(plan, (body as QueryBody).variables, contextValue);
      if (result.errors) {
        stats.handedToApollo++;
        return { errors: result };
      }
      stats.runs++;
      return { body: `${JSON.stringify(extensions ? { data: result.data, extensions: extensions() } : { data: result.data })}\n` };
    },
  };
}

export type KnownQueries = ReturnType<typeof createKnownQueries>;
