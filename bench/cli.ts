// Whole-process start-up: `accsim run` of one layer (wall time, a fresh Node process each run)
// next to a bare `node -e ''` measured in the same loop, so the load on the machine shows in the
// baseline too. Target (issue 14): ≤ 0.12 s wall on an idle machine.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchRow } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const RUNS = 9;

function wallSeconds(args: string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export function benchCli(): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'accsim-bench-cli-'));
  try {
    const workload = join(dir, 'one-layer.yaml');
    writeFileSync(workload, 'name: one layer\ndtype: int8\noperators:\n  - { name: conv, kind: conv2d, in_h: 56, in_w: 56, in_c: 64, out_c: 64, kernel_h: 3, kernel_w: 3, stride: 1 }\n');
    const run = ['bin/accsim.js', 'run', '-a', 'tpu-v1', '-w', workload, '-q'];
    const accsim: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      accsim.push(wallSeconds(run));
      bare.push(wallSeconds(['-e', '']));
    }
    const a = median(accsim);
    const b = median(bare);
    return [
      { name: '`accsim run` of one conv layer on TPU v1 (whole process, wall)', value: a * 1e3, unit: 'ms', target: '≤ 120 ms (idle machine)', pass: a <= 0.12, detail: `median of ${RUNS}` },
      { name: 'bare `node -e ""` in the same loop (baseline)', value: b * 1e3, unit: 'ms', detail: `median of ${RUNS}` },
      { name: 'accsim above the bare Node start-up', value: (a - b) * 1e3, unit: 'ms' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
