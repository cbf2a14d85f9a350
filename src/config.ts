/**
 * The environment, read once into a typed, frozen object. Nothing else in the code reads process.env.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
}

function integer(name: string, text: string | undefined, fallback: number | null): number | null {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0-65535), got "${text}"`);
  return n;
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
  });
}
