import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';

const arch = (zeroHandling: string, dataflow = 'ws', compressed = true) =>
  loadArchText(
    `family: systolic
clock: 1 GHz
compute: { rows: 32, cols: 32, dataflow: ${dataflow}, zero_handling: ${zeroHandling} }
memory:
  compressed_operands: ${compressed}
  ifmap_sram: { capacity: 256 KiB }
  filter_sram: { capacity: 256 KiB }
  ofmap_sram: { capacity: 256 KiB }
  dram: { bandwidth: 100 GB/s, bandwidth_mode: calc }
`,
    'skip.yaml',
  );

const gemm = (sparsity: { weight?: string; input?: string }) => {
  const parts = [];
  if (sparsity.weight) parts.push(`weight: ${sparsity.weight}`);
  if (sparsity.input) parts.push(`input: ${sparsity.input}`);
  const s = parts.length ? `, sparsity: { ${parts.join(', ')} }` : '';
  return loadWorkloadText(`name: g\ndtype: int8\noperators:\n  - { name: g, kind: gemm, m: 256, n: 256, k: 512${s} }\n`, 'g.yaml');
};
const W24 = "{ pattern: { kind: nm, n: 2, m: 4 }, format: '2:4' }";
const RELU50 = '{ pattern: { kind: relu, density: 0.5 } }';

describe('systolic zero skipping', () => {
  for (const mode of ['statistical', 'concrete'] as const) {
    for (const dataflow of ['ws', 'os'] as const) {
      it(`2:4 weights with 50 % ReLU activations beat 2:4 alone, which beats dense (${dataflow}, ${mode})`, () => {
        const a = arch('skipping', dataflow);
        const opts = { sparsityMode: mode };
        const dense = simulate(a, gemm({}), opts).operators[0];
        const w24 = simulate(a, gemm({ weight: W24 }), opts).operators[0];
        const both = simulate(a, gemm({ weight: W24, input: RELU50 }), opts).operators[0];
        expect(w24.stats.packedK).toBe(256);
        expect(w24.cycles).toBeLessThan(0.65 * dense.cycles);
        expect(both.cycles).toBeLessThan(0.85 * w24.cycles);
        expect(both.macs.issued).toBeCloseTo(256 * 256 * 512 * 0.25, -2);
        expect(both.notes.some((n) => n.includes('busiest PE'))).toBe(true);
        for (const [name, bound] of Object.entries(both.bounds)) expect(both.cycles, name).toBeGreaterThanOrEqual(bound);
      });
    }
  }

  it('gating saves energy but no cycles; skipping saves both', () => {
    const w = gemm({ weight: W24, input: RELU50 });
    const dense = simulate(arch('dense'), w).operators[0];
    const gating = simulate(arch('gating'), w).operators[0];
    const skipping = simulate(arch('skipping'), w).operators[0];
    expect(gating.cycles).toBe(dense.cycles);
    expect(gating.energy.totalJ).toBeLessThan(dense.energy.totalJ);
    expect(skipping.cycles).toBeLessThan(gating.cycles);
    expect(skipping.energy.totalJ).toBeLessThan(gating.energy.totalJ);
  });

  it('per-PE load imbalance: whole zero columns leave the busiest PE fully loaded on ws', () => {
    // Same 50 % density: uniform zeros spread over every PE's stream; 'column' zeros put all
    // nonzeros on half the K rows, whose PEs then stream all M tokens.
    const a = arch('skipping', 'ws');
    for (const mode of ['statistical', 'concrete'] as const) {
      const uniform = simulate(a, gemm({ input: '{ pattern: { kind: uniform, density: 0.5 } }' }), { sparsityMode: mode }).operators[0];
      const columns = simulate(a, gemm({ input: '{ pattern: { kind: column, density: 0.5 } }' }), { sparsityMode: mode }).operators[0];
      expect(uniform.stats.busiestPeFraction).toBeLessThan(0.7);
      expect(columns.stats.busiestPeFraction).toBeGreaterThan(0.99);
      expect(columns.cycles).toBeGreaterThan(uniform.cycles);
    }
  });

  it('unstructured weight zeros cannot be packed: no time saved on ws, and the result says why', () => {
    const a = arch('skipping', 'ws');
    const dense = simulate(a, gemm({})).operators[0];
    const csr = simulate(a, gemm({ weight: "{ pattern: { kind: uniform, density: 0.5 }, format: csr }" })).operators[0];
    expect(csr.cycles).toBe(dense.cycles);
    expect(csr.notes.some((n) => n.includes('cannot be packed'))).toBe(true);
  });

  it('the skip window bounds the speedup: a fold streams at least streamDim / window cycles', () => {
    const sparse = gemm({ input: '{ pattern: { kind: uniform, density: 0.05 } }' });
    const r = simulate(arch('skipping', 'ws'), sparse).operators[0];
    expect(r.stats.cyclesPerFold).toBe(2 * 32 + 32 + 256 / 4 - 2);
  });
});
