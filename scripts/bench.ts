/**
 * `npm run bench -- --scale city|province|national [--duration 5] [--reps 3] [--seed 1]`: the hub pre-aggregated,
 * the hub on the fly and PostGraphile side by side on one generated data set, in one run (bench/*.ts):
 * its own embedded PostgreSQL in .data/bench-<scale> → data (kept when it already holds that scale) → rollups
 * rebuilt and timed → the three servers → identical-figures checks (abort when any fails) → reads → submissions →
 * verify → bench/results/bench-<scale>.{json,md}. Progress on stderr, the Markdown table on stdout. Every process it
 * starts, and its PostgreSQL, is stopped at the end, on failure and on Ctrl-C.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Role } from '../src/auth/role.js';
import { loadTokenKeys, signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import type { EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { ormConfig } from '../src/db/orm.config.js';
import { createLogger } from '../src/logger.js';
import { verifyRollups } from '../src/rollups/verify.js';
import { calibrate } from '../bench/calibrate.js';
import { checkIdentical, postgraphileSumFields } from '../bench/checks.js';
import { checkpoint, prepareDatabase, sampleUnits, startDatabase, waitIdle } from '../bench/database.js';
import { measureAll, measureInterleaved, run, type Target } from '../bench/load.js';
import { MemorySampler } from '../bench/memory.js';
import { BENCH_AUTH_SECRET, progress, startHub, startPostgraphile, stopAll } from '../bench/peers.js';
import { FLY, HUB, judge, machine, markdown, PEER, write, type Findings, type ScenarioResult } from '../bench/report.js';
import { readScenarios, submissionScenario, SUBMIT_MONTH } from '../bench/scenarios.js';

const SCALES = ['tiny', 'city', 'province', 'national'];
const SERVER_WARMUP_SECONDS = 5;
/**
 * The submissions' unmeasured warm-up. The hub has served reads for minutes by then, but not this path: in its first
 * seconds of submissions V8 still compiles it (a profile of a hub 2 s into them: 13 % of its CPU in the optimising
 * compiler; 25 s into them: 1.4 %), and the first 5-second window's p99 was the highest of every run. A hub serves for
 * days; the benchmark measures it as it runs after its first seconds of writes.
 */
const SUBMISSION_WARMUP_SECONDS = 10;
const { values: args } = parseArgs({
  options: { scale: { type: 'string' }, duration: { type: 'string', default: '5' }, reps: { type: 'string', default: '3' }, seed: { type: 'string', default: '1' } },
});
const scale = args.scale ?? '';
const duration = Number(args.duration);
const reps = Number(args.reps);
const seed = Number(args.seed);
if (!SCALES.includes(scale)) throw new Error(`--scale must be one of ${SCALES.join(', ')}`);
if (!(duration > 0) || !Number.isInteger(reps) || reps < 1 || !Number.isSafeInteger(seed)) throw new Error('--duration must be > 0 seconds, --reps and --seed whole numbers');
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`;

let embedded: EmbeddedDatabase | null = null;
let memory: MemorySampler | null = null;
let cleaning: Promise<void> | null = null;
const cleanup = () =>
  (cleaning ??= (async () => {
    memory?.stop();
    await stopAll();
    await embedded?.stop();
  })());
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping every process the benchmark started`);
    void cleanup().finally(() => process.exit(code));
  });
}

const loud = (lines: string[]) => process.stderr.write(`\n${'!'.repeat(78)}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${'!'.repeat(78)}\n\n`);

