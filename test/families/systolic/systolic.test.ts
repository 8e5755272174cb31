import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import type { Result } from '../../../src/core/types.js';
import { bundled, loadArch, loadWorkload } from '../../helpers.js';
import { loadArchFile, loadWorkloadFile } from '../../../src/io/files.js';
import { findFamily } from '../../../src/families/registry.js';

function arch(overrides: { rows?: number; cols?: number; dataflow?: string; bandwidth?: string; sram?: string; mode?: string } = {}) {
  return loadArchText(
    `family: systolic
clock: 1 GHz
compute: { rows: ${overrides.rows ?? 32}, cols: ${overrides.cols ?? 32}, dataflow: ${overrides.dataflow ?? 'ws'} }
memory:
  ifmap_sram: { capacity: ${overrides.sram ?? '64 KiB'} }
  filter_sram: { capacity: ${overrides.sram ?? '64 KiB'} }
  ofmap_sram: { capacity: ${overrides.sram ?? '64 KiB'} }
  dram: { bandwidth: ${overrides.bandwidth ?? '10 GB/s'}, bandwidth_mode: ${overrides.mode ?? 'fixed'} }
`,
    'test-arch.yaml',
  );
}

const gemm = (m: number, n: number, k: number) => loadWorkloadText(`name: g\noperators:\n  - { name: g, kind: gemm, m: ${m}, n: ${n}, k: ${k} }\n`, 'g.yaml');

const closeRelative = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(a), Math.abs(b)));

function checkInvariants(result: Result): void {
  for (const op of [...result.operators, result.total]) {
    const sum = Object.values(op.energy.components).reduce((a, b) => a + b, 0);
    closeRelative(op.energy.totalJ, sum);
    expect(op.utilization).toBeLessThanOrEqual(1 + 1e-12);
    expect(op.cycles).toBeGreaterThanOrEqual(op.computeCycles);
    expect(op.stallCycles).toBeGreaterThanOrEqual(0);
  }
  for (const op of result.operators) {
    for (const [bound, cycles] of Object.entries(op.bounds)) expect(op.cycles, `${op.name} ≥ ${bound} bound`).toBeGreaterThanOrEqual(cycles);
    const actions = op.energy.actions.reduce((a, b) => a + b.energyJ, 0);
    closeRelative(op.energy.totalJ, actions);
  }
}

describe('systolic family', () => {
  it('follows the fold model: folds × (2R + C + T − 2) for WS without DRAM limits', () => {
    const result = simulate(arch({ mode: 'calc' }), gemm(12544, 64, 147));
    const op = result.operators[0];
    expect(op.stats.folds).toBe(10);
    expect(op.stats.cyclesPerFold).toBe(2 * 32 + 32 + 12544 - 2);
    expect(op.cycles).toBe(10 * 12638);
    expect(op.stallCycles).toBe(0);
    expect(op.stats.mappingEfficiency).toBeCloseTo(0.91875, 12);
  });

  it('counts on-chip accesses per dataflow', () => {
    const os = simulate(arch({ dataflow: 'os', mode: 'calc' }), gemm(256, 256, 256)).operators[0];
    expect(os.memory.ifmap_sram.readBytes).toBe(256 * 256 * 8);
    expect(os.memory.filter_sram.readBytes).toBe(256 * 256 * 8);
    const ws = simulate(arch({ dataflow: 'ws', mode: 'calc' }), gemm(196, 256, 128)).operators[0];
    expect(ws.memory.filter_sram.readBytes).toBe(128 * 256);
    expect(ws.memory.ifmap_sram.readBytes).toBe(196 * 128 * 8);
  });

  it('holds the invariants on every bundled preset and workload', () => {
    for (const archPath of bundled('arch')) {
      const a = loadArchFile(archPath);
      if (a.family !== 'systolic') continue;
      for (const workloadPath of bundled('workloads')) {
        const w = loadWorkloadFile(workloadPath);
        if (!w.operators.every((op) => findFamily('systolic')!.operatorKinds.includes(op.kind))) continue;
        checkInvariants(simulate(a, w));
      }
    }
  });

  it('never gets slower with more DRAM bandwidth', () => {
    const w = loadWorkload('resnet18.yaml');
    let previous = Infinity;
    for (const bandwidth of ['1 GB/s', '2 GB/s', '4 GB/s', '8 GB/s', '16 GB/s', '64 GB/s', '1 TB/s']) {
      const cycles = simulate(arch({ bandwidth, rows: 16, cols: 16 }), w).total.cycles;
      expect(cycles).toBeLessThanOrEqual(previous);
      previous = cycles;
    }
  });

  it('event engine equals the analytical path on regular dense cases and is never below it', () => {
    // Compute-bound regular GEMM: every transfer hides under compute, the two agree exactly.
    const ample = arch({ bandwidth: '100 GB/s', dataflow: 'os' });
    expect(simulate(ample, gemm(1024, 1024, 1024), { engine: 'event' }).total.cycles).toBe(simulate(ample, gemm(1024, 1024, 1024), { engine: 'analytical' }).total.cycles);
    // DRAM-bound regular GEMM: the port is busy all along except the final drain, so the bound is
    // tight to within the last tile's compute (exact agreement in this regime is shown on uniform
    // tiles in test/core/pipeline.test.ts).
    const starved = arch({ bandwidth: '1 GB/s' });
    const event = simulate(starved, gemm(64, 4096, 4096), { engine: 'event' }).total.cycles;
    const analytical = simulate(starved, gemm(64, 4096, 4096), { engine: 'analytical' }).total.cycles;
    expect(event).toBeGreaterThanOrEqual(analytical);
    expect(event / analytical).toBeLessThan(1.01);
    for (const name of ['resnet18.yaml', 'mobilenet-v1.yaml', 'bert-base.yaml', 'llama2-7b-decode-b16.yaml']) {
      for (const preset of ['tpu-v1.yaml', 'edge-128.yaml']) {
        const a = loadArch(preset);
        const w = loadWorkload(name);
        const event = simulate(a, w, { engine: 'event' });
        const analytical = simulate(a, w, { engine: 'analytical' });
        event.operators.forEach((op, i) => expect(op.cycles).toBeGreaterThanOrEqual(analytical.operators[i].cycles));
      }
    }
  });

  it('LLaMA-2-7B decode at batch 1 on TPU v1 is DRAM-bound, as the paper says of its MLPs', () => {
    const result = simulate(loadArch('tpu-v1.yaml'), loadWorkload('llama2-7b-decode-b1.yaml'));
    const weights = result.operators.find((op) => op.name === 'gate_up')!;
    expect(weights.bottleneck).toBe('dram-bandwidth');
    // Time cannot beat streaming the weights once at 34 GB/s.
    const weightBytes = weights.memory.dram.perTensor.weight.readBytes;
    expect(weightBytes).toBeGreaterThanOrEqual(4096 * 22016 * 32);
    expect(weights.seconds).toBeGreaterThanOrEqual(weightBytes / 34e9);
  });

  it('ResNet-18 on TPU v1 reuses weights well enough to stay near compute-bound on big convs', () => {
    const result = simulate(loadArch('tpu-v1.yaml'), loadWorkload('resnet18.yaml'));
    const layer1 = result.operators.find((op) => op.name === 'layer1.conv')!;
    expect(layer1.stallCycles / layer1.cycles).toBeLessThan(0.2);
    expect(result.total.macs.dense).toBe(1_814_073_344); // 1.8 GMACs, He et al. Table 1 (1.8e9 FLOPs as multiply-adds)
  });
});

