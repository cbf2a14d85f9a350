/**
 * `npm run generate -- --scale tiny|city|province|national [--seed N] [--years 2024,2025] [--area CODE]
 *  [--database-url URL] [--reset]`: synthetic units and monthly reports at scale, deterministic for a seed, loaded
 * with bulk SQL (seeds/generate/). Without --database-url it uses the hub's own database (DATABASE_URL, else the
 * embedded PostgreSQL in DATA_DIR). Prints a summary and writes it to bench/results/generate-<scale>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig, projectRoot } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { BulkRollups } from '../src/rollups/bulk-rollups.js';
import { buildHierarchy, SCALE_SPECS, SCALES, type Scale } from '../seeds/generate/hierarchy.js';
import { dropForeignKeys, dropPrimaryKeys, dropSecondaryIndexes } from '../seeds/generate/deferred-keys.js';
import { loadReports } from '../seeds/generate/load-reports.js';
import { emptyReportTables, loadUnits, resetData, unitCount } from '../seeds/generate/load-units.js';
import { createProgress, type Progress } from '../seeds/generate/progress.js';
import { inTransaction } from '../seeds/generate/transaction.js';

export interface GenerateOptions { scale: Scale; seed: number; years?: number[]; area?: string | null; reset?: boolean }

export interface GenerateSummary {
  scale: Scale; seed: number; years: number[]; area: string | null;
  units: number; unitsByKind: Record<string, number>; reports: number; revisions: number; missing: number; late: number;
  /**
   * `reset`: emptying the previous data (--reset), not part of the import and not in `total`. `reports`: writing the
   * reports and their rollup rows (COPY); `keys`: then building the indexes and checking the keys of both, fresh
   * statistics and the commit.
   */
  seconds: { reset: number; units: number; reports: number; keys: number; total: number }; databaseSize: string; databaseBytes: number;
}

/** Generates into the database at `url`, which must be migrated. Refuses a database with units unless `reset`. */
export async function generate(url: string, options: GenerateOptions, progress: Progress): Promise<GenerateSummary> {
  const started = Date.now();
  const years = [...new Set(options.years ?? SCALE_SPECS[options.scale].years)].sort((a, b) => a - b);
  const units = buildHierarchy(options.scale, { seed: options.seed, area: options.area });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Losing the last commits in a crash is harmless for data that can be regenerated, and not waiting for the WAL
    // flush of every commit makes the load faster.
    await client.query('set synchronous_commit = off');
    // The import is timed without this: emptying the last run's data (--reset) is not loading.
    const resetStarted = Date.now();
    await inTransaction(client, async () => {
      if (options.reset) await resetData(client);
      else if (await unitCount(client)) throw new Error('the database already holds units: pass --reset to replace them with synthetic data');
    });
    const resetMs = Date.now() - resetStarted;
    const ids = await loadUnits(client, units, progress);
    const unitsDone = Date.now();
    // Reports and rollups in one transaction: the tables emptied in it take frozen rows (COPY FREEZE), foreign keys
    // check every row once, at the end, indexes are built once from sorted rows (−0.35 s of 3.4 at province scale),
    // and a failure leaves no reports without their rollups.
    // A bulk load goes around the write path: the rollups are computed here from the figures as they are generated
    // (BulkRollups), while PostgreSQL writes the reports, instead of read back and summed in SQL after them
    // (rebuild.ts: 6.2–6.5 s of the province's 10.5 s, on one core). `npm run verify` checks them against the reports.
    const reportUnits = units.map((u) => ({ id: ids.get(u.code)!, code: u.code, kind: u.kind, parentId: u.parentCode ? ids.get(u.parentCode)! : null }));
    const { counts, reportsDone } = await inTransaction(client, async () => {
      await emptyReportTables(client);
      const addKeys = await dropForeignKeys(client, ['report', 'report_revision', 'rollup']);
      const addIndexes = await dropSecondaryIndexes(client, ['report', 'report_revision', 'rollup']);
      const addPrimaryKeys = await dropPrimaryKeys(client, ['rollup']);
      const counts = await loadReports(client, reportUnits, new BulkRollups(reportUnits), options.seed, years, progress);
      const reportsDone = Date.now();
      await client.query(`select setval(pg_get_serial_sequence(t, 'id'), ${counts.reports + 1}, false) from unnest(array['report', 'report_revision']) as t`);
      // Enough memory to sort each index in one go (PostgreSQL's default, 64 MB, spills the larger ones to disk).
      await client.query(`set local maintenance_work_mem = '256MB'`);
      for (const sql of [...addPrimaryKeys, ...addIndexes, ...addKeys]) await client.query(sql);
      // Fresh statistics, so that the hub's first queries are planned for the real sizes: of the columns queries join
      // and filter on (those of the 166 figures would take seconds and steer no plan; autovacuum gathers them later).
      await client.query(`analyze unit, unit_closure, report, report_revision (report_id, revision), rollup (unit_id, basis, year, period, unit_count)`);
      return { counts, reportsDone };
    });
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;
    const byKind = await q<{ kind: string; n: string }>('select kind, count(*) as n from unit group by kind order by kind');
    const [{ reports, revisions }] = await q<{ reports: string; revisions: string }>(
      'select (select count(*) from report) as reports, (select count(*) from report_revision) as revisions');
    const [size] = await q<{ pretty: string; bytes: string }>(
      'select pg_size_pretty(pg_database_size(current_database())) as pretty, pg_database_size(current_database()) as bytes');
    const seconds = (a: number, b: number) => Math.round((b - a) / 100) / 10;
    const loadStarted = started + resetMs;
    return {
      scale: options.scale, seed: options.seed, years, area: options.area ?? SCALE_SPECS[options.scale].area,
      units: units.length, unitsByKind: Object.fromEntries(byKind.map((r) => [r.kind, Number(r.n)])),
      reports: Number(reports), revisions: Number(revisions), missing: counts.missing, late: counts.late,
      seconds: { reset: seconds(0, resetMs), units: seconds(loadStarted, unitsDone), reports: seconds(unitsDone, reportsDone), keys: seconds(reportsDone, Date.now()), total: seconds(loadStarted, Date.now()) },
      databaseSize: size.pretty, databaseBytes: Number(size.bytes),
    };
  } finally {
    await client.end();
  }
}

