/**
 * `npm run bench:side-by-side -- <seconds> <reps> [--submissions] "<name>|<ENV>=<value>,…[|<entry>]" "<name>|…" …`:
 * hubs that differ only in their settings (or, with an entry, in their build: another checkout's
 * `dist/src/main.js`), started side by side on the benchmark's province data (`.data/bench-province`, generated when
 * missing or changed), measured interleaved on the top, city and county rollups (10 connections) and the mixed load
 * (50), medians of the repetitions, with each hub's RSS during the mixed load; with `--submissions`, on the
 * benchmark's submissions instead (32 connections re-submitting one city's reports; they add revisions, so the next
 * run generates the data again); with `--all-reads`, on every read scenario of the benchmark (the dashboard and the
 * ranking too). How the README's side-by-side figures are made, e.g.
 * `npm run bench:side-by-side -- 5 3 "heap60|HEAP_GROWING_PERCENT=60" "heap100|HEAP_GROWING_PERCENT=100"` or
 * `npm run bench:side-by-side -- 5 5 --submissions "before||/tmp/before/dist/src/main.js" "after|"`.
 * Prints progress on stderr and the figures on stdout; writes nothing else.
 */
import { readFileSync } from 'node:fs';
import { Role } from '../src/auth/role.js';
import { loadTokenKeys, signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { checkpoint, prepareDatabase, sampleUnits, startDatabase, waitIdle } from './database.js';
import { measureInterleaved, type Target } from './load.js';
import { BENCH_AUTH_SECRET, progress, startHub, stopAll } from './peers.js';
import { readScenarios, submissionScenario, SUBMIT_MONTH } from './scenarios.js';

const args = process.argv.slice(2);
const submissions = args.includes('--submissions');
const allReads = args.includes('--all-reads');
const [seconds, reps, ...specs] = args.filter((a) => a !== '--submissions' && a !== '--all-reads');
if (!Number(seconds) || !Number(reps) || specs.length < 2) {
  throw new Error('usage: npm run bench:side-by-side -- <seconds> <reps> [--submissions | --all-reads] "<name>|<ENV>=<value>,…[|<entry>]" "<name>|…" (two hubs or more)');
}

const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const embedded = await startDatabase('province');
try {
  const db = await prepareDatabase(embedded, 'province', 1);
  const sample = await sampleUnits(db.url, SUBMIT_MONTH);
  const keys = loadTokenKeys(loadConfig({ AUTH_SECRET: BENCH_AUTH_SECRET }).auth);
  // Reads as the benchmark makes them: the province's oversight office, so every read pays the access check;
  // submissions with the benchmark's administrator token.
  const token = submissions
    ? await signToken(keys, { unitCode: '*', role: Role.ADMIN }, '12h')
    : await signToken(keys, { unitCode: sample.top.code, role: Role.OVERSIGHT }, '12h');
  const hubs: (Target & { pid: number })[] = [];
  for (const spec of specs) {
    const [name, settings = '', entry] = spec.split('|');
    const env = Object.fromEntries(settings.split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    // No entry: startHub's own default, this checkout's build.
    const hub = await startHub(name, db.url, 'preaggregated', 'province', env, entry);
    hubs.push({ name, kind: 'hub', url: hub.url, token, pid: hub.pid });
  }
  const reads = readScenarios(sample, new Map());
  // the three rollups and the mixed load, or the submissions
  const scenarios = submissions ? [submissionScenario(sample)] : allReads ? reads : [...reads.slice(0, 3), reads[reads.length - 1]];
  // Submissions wait for their commits' WAL flush: no checkpoint may end inside a measured window, neither the data
  // generation's nor one that their own WAL asks for (~14 KB a submission: max_wal_size's worth within a minute).
  if (submissions) progress(`checkpoint before the submissions: ${await checkpoint(db.url)} ms`);
  const between = async () => {
    await waitIdle(db.url);
    if (submissions) await checkpoint(db.url);
  };
  let phase = '';
  const rssDuringMixed = new Map<string, number[]>(hubs.map((h) => [h.name, []]));
  const sampler = setInterval(() => {
    if (phase.startsWith('mixed')) for (const h of hubs) rssDuringMixed.get(h.name)!.push(rssMb(h.pid));
  }, 250);
  const measured = await measureInterleaved(
    scenarios.map((scenario) => ({ scenario, targets: hubs })),
    { seconds: Number(seconds), reps: Number(reps), warmup: 2, between, log: progress, onRun: (_t, _rep, s) => (phase = s.name) },
  );
  clearInterval(sampler);
  for (const [i, results] of measured.entries()) {
    console.log(scenarios[i].name);
    for (const m of results) {
      console.log(`  ${m.target}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms (p99 of each repetition: ${m.reps.map((r) => r.p99.toFixed(1)).join(', ')} ms)`);
    }
  }
  for (const [name, mb] of rssDuringMixed) if (mb.length) console.log(`RSS during the mixed load, ${name}: median ${median(mb)} MB, max ${Math.max(...mb)} MB`);
} finally {
  await stopAll();
  await embedded.stop();
}
