/**
 * How much CPU other work on the machine took during a run. The load average cannot tell: the benchmark itself keeps
 * ten or fifty PostgreSQL backends runnable. So the machine's busy time (/proc/stat) is taken minus the CPU time of
 * this process and every process below it (the servers, the embedded PostgreSQL and its backends): what remains was
 * spent by others, on cores the servers under test could not use. Linux only; elsewhere it says nothing (NaN).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc (USER_HZ): 100 on every Linux architecture Node runs on. */
const HZ = 100;

function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
  void idle;
  void iowait;
  return user + nice + system + irq + softirq + steal;
}

/** utime + stime of this process and each of its descendants, in ticks, by pid. */
function ourTicks(): Map<number, number> {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // after "pid (comm) ": state ppid ... utime is field 14 of the whole line, stime 15 (here indexes 11 and 12)
      stats.set(Number(entry), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  const ours = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, s] of stats) if (!ours.has(pid) && ours.has(s.ppid)) (ours.add(pid), (grew = true));
  }
  return new Map([...ours].map((pid) => [pid, stats.get(pid)?.ticks ?? 0]));
}

export interface CpuMark { at: number; busy: number; ours: Map<number, number> }

export function markCpu(): CpuMark | null {
  try {
    return { at: Date.now(), busy: machineBusyTicks(), ours: ourTicks() };
  } catch {
    return null;
  }
}

/** Cores' worth of CPU that other processes used between two marks (0 on a machine of our own). */
export function othersCores(from: CpuMark | null, to: CpuMark | null = markCpu()): number {
  if (!from || !to || to.at <= from.at) return NaN;
  // Per process: a pool connection that closes takes its whole history with it, which a difference of sums would
  // count as others' work; one that opens during the run counts from zero.
  let ours = 0;
  for (const [pid, ticks] of to.ours) ours += ticks - (from.ours.get(pid) ?? 0);
  const others = to.busy - from.busy - ours;
  return Math.max(0, others / HZ / ((to.at - from.at) / 1000));
}
