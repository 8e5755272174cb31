// Bench cases for the systolic engines' performance targets (issue 14, items 1 and 2): the exact
// SCALE-Sim emulation and the event tile pipeline on layers with many folds.
import { simulate } from '../src/core/simulate.js';
import { loadArchText } from '../src/spec/load-arch.js';
import { loadWorkloadText } from '../src/spec/load-workload.js';
import type { ArchSpec, SimulateOptions, Workload } from '../src/core/types.js';
import { secondsPerRun, type BenchRow } from './harness.js';


/** Small array with 64 KiB SRAMs and a 10 GB/s (10 words/cycle at 1 GHz) DRAM interface. */
const array = (rows: number, cols: number, mode: 'calc' | 'fixed'): ArchSpec =>
  loadArchText(
    `family: systolic\nclock: 1 GHz\ncompute: { rows: ${rows}, cols: ${cols}, dataflow: ws, accumulator_bits: 8 }\nmemory:\n  ifmap_sram: { capacity: 64 KiB }\n  filter_sram: { capacity: 64 KiB }\n  ofmap_sram: { capacity: 64 KiB }\n  dram: { bandwidth: 10 GB/s, bandwidth_mode: ${mode} }\n`,
    'bench-systolic.yaml',
  );

const layer = (text: string): Workload => loadWorkloadText(`name: layer\ndtype: int8\noperators:\n  - ${text}\n`, 'bench-systolic-layer.yaml');

export function benchSystolicEngines(): BenchRow[] {
  const cases: Array<{ name: string; arch: ArchSpec; workload: Workload; options: Partial<SimulateOptions>; targetSeconds: number }> = [
    {
      name: 'SCALE-Sim convention: GEMM 4096^3 on 12x14 WS, 10 words/cycle',
      arch: array(12, 14, 'fixed'),
      workload: layer('{ name: g, kind: gemm, m: 4096, n: 4096, k: 4096 }'),
      options: { convention: 'scalesim' },
      targetSeconds: 0.5,
    },
    {
      name: 'SCALE-Sim convention: ResNet-18 conv1 on 32x32 WS, 10 words/cycle',
      arch: array(32, 32, 'fixed'),
      workload: layer('{ name: conv1, kind: conv2d, in_h: 229, in_w: 229, in_c: 3, out_c: 64, kernel_h: 7, kernel_w: 7, stride: 2 }'),
      options: { convention: 'scalesim' },
      targetSeconds: 1e-3,
    },
    {
      name: 'event engine: GEMM 16384^3 on 32x32 WS, 10 GB/s',
      arch: array(32, 32, 'fixed'),
      workload: layer('{ name: g, kind: gemm, m: 16384, n: 16384, k: 16384 }'),
      options: { engine: 'event' },
      targetSeconds: 2e-3,
    },
  ];
  return cases.map(({ name, arch, workload, options, targetSeconds }) => {
    // Cases far slower than their target run once (plus the warm-up) rather than for 0.3 s.
    const { seconds } = secondsPerRun(() => simulate(arch, workload, options), targetSeconds > 0.1 ? 0 : 0.3, targetSeconds > 0.1 ? 1 : 3);
    const ms = seconds * 1e3;
    return { name, value: ms, unit: 'ms', target: `< ${targetSeconds * 1e3} ms`, pass: seconds < targetSeconds };
  });
}
