// Shared pieces of `npm run bench`: the row every case reports (see the top of bench/main.ts),
// timing helpers, targets and the machine-load record. Benchmarks print; nothing here asserts.

import { performance } from 'node:perf_hooks';
import { availableParallelism, cpus, loadavg } from 'node:os';

/** One measured figure, with its target when it has one. */
export interface BenchRow {
  /** What was measured, e.g. 'SpGEMM all three dataflows, R-MAT ~1.05M nnz'. */
  name: string;
  /** The figure, in `unit`. */
  value: number;
  /** Unit of `value`: 's', 'ms', 'µs', 'points/min', 'MB', '×', … */
  unit: string;
  /** The target in words, e.g. '< 8 s' or '≥ 2× the baseline'; absent for figures without one. */
  target?: string;
  /** Whether `value` meets `target`; absent exactly when there is no target. */
  pass?: boolean;
  /** Context printed after the figure (runs, counts, the baseline a ratio is against). */
  detail?: string;
}

/** A section of the bench: a title and the function that measures its rows. */
export interface BenchSection {
  title: string;
  run: () => BenchRow[] | Promise<BenchRow[]>;
}

/** Mean seconds per call of `fn`: one warm-up call (JIT) unless minRuns is 1, then ≥ minSeconds and ≥ minRuns calls. */
export function secondsPerRun(fn: () => unknown, minSeconds = 0.3, minRuns = 3): { seconds: number; runs: number } {
  if (minRuns > 1) fn();
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000 || runs < minRuns) {
    fn();
    runs++;
  }
  return { seconds: (performance.now() - start) / 1000 / runs, runs };
}

/** A timing row in the unit that reads best (µs, ms or s). */
export function timeRow(name: string, seconds: number, more: Partial<Omit<BenchRow, 'name' | 'value' | 'unit'>> = {}): BenchRow {
  const [value, unit] = seconds < 1e-3 ? [seconds * 1e6, 'µs'] : seconds < 1 ? [seconds * 1e3, 'ms'] : [seconds, 's'];
  return { name, value, unit, ...more };
}

/** Target `value < limit` (same unit as the row's value). */
export const below = (value: number, limit: number, unit: string): Pick<BenchRow, 'target' | 'pass'> => ({ target: `< ${limit} ${unit}`, pass: value < limit });
/** Target `value ≥ limit`. */
export const atLeast = (value: number, limit: number, unit: string): Pick<BenchRow, 'target' | 'pass'> => ({ target: `≥ ${limit} ${unit}`, pass: value >= limit });

/**
 * A relative target: `measured` against a `baseline` run in the same process just before or
 * after it (so both see the same machine load). `higherIsBetter` for throughputs; for times the
 * ratio is baseline / measured, so it reads as a speed-up either way.
 */
export function ratioRow(name: string, measured: number, baseline: number, baselineName: string, minRatio: number | undefined, higherIsBetter: boolean): BenchRow {
  const ratio = higherIsBetter ? measured / baseline : baseline / measured;
  return { name, value: ratio, unit: '×', ...(minRatio === undefined ? {} : atLeast(ratio, minRatio, '×')), detail: `against ${baselineName}, same process` };
}

export interface MachineLoad {
  loadavg1: number;
  loadavg5: number;
  cores: number;
  cpuModel: string;
}

export function machineLoad(): MachineLoad {
  const [loadavg1, loadavg5] = loadavg();
  return { loadavg1, loadavg5, cores: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown' };
}

export const formatLoad = (load: MachineLoad): string => `load average ${load.loadavg1.toFixed(2)} (1 min), ${load.loadavg5.toFixed(2)} (5 min) on ${load.cores} cores`;

function formatValue(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** One line per row: name, figure, target and verdict, detail. */
export function formatRow(row: BenchRow): string {
  const figure = `${formatValue(row.value)} ${row.unit}`.padStart(16);
  const verdict = row.target === undefined ? ''.padEnd(22) : `${(row.pass ? 'PASS' : 'FAIL').padEnd(5)}${row.target.padEnd(17)}`;
  return `  ${row.name.padEnd(66)} ${figure}  ${verdict}${row.detail ? ` ${row.detail}` : ''}`;
}
