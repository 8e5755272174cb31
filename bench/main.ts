// `npm run bench`: timings that back the performance targets (printed, never asserted in tests).
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { simulate } from '../src/core/simulate.js';
import { loadArchFile, loadWorkloadFile } from '../src/io/files.js';
import { loadArchText } from '../src/spec/load-arch.js';
import { loadWorkloadText } from '../src/spec/load-workload.js';
import type { ArchSpec, SimulateOptions, Workload } from '../src/core/types.js';
import { benchSweeps } from './sweep.js';
import { benchSystolicEngines } from './systolic-engines.js';
import { BENCH_CASES, benchScratchpad } from '../src/families/scratchpad/bench.js';

const ROOT = join(import.meta.dirname, '..', '..');

function time(label: string, fn: () => unknown, minSeconds = 0.3, minRuns = 3): number {
  if (minRuns > 1) fn(); // warm-up (JIT); single-run timings of slow cases include it
  let runs = 0;
  const start = performance.now();
  while (performance.now() - start < minSeconds * 1000 || runs < minRuns) {
    fn();
    runs++;
  }
  const seconds = (performance.now() - start) / 1000 / runs;
  console.log(`${label.padEnd(64)} ${format(seconds)}  (${runs} runs)`);
  return seconds;
}

function format(seconds: number): string {
  if (seconds < 1e-3) return `${(seconds * 1e6).toFixed(1)} µs`;
  if (seconds < 1) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${seconds.toFixed(2)} s`;
}

const smallArray = (rows: number, cols: number, dataflow: string, mode: 'calc' | 'fixed'): ArchSpec =>
  loadArchText(
    `family: systolic\nclock: 1 GHz\ncompute: { rows: ${rows}, cols: ${cols}, dataflow: ${dataflow}, accumulator_bits: 8 }\nmemory:\n  ifmap_sram: { capacity: 64 KiB }\n  filter_sram: { capacity: 64 KiB }\n  ofmap_sram: { capacity: 64 KiB }\n  dram: { bandwidth: 10 GB/s, bandwidth_mode: ${mode} }\n`,
    'bench.yaml',
  );

const layer = (text: string): Workload => loadWorkloadText(`name: layer\ndtype: int8\noperators:\n  - ${text}\n`, 'bench-layer.yaml');

console.log('accsim benchmark (Node', process.version + ')\n');
console.log('Systolic family, one layer:');
const layers: Array<[string, ArchSpec, Workload]> = [
  ['rn18 conv1 on 32x32 WS (SCALE-Sim reference layer)', smallArray(32, 32, 'ws', 'fixed'), layer('{ name: conv1, kind: conv2d, in_h: 229, in_w: 229, in_c: 3, out_c: 64, kernel_h: 7, kernel_w: 7, stride: 2 }')],
  ['GEMM 4096^3 on 12x14 WS (Eyeriss-sized, 100k folds)', smallArray(12, 14, 'ws', 'fixed'), layer('{ name: g, kind: gemm, m: 4096, n: 4096, k: 4096 }')],
  ['GEMM 2048x2048x2048 on 8x8 OS (262k folds)', smallArray(8, 8, 'os', 'fixed'), layer('{ name: g, kind: gemm, m: 2048, n: 2048, k: 2048 }')],
];
for (const [label, arch, workload] of layers) {
  for (const engine of ['event', 'analytical'] as SimulateOptions['engine'][]) time(`  ${label} [${engine}]`, () => simulate(arch, workload, { engine }));
  time(`  ${label} [scalesim convention]`, () => simulate(arch, workload, { convention: 'scalesim' }), 0, 1);
}

for (const row of benchSystolicEngines()) console.log(`  ${row.name.padEnd(62)} ${format(row.seconds)}  (target < ${format(row.targetSeconds)}: ${row.seconds < row.targetSeconds ? 'pass' : 'FAIL'})`);

console.log('\nWhole networks:');
const tpu = loadArchFile(join(ROOT, 'arch', 'tpu-v1.yaml'));
for (const name of ['resnet18', 'mobilenet-v1', 'bert-base', 'llama2-7b-decode-b16']) {
  const workload = loadWorkloadFile(join(ROOT, 'workloads', `${name}.yaml`));
  for (const engine of ['event', 'analytical'] as SimulateOptions['engine'][]) time(`  ${name} on TPU v1 [${engine}]`, () => simulate(tpu, workload, { engine }));
}
const resnet = loadWorkloadFile(join(ROOT, 'workloads', 'resnet18.yaml'));
const perLayer = time('  ResNet-18 analytical, per operator', () => simulate(tpu, resnet, { engine: 'analytical' })) / resnet.operators.length;
console.log(`  => analytical path: ${format(perLayer)} per layer`);
time('  load + simulate ResNet-18 on TPU v1 from files', () => simulate(loadArchFile(join(ROOT, 'arch', 'tpu-v1.yaml')), loadWorkloadFile(join(ROOT, 'workloads', 'resnet18.yaml'))));

console.log('\nSparsity:');
{
  const { generateMask, tileNnz } = await import('../src/sparsity/index.js');
  const shape = { rows: 28672, cols: 7168 };
  for (const pattern of [{ kind: 'uniform', density: 0.2 }, { kind: 'nm', n: 2, m: 4 }, { kind: 'block', density: 0.25, bh: 4, bw: 4 }]) {
    time(`  ${pattern.kind} mask 28672×7168 + 128×64 tile counts (concrete)`, () => tileNnz(generateMask(pattern, shape, 7), 128, 64), 1);
  }
  const { compare } = await import('../src/core/compare.js');
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
  time('  OPT-30B decode compare: 4 layers × 4 formats × 2 targets (statistical)', () => compare(request('statistical')), 1);
  time('  same, concrete masks', () => compare(request('concrete')), 1);
}

console.log('\nScratchpad family (PIUMA preset), SpGEMM A·A of R-MAT matrices, all three dataflows (after one warm-up pass of the first case; times include generating the matrix):');
benchScratchpad([BENCH_CASES[0]]);
for (const row of benchScratchpad()) console.log(`  ${row.label.padEnd(62)} ${format(row.seconds)}  ${row.detail}`);

console.log('\nSweeps (--jobs 2):');
await benchSweeps();
