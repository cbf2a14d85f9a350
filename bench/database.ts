/**
 * The benchmark's own database: an embedded PostgreSQL in `.data/bench-<scale>`, migrated, filled by the generator
 * (a child process, exactly as `npm run generate` runs) unless it already holds that scale, the rollups rebuilt and
 * timed, and the one object only PostGraphile needs: a view of each report's submitted figures.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, projectRoot } from '../src/config.js';
import { ensureDatabase, openDatabase, type Database } from '../src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded-postgres.js';
import { cells } from '../src/format/catalogue.js';
import { createLogger } from '../src/logger.js';
import { rebuildRollups } from '../src/rollups/preaggregate.js';
import type { GenerateSummary } from '../scripts/generate.js';
import { progress, track } from './peers.js';

export const DATABASE_NAME = 'disclosure_bench';

export interface Prepared {
  embedded: EmbeddedDatabase;
  url: string;
  generated: GenerateSummary;
  /** True when the data of an earlier run was kept (its generator summary is the one the data was made with). */
  reused: boolean;
  rebuildSeconds: number;
  rollupRows: number;
}

/** Starts the server and returns at once, so the caller can stop it whatever happens next. */
export async function startDatabase(scale: string): Promise<EmbeddedDatabase> {
  return startEmbeddedPostgres({ dataDir: path.join(projectRoot, '.data', `bench-${scale}`), port: null, logger: createLogger('warn') });
}

export async function prepareDatabase(embedded: EmbeddedDatabase, scale: string, seed: number): Promise<Prepared> {
  const url = await ensureDatabase(embedded.url, DATABASE_NAME);
  // 'error': the rebuild and ANALYZE are slow by nature; their slow-statement warnings would be pages of SQL on stdout.
  const logger = createLogger('error');
  const database: Database = await openDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'error' }), logger); // migrates
  try {
    // The summary the data was generated with is kept beside the data folder: bench/results/generate-<scale>.json
    // is rewritten by every `npm run generate`, whatever database that run filled.
    const marker = path.join(projectRoot, '.data', `bench-${scale}.generate.json`);
    let generated = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as GenerateSummary) : null;
    const [counts] = await database.orm.em.fork().execute<{ units: number; reports: number }[]>(
      'select (select count(*)::int from unit) as units, (select count(*)::int from report) as reports');
    const reused = Boolean(generated && generated.scale === scale && generated.seed === seed && generated.units === counts.units && generated.reports === counts.reports);
    if (reused) {
      progress(`reusing the ${scale} data in ${embedded.dataDir} (${counts.units} units, ${counts.reports} reports, generated ${(generated as GenerateSummary & { at?: string }).at ?? ''})`);
    } else {
      progress(`generating ${scale} data (seed ${seed}) into ${embedded.dataDir}`);
      await runGenerator(scale, seed, url);
      copyFileSync(path.join(projectRoot, 'bench', 'results', `generate-${scale}.json`), marker);
      generated = JSON.parse(readFileSync(marker, 'utf8')) as GenerateSummary;
    }

    progress('rebuilding the pre-aggregated rollups');
    const started = process.hrtime.bigint();
    await database.orm.em.fork().transactional((tx) => rebuildRollups(tx));
    const rebuildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await database.orm.em.fork().execute('analyze rollup');
    const [{ n }] = await database.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from rollup');
    progress(`rollups rebuilt: ${n} rows in ${rebuildSeconds.toFixed(2)} s`);
    await createPeerView(url);
    return { embedded, url, generated: generated!, reused, rebuildSeconds, rollupRows: n };
  } finally {
    await database.close();
  }
}

function runGenerator(scale: string, seed: number, url: string): Promise<void> {
  const args = ['--import', '@swc-node/register/esm-register', 'scripts/generate.ts', '--scale', scale, '--seed', String(seed), '--database-url', url, '--reset'];
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 2, 2], env: { ...process.env, LOG_LEVEL: 'warn' } }));
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`the generator failed (${signal ?? `exit code ${code}`})`))));
  });
}

/**
 * PostGraphile sums base rows. The submitted figures of a report are its revision `submitted_revision`, so it gets
 * them from a view (in the benchmark's database only); the smart tag gives the view the relation a table would have,
 * so that connection-filter can reach the closure table: unitByUnitId → unitClosuresByDescendantId.
 */
