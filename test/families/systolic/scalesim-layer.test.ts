import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { simulate } from '../../../src/core/simulate.js';
import { loadArchFile, loadWorkloadFile } from '../../../src/io/files.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { scaleSimOutputSize } from '../../../src/families/systolic/scalesim-layer.js';
import { ROOT } from '../../helpers.js';

describe('SCALE-Sim output-size rule', () => {
  it('differs from accsim rule exactly when the stride does not divide H + 2p - R', () => {
    expect(scaleSimOutputSize(224, 11, 4)).toBe(55); // AlexNet conv1: accsim gives floor(213/4) + 1 = 54
    expect(scaleSimOutputSize(230, 7, 2)).toBe(113); // ResNet-18 conv1 (224 + 2*3): accsim gives 112
    expect(scaleSimOutputSize(229, 7, 2)).toBe(112); // divisible: both rules agree
    for (let h = 1; h < 40; h++) {
      for (let r = 1; r <= h; r++) {
        for (let s = 1; s < 6; s++) {
          const accsim = Math.floor((h - r) / s) + 1;
          expect(scaleSimOutputSize(h, r, s) - accsim).toBe((h - r) % s === 0 ? 0 : 1);
        }
      }
    }
  });
});

describe('AlexNet (stride not dividing the input) in both conventions', () => {
  const workload = loadWorkloadFile(join(ROOT, 'workloads', 'alexnet.yaml'));
  const arch = loadArchFile(join(ROOT, 'arch', 'edge-128.yaml'));

  it("accsim's convention uses floor((H + 2p - R)/s) + 1 output rows", () => {
    const conv1 = workload.operators[0];
    expect(conv1.kind === 'conv2d' && conv1.m).toBe(54 * 54);
    const op = simulate(arch, workload, { convention: 'accsim' }).operators[0];
    expect(op.macs.dense).toBe(54 * 54 * 96 * 11 * 11 * 3);
    expect(op.cycles).toBeGreaterThan(0);
  });

  it("SCALE-Sim's convention runs its 55x55 layer and says so", () => {
    const op = simulate(arch, workload, { convention: 'scalesim' }).operators[0];
    expect(op.notes.some((n) => n.includes('55x55') && n.includes('54x54'))).toBe(true);
    expect(op.stats.scalesimMappingEffPct).toBeGreaterThan(0);
  });
});

describe('SCALE-Sim convention on accsim operators', () => {
  const arch = loadArchFile(join(ROOT, 'arch', 'tpu-v1.yaml'));
  const conv = (batch: number) => loadWorkloadText(
    `name: c\ndtype: int8\noperators:\n  - { name: c, kind: conv2d, batch: ${batch}, in_h: 30, in_w: 30, in_c: 4, out_c: 8, kernel_h: 3, kernel_w: 3, stride: 2, padding: 1 }\n`, 'c.yaml');

  it('runs ResNet-18 on TPU v1 (non-integer words/cycle, SCALE-Sim output sizes)', () => {
    const result = simulate(arch, loadWorkloadFile(join(ROOT, 'workloads', 'resnet18.yaml')), { convention: 'scalesim' });
    const conv1 = result.operators[0];
    expect(conv1.notes.some((n) => n.includes('113x113'))).toBe(true);
    expect(conv1.notes.some((n) => n.includes('run as 48 words/cycle'))).toBe(true); // 34 GB/s at 700 MHz
  });

  it('runs every image of a batch as one more SCALE-Sim layer', () => {
    const one = simulate(arch, conv(1), { convention: 'scalesim' }).operators[0];
    const three = simulate(arch, conv(3), { convention: 'scalesim' }).operators[0];
    expect(three.cycles).toBe(3 * one.cycles);
    expect(three.memory.dram.readBytes).toBe(3 * one.memory.dram.readBytes);
  });
});
