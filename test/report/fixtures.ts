// Hand-made, model-independent inputs for the report tests: their numbers are chosen so chart data
// can be checked by hand, and the golden PNGs do not change when the simulator's models do.

import type { OperatorResult, Result } from '../../src/core/types.js';
import type { SweepPoint, SweepRun } from '../../src/sweep/types.js';
import type { SpeedupObservation } from '../../src/report/charts/speedup.js';

const CLOCK = 1e9; // 1 GHz
const PEAK = 100; // MACs per cycle

interface OpSketch {
  name: string;
  count?: number;
  macs: number;
  computeCycles: number;
  stallCycles: number;
  dram: [number, number]; // read, write bytes
  sram: [number, number];
  dramBound?: number;
  bottleneck: string;
  energy: Record<string, number>;
}

function op(s: OpSketch): OperatorResult {
  const cycles = s.computeCycles + s.stallCycles;
  const totalJ = Object.values(s.energy).reduce((a, b) => a + b, 0);
  const bounds: Record<string, number> = { compute: Math.ceil(s.macs / PEAK) };
  if (s.dramBound !== undefined) bounds.dram = s.dramBound;
  return {
    name: s.name,
    kind: 'gemm',
    count: s.count ?? 1,
    shape: { m: 10, n: 10, k: 10, batch: 1 },
    dtype: 'int8',
    cycles,
    computeCycles: s.computeCycles,
    stallCycles: s.stallCycles,
    seconds: cycles / CLOCK,
    utilization: s.macs / (PEAK * cycles),
    macs: { dense: s.macs, issued: s.macs, effectual: s.macs },
    memory: {
      dram: { readBytes: s.dram[0], writeBytes: s.dram[1], perTensor: { weight: { readBytes: s.dram[0], writeBytes: s.dram[1] } } },
      sram: { readBytes: s.sram[0], writeBytes: s.sram[1], perTensor: { input: { readBytes: s.sram[0], writeBytes: s.sram[1] } } },
    },
    energy: { components: s.energy, totalJ, actions: [] },
    pJPerMac: { dense: (totalJ / s.macs) * 1e12, effectual: (totalJ / s.macs) * 1e12 },
    bounds,
    bottleneck: s.bottleneck,
    stats: {},
    notes: [],
  };
}

/**
 * Three operators on a 1 GHz, 100 MAC/cycle machine:
 *   A: 1000 MACs, 20 cycles, dram 100 B with bounds.dram 10 cycles → 10 B/cycle; OI 20 OP/B, 1e11 OP/s
 *   B: 5000 MACs, 60 cycles, dram 250 B with bounds.dram 30 cycles → 8.33 B/cycle; OI 40 OP/B, 1.667e11 OP/s
 *   C:  800 MACs, 10 cycles, no dram traffic (not placed on the dram roofline)
 * Peak = 2·100·1e9 = 2e11 OP/s; dram bandwidth = max(10, 8.33) B/cycle = 1e10 B/s; ridge 20 OP/B.
 * 'sram' has traffic but no bounds.sram, so its bandwidth is not derivable.
 */
export function sampleResult(overrides: { archName?: string; workloadName?: string; workloadHash?: string; scale?: number } = {}): Result {
  const k = overrides.scale ?? 1;
  const operators = [
    op({ name: 'A', macs: 1000, computeCycles: 12 * k, stallCycles: 8 * k, dram: [100, 0], sram: [400, 100], dramBound: 10, bottleneck: 'dram-bandwidth', energy: { array: 3e-10, sram: 2e-10, dram: 5e-10 } }),
    op({ name: 'B', count: 2, macs: 5000, computeCycles: 50 * k, stallCycles: 10 * k, dram: [200, 50], sram: [1000, 500], dramBound: 30, bottleneck: 'compute', energy: { array: 1.5e-9, sram: 6e-10, dram: 9e-10 } }),
    op({ name: 'C', macs: 800, computeCycles: 10 * k, stallCycles: 0, dram: [0, 0], sram: [400, 0], bottleneck: 'compute', energy: { array: 2.4e-10, sram: 1e-10 } }),
  ];
  const sum = (f: (o: OperatorResult) => number) => operators.reduce((a, o) => a + f(o), 0);
  const cycles = sum((o) => o.cycles);
  const macs = sum((o) => o.macs.dense);
  const totalJ = sum((o) => o.energy.totalJ);
  const components: Record<string, number> = {};
  for (const o of operators) for (const [c, j] of Object.entries(o.energy.components)) components[c] = (components[c] ?? 0) + j;
  return {
    schema: 'accsim.result',
    version: 1,
    arch: { name: overrides.archName ?? 'Toy 10x10', family: 'systolic', file: 'arch/toy.yaml', hash: '0123456789abcdef', clockHz: CLOCK, peakMacsPerCycle: PEAK },
    workload: { name: overrides.workloadName ?? 'Toy net', file: 'workloads/toy.yaml', hash: overrides.workloadHash ?? 'fedcba9876543210' },
    options: { engine: 'event', convention: 'accsim', seed: 1, sparsityMode: 'statistical' },
    operators,
    total: {
      cycles,
      computeCycles: sum((o) => o.computeCycles),
      stallCycles: sum((o) => o.stallCycles),
      seconds: cycles / CLOCK,
      utilization: macs / (PEAK * cycles),
      macs: { dense: macs, issued: macs, effectual: macs },
      memory: {},
      energy: { components, totalJ },
      pJPerMac: { dense: (totalJ / macs) * 1e12, effectual: (totalJ / macs) * 1e12 },
      bottleneck: 'compute',
    },
    notes: ['toy result for tests'],
  };
}

