/**
 * The hub as `npm start` runs it: the JavaScript `npm run build` compiled (`npm test` builds first), in a child process, with
 * its JSON log lines collected, plus the small tools the process tests need (free and busy ports, postgres pids).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../src/config.js';

export const NODE = path.join(projectRoot, 'node_modules/.bin/node');

export interface HubProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The stdout lines that parse as JSON (pino's log records). */
  records(): Record<string, any>[];
  /** Resolves with the first log record whose msg contains `text`; rejects when the process exits or time runs out. */
  waitFor(text: string, ms?: number): Promise<Record<string, any>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `ms` if it is still running. */
  stop(ms?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnHub(env: NodeJS.ProcessEnv): HubProcess {
  const child = spawn(NODE, ['--enable-source-maps', 'dist/src/main.js'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let all = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    all += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => (all += chunk.toString('utf8')));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const records = () =>
    stdout.split('\n').flatMap((line) => {
      try {
        return line.trim() ? [JSON.parse(line) as Record<string, any>] : [];
      } catch {
        return [];
      }
    });
  const find = (text: string) => records().find((r) => typeof r.msg === 'string' && r.msg.includes(text));
  return {
    child,
    output: () => all,
    records,
    waitFor(text, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + ms;
        const poll = () => {
          const record = find(text);
          if (record) return resolve(record);
          if (done) return reject(new Error(`the hub exited before logging "${text}":\n${all}`));
          if (Date.now() > deadline) return reject(new Error(`no "${text}" after ${ms} ms:\n${all}`));
          setTimeout(poll, 50);
        };
        poll();
      });
    },
    exited,
    async stop(ms = 30_000) {
      if (done) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** A port free on every address (the hub listens on 0.0.0.0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Holds a free port on every address until the returned server is closed. */
export function busyPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, () => resolve(server));
  });
}

/** Pids of live processes whose command line mentions `dataDir` (the postgres server serving it and its children). */
export function pidsServing(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(dataDir)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return pids;
}
