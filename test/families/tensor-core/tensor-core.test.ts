import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { compare, withWeightSparsity, weightSparsityFor } from '../../../src/core/compare.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { loadArch, loadWorkload } from '../../helpers.js';
import type { Result } from '../../../src/core/types.js';

const a100 = loadArch('a100.yaml');
const h100 = loadArch('h100.yaml');

const gemm = (m: number, n: number, k: number, sparsity = '') =>
  loadWorkloadText(`name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: ${m}, n: ${n}, k: ${k}${sparsity} }\n`, 'g.yaml');
const weights = (pattern: string, format: string) => `, sparsity: { weight: { pattern: ${pattern}, format: '${format}' } }`;
const seconds = (r: Result) => r.total.seconds;

// Flash-LLM kernel benchmark shapes (M × K of the weight), hardware notes §2.2.
const OPT_SHAPES: Array<[number, number]> = [
  [21504, 7168], [7168, 7168], [28672, 7168], [7168, 28672],
  [27648, 9216], [9216, 9216], [36864, 9216], [9216, 36864],
  [36864, 12288], [12288, 12288], [49152, 12288], [12288, 49152],
];

function flashLlmSpeedup(sparsity: number, tokens: number, shapes = OPT_SHAPES): number {
  let sum = 0;
  for (const [m, k] of shapes) {
    const dense = seconds(simulate(a100, gemm(tokens, m, k)));
    const sparse = seconds(simulate(a100, gemm(tokens, m, k, weights(`{ kind: uniform, density: ${(1 - sparsity).toFixed(2)} }`, 'tiled-csl'))));
    sum += dense / sparse;
  }
  return sum / shapes.length;
}

describe('tensor-core family: dense', () => {
  it('decode (N ≤ 16) is HBM-bound on A100 and within 25 % of the bandwidth bound at the stated efficiency', () => {
    for (const tokens of [1, 8, 16]) {
      for (const [m, k] of OPT_SHAPES.slice(0, 4)) {
        const op = simulate(a100, gemm(tokens, m, k)).operators[0];
        expect(op.bottleneck).toBe('hbm-bandwidth');
        const weightBytes = m * k * 2;
        const bound = weightBytes / (2039e9 * 0.78);
        expect(op.seconds).toBeGreaterThanOrEqual(bound);
        expect(op.seconds / bound).toBeLessThan(1.25);
      }
    }
  });

  it('a large FP16 GEMM is compute-bound at 75–92 % of the 312 TFLOPS peak, not at the peak', () => {
    for (const size of [8192, 16384]) {
      const op = simulate(a100, gemm(size, size, size)).operators[0];
      expect(op.bottleneck).toBe('tensor-core');
      const fraction = (2 * size ** 3) / 312e12 / op.seconds;
      expect(fraction, `${size}³`).toBeGreaterThan(0.75);
      expect(fraction, `${size}³`).toBeLessThan(0.92);
    }
  });

  it('holds the invariants: cycles ≥ bounds, energy = Σ actions, more HBM bandwidth never slows', () => {
    const result = simulate(a100, loadWorkload('opt-30b-decode.yaml'));
    for (const op of result.operators) {
      for (const [name, bound] of Object.entries(op.bounds)) expect(op.cycles, name).toBeGreaterThanOrEqual(bound);
      const sum = op.energy.actions.reduce((s, a) => s + a.energyJ, 0);
      expect(Math.abs(sum - op.energy.totalJ)).toBeLessThanOrEqual(1e-12 * sum);
      expect(op.utilization).toBeLessThanOrEqual(1);
    }
  });
});

describe('tensor-core family: Flash-LLM unstructured SpMM on A100 (Xia et al., VLDB 2024)', () => {
  // Published: 1.4× / 1.7× / 2.1× average over the 12 OPT shapes at 70 / 80 / 90 % sparsity.
  const published: Record<number, number> = { 0.7: 1.4, 0.8: 1.7, 0.9: 2.1 };
  const measured: Record<number, Record<number, number>> = {};
  for (const s of [0.7, 0.8, 0.9]) {
    measured[s] = {};
    for (const n of [8, 16, 32]) measured[s][n] = flashLlmSpeedup(s, n);
  }

  it('average speedup over N = 8/16/32 is within ±20 % of the published figures', () => {
    for (const s of [0.7, 0.8, 0.9]) {
      const average = (measured[s][8] + measured[s][16] + measured[s][32]) / 3;
      expect(average / published[s], `sparsity ${s}: ${average.toFixed(2)}×`).toBeGreaterThan(0.8);
      expect(average / published[s], `sparsity ${s}: ${average.toFixed(2)}×`).toBeLessThan(1.2);
    }
  });

  it('grows with sparsity and shrinks with N', () => {
    for (const n of [8, 16, 32]) expect(measured[0.9][n]).toBeGreaterThan(measured[0.8][n]);
    for (const n of [8, 16, 32]) expect(measured[0.8][n]).toBeGreaterThan(measured[0.7][n]);
    for (const s of [0.7, 0.8, 0.9]) {
      expect(measured[s][8]).toBeGreaterThan(measured[s][16]);
      expect(measured[s][16]).toBeGreaterThan(measured[s][32]);
    }
  });

  it('loses to dense at large N (compute-as-dense costs the full MMA plus the decode)', () => {
    expect(flashLlmSpeedup(0.8, 256, OPT_SHAPES.slice(0, 4))).toBeLessThan(1);
  });

  it('is limited by on-chip decode, not HBM, at 90 % sparsity', () => {
    const op = simulate(a100, gemm(8, 21504, 7168, weights('{ kind: uniform, density: 0.1 }', 'tiled-csl'))).operators[0];
    expect(op.bottleneck).toBe('sparse-decode');
    // HBM bytes are the Tiled-CSL bytes: 4 B per (padded) nonzero plus one offset per tile.
    expect(op.stats.weightBytes).toBeGreaterThanOrEqual(4 * 21504 * 7168 * 0.1);
    expect(op.stats.weightBytes).toBeLessThan(4 * 21504 * 7168 * 0.1 * 1.05);
  });
});

