/**
 * Monthly SELF reports for every generated unit: figures from one continuous FigureSeries per unit (so every
 * identity and continuity check holds), a realistic submission time, and ~1% of unit-months never sent. Written with
 * COPY … FROM STDIN (text format), batch by batch: a `report` row and a `report_revision` row per report, ids
 * numbered here (the tables are empty), and rows frozen as they are written (COPY FREEZE: the tables were emptied in
 * the same transaction), so the first reader neither looks up nor writes hint bits on 190 MB of new pages.
 * Their pre-aggregated rollups are computed from the same figures (`BulkRollups`) and copied beside them.
 */
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { cells } from '../../src/format/catalogue.js';
import { Basis } from '../../src/reports/report-status.js';
import { COPY_ROLLUPS, type BulkMember, type BulkRollups } from '../../src/rollups/bulk-rollups.js';
import type { UnitKind } from '../../src/units/unit-kind.js';
import { FigureSeries, hashSeed, profileFor, random } from '../synthetic-figures.js';
import type { Progress } from './progress.js';

export interface ReportUnit { id: number; code: string; kind: UnitKind }
export interface ReportCounts { reports: number; missing: number; late: number }

/** Reports per pair of COPY statements: a few MB of text, so that memory stays flat at any scale. */
const BATCH = 8000;
/**
 * Batches handed to the connection and not yet written: Node builds the next batch while PostgreSQL writes the
 * last (one core each on a small machine).
 */
const AHEAD = 2;
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

/*
 * Submitted as they stand: `submitted_revision` is written here, which is all the report_submitted_by_default
 * trigger would do for these rows, and `first_submitted_at`, the time of their one revision, as the write path keeps
 * it. Every value is a number, a plain decimal or an ISO time: nothing to escape.
 */
const COPY_REPORTS = `copy report (id, unit_id, year, month, scope, current_revision, submitted_revision, first_submitted_at) from stdin with (freeze)`;
const COPY_REVISIONS = `copy report_revision (id, report_id, revision, submitted_at, warnings, submitted, ${cells.map((c) => c.sqlColumn).join(', ')})
  from stdin with (freeze)`;
const REVISION_CONSTANTS = `\t1\t`;
const REVISION_JSON = `\t[]\t{"source":"synthetic"}\t`;

/**
 * Lets the connection write out what it holds. A batch goes to the socket as one ~10 MB string, which the kernel
 * takes a few MB of at a time, each time the event loop is free: building the next batch in one synchronous run left
 * PostgreSQL waiting for the rest of the last one (~60 % busy). Yielding after each unit keeps it fed (~90 %):
 * province reports 4.5 → 3.4 s.
 */
const yieldToConnection = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One batch of COPY text, a line per row. */
class Batch {
  reports: string[] = [];
  revisions: string[] = [];
  rollups: string[] = [];
  /** Unit-months covered, sent or not: what the progress bar counts. */
  unitMonths = 0;
}

function copy(client: pg.ClientBase, sql: string, lines: string[]): Promise<void> {
  if (!lines.length) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(`${lines.join('\n')}\n`);
  });
}

/**
 * Writes the reports of `units` with ids from `firstId` on, and their rollup rows (`rollups`, made for the same
 * units). Call inside the transaction that emptied `report`, `report_revision` and `rollup` (COPY FREEZE requires
 * it); the caller moves the id sequences past the last id.
 */
export async function loadReports(client: pg.ClientBase, units: ReportUnit[], rollups: BulkRollups, seed: number, years: number[], progress: Progress, firstId = 1): Promise<ReportCounts> {
  const wanted = new Set(years);
  // The series walks every month from the first year to the last, so a gap in --years leaves a gap in the reports,
  // not a jump in the balances.
  const months: [number, number][] = [];
  for (let y = Math.min(...years); y <= Math.max(...years); y++) for (let m = 1; m <= 12; m++) months.push([y, m]);
  const counts: ReportCounts = { reports: 0, missing: 0, late: 0 };
  // Batches are written one after another on the one connection, while Node builds the next ones.
  let written: Promise<void> = Promise.resolve();
  const pending: Promise<void>[] = [];
  let failure: unknown = null;
  const send = async (batch: Batch) => {
    written = written.then(async () => {
      if (failure) return;
      await copy(client, COPY_REPORTS, batch.reports);
      await copy(client, COPY_REVISIONS, batch.revisions);
      await copy(client, COPY_ROLLUPS, batch.rollups);
      progress.tick(batch.unitMonths);
    }).catch((error: unknown) => void (failure ??= error));
    pending.push(written);
    while (pending.length > AHEAD) await pending.shift();
    if (failure) throw failure;
  };

  progress.start('reports', units.length * wanted.size * 12);
  let id = firstId;
  let batch = new Batch();
  for (const unit of units) {
    await yieldToConnection();
    const key = `${unit.code}:${seed}`;
    const series = new FigureSeries(key, profileFor(unit.kind, key));
    const members = new Map<number, BulkMember[]>([...wanted].map((year) => [year, []]));
    for (const [year, month] of months) {
      // Always advanced: a month that was never reported still happened; the next one carries its balances.
      const values = series.nextRow();
      if (!wanted.has(year)) continue;
      batch.unitMonths++;
      const sent = submission(unit.code, seed, year, month);
      if (!sent) {
        counts.missing++;
        continue;
      }
      const at = sent.at.toISOString();
      const text = values.join('\t');
      batch.reports.push(`${id}\t${unit.id}\t${year}\t${month}\tSELF\t1\t1\t${at}`);
      batch.revisions.push(`${id}\t${id}${REVISION_CONSTANTS}${at}${REVISION_JSON}${text}`);
      members.get(year)!.push({ month, values, text });
      id++;
      counts.reports++;
      if (sent.late) counts.late++;
      if (batch.reports.length >= BATCH) {
        await send(batch);
        batch = new Batch();
      }
    }
    // Submitted as they stand (no approvals yet): the SUBMITTED basis only.
    for (const [year, list] of members) batch.rollups.push(...rollups.unitYear(unit.id, Basis.SUBMITTED, year, list));
  }
  // The rows of the units with children, once every row below them has been added.
  for (const line of rollups.parentRows()) {
    batch.rollups.push(line);
    if (batch.rollups.length >= BATCH) {
      await send(batch);
      batch = new Batch();
    }
  }
  if (batch.reports.length || batch.rollups.length) await send(batch);
  else progress.tick(batch.unitMonths);
  await Promise.all(pending);
  if (failure) throw failure;
  progress.finish();
  return counts;
}
