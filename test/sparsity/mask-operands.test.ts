// Real masks as GEMM operands: `pattern: { npy: file }` and `{ mtx: file }`, in both sparsity modes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/core/simulate.js';
import { readMaskRelative, readMatrixRelative } from '../../src/io/files.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { loadArch, ROOT } from '../helpers.js';

// A workload text placed (virtually) in workloads/, so mask paths resolve as in a real file there.
const load = (operators: string) => loadWorkloadText(`name: m\ndtype: fp16\noperators:\n${operators}`, join(ROOT, 'workloads', 'masked.yaml'), readMatrixRelative, readMaskRelative);
const a100 = loadArch('a100.yaml');
const edge = loadArch('edge-128.yaml');

describe('mask files on GEMM operands', () => {
  it('a shipped pruned .npy weight mask runs in both modes with its exact counts', () => {
    const w = load(`  - { name: g, kind: gemm, m: 16, n: 48, k: 48, sparsity: { weight: { pattern: { npy: masks/bcsstk01-magnitude-50.npy }, format: csr } } }\n`);
    for (const mode of ['statistical', 'concrete'] as const) {
      const r = simulate(a100, w, { sparsityMode: mode }).operators[0];
      expect(r.stats.weightDensity).toBeCloseTo(241 / 2304, 12);
      expect(r.macs.effectual).toBeCloseTo(16 * 241, 9);
    }
    // Workload hashes summarise the mask (file, shape, nnz, digest) instead of serialising bits.
    expect(JSON.stringify(w.operators[0]).length).toBeLessThan(600);
  });

  it('a Matrix Market structure works as an input mask (M × K) too', () => {
    const w = load(`  - { name: g, kind: gemm, m: 48, n: 64, k: 48, sparsity: { input: { pattern: { mtx: matrices/bcsstk01.mtx } } } }\n`);
    const r = simulate(edge, w, { sparsityMode: 'concrete' }).operators[0];
    expect(r.macs.effectual).toBeCloseTo(400 * 64, 9);
  });

  it('rejects a mask whose shape does not match the operand, at the file name, naming both shapes', () => {
    const text = `  - { name: g, kind: gemm, m: 16, n: 64, k: 48, sparsity: { weight: { pattern: { npy: masks/bcsstk01-magnitude-50.npy } } } }\n`;
    expect(() => load(text)).toThrow(/masked\.yaml:4:\d+: error: operators\[0\]\.sparsity\.weight\.pattern\.npy: mask .*bcsstk01-magnitude-50\.npy is 48 x 48 but the weight operand is 64 x 48/);
    expect(() => load(`  - { name: g, kind: gemm, m: 16, n: 48, k: 48, sparsity: { weight: { pattern: { npy: masks/missing.npy } } } }\n`)).toThrow(/masked\.yaml:4:\d+: .*file 'masks\/missing\.npy' not found/);
  });
});
