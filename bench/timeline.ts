/**
 * `npm run bench:timeline -- [seconds] [--reads S] [--analyze TABLES] [--warmup S]`: the benchmark's 32 submitters
 * on its province data, with one hub, and what happened second by second: submissions answered, the slowest, the
 * backends waiting for a WAL flush, what autovacuum was doing and where the checkpointer was. A 5-second window's p99
 * is decided by what happens to fall inside it (a checkpoint's final fsync, an autovacuum); this shows it.
 * How the stalls behind the benchmark's checkpoints and migrations 000009 and 000010 were found.
 * - `--reads S`: the mixed read load first, for S seconds, on a second hub (as the full benchmark reads before it
 *   writes);
 * - `--analyze TABLES`: ANALYZE these tables (`all`: every one) before the submissions, as autovacuum would;
 * - `--warmup S`: unmeasured submissions first (default 3), then a CHECKPOINT.
 * Prints progress on stderr and the timeline on stdout; writes nothing else. The data is generated again when an
 * earlier run's submissions changed it (bench/database.ts).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Role } from '../src/auth/role.js';
import { loadTokenKeys, signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { checkpoint, prepareDatabase, sampleUnits, startDatabase } from './database.js';
import { percentile, run } from './load.js';
import { BENCH_AUTH_SECRET, progress, startHub, stopAll } from './peers.js';
import { readScenarios, submissionScenario, SUBMIT_MONTH } from './scenarios.js';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { reads: { type: 'string', default: '0' }, analyze: { type: 'string' }, warmup: { type: 'string', default: '3' } },
});
const seconds = Number(positionals[0] ?? 30);

interface Activity { backend_type: string; wait_event: string | null; query: string }
interface Sample { at: number; activity: Activity[] }

const embedded = await startDatabase('province');
try {
  const db = await prepareDatabase(embedded, 'province', 1);
  const sample = await sampleUnits(db.url, SUBMIT_MONTH);
  const keys = loadTokenKeys(loadConfig({ AUTH_SECRET: BENCH_AUTH_SECRET }).auth);
  const hub = await startHub('timeline', db.url, 'preaggregated', 'province');
  const watcher = new pg.Client({ connectionString: db.url });
  await watcher.connect();
  try {
    if (Number(options.reads) > 0) {
      const reads = readScenarios(sample, new Map());
      const mixed = reads[reads.length - 1];
      const reader = await startHub('timeline-reader', db.url, 'preaggregated', 'province');
      const token = await signToken(keys, { unitCode: sample.top.code, role: Role.OVERSIGHT }, '12h');
      const r = await run({ name: 'reader', kind: 'hub', url: reader.url, token }, mixed, Number(options.reads));
      progress(`read first: ${mixed.name}, ${r.rps.toFixed(0)} req/s for ${options.reads} s`);
    }
    if (options.analyze) {
      const started = Date.now();
      await watcher.query(options.analyze === 'all' ? 'analyze' : `analyze ${options.analyze}`);
      progress(`analyze ${options.analyze}: ${Date.now() - started} ms`);
    }
    const token = await signToken(keys, { unitCode: '*', role: Role.ADMIN }, '12h');
    const target = { name: 'timeline', kind: 'hub' as const, url: hub.url, token };
    const scenario = submissionScenario(sample);
    const submit = async (secs: number, watch: boolean) => {
      const answered: [at: number, ms: number][] = [];
      const samples: Sample[] = [];
      const started = performance.now();
      let watching = watch;
      const poll = (async () => {
        while (watching) {
          const at = performance.now() - started;
          const { rows } = await watcher.query<Activity>(
            `select backend_type, wait_event, left(coalesce(query, ''), 60) as query from pg_stat_activity
             where pid <> pg_backend_pid() and (backend_type <> 'client backend' or state = 'active')`,
          );
          samples.push({ at, activity: rows });
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      await run(target, scenario, secs, (ms) => answered.push([performance.now() - started, ms]));
      watching = false;
      await poll;
      return { answered, samples };
    };
    progress(`${options.warmup} s of submissions unmeasured, then a checkpoint (${scenario.name})`);
    await submit(Number(options.warmup), false);
    progress(`checkpoint: ${await checkpoint(db.url)} ms`);
    const lsn = async () => (await watcher.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0].lsn;
    const walBefore = await lsn();
    progress(`${seconds} s of submissions, measured`);
    const { answered, samples } = await submit(seconds, true);
    const wal = Number((await watcher.query<{ bytes: string }>('select pg_wal_lsn_diff($1, $2) as bytes', [await lsn(), walBefore])).rows[0].bytes);

    const all = Float64Array.from(answered.map(([, ms]) => ms)).sort();
    console.log(`${scenario.name}, ${seconds} s: ${(all.length / seconds).toFixed(0)}/s, p50 ${percentile(all, 50).toFixed(1)} ms, ` +
      `p99 ${percentile(all, 99).toFixed(1)} ms, max ${all[all.length - 1].toFixed(1)} ms; WAL ${(wal / all.length / 1000).toFixed(1)} KB a submission`);
    console.log('second | answered | slowest ms | backends in WalSync (samples) | autovacuum | checkpointer');
    for (let s = 0; s < Math.ceil(seconds); s++) {
      const inSecond = answered.filter(([at]) => at >= s * 1000 && at < (s + 1) * 1000);
      const activity = samples.filter((x) => x.at >= s * 1000 && x.at < (s + 1) * 1000).flatMap((x) => x.activity);
      const vacuuming = [...new Set(activity.filter((a) => a.backend_type === 'autovacuum worker').map((a) => a.query.replace(/^autovacuum: /, '')).filter(Boolean))];
      const checkpointer = new Map<string, number>();
      for (const a of activity.filter((x) => x.backend_type === 'checkpointer')) checkpointer.set(a.wait_event ?? 'on CPU', (checkpointer.get(a.wait_event ?? 'on CPU') ?? 0) + 1);
      console.log([
        s,
        inSecond.length,
        Math.max(0, ...inSecond.map(([, ms]) => ms)).toFixed(0),
        activity.filter((a) => a.wait_event === 'WalSync' && a.backend_type === 'client backend').length,
        vacuuming.join('; ') || '-',
        [...checkpointer].map(([state, n]) => `${state} ×${n}`).join(', '),
      ].join(' | '));
    }
  } finally {
    await watcher.end();
  }
} finally {
  await stopAll();
  await embedded.stop();
}
