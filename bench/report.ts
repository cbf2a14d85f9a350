/**
 * The benchmark's findings: the targets of the issue judged (met or missed; never a failure of the run), a Markdown
 * report and the JSON with everything, including every repetition.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../src/config.js';
import type { Measured } from './load.js';

export interface ScenarioResult { name: string; connections: number; results: Measured[] }
export interface Findings {
  scale: string;
  command: string;
  options: { duration: number; reps: number; seed: number };
  machine: {
    cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string; date: string; loadAverage: { start: number[]; end: number[] };
    /** bench/calibrate.ts at the run's start and end: rounds/s of a fixed single-threaded workload. */
    speed: { start: number; end: number };
  };
  data: { units: number; reports: number; revisions: number; reused: boolean; databaseSize: string };
  importing: {
    reports: number;
    /** `npm run generate` from start to commit: units, then the reports with their rollups in one transaction. */
    generatorSeconds: number;
    /** Its phases as the generator timed them (`GenerateSummary.seconds` without reset and total). */
    phaseSeconds: Record<string, number>;
    /** A standalone rebuild of kept data's rollups before this run, or null. */
    rebuildSeconds: number | null;
    rollupRows: number;
    reportsPerSecond: number;
  };
  checks: { name: string; ok: boolean; detail?: string }[];
  scenarios: ScenarioResult[];
  /** The pre-aggregated hub's rollup reads over the read scenarios (from /healthz): requests and the statements that answered them. */
  coalescedReads: { statements: number; requests: number } | null;
  /** `queue`: the hub's submission queue counts over the submission phase (from /healthz), null when not known. */
  submissions: Measured & { connections: number; name: string; queue: { alone: number; batches: number; batched: number; fallbacks: number } | null };
  verify: { rowsChecked: number; differences: number; seconds: number };
  memory: { steadyMb: number; peakMb: number; byPhase: Record<string, unknown> };
  targets: Target[];
  failures: number;
  seconds: number;
}
export interface Target { target: string; measured: string; met: boolean | null }

export const HUB = 'hub (pre-aggregated)';
export const FLY = 'hub (on the fly)';
export const PEER = 'PostGraphile';

/** The machine, its load average (1, 5, 15 min) and its speed when the run began and ended: others may share it. */
export function machine(loadAtStart: number[], speed: Findings['machine']['speed']): Findings['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length, cpuModel: cpus[0]?.model ?? '?', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    platform: `${os.platform()} ${os.release()}`, date: new Date().toISOString(), loadAverage: { start: loadAtStart, end: os.loadavg() }, speed,
  };
}

const of = (s: ScenarioResult | undefined, target: string) => s?.results.find((r) => r.target === target);
export const ratio = (s: ScenarioResult | undefined, other: string) => {
  const a = of(s, HUB);
  const b = of(s, other);
  return a && b && b.rps > 0 ? a.rps / b.rps : null;
};
const x = (r: number | null) => (r === null ? '–' : `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}×`);
const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '–');

/** The issue's targets against what was measured. */
export function judge(f: Omit<Findings, 'targets'>, topKind: string): Target[] {
  const rollups = f.scenarios.filter((s) => s.name.startsWith('rollup '));
  const hubRollups = rollups.map((s) => of(s, HUB)!).filter(Boolean);
  const minRps = Math.min(...hubRollups.map((r) => r.rps));
  const maxP99 = Math.max(...hubRollups.map((r) => r.p99));
  const [top, city] = [rollups.find((s) => s.name.startsWith('rollup top')), rollups.find((s) => s.name.startsWith('rollup city'))];
  const peerRatios = rollups.map((s) => ratio(s, PEER)).filter((r): r is number => r !== null);
  const sub = f.submissions;
  return [
    { target: `rollup reads ≥ 2,500 req/s with p99 ≤ 10 ms (province scale; worst of top, city, county)`, measured: `${n(minRps)} req/s, p99 ${ms(maxP99)} ms`, met: minRps >= 2500 && maxP99 <= 10 },
    { target: 'city rollup ≥ 8× on the fly', measured: x(ratio(city, FLY)), met: (ratio(city, FLY) ?? 0) >= 8 },
    { target: 'province rollup ≥ 50× on the fly', measured: topKind === 'PROVINCE' ? x(ratio(top, FLY)) : 'no province', met: topKind === 'PROVINCE' ? (ratio(top, FLY) ?? 0) >= 50 : null },
    { target: 'subtree rollup ≥ 5× PostGraphile (smallest of top, city, county)', measured: `${x(peerRatios.length ? Math.min(...peerRatios) : null)} (${peerRatios.map(x).join(', ')})`, met: peerRatios.length ? Math.min(...peerRatios) >= 5 : null },
    { target: 'submissions ≥ 500/s with p99 ≤ 60 ms, verify finds no difference', measured: `${n(sub.rps)}/s, p99 ${ms(sub.p99)} ms, ${f.verify.differences} differences`, met: sub.rps >= 500 && sub.p99 <= 60 && f.verify.differences === 0 },
    { target: 'bulk import ≥ 20,000 reports/s incl. rollups', measured: `${n(f.importing.reportsPerSecond)} reports/s`, met: f.importing.reportsPerSecond >= 20000 },
    { target: 'RSS ≤ 250 MB steady (median during the mixed load)', measured: `${n(f.memory.steadyMb)} MB (peak ${n(f.memory.peakMb)} MB)`, met: f.memory.steadyMb <= 250 },
  ];
}

