// Sparsity library timings: mask generation with per-tile counts, and `compare` on OPT-30B decode.

import { join } from 'node:path';
import { generateMask, tileNnz } from '../src/sparsity/index.js';
import { compare } from '../src/core/compare.js';
import { loadArchFile, loadWorkloadFile } from '../src/io/files.js';
import { secondsPerRun, timeRow, type BenchRow } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');

export function benchSparsity(): BenchRow[] {
  const rows: BenchRow[] = [];
  const timed = (name: string, fn: () => unknown) => {
    const { seconds, runs } = secondsPerRun(fn, 1);
    rows.push(timeRow(name, seconds, { detail: `(${runs} runs)` }));
  };
  const shape = { rows: 28672, cols: 7168 };
  for (const pattern of [{ kind: 'uniform', density: 0.2 }, { kind: 'nm', n: 2, m: 4 }, { kind: 'block', density: 0.25, bh: 4, bw: 4 }]) {
    timed(`${pattern.kind} mask 28672×7168 + 128×64 tile counts (concrete)`, () => tileNnz(generateMask(pattern, shape, 7), 128, 64));
  }
  const archs = ['a100', 'h100'].map((name) => loadArchFile(join(ROOT, 'arch', `${name}.yaml`)));
  const opt = loadWorkloadFile(join(ROOT, 'workloads', 'opt-30b-decode.yaml'));
  const request = (mode: 'statistical' | 'concrete') => ({
    archs,
    workload: opt,
    formats: ['dense', 'bitmap', '2:4', 'tiled-csl'],
    density: 0.2,
    blockSize: 4,
    options: { sparsityMode: mode },
    breakEven: false,
  });
  timed('OPT-30B decode compare: 4 layers × 4 formats × 2 targets (statistical)', () => compare(request('statistical')));
  timed('same, concrete masks', () => compare(request('concrete')));
  return rows;
}
