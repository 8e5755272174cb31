// Static/idle power: every bundled preset declares one (or says why it is zero), and the core's
// power × time charge reaches every family, including spatial (whose values are stored per level).
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { simulate } from '../../src/core/simulate.js';
import { loadArchText } from '../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { loadArchFile } from '../../src/io/files.js';
import { bundled, loadArch } from '../helpers.js';

describe('every bundled preset declares its static power', () => {
  for (const file of bundled('arch')) {
    it(`${basename(file)}: nonzero power.static, or a power.source explaining the zero`, () => {
      const arch = loadArchFile(file);
      const watts = arch.values['power.static'];
      const source = String(arch.values['power.source'] ?? '');
      expect(typeof watts).toBe('number');
      // A source that is only the family default says nothing about where the figure comes from.
      expect(source).not.toBe('[A] not modelled');
      expect(source).toMatch(/\[[MSTRA]\]/);
      if (watts === 0) expect(source).toMatch(/\b(zero|0 W)\b/);
      else expect(watts as number).toBeGreaterThan(0);
    });
  }
});

describe('spatial family: power.static is charged as the static energy component', () => {
  const gemm = loadWorkloadText('name: g\ndtype: int8\noperators:\n  - { name: g, kind: gemm, m: 64, n: 64, k: 64 }\n', 'g.yaml');
  const archText = (power: string) => `family: spatial
name: static power fixture
clock: 1 GHz
storage:
  - { name: DRAM, word_bits: 8, block_size: 8, energy: { read: 512 pJ, write: 512 pJ, update: 512 pJ } }
  - { name: GLB, capacity: 8192, word_bits: 8, block_size: 8, energy: { read: 20 pJ, write: 20 pJ, update: 20 pJ } }
compute: { name: MAC, instances: 16, mesh_x: 4, energy: { mac: 0.25 pJ } }
mapper: { objective: cycles, search: exhaustive, evaluations: 2000 }
${power}`;

  it('stores power.static and power.source in arch.values', () => {
    const arch = loadArchText(archText('power: { static: 3 W, source: "[A] fixture" }'), 'a.yaml');
    expect(arch.values['power.static']).toBe(3);
    expect(arch.values['power.source']).toBe('[A] fixture');
  });

  it('adds exactly watts × run time, with a note naming the source', () => {
    const without = simulate(loadArchText(archText(''), 'a.yaml'), gemm);
    const withPower = simulate(loadArchText(archText('power: { static: 3 W, source: "[A] fixture" }'), 'a.yaml'), gemm);
    expect(without.total.energy.components.static).toBeUndefined();
    expect(withPower.total.cycles).toBe(without.total.cycles);
    const seconds = without.total.cycles / 1e9;
    expect(withPower.total.energy.components.static).toBeCloseTo(3 * seconds, 15);
    expect(withPower.total.energy.totalJ - without.total.energy.totalJ).toBeCloseTo(3 * seconds, 15);
    expect(withPower.notes.some((n) => n.includes('static power 3 W') && n.includes('[A] fixture'))).toBe(true);
  });

  it('rejects a misspelt power key with a suggestion', () => {
    expect(() => loadArchText(archText('power: { statc: 3 W }'), 'a.yaml')).toThrow(/static/);
  });

  it('the Eyeriss-like preset charges its 28 mW', () => {
    const arch = loadArch('eyeriss-like.yaml');
    expect(arch.values['power.static']).toBeCloseTo(0.028, 12);
  });
});