describe('systolic family with sparse operands', () => {
  const sparseArch = (gating: boolean, compressed: boolean) =>
    loadArchText(
      `family: systolic
clock: 1 GHz
compute: { rows: 32, cols: 32, dataflow: ws, zero_handling: ${gating ? 'gating' : 'dense'} }
memory:
  compressed_operands: ${compressed}
  ifmap_sram: { capacity: 64 KiB }
  filter_sram: { capacity: 64 KiB }
  ofmap_sram: { capacity: 64 KiB }
  dram: { bandwidth: 2 GB/s }
`,
      'sparse.yaml',
    );
  const sparseGemm = (pattern: string, format: string) =>
    loadWorkloadText(`name: s\noperators:\n  - { name: g, kind: gemm, m: 256, n: 512, k: 512, sparsity: { weight: { pattern: ${pattern}, format: '${format}' } } }\n`, 's.yaml');

  it('0 % sparsity equals dense: same cycles, MACs and energy with the dense format', () => {
    for (const [gating, compressed] of [[false, false], [true, true], [true, false]] as const) {
      const a = sparseArch(gating, compressed);
      const dense = simulate(a, gemm(256, 512, 512)).operators[0];
      const zero = simulate(a, sparseGemm('{ kind: uniform, density: 1 }', 'dense')).operators[0];
      expect(zero.cycles).toBe(dense.cycles);
      expect(zero.macs).toEqual(dense.macs);
      expect(zero.energy.totalJ).toBeCloseTo(dense.energy.totalJ, 18);
    }
  });

  it('at density 1.0 every format does the dense compute; only metadata bytes are added', () => {
    const a = sparseArch(true, true);
    const dense = simulate(a, gemm(256, 512, 512)).operators[0];
    for (const format of ['csr', 'coo', 'bitmap', 'rle', 'blocked-ell', 'tiled-csl']) {
      const op = simulate(a, sparseGemm('{ kind: uniform, density: 1 }', format)).operators[0];
      expect(op.computeCycles, format).toBe(dense.computeCycles);
      expect(op.macs, format).toEqual(dense.macs);
      expect(op.memory.dram.perTensor.weight.readBytes, format).toBeGreaterThan(dense.memory.dram.perTensor.weight.readBytes);
    }
  });

  it('gating saves MAC energy in proportion to zeros but never time; compression saves DRAM bytes and time', () => {
    const pattern = '{ kind: uniform, density: 0.25 }';
    const plain = simulate(sparseArch(false, false), sparseGemm(pattern, 'bitmap')).operators[0];
    const gated = simulate(sparseArch(true, false), sparseGemm(pattern, 'bitmap')).operators[0];
    const compressed = simulate(sparseArch(true, true), sparseGemm(pattern, 'bitmap')).operators[0];
    expect(gated.cycles).toBe(plain.cycles);
    expect(gated.macs.effectual).toBeCloseTo(256 * 512 * 512 * 0.25, 6);
    expect(gated.stats.gatedMacs).toBeCloseTo(256 * 512 * 512 * 0.75, 6);
    expect(gated.energy.components.array / plain.energy.components.array).toBeCloseTo(0.25, 9);
    // Bitmap at density 0.25 with 8-bit values: 1 bit + 0.25 × 8 bits = 3 bits per element.
    expect(compressed.stats.weightStorageRatio).toBeCloseTo(3 / 8, 9);
    expect(compressed.memory.dram.perTensor.weight.readBytes).toBeCloseTo(gated.memory.dram.perTensor.weight.readBytes * (3 / 8), 0);
    expect(compressed.cycles).toBeLessThan(gated.cycles);
  });
});
