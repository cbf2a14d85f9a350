/**
 * How fast this machine is right now, as one number: rounds per second of a fixed single-threaded workload (JSON,
 * SHA-256 and sorting over a fixed document, like the work a GraphQL server does per request). The benchmark's
 * absolute figures move with the machine — a shared VM can run at half its speed on another day without any other
 * process showing up in `othersCores` — so each run records this at its start and end, and two runs' figures can be
 * compared in the light of their calibrations. It says nothing about the disk or about more than one core.
 */
import { createHash } from 'node:crypto';

const DOCUMENT = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: i, code: `44${String(i).padStart(4, '0')}`, name: `单位${i}`, figures: Array.from({ length: 20 }, (_, k) => (i * 31 + k * 17) % 997) })));

function round(): number {
  const parsed = JSON.parse(DOCUMENT) as { figures: number[] }[];
  let sum = 0;
  for (const unit of parsed) sum += unit.figures.slice().sort((a, b) => a - b)[10];
  return sum + createHash('sha256').update(JSON.stringify(parsed)).digest()[0];
}

/** Rounds per second over `ms` milliseconds (after a short warm-up). */
export function calibrate(ms = 1500): number {
  for (let i = 0; i < 50; i++) round();
  let rounds = 0;
  let sink = 0;
  const started = process.hrtime.bigint();
  const until = started + BigInt(ms) * 1_000_000n;
  let now = started;
  while (now < until) {
    for (let i = 0; i < 10; i++) sink += round();
    rounds += 10;
    now = process.hrtime.bigint();
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the work from being optimised away
  return rounds / (Number(now - started) / 1e9);
}
