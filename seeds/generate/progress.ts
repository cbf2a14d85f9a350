/**
 * A progress bar on stderr for long loads, written by hand (one `\r` line) to avoid a dependency. When stderr is not
 * a terminal (CI logs, redirected output) a redrawn line would be garbage, so it prints a plain line every 10% instead.
 */
export interface Progress {
  /** Begins a phase of `total` items (a new bar). */
  start(label: string, total: number): void;
  /** `n` more items done. */
  tick(n: number): void;
  /** Ends the phase: the final line, with the elapsed time. */
  finish(): void;
  /** A message between phases. */
  note(message: string): void;
}

/** For tests and library use: nothing printed. */
export const silentProgress: Progress = { start() {}, tick() {}, finish() {}, note() {} };

const BAR_WIDTH = 28;
/** Redrawing more often than this costs time and shows nothing a reader could follow. */
const REDRAW_MS = 120;

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = Boolean(stream.isTTY);
  let label = '';
  let total = 0;
  let done = 0;
  let startedAt = 0;
  let lastDraw = 0;
  let lastDecile = 0;

  const line = (): string => {
    const seconds = (Date.now() - startedAt) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const share = total ? Math.min(1, done / total) : 1;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = tty ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : '';
    return `${label.padEnd(8)} ${bar}${(share * 100).toFixed(1).padStart(5)}% ${fmt(done)}/${fmt(total)} ` +
      `${fmt(Math.round(rate))}/s ${done >= total ? `in ${clock(seconds)}` : rate > 0 ? `ETA ${clock(eta)}` : 'ETA --:--'}`;
  };
  const draw = (force: boolean) => {
    if (tty) {
      const now = Date.now();
      if (!force && now - lastDraw < REDRAW_MS) return;
      lastDraw = now;
      stream.write(`\r${line()}\x1b[K`);
    } else {
      const decile = total ? Math.floor((done / total) * 10) : 10;
      if (!force && decile <= lastDecile) return;
      lastDecile = decile;
      stream.write(`${line()}\n`);
    }
  };

  return {
    start(newLabel, newTotal) {
      label = newLabel;
      total = newTotal;
      done = 0;
      startedAt = Date.now();
      lastDraw = 0;
      lastDecile = 0;
      if (tty) draw(true);
    },
    tick(n) {
      done += n;
      draw(false);
    },
    finish() {
      done = Math.max(done, total);
      if (tty) {
        draw(true);
        stream.write('\n');
      } else if (lastDecile < 10) {
        draw(true);
      }
    },
    note(message) {
      stream.write(`${message}\n`);
    },
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
