/**
 * Monthly SELF reports for every generated unit: figures from one continuous FigureSeries per unit (so every
 * identity and continuity check holds), a realistic submission time, and ~1% of unit-months never sent. Written in
 * bulk: per batch one INSERT into report (RETURNING the ids) and one into report_revision, each a single
 * INSERT ... SELECT FROM unnest(...) with one array per column, in one transaction.
 */
import type pg from 'pg';
import { cells } from '../../src/format/catalogue.js';
import type { CellValues } from '../../src/format/figures.js';
import type { UnitKind } from '../../src/units/unit-kind.js';
import { FigureSeries, hashSeed, profileFor, random } from '../synthetic-figures.js';
import type { Progress } from './progress.js';

export interface ReportUnit { id: number; code: string; kind: UnitKind }
export interface ReportCounts { reports: number; missing: number; late: number }

/** Rows per statement: large enough that round trips vanish, small enough that a statement stays a few MB. */
const BATCH = 2500;
/** Two batches in flight: Node builds the next while PostgreSQL writes the last (one core each on a small machine). */
const CONCURRENCY = 2;
const MISSING_SHARE = 0.01;

/**
 * When a unit sent a month's report (China time), or null if it never did. A quarter of units are habitually late
 * (28% of their months after the 10th), the rest rarely (4%): about 10% late in all, clustered as in real life.
 */
export function submission(code: string, seed: number, year: number, month: number): { at: Date; late: boolean } | null {
  const habit = random(hashSeed(`punctuality:${code}:${seed}`));
  const lateShare = habit() < 0.25 ? 0.28 : 0.04;
  const rng = random(hashSeed(`submission:${code}:${seed}:${year}-${month}`));
  if (rng() < MISSING_SHARE) return null;
  const late = rng() < lateShare;
  const day = late ? 11 + Math.floor(rng() * 15) : 1 + Math.floor(rng() * 9); // day of the next month
  const hour = 9 + Math.floor(rng() * 9); // office hours, 09:00-17:59 China time (UTC+8)
  const at = new Date(Date.UTC(month === 12 ? year + 1 : year, month === 12 ? 0 : month, day, hour - 8, Math.floor(rng() * 60), Math.floor(rng() * 60)));
  return { at, late };
}

const columnList = cells.map((c) => c.sqlColumn).join(', ');
const INSERT_REPORTS = `insert into report (unit_id, year, month, scope, current_revision)
  select t.unit_id, t.year, t.month, 'SELF', 1 from unnest($1::int[], $2::smallint[], $3::smallint[]) as t(unit_id, year, month)
  returning id, unit_id, month, year`;
const INSERT_REVISIONS = `insert into report_revision (report_id, revision, submitted_at, warnings, submitted, ${columnList})
  select t.report_id, 1, t.submitted_at, '[]'::jsonb, '{"source":"synthetic"}'::jsonb, ${cells.map((c) => `t.${c.sqlColumn}`).join(', ')}
  from unnest($1::int[], $2::timestamptz[], ${cells.map((c, i) => `$${i + 3}::${c.kind === 'amount' ? 'numeric' : 'int'}[]`).join(', ')})
    as t(report_id, submitted_at, ${columnList})`;

/** One batch of rows, held column by column as the unnest arrays want them. */
class Batch {
  unitIds: number[] = [];
  years: number[] = [];
  months: number[] = [];
  submittedAt: string[] = [];
  columns: (number | string)[][] = cells.map(() => []);
  /** Unit-months covered, sent or not: what the progress bar counts. */
  unitMonths = 0;

  add(unitId: number, year: number, month: number, at: Date, values: CellValues) {
    this.unitIds.push(unitId);
    this.years.push(year);
    this.months.push(month);
    this.submittedAt.push(at.toISOString());
    for (let i = 0; i < cells.length; i++) this.columns[i].push(values[cells[i].path]);
  }
}

/** A PostgreSQL array literal. Every element is a number, a plain decimal or an ISO time: nothing to quote. */
const literal = (xs: (number | string)[]) => `{${xs.join(',')}}`;

async function writeBatch(pool: pg.Pool, batch: Batch): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: number; unit_id: number; year: number; month: number }>(
      { name: 'generate_reports', text: INSERT_REPORTS, values: [literal(batch.unitIds), literal(batch.years), literal(batch.months)] },
    );
    // RETURNING promises no order, so the ids are matched back by key.
    const idOf = new Map(rows.map((r) => [`${r.unit_id}|${r.year}|${r.month}`, r.id]));
    const reportIds = batch.unitIds.map((u, i) => idOf.get(`${u}|${batch.years[i]}|${batch.months[i]}`)!);
    await client.query({
      name: 'generate_revisions',
      text: INSERT_REVISIONS,
      values: [literal(reportIds), literal(batch.submittedAt), ...batch.columns.map(literal)],
    });
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function loadReports(pool: pg.Pool, units: ReportUnit[], seed: number, years: number[], progress: Progress): Promise<ReportCounts> {
  const wanted = new Set(years);
  // The series walks every month from the first year to the last, so a gap in --years leaves a gap in the reports,
  // not a jump in the balances.
  const months: [number, number][] = [];
  for (let y = Math.min(...years); y <= Math.max(...years); y++) for (let m = 1; m <= 12; m++) months.push([y, m]);
  const counts: ReportCounts = { reports: 0, missing: 0, late: 0 };
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  const send = async (batch: Batch) => {
    while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    if (failure) throw failure;
    const written: Promise<void> = writeBatch(pool, batch)
      .then(() => progress.tick(batch.unitMonths), (error: unknown) => void (failure ??= error))
      .finally(() => inFlight.delete(written));
    inFlight.add(written);
  };

  progress.start('reports', units.length * wanted.size * 12);
  let batch = new Batch();
  for (const unit of units) {
    const key = `${unit.code}:${seed}`;
    const series = new FigureSeries(key, profileFor(unit.kind, key));
    for (const [year, month] of months) {
      // Always advanced: a month that was never reported still happened; the next one carries its balances.
      const values = series.next();
      if (!wanted.has(year)) continue;
      batch.unitMonths++;
      const sent = submission(unit.code, seed, year, month);
      if (!sent) {
        counts.missing++;
        continue;
      }
      batch.add(unit.id, year, month, sent.at, values);
      counts.reports++;
      if (sent.late) counts.late++;
      if (batch.unitIds.length >= BATCH) {
        await send(batch);
        batch = new Batch();
      }
    }
  }
  if (batch.unitMonths) await send(batch);
  await Promise.all(inFlight);
  if (failure) throw failure;
  progress.finish();
  return counts;
}
