/**
 * Load with autocannon's programmatic API. A response counts as a failure when its status is not 2xx or its body
 * carries GraphQL `errors` (Apollo answers most errors with 200), and so does a connection error or a timeout.
 * Latencies are taken from every response with sub-millisecond precision (autocannon's own histogram keeps whole
 * milliseconds, too coarse for reads of 1-3 ms), and percentiles are computed here over all of them.
 */
import autocannon from 'autocannon';
import { markCpu, othersCores } from './cpu.js';

export interface Target {
  name: string;
  kind: 'hub' | 'postgraphile';
  url: string;
  token: string | null;
}

export interface Scenario {
  name: string;
  connections: number;
  /** For a target: the JSON body of every request, or a maker of each next body (a seeded random sequence). */
  body: (target: Target) => string | (() => string);
}

export interface RunResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** non-2xx + 2xx bodies with `errors` + connection errors and timeouts. */
  failures: number;
  non2xx: number;
  errorBodies: number;
  connectionErrors: number;
  /** The first failing body, to say what went wrong. */
  example: string | null;
  /** Cores' worth of CPU that other processes on the machine used during the run (0 on a machine of our own). */
  othersCores: number;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `onResponse`: called with each response's latency as it arrives (bench/timeline.ts places them in time). */
export async function run(target: Target, scenario: Scenario, seconds: number, onResponse?: (ms: number) => void): Promise<RunResult> {
  let non2xx = 0;
  let errorBodies = 0;
  let example: string | null = null;
  const body = scenario.body(target);
  const request: autocannon.Request = {
    method: 'POST',
    path: new URL(target.url).pathname,
    onResponse(status, body) {
      const failed = status < 200 || status >= 300;
      if (failed) non2xx++;
      else if (body.includes('"errors"')) errorBodies++;
      if ((failed || body.includes('"errors"')) && example === null) example = `${status} ${body.slice(0, 500)}`;
    },
  };
  if (typeof body === 'string') request.body = body;
  else request.setupRequest = (req) => ({ ...req, body: body() });

  const latencies: number[] = [];
  const cpu = markCpu();
  const instance = autocannon({
    url: target.url,
    connections: scenario.connections,
    duration: seconds,
    // An on-the-fly rollup of a whole province can take seconds under load: a timeout would hide how slow it is.
    timeout: 120,
    headers: { 'content-type': 'application/json', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
    requests: [request],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    onResponse?.(ms);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length;
  return {
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    failures: non2xx + errorBodies + result.errors,
    non2xx,
    errorBodies,
    connectionErrors: result.errors,
    example,
    othersCores: othersCores(cpu),
  };
}

export interface Measured {
  target: string;
  reps: RunResult[];
  rps: number;
  p50: number;
  p99: number;
  failures: number;
  example: string | null;
}

/**
 * Measures every target `reps` times, interleaved (A B C, A B C, ...) so that drift of the machine is shared, after
 * a short unmeasured warm-up of each; medians of the repetitions. `between` runs after every run (waits for quiet).
 */
export async function measureAll(targets: Target[], scenario: Scenario, options: MeasureOptions): Promise<Measured[]> {
  return (await measureInterleaved([{ scenario, targets }], options))[0];
}

export interface MeasureOptions {
  seconds: number;
  reps: number;
  warmup: number;
  between: () => Promise<void>;
  onRun?: (target: Target, rep: number, scenario: Scenario) => void;
  log: (line: string) => void;
}

/**
 * Several scenarios measured as one: each repetition runs every scenario on every target (S1 A B C, S2 A B C, then
 * again), so that a machine which slows down over minutes of load — these VMs do — weighs on every scenario alike
 * instead of on the last ones measured. Each pair is warmed up, unmeasured, before its first repetition.
 */
export async function measureInterleaved(groups: { scenario: Scenario; targets: Target[] }[], options: MeasureOptions): Promise<Measured[][]> {
  const reps = groups.map((g) => new Map<string, RunResult[]>(g.targets.map((t) => [t.name, []])));
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const [i, { scenario, targets }] of groups.entries()) {
      if (rep === 1) options.log(`— ${scenario.name}, ${scenario.connections} connections`);
      for (const target of targets) {
        if (rep === 1) {
          options.onRun?.(target, 0, scenario);
          await run(target, scenario, options.warmup);
          await options.between();
        }
        options.onRun?.(target, rep, scenario);
        const r = await run(target, scenario, options.seconds);
        reps[i].get(target.name)!.push(r);
        options.log(`${scenario.name} · ${target.name} · rep ${rep}/${options.reps}: ${r.rps.toFixed(1)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, others used ${r.othersCores.toFixed(2)} cores` +
          (r.failures ? `, ${r.failures} FAILURES (${r.example})` : ''));
        await options.between();
      }
    }
  }
  return groups.map((g, i) =>
    g.targets.map((t) => {
      const rs = reps[i].get(t.name)!;
      return {
        target: t.name,
        reps: rs,
        rps: median(rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        failures: rs.reduce((n, r) => n + r.failures, 0),
        example: rs.find((r) => r.example)?.example ?? null,
      };
    }),
  );
}