export const SWEEP_ROWS = [64, 128, 256];
export const SWEEP_BANDWIDTHS = [1e10, 2e10];

/**
 * A 3 × 2 grid over compute.rows × memory.dram.bandwidth plus one failed point:
 * seconds = 1e-3 · 64/rows · (1 + 1e10/bandwidth) / 2, energyJ = 1e-3 · rows/64 + 1e-3 · bandwidth/1e10.
 *   index 0: rows  64, 1e10 → 1.000 ms, 2 mJ      index 3: rows  64, 2e10 → 0.750 ms, 3 mJ
 *   index 1: rows 128, 1e10 → 0.500 ms, 3 mJ      index 4: rows 128, 2e10 → 0.375 ms, 4 mJ
 *   index 2: rows 256, 1e10 → 0.250 ms, 5 mJ      index 5: rows 256, 2e10 → failed
 * Pareto front (min time, min energy): 2, 4, 1, 0; index 3 is dominated by 1 (same energy, slower).
 */
export function sampleSweep(): { run: SweepRun; points: SweepPoint[] } {
  const points: SweepPoint[] = [];
  let index = 0;
  for (const bandwidth of SWEEP_BANDWIDTHS) {
    for (const rows of SWEEP_ROWS) {
      const params = { 'compute.rows': rows, 'memory.dram.bandwidth': bandwidth };
      if (rows === 256 && bandwidth === 2e10) {
        points.push({ schema: 'accsim.sweep-point', version: 1, index: index++, params, workload: 'workloads/toy.yaml', status: 'error', error: 'does not fit' });
        continue;
      }
      const seconds = (1e-3 * (64 / rows) * (1 + 1e10 / bandwidth)) / 2;
      const energyJ = 1e-3 * (rows / 64) + 1e-3 * (bandwidth / 1e10);
      points.push({
        schema: 'accsim.sweep-point',
        version: 1,
        index: index++,
        params,
        workload: 'workloads/toy.yaml',
        status: 'ok',
        metrics: { cycles: seconds * 1e9, seconds, energyJ, pJPerMac: energyJ / 1e9 * 1e12, utilization: 0.5, macs: 1e9, dramBytes: 1e6, stallCycles: 0, peakMacsPerCycle: rows * rows, onChipBytes: rows * 1024, bottleneck: 'compute' },
      });
    }
  }
  const run: SweepRun = {
    schema: 'accsim.sweep-run',
    version: 1,
    toolVersion: '0.1.0',
    createdAt: '2025-01-01T00:00:00.000Z',
    arguments: ['sweep'],
    arch: { file: 'arch/toy.yaml', hash: '0123456789abcdef' },
    workloads: [{ file: 'workloads/toy.yaml', hash: 'fedcba9876543210' }],
    seed: 1,
    engine: 'analytical',
    axes: [
      { path: 'compute.rows', values: SWEEP_ROWS },
      { path: 'memory.dram.bandwidth', values: SWEEP_BANDWIDTHS },
    ],
    sampling: { kind: 'grid' },
    constraints: [],
    totalPoints: 6,
  };
  return { run, points };
}

/** Speedup study: two formats on two targets at three sparsities, dense measured at every sparsity. */
export function sampleObservations(): SpeedupObservation[] {
  const out: SpeedupObservation[] = [];
  for (const target of ['GPU', 'FPGA']) {
    const dense = target === 'GPU' ? 1e-3 : 2e-3;
    for (const sparsity of [0.5, 0.75, 0.9]) {
      out.push({ target, format: 'dense', sparsity, seconds: dense });
      out.push({ target, format: 'csr', sparsity, seconds: dense * ((target === 'GPU' ? 1.4 : 1.5) - sparsity) });
      out.push({ target, format: '2:4', sparsity, seconds: dense * (target === 'GPU' ? 0.6 : 0.8) });
    }
  }
  return out;
}
