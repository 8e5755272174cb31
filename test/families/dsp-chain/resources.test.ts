// FPGA resource use of the DSP-chain family: the LUT estimate is checked against device.luts with
// a positioned error, and the resource stats of a result add up to what the design declares.
import { describe, expect, it } from 'vitest';
import { formatIssue, InputError } from '../../../src/spec/errors.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { dspChainFamily } from '../../../src/families/dsp-chain/index.js';
import { pointMetrics } from '../../../src/sweep/evaluate.js';
import { preset, run } from './helpers.js';

const U280 = 'u280-flightllm.yaml';
const withLine = (pattern: RegExp, replacement: string) => (text: string) => {
  expect(text).toMatch(pattern);
  return text.replace(pattern, replacement);
};
const tiny = loadWorkloadText(
  'name: tiny\noperators:\n  - { name: proj, kind: gemm, m: 1, n: 4096, k: 4096, dtype: int8, phase: decode }\n  - { name: act, kind: elementwise, function: silu, elements: 4096, dtype: int8, phase: decode }\n',
  'tiny.yaml',
);

describe('LUT estimate against the device', () => {
  it('counts base + chain DSP slots + reduction nodes + channel controllers', () => {
    const table = dspChainFamily.resources!(preset(U280));
    // U280 preset: 384 chains × 16 DSPs, a reduction node every 4 slots (3 per chain), 32 HBM + 2 DDR channels.
    const expected = 150000 + 384 * 16 * 32 + 384 * 3 * 48 + 34 * 6000;
    expect(table.lut).toMatchObject({ used: expected, available: 1304000 });
    const fewerChannels = dspChainFamily.resources!(preset(U280, withLine(/^ {4}channels: 32\b/m, '    channels: 16')));
    expect(table.lut.used - fewerChannels.lut.used).toBe(16 * 6000);
  });

  it('rejects a design whose LUT estimate exceeds the device, at compute.chains, with the shortfall', () => {
    let error: unknown;
    try {
      preset(U280, withLine(/^ {2}luts: 1304000\b/m, '  luts: 500000'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0];
    expect(issue.keyPath).toBe('compute.chains');
    expect(issue.message).toContain('short by 105904 LUTs');
    // (500000 − 150000 base − 204000 channels) / (16 × 32 + 3 × 48 LUTs per chain) = 222.6
    expect(issue.expected).toContain('at most 222 chains of 16');
    expect(formatIssue(issue)).toMatch(/^u280-flightllm\.yaml:\d+:\d+: error: compute\.chains: the design needs an estimated 605904 LUTs/);
  });

  it('accepts every bundled FPGA preset', () => {
    for (const name of [U280, 'vcu1525-sat.yaml', 'versal-vhk158.yaml']) {
      const table = dspChainFamily.resources!(preset(name));
      for (const r of Object.values(table)) expect(r.used).toBeLessThanOrEqual(r.available);
    }
  });
});

describe('resource stats in a result', () => {
  it('add up to the design and the device on every operator', () => {
    const arch = preset(U280);
    const result = run(arch, tiny);
    const table = dspChainFamily.resources!(arch);
    const v = arch.values;
    const dsps = (v['compute.chains'] as number) * (v['compute.chain_length'] as number) + (v['sfu.dsp_slices'] as number);
    const bram = (v['buffers.weight.bram_blocks'] as number) + (v['buffers.output.bram_blocks'] as number);
    expect(result.operators).toHaveLength(2);
    for (const op of result.operators) {
      expect(op.stats).toMatchObject({ dspSlicesUsed: dsps, bramBlocksUsed: bram, uramBlocksUsed: v['buffers.activation.uram_blocks'], lutsUsed: table.lut.used });
      expect(op.stats.dspFraction).toBeCloseTo(dsps / (v['device.dsp_slices'] as number), 12);
      expect(op.stats.bramFraction).toBeCloseTo(bram / (v['device.bram_blocks'] as number), 12);
      expect(op.stats.uramFraction).toBeCloseTo((v['buffers.activation.uram_blocks'] as number) / (v['device.uram_blocks'] as number), 12);
      expect(op.stats.lutFraction).toBeCloseTo(table.lut.used / (v['device.luts'] as number), 12);
    }
    // The sweep metrics of an FPGA point: fractions of the device, and no area.
    const metrics = pointMetrics(result, arch);
    expect(metrics.dspFraction).toBeCloseTo(dsps / (v['device.dsp_slices'] as number), 12);
    expect(metrics.lutFraction).toBeCloseTo(table.lut.used / (v['device.luts'] as number), 12);
    expect(metrics.areaMm2).toBeUndefined();
    for (const key of ['dspSlicesUsed', 'bramBlocksUsed', 'uramBlocksUsed', 'lutsUsed', 'dspFraction', 'bramFraction', 'uramFraction', 'lutFraction']) {
      expect(dspChainFamily.stats.some((s) => s.key === key && s.unit.length > 0)).toBe(true);
    }
  });
});
