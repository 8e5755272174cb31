// The spatial presets against their published reference points.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { loadArch, loadWorkload } from '../../helpers.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';

describe('Eyeriss-like on AlexNet conv layers, batch 4', () => {
  const result = simulate(loadArch('eyeriss-like.yaml'), loadWorkload('alexnet-conv-b4.yaml'));
  it('moves DRAM words per MAC within 2x of the 0.0029 Eyeriss measured (Chen et al., JSSC 2017)', () => {
    const dramWords = result.operators.reduce((sum, op) => sum + op.stats.dram_accesses_per_mac * op.macs.dense, 0);
    const perMac = dramWords / result.total.macs.dense;
    expect(perMac).toBeLessThan(2 * 0.0029);
    expect(perMac).toBeGreaterThan(0.0029 / 2);
    // The same figure from the byte counts (16-bit words) of the per-level breakdown.
    const dram = result.total.memory.DRAM;
    expect((dram.readBytes + dram.writeBytes) / 2 / result.total.macs.dense).toBeCloseTo(perMac, 12);
  });
  it('reports traffic for every level, per tensor', () => {
    expect(Object.keys(result.total.memory)).toEqual(['DRAM', 'GLB', 'ifmap_spad', 'weights_spad', 'psum_spad']);
    expect(Object.keys(result.total.memory.GLB.perTensor).sort()).toEqual(['input', 'output']);
    expect(Object.keys(result.total.memory.weights_spad.perTensor)).toEqual(['weight']);
  });
});

describe('SIGMA-like sparse features', () => {
  const arch = loadArch('sigma-like.yaml');
  const gemm = (sparsity: string) => loadWorkloadText(`name: s\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: 256, n: 1024, k: 1024${sparsity} }\n`, 's.yaml');
  const dense = simulate(arch, gemm('')).operators[0];
  const sparse = simulate(arch, gemm(', sparsity: { weight: { pattern: { kind: uniform, density: 0.2 }, format: bitmap }, input: { pattern: { kind: uniform, density: 0.5 }, format: bitmap } }')).operators[0];
  it('skips MACs with a zero operand: effectual MACs and compute cycles scale with the density product', () => {
    // Uniform patterns hold round(density × size) nonzeros, so the product is 0.1 to 6 digits.
    const effectual = sparse.macs.effectual / dense.macs.dense;
    expect(effectual).toBeCloseTo(0.1, 6);
    expect(sparse.computeCycles).toBe(Math.ceil(dense.computeCycles * effectual));
    expect(sparse.stats['macs.skipped']).toBeCloseTo(dense.macs.dense * (1 - effectual), 3);
  });
  it('moves compressed operands: nonzero values plus one bitmap bit per dense 16-bit word', () => {
    const ratio = sparse.memory.DRAM.perTensor.weight.readBytes / dense.memory.DRAM.perTensor.weight.readBytes;
    expect(ratio).toBeCloseTo(0.2 + 1 / 16, 6);
    expect(sparse.stats['DRAM.weight.metadata_reads'] / (dense.stats['DRAM.weight.reads'] / 16)).toBeCloseTo(1, 9);
    // Stationary weights facing a zero input are skipped at the Flex-DPE buffer.
    expect(sparse.stats['DPEBuffer.weight.skipped_reads'] / (dense.stats['DPEBuffer.weight.reads'] * 0.2 * 0.5)).toBeCloseTo(1, 5);
    expect(sparse.energy.totalJ).toBeLessThan(dense.energy.totalJ / 3);
  });
});
