// TPU v1 keeps activations on chip between layers, but the first layer's input (the image) has to
// arrive from DRAM, where the host wrote it.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { simulate } from '../../../src/core/simulate.js';
import { loadArchFile, loadWorkloadFile } from '../../../src/io/files.js';
import { ROOT } from '../../helpers.js';

describe('activations_on_chip and the first operator', () => {
  it('reads the ResNet-18 image from DRAM into the ifmap buffer on TPU v1; later layers read only weights', () => {
    const result = simulate(loadArchFile(join(ROOT, 'arch', 'tpu-v1.yaml')), loadWorkloadFile(join(ROOT, 'workloads', 'resnet18.yaml')), { seed: 1 });
    const [conv1, next] = result.operators;
    const image = 224 * 224 * 3; // int8
    const weights = 7 * 7 * 3 * 64;
    expect(conv1.memory.dram.readBytes).toBeCloseTo(image + weights, 0);
    expect(conv1.memory.ifmap_sram.writeBytes).toBeCloseTo(image, 0);
    expect(next.memory.ifmap_sram.writeBytes).toBe(0);
    expect(result.notes.some((n) => /first operator reads its input from DRAM/.test(n))).toBe(true);
  });
});