describe('tensor-core family: 2:4 structured sparsity', () => {
  const s24 = weights('{ kind: nm, n: 2, m: 4 }', '2:4');

  it('on a large compute-bound FP16 GEMM gains well below 2×, limited by shared-memory staging of the dense operand', () => {
    const dense = simulate(a100, gemm(8192, 8192, 8192));
    const sparse = simulate(a100, gemm(8192, 8192, 8192, s24));
    const speedup = seconds(dense) / seconds(sparse);
    expect(speedup).toBeGreaterThan(1.3);
    expect(speedup).toBeLessThan(1.85);
    expect(sparse.operators[0].bottleneck).toBe('smem-bandwidth');
    expect(sparse.operators[0].stats.smemCyclesPerStep).toBeGreaterThan(sparse.operators[0].stats.mmaCyclesPerStep);
  });

  it('on single-token decode gains about the byte ratio (16 / 9 for FP16) at best', () => {
    const dense = simulate(a100, gemm(1, 7168, 28672));
    const sparse = simulate(a100, gemm(1, 7168, 28672, s24));
    const speedup = seconds(dense) / seconds(sparse);
    expect(speedup).toBeLessThanOrEqual(16 / 9);
    expect(speedup).toBeGreaterThan(0.9 * (16 / 9));
    expect(sparse.operators[0].bottleneck).toBe('hbm-bandwidth');
  });

  it('rejects a 2:4 format on an unstructured pattern, at load time, with the reason', () => {
    expect(() => gemm(8, 64, 64, weights('{ kind: uniform, density: 0.5 }', '2:4'))).toThrow(/2:4 storage cannot represent this pattern/);
  });
});

describe('formats at density 1.0 and concrete mode', () => {
  it('every format at density 1.0 does the dense work: effectual MACs equal dense, issued MACs at least dense', () => {
    const base = gemm(16, 1024, 1024);
    const dense = simulate(a100, base).total.macs;
    for (const format of ['csr', 'coo', 'bitmap', 'tiled-csl', 'blocked-ell', 'rle']) {
      const result = simulate(a100, withWeightSparsity(base, weightSparsityFor(format, 1, 4)));
      expect(result.total.macs.effectual, format).toBe(dense.dense);
      expect(result.total.macs.issued, format).toBeGreaterThanOrEqual(dense.dense);
    }
  });

  it('concrete mode agrees with statistical mode on average for unstructured weights', () => {
    const w = gemm(8, 7168, 7168, weights('{ kind: uniform, density: 0.2 }', 'tiled-csl'));
    const statistical = simulate(a100, w).total.seconds;
    const concrete = simulate(a100, w, { sparsityMode: 'concrete', seed: 3 }).total.seconds;
    expect(Math.abs(concrete / statistical - 1)).toBeLessThan(0.05);
    expect(simulate(a100, w, { sparsityMode: 'concrete', seed: 3 }).options.sparsityMode).toBe('concrete');
  });
});

describe('accsim compare on OPT-30B decode', () => {
  it('gives speedup and energy ratio vs dense per target and format, and break-even densities', () => {
    const rows = compare({
      archs: [a100, h100],
      workload: loadWorkload('opt-30b-decode.yaml'),
      formats: ['dense', 'csr', 'bitmap', '2:4', 'tiled-csl'],
      density: 0.2,
      blockSize: 4,
      options: {},
      breakEven: true,
    });
    expect(rows).toHaveLength(10);
    for (const row of rows.filter((r) => r.format === 'dense')) {
      expect(row.speedup).toBe(1);
      expect(row.energyRatio).toBe(1);
    }
    const tiled = rows.find((r) => r.arch.includes('A100') && r.format === 'tiled-csl')!;
    expect(tiled.speedup).toBeGreaterThan(1.2);
    // Tiled-CSL pays off below 50 % density at best (4 B per nonzero vs 2 B per dense element).
    expect(tiled.breakEvenDensity).not.toBeNull();
    expect(tiled.breakEvenDensity!).toBeLessThan(0.5);
    const twoFour = rows.find((r) => r.arch.includes('A100') && r.format === '2:4')!;
    expect(twoFour.breakEvenDensity).toBeUndefined();
    expect(twoFour.speedup).toBeGreaterThan(1.5);
  });
});
