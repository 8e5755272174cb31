// Sweep throughput (printed, never asserted): a 10,000-point analytical sweep of the systolic
// family (rows × cols × DRAM bandwidth × ifmap SRAM on arch/edge-128.yaml with BERT-base) on 2
// worker threads and, as the same-process baseline, in-process (--jobs 1); and a 1,000-point
// event-engine sweep on 2 threads. Targets: ≥ 400k analytical points/min with --jobs 2 (issue
// 14), < 30 s and < 60 s on 2 cores, and points.jsonl byte-identical for --jobs 1 and 2.
// Run alone with `node dist/bench/sweep.js`, or from the main bench.

import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSweep, type SweepOptions, type SweepSummary } from '../src/sweep/run.js';
import { atLeast, below, formatRow, ratioRow, type BenchRow } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');

const ANALYTICAL: Omit<SweepOptions, 'out' | 'jobs'> = {
  arch: join(ROOT, 'arch', 'edge-128.yaml'),
  workloads: [join(ROOT, 'workloads', 'bert-base.yaml')],
  sets: ['compute.rows=16..160:16', 'compute.cols=16..160:16', 'memory.dram.bandwidth=6.4..64:6.4GB/s', 'memory.ifmap_sram.capacity=256..2560:256KiB'],
  engine: 'analytical',
};

const EVENT: Omit<SweepOptions, 'out' | 'jobs'> = {
  arch: join(ROOT, 'arch', 'edge-128.yaml'),
  workloads: [join(ROOT, 'workloads', 'bert-base.yaml')],
  sets: ['compute.rows=16..160:16', 'compute.cols=16..160:16', 'memory.dram.bandwidth=6.4..64:6.4GB/s'],
  engine: 'event',
};

/** Runs a sweep into a temporary directory; returns its summary and points.jsonl. */
async function sweep(options: Omit<SweepOptions, 'out'>): Promise<{ summary: SweepSummary; points: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'accsim-bench-sweep-'));
  try {
    const summary = await runSweep({ ...options, out: join(dir, 'run'), quiet: true });
    return { summary, points: readFileSync(join(dir, 'run', 'points.jsonl'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const perMinute = (s: SweepSummary) => (s.points / s.seconds) * 60;
const detailOf = (s: SweepSummary, lines: string) => `${s.points} points in ${s.seconds.toFixed(2)} s, ${lines.split('\n').length - 1} lines, ${s.error} error points`;

export async function benchSweeps(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const two = await sweep({ ...ANALYTICAL, jobs: 2 });
  const one = await sweep({ ...ANALYTICAL, jobs: 1 });
  const label = '10,000-point analytical sweep, edge-128 × BERT-base';
  rows.push({ name: `${label}, --jobs 2`, value: perMinute(two.summary), unit: 'points/min', ...atLeast(perMinute(two.summary), 400_000, 'points/min'), detail: detailOf(two.summary, two.points) });
  rows.push({ name: `${label}, --jobs 2 wall time`, value: two.summary.seconds, unit: 's', ...below(two.summary.seconds, 30, 's') });
  rows.push({ name: `${label}, --jobs 1`, value: perMinute(one.summary), unit: 'points/min', detail: detailOf(one.summary, one.points) });
  rows.push(ratioRow('--jobs 2 speed-up over --jobs 1', perMinute(two.summary), perMinute(one.summary), '--jobs 1', undefined, true));
  const identical = two.points === one.points;
  rows.push({ name: 'points.jsonl byte-identical for --jobs 1 and --jobs 2', value: identical ? 1 : 0, unit: '(1 = yes)', target: '= 1', pass: identical });
  const event = await sweep({ ...EVENT, jobs: 2 });
  rows.push({ name: '1,000-point event-engine sweep, edge-128 × BERT-base, --jobs 2', value: event.summary.seconds, unit: 's', ...below(event.summary.seconds, 60, 's'), detail: detailOf(event.summary, event.points) });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) for (const row of await benchSweeps()) console.log(formatRow(row));
