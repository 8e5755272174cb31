// The spatial presets against their published reference points.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { loadArch, loadWorkload } from '../../helpers.js';

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