async function main(): Promise<number> {
  const started = Date.now();
  const loadAtStart = os.loadavg();
  const speedAtStart = calibrate();
  progress(`${command}: ${scale} scale, ${reps} × ${duration} s per server; load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}; ` +
    `machine speed ${speedAtStart.toFixed(0)} rounds/s (bench/calibrate.ts)`);
  embedded = await startDatabase(scale);
  const db = await prepareDatabase(embedded, scale, seed);
  const url = db.url;
  const sample = await sampleUnits(url, SUBMIT_MONTH);
  progress(`top ${sample.top.code} ${sample.top.name} (${sample.top.size}), city ${sample.city.code} ${sample.city.name} (${sample.city.size}), ` +
    `county ${sample.county.code} ${sample.county.name} (${sample.county.size}); ranking ${sample.ranking.entries} units`);
  const keys = loadTokenKeys(loadConfig({ AUTH_SECRET: BENCH_AUTH_SECRET }).auth);
  const token = await signToken(keys, { unitCode: '*', role: Role.ADMIN }, '12h');
  // Reads as the province's oversight office makes them: its token names its unit, so every read below it pays the
  // access check (a token for the whole hierarchy would skip it). Submissions as a data office entering figures.
  const readToken = await signToken(keys, { unitCode: sample.top.code, role: Role.OVERSIGHT }, '12h');

  const pre = await startHub('hub-preaggregated', url, 'preaggregated', scale);
  const fly = await startHub('hub-onthefly', url, 'onthefly', scale);
  const pgl = await startPostgraphile(url, scale);
  const sumFields = await postgraphileSumFields(pgl);
  const checks = await checkIdentical({ pre, fly, pgl, token, sample, sumFields, log: progress });
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    loud([`${failed.length} of ${checks.length} identical-figures checks FAILED: the servers disagree, so nothing is measured.`, ...failed.map((c) => `${c.name}: ${c.detail}`)]);
    return 2;
  }
  progress(`all ${checks.length} identical-figures checks passed`);

  const targets: Target[] = [
    { name: HUB, kind: 'hub', url: pre.url, token: readToken },
    { name: FLY, kind: 'hub', url: fly.url, token: readToken },
    { name: PEER, kind: 'postgraphile', url: pgl.url, token: null },
  ];
  memory = new MemorySampler(pre.pid);
  memory.start();
  const between = async () => {
    memory!.phase = 'between';
    const waited = await waitIdle(url);
    if (waited > 1000) progress(`waited ${(waited / 1000).toFixed(1)} s for the database to finish requests left in flight`);
  };
  const runOptions = { seconds: duration, reps, warmup: Math.max(1, Math.min(3, duration / 5)), between, log: progress };
  const reads = readScenarios(sample, sumFields);
  // Each server first runs the first read scenario for a few seconds, unmeasured: freshly started, a hub answered
  // ~10 % slower in its first repetitions (V8 still compiling its hot paths), which made the first scenario's figures
  // depend on its place in the list. Every scenario still has its own short warm-up per server.
  memory.phase = 'warm-up';
  for (const target of targets.filter((t) => reads[0].kinds.includes(t.kind))) await run(target, reads[0], SERVER_WARMUP_SECONDS);
  await between();
  const health = async () => (await (await fetch(pre.url.replace(/\/graphql$/, '/healthz'))).json()) as { submissions?: Findings['submissions']['queue']; coalescedReads?: { statements: number; requests: number } };
  const coalescedBefore = (await health()).coalescedReads;
  // All the read scenarios in one interleaved measurement: every repetition runs each of them on each server.
  const measured = await measureInterleaved(reads.map((scenario) => ({ scenario, targets: targets.filter((t) => scenario.kinds.includes(t.kind)) })), {
    ...runOptions,
    onRun: (t, rep, scenario) => (memory!.phase = `${rep ? '' : 'warm-up '}${scenario.name} | ${t.name}`),
  });
  const scenarios: ScenarioResult[] = reads.map((scenario, i) => ({ name: scenario.name, connections: scenario.connections, results: measured[i] }));

  const coalescedAfter = (await health()).coalescedReads;
  const coalescedReads = coalescedBefore && coalescedAfter ? { statements: coalescedAfter.statements - coalescedBefore.statements, requests: coalescedAfter.requests - coalescedBefore.requests } : null;

  const submit = submissionScenario(sample);
  // A checkpoint before the submissions and after each run of them (bench/database.ts, `checkpoint`): none may end
  // inside a measured window, neither an earlier phase's nor one that their own WAL (~14 KB a submission) asks for.
  progress(`checkpoint before the submissions: ${await checkpoint(url)} ms`);
  progress(`— ${submit.name}, ${submit.connections} connections`);
  const queueCounts = async () => (await health()).submissions ?? null;
  const queueBefore = await queueCounts();
  const betweenSubmissions = async () => {
    await between();
    await checkpoint(url);
  };
  const [submissions] = await measureAll([{ ...targets[0], token }], submit, { ...runOptions, warmup: SUBMISSION_WARMUP_SECONDS, between: betweenSubmissions, onRun: (t, rep) => (memory!.phase = `${rep ? '' : 'warm-up '}submissions | ${t.name}`) });
  const queueAfter = await queueCounts();
  const queue = queueBefore && queueAfter ? { alone: queueAfter.alone - queueBefore.alone, batches: queueAfter.batches - queueBefore.batches, batched: queueAfter.batched - queueBefore.batched, fallbacks: queueAfter.fallbacks - queueBefore.fallbacks } : null;
  memory.stop();

  progress('verifying every pre-aggregated rollup against the base reports');
  // 'error': the verify statement is slow by nature, and its slow-statement warning would be a page of SQL.
  const orm = await MikroORM.init(ormConfig(url, createLogger('error')));
  const verifyStarted = process.hrtime.bigint();
  // A basis-year at a time (minutes each at national scale): say where it is, so a long verify is not taken for a hang.
  const verified = await verifyRollups(orm.em.fork(), (done, total, label) =>
    progress(`verify: ${done}/${total} ${label} (${(Number(process.hrtime.bigint() - verifyStarted) / 1e9).toFixed(1)} s)`),
  ).finally(() => orm.close(true));
  const verify = { rowsChecked: verified.rowsChecked, differences: verified.differences, seconds: Number(process.hrtime.bigint() - verifyStarted) / 1e9 };
  progress(`verify: ${verify.rowsChecked} rows, ${verify.differences} differences, ${verify.seconds.toFixed(1)} s`);

  const g = db.generated;
  const failures = scenarios.flatMap((s) => s.results).reduce((n, r) => n + r.failures, 0) + submissions.failures;
  const partial: Omit<Findings, 'targets'> = {
    scale, command, options: { duration, reps, seed }, machine: machine(loadAtStart, { start: speedAtStart, end: calibrate() }),
    data: { units: g.units, reports: g.reports, revisions: g.revisions, reused: db.reused, databaseSize: g.databaseSize },
    importing: {
      // The generator's total includes the rollups, loaded in the same transaction as the reports.
      reports: g.reports, generatorSeconds: g.seconds.total, rebuildSeconds: db.rebuildSeconds, rollupRows: db.rollupRows,
      phaseSeconds: Object.fromEntries(Object.entries(g.seconds).filter(([phase]) => phase !== 'reset' && phase !== 'total')),
      reportsPerSecond: g.reports / g.seconds.total,
    },
    checks, scenarios, coalescedReads,
    submissions: { ...submissions, name: submit.name, connections: submit.connections, queue },
    verify,
    memory: { steadyMb: memory.steadyMb((p) => p.startsWith('mixed') && p.endsWith(`| ${HUB}`)), peakMb: memory.peakMb(), byPhase: memory.byPhase() },
    failures,
    seconds: (Date.now() - started) / 1000,
  };
  const findings: Findings = { ...partial, targets: judge(partial, sample.top.kind) };
  const files = write(findings);
  process.stdout.write(`\n${markdown(findings)}\n`);
  progress(`written ${files.md} and ${files.json}`);

  const problems = [
    ...(failures ? [`${failures} requests FAILED (non-2xx, GraphQL errors or connection errors); see the JSON for examples.`] : []),
    ...(verify.differences ? [`verify found ${verify.differences} rollup rows that differ from the base reports: the write path lost or doubled an update.`] : []),
  ];
  if (problems.length) loud(problems);
  return problems.length ? 1 : 0;
}

const code = await main().catch((error: unknown) => {
  loud([`the benchmark failed: ${error instanceof Error ? error.message : String(error)}`]);
  if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
});
await cleanup();
process.exit(code);
