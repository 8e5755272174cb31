// Systolic family timings: single layers on each engine and convention, and whole networks.
// Figures without targets (the issue-14 targets for the SCALE-Sim convention and the event
// engine's period-p fast-forward live in the systolic engines case).

import { join } from 'node:path';
import { simulate } from '../src/core/simulate.js';
import { loadArchFile, loadWorkloadFile } from '../src/io/files.js';
import { loadArchText } from '../src/spec/load-arch.js';
import { loadWorkloadText } from '../src/spec/load-workload.js';
import type { ArchSpec, SimulateOptions, Workload } from '../src/core/types.js';
import { secondsPerRun, timeRow, type BenchRow } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENGINES: Array<SimulateOptions['engine']> = ['event', 'analytical'];

const smallArray = (rows: number, cols: number, dataflow: string, mode: 'calc' | 'fixed'): ArchSpec =>
  loadArchText(
    `family: systolic\nclock: 1 GHz\ncompute: { rows: ${rows}, cols: ${cols}, dataflow: ${dataflow}, accumulator_bits: 8 }\nmemory:\n  ifmap_sram: { capacity: 64 KiB }\n  filter_sram: { capacity: 64 KiB }\n  ofmap_sram: { capacity: 64 KiB }\n  dram: { bandwidth: 10 GB/s, bandwidth_mode: ${mode} }\n`,
    'bench.yaml',
  );

const layer = (text: string): Workload => loadWorkloadText(`name: layer\ndtype: int8\noperators:\n  - ${text}\n`, 'bench-layer.yaml');

const timed = (name: string, fn: () => unknown, minSeconds?: number, minRuns?: number): BenchRow => {
  const { seconds, runs } = secondsPerRun(fn, minSeconds, minRuns);
  return timeRow(name, seconds, { detail: `(${runs} runs)` });
};

export function benchSystolicLayers(): BenchRow[] {
  const rows: BenchRow[] = [];
  const layers: Array<[string, ArchSpec, Workload]> = [
    ['rn18 conv1 on 32x32 WS (SCALE-Sim reference layer)', smallArray(32, 32, 'ws', 'fixed'), layer('{ name: conv1, kind: conv2d, in_h: 229, in_w: 229, in_c: 3, out_c: 64, kernel_h: 7, kernel_w: 7, stride: 2 }')],
    ['GEMM 4096^3 on 12x14 WS (Eyeriss-sized, 100k folds)', smallArray(12, 14, 'ws', 'fixed'), layer('{ name: g, kind: gemm, m: 4096, n: 4096, k: 4096 }')],
    ['GEMM 2048x2048x2048 on 8x8 OS (262k folds)', smallArray(8, 8, 'os', 'fixed'), layer('{ name: g, kind: gemm, m: 2048, n: 2048, k: 2048 }')],
  ];
  for (const [label, arch, workload] of layers) {
    for (const engine of ENGINES) rows.push(timed(`${label} [${engine}]`, () => simulate(arch, workload, { engine })));
    rows.push(timed(`${label} [scalesim convention]`, () => simulate(arch, workload, { convention: 'scalesim' }), 0, 1));
  }
  return rows;
}

export function benchNetworks(): BenchRow[] {
  const rows: BenchRow[] = [];
  const tpuPath = join(ROOT, 'arch', 'tpu-v1.yaml');
  const tpu = loadArchFile(tpuPath);
  for (const name of ['resnet18', 'mobilenet-v1', 'bert-base', 'llama2-7b-decode-b16']) {
    const workload = loadWorkloadFile(join(ROOT, 'workloads', `${name}.yaml`));
    for (const engine of ENGINES) rows.push(timed(`${name} on TPU v1 [${engine}]`, () => simulate(tpu, workload, { engine })));
  }
  const resnetPath = join(ROOT, 'workloads', 'resnet18.yaml');
  const resnet = loadWorkloadFile(resnetPath);
  const { seconds } = secondsPerRun(() => simulate(tpu, resnet, { engine: 'analytical' }));
  rows.push(timeRow('ResNet-18 analytical, per operator', seconds / resnet.operators.length, { detail: `(${resnet.operators.length} operators)` }));
  rows.push(timed('load + simulate ResNet-18 on TPU v1 from files', () => simulate(loadArchFile(tpuPath), loadWorkloadFile(resnetPath))));
  return rows;
}
