import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { generateMask, colNnz, validatePatternSpec } from '../../../src/sparsity/index.js';
import { deriveSeed } from '../../../src/core/random.js';
import { ROOT } from '../../helpers.js';

const dstc = loadArchText(readFileSync(join(ROOT, 'arch', 'a100.yaml'), 'utf8').replace(/compute:\n/, 'compute:\n  dual_side_sparse: true\n'), 'dstc.yaml');

const M = 256, N = 1024, K = 1024;
const gemm = `name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: ${M}, n: ${N}, k: ${K}, sparsity: { weight: { pattern: { kind: column, density: 0.5 }, format: bitmap }, input: { pattern: { kind: column, density: 0.5 }, format: bitmap } } }\n`;

describe('tensor-core DSTC on concrete masks', () => {
  it('issues exactly Σ_k nnz(W[:,k]) · nnz(X[:,k]) MACs, counted from the masks', () => {
    const seed = 7;
    const result = simulate(dstc, loadWorkloadText(gemm, 'g.yaml'), { sparsityMode: 'concrete', seed }).operators[0];
    expect(result.notes[0]).toContain('kernel dstc');
    const w = colNnz(generateMask(validatePatternSpec({ kind: 'column', density: 0.5 }), { rows: N, cols: K }, deriveSeed(seed, 'g.weight')));
    const x = colNnz(generateMask(validatePatternSpec({ kind: 'column', density: 0.5 }), { rows: M, cols: K }, deriveSeed(seed, 'g.input')));
    let pairs = 0;
    for (let k = 0; k < K; k++) pairs += w[k] * x[k];
    expect(result.macs.issued).toBeCloseTo(pairs, 0);
    expect(result.macs.effectual).toBeCloseTo(pairs, 0);
    // Whole-column zeros overlap by chance, not at exactly dW · dX = 1/4.
    expect(pairs).not.toBe(M * N * K * 0.25);
    const statistical = simulate(dstc, loadWorkloadText(gemm, 'g.yaml'), { sparsityMode: 'statistical', seed }).operators[0];
    expect(statistical.macs.issued).toBeCloseTo(M * N * K * 0.25, -3);
  });
});

describe('tensor-core DSTC load imbalance', () => {
  it('in concrete mode the CTA with the most weight nonzeros sets each wave (reported; no slower while staging bounds the step)', () => {
    // Whole weight rows kept at density 0.5: CTAs of 128 rows hold unequal numbers of them.
    const text = `name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: 4096, n: 8192, k: 4096, sparsity: { weight: { pattern: { kind: row, density: 0.5 }, format: bitmap }, input: { pattern: { kind: uniform, density: 0.5 }, format: bitmap } } }\n`;
    const concrete = simulate(dstc, loadWorkloadText(text, 'g.yaml'), { sparsityMode: 'concrete', seed: 3 }).operators[0];
    const statistical = simulate(dstc, loadWorkloadText(text, 'g.yaml'), { sparsityMode: 'statistical', seed: 3 }).operators[0];
    expect(concrete.notes[0]).toContain('kernel dstc');
    expect(concrete.stats.tileImbalance).toBeGreaterThan(1.05);
    expect(statistical.stats.tileImbalance).toBe(1);
    // The slowest CTA's MMA work is scaled by the imbalance; this shape is bound by shared-memory
    // staging, which the imbalance does not change, so time only cannot fall.
    expect(concrete.cycles).toBeGreaterThanOrEqual(statistical.cycles);
  });
});