/** Other work on the machine during the measured runs (bench/cpu.ts): it took CPU from the servers under test. */
export function othersShare(f: Pick<Findings, 'scenarios' | 'submissions'>): { mean: number; max: number } {
  const xs = [...f.scenarios.flatMap((s) => s.results.flatMap((r) => r.reps)), ...f.submissions.reps].map((r) => r.othersCores).filter(Number.isFinite);
  return { mean: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN, max: Math.max(0, ...xs) };
}

function busy(f: Findings): string[] {
  const { mean, max } = othersShare(f);
  if (!(mean > 0.1)) return Number.isFinite(mean) ? [`Other processes on the machine used ${mean.toFixed(2)} cores on average during the measured runs.`, ''] : [];
  return [`**Shared machine**: other processes used on average ${mean.toFixed(2)} (at most ${max.toFixed(2)}) of the ${f.machine.cpus} cores ` +
    'during the measured runs (each run\'s share is in the JSON, `othersCores`); the servers had that much less CPU.', ''];
}

/** The generator's phases (`GenerateSummary.seconds`) as the table names them; a phase not listed keeps its key. */
const PHASES: Record<string, string> = { units: 'units', reports: 'reports with their rollups', keys: 'indexes, keys and statistics' };

export function markdown(f: Findings): string {
  const m = f.machine;
  const lines = [
    `# disclosure-hub benchmark: ${f.scale}`,
    '',
    `\`${f.command}\` — ${m.date}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}; ` +
      `${f.options.reps} repetitions of ${f.options.duration} s per server, medians; loopback; run took ${n(f.seconds)} s. ` +
      'The submissions are measured after 10 s of them unmeasured, with a checkpoint before each repetition (scripts/bench.ts).',
    '',
    `Machine speed (\`bench/calibrate.ts\`, rounds/s of a fixed single-threaded workload; compare runs by it): ${n(m.speed.start)} at the start, ` +
      `${n(m.speed.end)} at the end.`,
    '',
    ...busy(f),
    `Data: ${n(f.data.units)} units, ${n(f.data.reports)} reports, ${n(f.data.revisions)} revisions at generation, ${f.data.databaseSize}` +
      `${f.data.reused ? ' (kept from an earlier run)' : ''}. Identical-figures checks: ${f.checks.filter((c) => c.ok).length}/${f.checks.length} passed. ` +
      `Failed requests: ${f.failures}.`,
    '',
    '| scenario | conns | server | req/s | p50 ms | p99 ms | failures | hub ÷ on the fly | hub ÷ PostGraphile |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of [...f.scenarios, { name: f.submissions.name, connections: f.submissions.connections, results: [f.submissions] }]) {
    for (const [i, r] of s.results.entries()) {
      const first = i === 0;
      lines.push(`| ${first ? s.name : ''} | ${first ? s.connections : ''} | ${r.target} | ${n(r.rps, r.rps < 10 ? 2 : 0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.failures} | ` +
        `${first && s.results.length > 1 ? x(ratio(s, FLY)) : ''} | ${first && s.results.length > 2 ? x(ratio(s, PEER)) : ''} |`);
    }
  }
  const imp = f.importing;
  lines.push(
    '',
    `Bulk import (\`npm run generate\`${f.data.reused ? ', from the run that generated the kept data' : ''}): ${n(imp.reports)} reports in ${n(imp.generatorSeconds, 1)} s ` +
      `(${Object.entries(imp.phaseSeconds).map(([phase, seconds]) => `${PHASES[phase] ?? phase} ${n(seconds, 1)} s`).join(', ')}), with their ${n(imp.rollupRows)} rollup rows ` +
      `= **${n(imp.reportsPerSecond)} reports/s** including rollups` +
      `${imp.rebuildSeconds === null ? '' : `; a rebuild of the kept data's rollups took ${n(imp.rebuildSeconds, 1)} s`}. ` +
      (f.submissions.queue
        ? `The submissions went as ${n(f.submissions.queue.batches)} batches of ${n(f.submissions.queue.batched / Math.max(1, f.submissions.queue.batches), 1)} on average and ` +
          `${n(f.submissions.queue.alone)} transactions of one (${n(f.submissions.queue.fallbacks)} batches refused). `
        : '') +
      (f.coalescedReads?.statements
        ? `The pre-aggregated hub's rollup reads took ${n(f.coalescedReads.statements)} statements for ${n(f.coalescedReads.requests)} requests (${n(f.coalescedReads.requests / f.coalescedReads.statements, 1)} per statement). `
        : '') +
      `Verify after the submissions: ${n(f.verify.rowsChecked)} rollup rows, **${f.verify.differences} differences**, ${n(f.verify.seconds, 1)} s. ` +
      `Hub (pre-aggregated) RSS: **${n(f.memory.steadyMb)} MB** steady (median during the mixed load), **${n(f.memory.peakMb)} MB** peak (VmHWM).`,
    '',
    '| target | measured | |',
    '| --- | --- | --- |',
    ...f.targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met === null ? 'n/a' : t.met ? 'met' : '**missed**'} |`),
    '',
  );
  return lines.join('\n');
}

export function write(f: Findings): { json: string; md: string } {
  const dir = path.join(projectRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `bench-${f.scale}.json`);
  const md = path.join(dir, `bench-${f.scale}.md`);
  writeFileSync(json, `${JSON.stringify(f, null, 2)}\n`);
  writeFileSync(md, markdown(f));
  return { json, md };
}
