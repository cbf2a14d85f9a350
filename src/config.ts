/**
 * The environment, read once into a typed, frozen object. Nothing else in the code reads process.env.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutorKind } from './graphql/executor.js';

/** The folder of package.json: one level up from src/ as TypeScript, two from dist/src/ as compiled by `npm run build`. */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export type Environment = 'development' | 'test' | 'production';

export interface Config {
  environment: Environment;
  /** HTTP port of the GraphQL server (api-contract.md: 4000 unless PORT says otherwise). */
  port: number;
  host: string;
  /** A real PostgreSQL server; when absent the hub runs its own embedded one. */
  databaseUrl: string | null;
  /** Where the embedded PostgreSQL keeps its data (ignored by git). */
  dataDir: string;
  /** A fixed port for the embedded PostgreSQL; when absent a free one is chosen. */
  embeddedPostgresPort: number | null;
  /** Load the demo city on first start when the database has no units. */
  seedDemo: boolean;
  logLevel: string;
  graphql: GraphqlLimits;
  auth: AuthConfig;
  /** How rollups are read: from the pre-aggregated table (default) or summed per request (for comparison). */
  rollupMode: 'preaggregated' | 'onthefly';
  /** How far V8 lets the heap grow past what survived its last full collection, in percent; 0: V8's own choice. */
  heapGrowingPercent: number;
}

export interface GraphqlLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** Apollo's own parser limit: an over-long document is refused with 400 before it is even parsed in full. */
  maxTokens: number;
  maxBodyBytes: number;
  introspection: boolean;
  /** The in-browser GraphQL IDE at GET /graphql. */
  ide: boolean;
  /** Error details (stack traces never): off in production. */
  exposeErrorDetails: boolean;
  /** `jit`: queries sent again run compiled (graphql/executor.ts); `graphql-js`: every operation on graphql-js. */
  executor: ExecutorKind;
  /** Executions of a query document on graphql-js before it is compiled. */
  compileAfter: number;
  /** An operation's text that ran once runs again without Apollo's pipeline (graphql/known-operations.ts). */
  knownOperations: boolean;
}

export interface AuthConfig {
  /** HMAC key of the bearer tokens (HS256), at least 32 bytes; AUTH_SECRET, or a file in the data folder. */
  secret: string | null;
  secretFile: string;
  issuer: string;
  audience: string;
  /** Lifetime of tokens printed by `npm run token`, e.g. "8h", "30d". */
  tokenLifetime: string;
}

/**
 * V8 lets a large heap grow to up to 4 times what survived its last full collection before it collects again. Under
 * a dashboard's or ranking's load (megabytes of short-lived rows and results a request, many of them outliving a
 * young-generation collection) ~45 MB live became ~200 MB of heap, plus the pages V8 keeps pooled, and the server
 * stood at 300 MB. With compiled queries the setting trades the rollup reads' p99 against memory; three benchmark
 * runs on 2026-11-24 (province, one VM, all else equal): 60 → RSS 201 MB under the mixed load, reads' p99 up to
 * 11.5 ms; 100 (twice the live size) → 255 MB (over the 250 MB target), p99 up to 9.9 ms; 80 → 215 MB, p99 up to
 * 10.1 ms. Side by side on the same data (npm run bench:side-by-side) 80 lay between the two for the p99 as well.
 */
export const DEFAULT_HEAP_GROWING_PERCENT = 80;

function integer(name: string, text: string | undefined, fallback: number | null, max = 65535): number | null {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be a whole number from 0 to ${max}, got "${text}"`);
  return n;
}

function flag(text: string | undefined, fallback: boolean): boolean {
  if (text === undefined || text === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(text.toLowerCase());
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const environment = (env.NODE_ENV === 'production' || env.NODE_ENV === 'test' ? env.NODE_ENV : 'development') as Environment;
  return Object.freeze({
    environment,
    port: integer('PORT', env.PORT, 4000)!,
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(projectRoot, env.DATA_DIR || '.data/postgres'),
    embeddedPostgresPort: integer('EMBEDDED_PG_PORT', env.EMBEDDED_PG_PORT, null),
    seedDemo: env.SEED_DEMO !== 'false',
    logLevel: env.LOG_LEVEL || (environment === 'test' ? 'warn' : 'info'),
    graphql: Object.freeze({
      maxDepth: integer('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, 12, 1000)!,
      maxAliases: integer('GRAPHQL_MAX_ALIASES', env.GRAPHQL_MAX_ALIASES, 30, 1000)!,
      maxCost: integer('GRAPHQL_MAX_COST', env.GRAPHQL_MAX_COST, 20000, 10_000_000)!,
      maxTokens: integer('GRAPHQL_MAX_TOKENS', env.GRAPHQL_MAX_TOKENS, 5000, 10_000_000)!,
      maxBodyBytes: integer('MAX_BODY_BYTES', env.MAX_BODY_BYTES, 1_000_000, 100_000_000)!,
      introspection: flag(env.GRAPHQL_INTROSPECTION, environment !== 'production'),
      ide: flag(env.GRAPHQL_IDE, environment !== 'production'),
      exposeErrorDetails: environment !== 'production',
      executor: env.GRAPHQL_EXECUTOR === 'graphql-js' ? 'graphql-js' : 'jit',
      compileAfter: integer('GRAPHQL_COMPILE_AFTER', env.GRAPHQL_COMPILE_AFTER, 1, 1_000_000)!,
      knownOperations: flag(env.GRAPHQL_KNOWN_OPERATIONS, true),
    }),
    rollupMode: env.ROLLUP_MODE === 'onthefly' ? 'onthefly' : 'preaggregated',
    heapGrowingPercent: integer('HEAP_GROWING_PERCENT', env.HEAP_GROWING_PERCENT, DEFAULT_HEAP_GROWING_PERCENT, 1000)!,
    auth: Object.freeze({
      secret: env.AUTH_SECRET || null,
      secretFile: path.resolve(projectRoot, env.AUTH_SECRET_FILE || '.data/auth-secret'),
      issuer: env.AUTH_ISSUER || 'disclosure-hub',
      audience: env.AUTH_AUDIENCE || 'disclosure-hub',
      tokenLifetime: env.AUTH_TOKEN_LIFETIME || '8h',
    }),
  });
}
