import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { loadArch } from '../../helpers.js';

const a100 = loadArch('a100.yaml');

// LLaMA-2-7B FFN down-projection at decode: out[4096] = W[4096 × 11008] · x[11008].
const down = (m: number, input = '') =>
  loadWorkloadText(`name: d\ndtype: fp16\noperators:\n  - { name: down, kind: gemm, m: ${m}, n: 4096, k: 11008, phase: decode${input} }\n`, 'd.yaml');
const chunkUnion = (density: number, chunk = 8) => `, sparsity: { input: { pattern: { kind: chunk-union, density: ${density}, chunkSize: ${chunk} } } }`;

describe('tensor-core activation-sparse decode (Deja Vu / BlockFFN gather)', () => {
  const denseWeightBytes = 4096 * 11008 * 2;
  for (const mode of ['statistical', 'concrete'] as const) {
    it(`union density 0.3 cuts the down-projection's HBM weight bytes to ≈0.3× (${mode})`, () => {
      const dense = simulate(a100, down(1), { sparsityMode: mode }).operators[0];
      const sparse = simulate(a100, down(1, chunkUnion(0.3)), { sparsityMode: mode }).operators[0];
      expect(dense.memory.hbm.perTensor!.weight.readBytes).toBe(denseWeightBytes);
      const ratio = sparse.memory.hbm.perTensor!.weight.readBytes / denseWeightBytes;
      expect(ratio).toBeGreaterThan(0.28);
      expect(ratio).toBeLessThan(0.32);
      // Metadata: the active-column indices are counted as their own HBM tensor.
      expect(sparse.memory.hbm.perTensor!['activation-index'].readBytes).toBeCloseTo(ratio * 11008 * 2, -1);
      expect(sparse.stats.activeColumnFraction).toBeCloseTo(ratio, 2);
      expect(sparse.seconds).toBeLessThan(0.45 * dense.seconds);
      expect(sparse.notes.some((n) => n.includes('activation-sparse gather'))).toBe(true);
    });
  }

  it('the union over a token tile grows with the batch, so the gain fades (1 − (1 − d)^tokens)', () => {
    const frac = (m: number) => simulate(a100, down(m, chunkUnion(0.1, 1)), { sparsityMode: 'statistical' }).operators[0].stats.activeColumnFraction;
    expect(frac(1)).toBeCloseTo(0.1, 3);
    expect(frac(8)).toBeCloseTo(1 - 0.9 ** 8, 3);
  });

  it('falls back to the dense kernel, and says so, when the union is dense', () => {
    const r = simulate(a100, down(64, chunkUnion(0.5, 1)), { sparsityMode: 'statistical' }).operators[0];
    expect(r.memory.hbm.perTensor!.weight.readBytes).toBe(denseWeightBytes);
    expect(r.notes.some((n) => n.includes('gather not used'))).toBe(true);
    expect(r.macs.effectual).toBeCloseTo(64 * 4096 * 11008 * 0.5, -3);
  });
});
