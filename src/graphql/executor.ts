/**
 * How operations execute: queries that are sent again are compiled once with graphql-jit and run as generated
 * JavaScript; everything else runs on graphql-js as Apollo would run it.
 *
 * Why: a rollup read resolves ~200 fields, and graphql-js pays for each one an info object, an arguments object, a
 * path entry and a resolver call; that was over a quarter of a read's time in the hub. A compiled query reads plain
 * fields as property accesses (`withDefaultResolvers` gives the catalogue's types no resolvers, so that it can).
 * Side by side on the benchmark's province data (10 connections, 3 × 5 s, medians): county rollup reads 1,848 → 3,247
 * req/s, the province's 1,726 → 2,955. Compiled with type-graphql's resolver on every field, a query was slower than
 * on graphql-js (the README, Performance): the gain is in the fields it reads without calling anything.
 * Compiled forms are kept per parsed document, which Apollo's document cache holds (an LRU): they go when it drops it.
 *
 * Plugged in through Apollo's gateway interface (an executor for validated documents); parsing, validation, the
 * limits, plugins and error formatting stay Apollo's. graphql-js keeps what the compiled form would do differently:
 * - mutations (and subscriptions): written once per request anyway, and their inputs carry defaults;
 * - operations whose variables are input objects with default field values: graphql-jit 0.8 does not apply input-field
 *   defaults to variables (it refuses `{ naturalPerson: 1 }` for a type whose other counts default to 0);
 * - a document's first `compileAfter` executions (1; the tests 0): compiling costs more than a run, and one-off
 *   documents are common (the IDE, scripts).
 * `test/graphql/executor.test.ts` runs the same operations both ways and compares the answers, errors included.
 */
