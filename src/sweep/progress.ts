// Progress on stderr: a redrawn bar when stderr is a terminal, a plain line every `intervalMs`
// when it is not (logs, CI), nothing when quiet. Time-driven by the caller's updates, so it also
// works from a synchronous in-process loop.

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly mode: ProgressMode,
    private readonly stream: ProgressStream = process.stderr,
    /** Points already present when the run (re)started; not counted in the rate. */
    private readonly initial = 0,
    private readonly intervalMs = mode === 'bar' ? 100 : 2000,
  ) {
    this.done = initial;
    // Plain lines start after one interval, so a short run prints only its summary.
    if (mode === 'lines') this.lastDraw = this.started;
  }

  static modeFor(quiet: boolean | undefined, stream: ProgressStream = process.stderr): ProgressMode {
    if (quiet) return 'none';
    return stream.isTTY ? 'bar' : 'lines';
  }

  tick(count = 1): void {
    this.done += count;
    const now = Date.now();
    if (this.mode !== 'none' && now - this.lastDraw >= this.intervalMs) {
      this.lastDraw = now;
      this.draw(now);
    }
  }

  /** Clears the bar (the caller prints its own summary line). */
  finish(): void {
    if (this.mode === 'bar' && this.drawn) this.stream.write('\r\x1b[2K');
  }

  private draw(now: number): void {
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? (this.done - this.initial) / elapsed : 0;
    const remaining = this.total - this.done;
    const eta = rate > 0 ? remaining / rate : Infinity;
    const percent = this.total > 0 ? (100 * this.done) / this.total : 100;
    const stats = `${this.done}/${this.total} ${percent.toFixed(1)}% ${rate.toFixed(rate < 10 ? 1 : 0)} pt/s ETA ${formatDuration(eta)}`;
    if (this.mode === 'bar') {
      const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - stats.length - 10));
      const filled = this.total > 0 ? Math.round((width * this.done) / this.total) : width;
      this.stream.write(`\r\x1b[2Ksweep [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}`);
      this.drawn = true;
    } else {
      this.stream.write(`sweep: ${stats}\n`);
    }
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
