// Sweep throughput (printed, never asserted): a 10,000-point analytical sweep of the systolic
// family (rows × cols × DRAM bandwidth × ifmap SRAM on arch/edge-128.yaml with BERT-base) and a
// 1,000-point event-engine sweep, both on 2 worker threads. Targets: < 30 s and < 60 s on 2 cores.
// Run alone with `node dist/bench/sweep.js`, or from the main bench via benchSweeps().

import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSweep, type SweepOptions } from '../src/sweep/run.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface Case {
  label: string;
  target: number;
  options: Omit<SweepOptions, 'out'>;
}

const CASES: Case[] = [
  {
    label: '10,000-point analytical sweep, edge-128 × BERT-base, --jobs 2',
    target: 30,
    options: {
      arch: join(ROOT, 'arch', 'edge-128.yaml'),
      workloads: [join(ROOT, 'workloads', 'bert-base.yaml')],
      sets: ['compute.rows=16..160:16', 'compute.cols=16..160:16', 'memory.dram.bandwidth=6.4..64:6.4GB/s', 'memory.ifmap_sram.capacity=256..2560:256KiB'],
      engine: 'analytical',
      jobs: 2,
    },
  },
  {
    label: '1,000-point event-engine sweep, edge-128 × BERT-base, --jobs 2',
    target: 60,
    options: {
      arch: join(ROOT, 'arch', 'edge-128.yaml'),
      workloads: [join(ROOT, 'workloads', 'bert-base.yaml')],
      sets: ['compute.rows=16..160:16', 'compute.cols=16..160:16', 'memory.dram.bandwidth=6.4..64:6.4GB/s'],
      engine: 'event',
      jobs: 2,
    },
  },
];

export async function benchSweeps(): Promise<void> {
  console.log('\nSweeps (worker threads, JSONL streamed to a temp dir):');
  for (const c of CASES) {
    const dir = mkdtempSync(join(tmpdir(), 'accsim-bench-sweep-'));
    try {
      const summary = await runSweep({ ...c.options, out: join(dir, 'run'), quiet: true });
      const lines = readFileSync(join(dir, 'run', 'points.jsonl'), 'utf8').split('\n').length - 1;
      const verdict = summary.seconds <= c.target ? 'within' : 'OVER';
      console.log(
        `  ${c.label.padEnd(64)} ${summary.seconds.toFixed(2)} s  ${(summary.points / summary.seconds).toFixed(0)} points/s  ` +
          `(${lines} lines, ${summary.error} error points; ${verdict} the ${c.target} s target)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchSweeps();
