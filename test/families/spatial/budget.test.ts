// The spatial family's work estimate: a mapper search of absurd size is refused before it starts,
// naming mapper.evaluations; a user mapping or a modest search runs.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../../src/core/simulate.js';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { ROOT } from '../../helpers.js';

const base = readFileSync(join(ROOT, 'test', 'families', 'spatial', 'gemm64-4x4.yaml'), 'utf8');
const gemm = loadWorkloadText('name: g\ndtype: int8\noperators:\n  - { name: g, kind: gemm, m: 64, n: 64, k: 64 }\n', 'g.yaml');

describe('spatial work budget', () => {
  it('refuses a mapper search past the work budget and names its size', () => {
    const arch = loadArchText(base.replace(/\nmapping:[\s\S]*$/, '') + '\nmapper: { evaluations: 1000000000 }\n', 'big.yaml');
    expect(() => simulate(arch, gemm)).toThrow(/mapper\.evaluations/);
  });

  it('runs a small search within the budget', () => {
    const arch = loadArchText(base.replace(/\nmapping:[\s\S]*$/, '') + '\nmapper: { evaluations: 2000 }\n', 'small.yaml');
    expect(simulate(arch, gemm).total.cycles).toBeGreaterThan(0);
  });
});

describe('spatial exhaustive search', () => {
  it('stops at mapper.evaluations even when the space is larger (bounded, deterministic)', () => {
    const twoLevels = `family: spatial
clock: 1 GHz
storage:
  - { name: DRAM, word_bits: 8, block_size: 8, energy: { read: 512 pJ, write: 512 pJ, update: 512 pJ } }
  - { name: GLB, capacity: 8192, word_bits: 8, block_size: 8, energy: { read: 20 pJ, write: 20 pJ, update: 20 pJ } }
compute: { name: MAC, instances: 16, mesh_x: 4, energy: { mac: 0.25 pJ } }
mapper: { search: exhaustive, evaluations: 2000 }
`;
    const first = simulate(loadArchText(twoLevels, 'two.yaml'), gemm);
    const second = simulate(loadArchText(twoLevels, 'two.yaml'), gemm);
    expect(first.operators[0].notes.some((n) => /2000 mappings evaluated/.test(n))).toBe(true);
    expect(second.total.cycles).toBe(first.total.cycles);
  });
});