export async function createPeerView(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create or replace view bench_figures as
      select r.id, r.unit_id, r.year, r.month, r.scope, ${cells.map((c) => `v.${c.sqlColumn}`).join(', ')}
      from report r join report_revision v on v.report_id = r.id and v.revision = r.submitted_revision`);
    await client.query(`comment on view bench_figures is E'@primaryKey id\\n@foreignKey (unit_id) references unit (id)'`);
  } finally {
    await client.end();
  }
}

export interface Sample {
  top: SampleUnit;
  city: SampleUnit;
  county: SampleUnit;
  /** Units by level, for the mixed load's random rollups. */
  levels: SampleUnit[][];
  ranking: { parentCode: string; kinds: string[] | null; entries: number };
  /** The units of the city whose reports of the submission month exist: what the submission load re-submits. */
  submitCodes: string[];
  year: number;
}
export interface SampleUnit { id: number; code: string; name: string; kind: string; size: number }

/** Picks the units the scenarios read: the root, the largest city, its largest county, and a ~200-unit ranking. */
export async function sampleUnits(url: string, submitMonth: number): Promise<Sample> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows;
    const unitCols = 'u.id, u.code, u.name, u.kind::text as kind, u.subtree_size as size';
    const [top] = await q<SampleUnit>(`select ${unitCols} from unit u where parent_id is null order by subtree_size desc limit 1`);
    const [city] = await q<SampleUnit>(`select ${unitCols} from unit u where kind = 'PREFECTURE' order by subtree_size desc, code limit 1`);
    const [county] = await q<SampleUnit>(
      `select ${unitCols} from unit u where parent_id = $1 and kind in ('DISTRICT', 'COUNTY', 'COUNTY_CITY') order by subtree_size desc, code limit 1`, [city.id]);
    const [{ year }] = await q<{ year: number }>(`select max(year)::int as year from report`);
    const levelOf = `case when u.parent_id is null then 0 when u.kind = 'PREFECTURE' then 1 when u.kind in ('DISTRICT', 'COUNTY', 'COUNTY_CITY') then 2
      when u.kind in ('SUBDISTRICT', 'TOWN', 'TOWNSHIP') then 3 else 4 end`;
    const all = await q<SampleUnit & { level: number }>(`select ${unitCols}, ${levelOf} as level from unit u order by u.id`);
    const levels = [0, 1, 2, 3, 4].map((l) => all.filter((u) => u.level === l)).filter((l) => l.length);
    // A ranking of about 200 units: the township-level units or the departments of the root or of one city,
    // or a unit's children, whichever comes nearest 200 at this scale.
    const candidates = await q<{ code: string; kinds: string; n: number }>(
      `select p.code, k.kinds, count(*)::int as n from unit p
       join unit_closure c on c.ancestor_id = p.id and c.depth > 0 join unit d on d.id = c.descendant_id
       cross join (values ('SUBDISTRICT,TOWN,TOWNSHIP'), ('DEPARTMENT')) as k(kinds)
       where (p.parent_id is null or p.kind = 'PREFECTURE') and d.kind::text = any(string_to_array(k.kinds, ','))
       group by p.code, k.kinds
       union all select p.code, '', count(*)::int from unit p join unit d on d.parent_id = p.id group by p.code`);
    const best = candidates.sort((a, b) => Math.abs(a.n - 200) - Math.abs(b.n - 200) || a.code.localeCompare(b.code))[0];
    const submitCodes = (await q<{ code: string }>(
      `select u.code from unit_closure c join unit u on u.id = c.descendant_id
       join report r on r.unit_id = u.id and r.year = $2 and r.month = $3 and r.scope = 'SELF' and r.status = 'SUBMITTED'
       where c.ancestor_id = $1 order by u.code`, [city.id, year, submitMonth])).map((r) => r.code);
    return { top, city, county, levels, year, submitCodes, ranking: { parentCode: best.code, kinds: best.kinds ? best.kinds.split(',') : null, entries: best.n } };
  } finally {
    await client.end();
  }
}

/**
 * Waits until no other statement runs in the database: a load that ends leaves requests in flight, and a slow server
 * would still be working on them while the next server is measured.
 */
export async function waitIdle(url: string, timeoutMs = 300_000): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  try {
    for (;;) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and state not in ('idle') and pid <> pg_backend_pid()`);
      if (rows[0].n === 0 || Date.now() - started > timeoutMs) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end();
  }
}
