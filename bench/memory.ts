/**
 * Resident memory of a process, sampled every 250 ms from /proc/<pid>/status: VmRSS (now) and VmHWM (the peak the
 * kernel saw, which catches spikes between samples). Each sample carries the phase it was taken in, so that the
 * steady figure can be the median of one phase (the mixed load against that server).
 */
import { readFileSync } from 'node:fs';
import { median } from './load.js';

export interface MemorySample { at: number; phase: string; rssMb: number; hwmMb: number }

function read(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null; // no /proc (not Linux), or the process is gone
  }
}

export class MemorySampler {
  readonly samples: MemorySample[] = [];
  phase = 'idle';
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pid: number, private readonly intervalMs = 250) {}

  start(): void {
    this.timer ??= setInterval(() => {
      const m = read(this.pid);
      if (m) this.samples.push({ at: Date.now(), phase: this.phase, ...m });
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Median RSS over the samples whose phase passes `filter`. */
  steadyMb(filter: (phase: string) => boolean): number {
    return median(this.samples.filter((s) => filter(s.phase)).map((s) => s.rssMb));
  }

  /** The largest VmHWM seen: the process's peak RSS over its whole life so far. */
  peakMb(): number {
    const last = read(this.pid);
    return Math.max(...this.samples.map((s) => s.hwmMb), last?.hwmMb ?? 0);
  }

  /** A compact timeline for the JSON: min, median and max RSS per phase. */
  byPhase(): Record<string, { samples: number; minMb: number; medianMb: number; maxMb: number }> {
    const phases = [...new Set(this.samples.map((s) => s.phase))];
    return Object.fromEntries(phases.map((p) => {
      const xs = this.samples.filter((s) => s.phase === p).map((s) => s.rssMb);
      return [p, { samples: xs.length, minMb: round(Math.min(...xs)), medianMb: round(median(xs)), maxMb: round(Math.max(...xs)) }];
    }));
  }
}

const round = (x: number) => Math.round(x * 10) / 10;
