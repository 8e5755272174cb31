// Static/idle power: every bundled preset declares one (or says why it is zero), and the core's
// power × time charge reaches every family, including spatial (whose values are stored per level).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { simulate } from '../../src/core/simulate.js';
import { loadArchText } from '../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { loadArchFile } from '../../src/io/files.js';
import { ROOT, bundled, loadArch } from '../helpers.js';

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
  // The Timeloop case-02 fixture with its fixed mapping (no mapper search), plus a power section.
  const fixture = readFileSync(join(ROOT, 'test', 'families', 'spatial', 'gemm64-4x4.yaml'), 'utf8');
  const archText = (power: string) => `${fixture}\n${power}\n`;

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
