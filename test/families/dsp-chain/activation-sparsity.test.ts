import { describe, expect, it } from 'vitest';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { preset, run } from './helpers.js';

const gemm = (input = '') =>
  loadWorkloadText(`name: g\ndtype: int8\noperators:\n  - { name: g, kind: gemm, m: 1, n: 4096, k: 4096, phase: decode${input} }\n`, 'g.yaml');

describe('dsp-chain: sparse activations', () => {
  it('counts zero activations as ineffectual MACs, costs them full time, and says there is no mechanism', () => {
    const arch = preset('u280-flightllm.yaml');
    const dense = run(arch, gemm()).operators[0];
    const relu = run(arch, gemm(', sparsity: { input: { pattern: { kind: relu, density: 0.5 } } }')).operators[0];
    expect(relu.macs.effectual).toBeCloseTo(dense.macs.effectual * 0.5, -2);
    expect(relu.cycles).toBe(dense.cycles);
    expect(relu.macs.issued).toBe(dense.macs.issued);
    expect(relu.notes.some((n) => n.includes('no mechanism on this target'))).toBe(true);
    expect(dense.notes.some((n) => n.includes('no mechanism'))).toBe(false);
  });
});