import {
  execute,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  printSchema,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export type ExecutorKind = 'jit' | 'graphql-js';

/**
 * What a request's caller and the executor pass each other through the request's context, under this key (a slot,
 * not the context itself: Apollo runs the operation with a shallow copy of the context, which keeps the slot):
 * - `plan`, set by the executor: the plan the operation ran with (`known-operations.ts` reads it after Apollo
 *   answers, to know the query text from then on);
 * - `result`, set by the caller: the operation already ran (a known operation whose answer has errors, which Apollo is to
 *   answer): the executor gives Apollo this result instead of running the operation a second time.
 */
export const EXECUTION_SLOT = Symbol('execution slot');
export type ExecutionSlot = { plan?: Plan; result?: ExecutionResult };
export type WithExecutionSlot = { [EXECUTION_SLOT]: ExecutionSlot };

interface Plan {
  document: DocumentNode;
  /** The name the operation was asked for by (not always its own: a name the document lacks fails at execution). */
  operationName: string | undefined;
  operation: OperationDefinitionNode | undefined;
  /** null: not (yet) compiled. */
  compiled: CompiledQuery | null;
  runs: number;
  compilable: boolean;
}

/** The executor Apollo calls with each validated operation. */
export function createExecutor(schema: GraphQLSchema, kind: ExecutorKind, compileAfter = 1) {
  const plans = new WeakMap<DocumentNode, Map<string, Plan>>();
  const stats = { compiled: 0, compiledRuns: 0, graphqlJsRuns: 0 };

  function planFor(document: DocumentNode, operationName: string | null | undefined): Plan {
    let byName = plans.get(document);
    if (!byName) plans.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let plan = byName.get(key);
    if (!plan) {
      const operation = getOperationAST(document, operationName) ?? undefined;
      plan = { document, operationName: operationName ?? undefined, operation, compiled: null, runs: 0, compilable: kind === 'jit' && !!operation && operation.operation === 'query' && !hasInputDefaults(schema, operation) };
      byName.set(key, plan);
    }
    return plan;
  }

  /** A compiled plan's run: graphql-js checks the variables first (see below), graphql-jit executes. */
  async function runCompiled(plan: Plan, variables: Record<string, unknown> | null | undefined, contextValue: unknown): Promise<ExecutionResult> {
    stats.compiledRuns++;
    // Variables are checked by graphql-js first: its errors are the ones Apollo knows as BAD_USER_INPUT (HTTP 400),
    // worded as every other client error. Valid, they are the same to graphql-jit (no input-field defaults here).
    const checked = getVariableValues(schema, plan.operation!.variableDefinitions ?? [], variables ?? {});
    if (checked.errors) return { errors: checked.errors };
    const result = await plan.compiled!.query(undefined, contextValue, variables ?? {});
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  }

  async function run(request: { document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown>; contextValue: unknown }): Promise<ExecutionResult> {
    const slot = (request.contextValue as Partial<WithExecutionSlot> | null)?.[EXECUTION_SLOT];
    if (slot?.result) {
      const { result } = slot;
      slot.result = undefined;
      return result;
    }
    const plan = planFor(request.document, request.operationName);
    if (slot) slot.plan = plan;
    return runPlan(plan, request.variables, request.contextValue);
  }

  /** An operation's run: compiled once it has run `compileAfter` times on graphql-js, where it can be. */
  async function runPlan(plan: Plan, variables: Record<string, unknown> | null | undefined, contextValue: unknown): Promise<ExecutionResult> {
    if (plan.compilable && !plan.compiled && plan.runs >= compileAfter) {
      // A document graphql-jit cannot compile (it answers errors, or throws) stays on graphql-js.
      let compiled: CompiledQuery | ExecutionResult | null = null;
      try {
        compiled = compileQuery(schema, plan.document, plan.operationName);
      } catch {
        compiled = null;
      }
      if (compiled && isCompiledQuery(compiled)) {
        plan.compiled = compiled;
        stats.compiled++;
      } else plan.compilable = false;
    }
    plan.runs++;
    if (plan.compiled) return runCompiled(plan, variables, contextValue);
    stats.graphqlJsRuns++;
    return execute({ schema, document: plan.document, contextValue, variableValues: variables, operationName: plan.operationName });
  }

  return { run, runPlan, stats };
}

export type Executor = ReturnType<typeof createExecutor>;
export type { Plan as OperationPlan };

/**
 * Apollo's gateway interface around an executor: the schema once, no updates. Apollo then validates with this
 * schema and hands each operation to `run`.
 */
export function executorGateway(schema: GraphQLSchema, executor: Executor) {
  return {
    onSchemaLoadOrUpdate(callback: (schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => {};
    },
    async load() {
      return {
        // The operation name the client sent, not Apollo's `operationName` (the name of the operation Apollo found, null
        // when it found none): a document of one operation sent with another name must fail as unknown, not run.
        executor: (request: { document: DocumentNode; request: { operationName?: string | null; variables?: Record<string, unknown> }; context: unknown }) =>
          executor.run({ document: request.document, operationName: request.request.operationName, variables: request.request.variables, contextValue: request.context }),
      };
    },
    async stop() {},
  };
}

/** Whether any variable's type is (or holds) an input object with a default field value. */
function hasInputDefaults(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  const seen = new Set<string>();
  const visit = (type: GraphQLInputType): boolean => {
    const named = getNamedType(type);
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((f) => f.defaultValue !== undefined || visit(f.type));
  };
  return (operation.variableDefinitions ?? []).some((v) => {
    const type = typeFromAST(schema, v.type as never) as GraphQLInputType | undefined;
    return type ? visit(type) : false;
  });
}

/**
 * graphql-jit's errors are its own objects (no `extensions` unless the thrown error had some, not always instances of
 * graphql's class); Apollo and `format-error.ts` expect graphql's GraphQLError with the thrown error as
 * `originalError`, as graphql-js gives them.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const original = error.originalError as (Error & { extensions?: Record<string, unknown> }) | undefined;
  const converted = new GraphQLError(error.message, { path: error.path, originalError: original, extensions: error.extensions ?? original?.extensions });
  (converted as { locations?: unknown }).locations = error.locations;
  return converted;
}
