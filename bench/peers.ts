/**
 * The servers under test, each a child process on its own free loopback port: the hub pre-aggregated, the hub on
 * the fly, and PostGraphile. Every process started here is tracked so that `stopAll` (also on failure and Ctrl-C)
 * can end it: SIGTERM, then SIGKILL when it does not exit in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config.js';
import { freePort } from '../src/db/embedded-postgres.js';

export interface Server {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  log: string;
}

export const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const running = new Set<ChildProcess>();

/** Every child process the benchmark starts is tracked here, so that `stopAll` ends it whatever happens. */
export function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
const LOADER = ['--import', '@swc-node/register/esm-register'];
/** The hub runs as `npm start` runs it: the JavaScript `npm run build` compiled (npm run bench builds first). */
const HUB_ENTRY = 'dist/src/main.js';
/** A fixed secret: the benchmark signs its own tokens for the hubs it starts. */
export const BENCH_AUTH_SECRET = 'bench-secret-0123456789-abcdefghijklmnop';

async function start(name: string, args: string[], env: Record<string, string>, ready: (url: string) => Promise<boolean>, scale: string): Promise<Server> {
  const port = await freePort();
  const logDir = path.join(projectRoot, 'bench', 'results', 'logs');
  mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `${name}-${scale}.log`);
  const out = createWriteStream(log);
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  track(child);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const url = `http://127.0.0.1:${port}/graphql`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited during start-up (${child.exitCode ?? child.signalCode}); see ${path.relative(projectRoot, log)}`);
    if (await ready(url).catch(() => false)) break;
    if (Date.now() - started > 120_000) throw new Error(`${name} did not answer within 120 s; see ${path.relative(projectRoot, log)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  progress(`${name} ready at ${url} (pid ${child.pid}, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { name, url, pid: child.pid!, child, log };
}

/** `extra`: settings over the defaults below (e.g. LOG_LEVEL=trace to see every statement while investigating). */
/** `entry`: another build of the hub (e.g. a copy of dist/ from another commit, to compare two versions side by side);
 * `nodeArgs`: flags for Node itself (e.g. `--cpu-prof`). */
export function startHub(name: string, databaseUrl: string, mode: 'preaggregated' | 'onthefly', scale: string, extra: Record<string, string> = {}, entry = HUB_ENTRY, nodeArgs: string[] = []): Promise<Server> {
  const env = {
    DATABASE_URL: databaseUrl,
    SEED_DEMO: 'false',
    // production: no per-response statement counting, no introspection, no IDE; as a deployment runs
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTH_SECRET: BENCH_AUTH_SECRET,
    ROLLUP_MODE: mode,
    ...extra,
  };
  const healthy = async (url: string) => (await fetch(url.replace(/\/graphql$/, '/healthz'))).ok;
  return start(name, [...nodeArgs, entry], env, healthy, scale);
}

export function startPostgraphile(databaseUrl: string, scale: string): Promise<Server> {
  const answers = async (url: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    return res.ok;
  };
  return start('postgraphile', [...LOADER, 'bench/postgraphile-server.ts'], { DATABASE_URL: databaseUrl, NODE_ENV: 'production' }, answers, scale);
}

/** Ends one process: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

/** One GraphQL request; the answer's `errors` are thrown, with the server's name. */
export async function graphql<T = Record<string, unknown>>(server: Server, token: string | null, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!res.ok || body.errors) throw new Error(`${server.name} answered ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 600)}`);
  return body.data!;
}