function parseOptions(argv: string[]): GenerateOptions & { databaseUrl: string | null } {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' }, seed: { type: 'string', default: '1' }, years: { type: 'string' }, area: { type: 'string' },
      'database-url': { type: 'string' }, reset: { type: 'boolean', default: false },
    },
  });
  const scale = values.scale as Scale;
  if (!SCALES.includes(scale)) throw new Error(`--scale must be one of ${SCALES.join(', ')}`);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number ≥ 0, got "${values.seed}"`);
  const years = values.years?.split(',').map(Number);
  // Whole past years only: a month that has not ended cannot have been reported, and the hub refuses such periods.
  const thisYear = new Date().getUTCFullYear();
  if (years && !years.every((y) => Number.isInteger(y) && y >= 2008 && y < thisYear)) {
    throw new Error(`--years must list years from 2008 to ${thisYear - 1}, comma-separated, got "${values.years}"`);
  }
  if (values.area && scale === 'national') throw new Error('--area does not apply to --scale national');
  return { scale, seed, years, area: values.area ?? null, reset: values.reset, databaseUrl: values['database-url'] ?? null };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const config = loadConfig(options.databaseUrl ? { ...process.env, DATABASE_URL: options.databaseUrl } : process.env);
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger, { poolSize: 1 });
  // Ctrl-C: stop the embedded PostgreSQL cleanly (it runs in its own process group and would outlive us).
  process.once('SIGINT', () => void database.close().finally(() => process.exit(130)));
  try {
    const summary = await generate(database.url, options, createProgress());
    const file = path.join(projectRoot, 'bench', 'results', `generate-${options.scale}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ ...summary, node: process.version, cpus: os.cpus().length, at: new Date().toISOString() }, null, 2)}\n`);
    const kinds = Object.entries(summary.unitsByKind).map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`).join(', ');
    console.log(`units      ${summary.units.toLocaleString('en-US')} (${kinds})`);
    console.log(`reports    ${summary.reports.toLocaleString('en-US')} (${summary.missing.toLocaleString('en-US')} unit-months missing, ${summary.late.toLocaleString('en-US')} late)`);
    console.log(`revisions  ${summary.revisions.toLocaleString('en-US')}`);
    console.log(`elapsed    ${summary.seconds.total} s (units ${summary.seconds.units} s, reports and rollups ${summary.seconds.reports} s, keys ${summary.seconds.keys} s; before them the reset ${summary.seconds.reset} s)`);
    console.log(`database   ${summary.databaseSize}`);
    console.log(`written    ${path.relative(process.cwd(), file)}`);
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
