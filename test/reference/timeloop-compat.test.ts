// accsim on Timeloop's own input files (test/reference/timeloop/<case>/), through the importer,
// against every counter Timeloop v3.0.3 printed for them: cycles, utilisation, per level and data
// space the per-instance reads, fills and updates, utilised capacity and instances, energy per
// level and tensor with the given ERT, and each level's bandwidth throttling.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importTimeloop } from '../../src/io/timeloop.js';
import { loadArchText } from '../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { simulate } from '../../src/core/simulate.js';
import { ROOT } from '../helpers.js';
import { parseTimeloopStats } from './timeloop/stats.js';

const dir = join(ROOT, 'test', 'reference', 'timeloop');
const cases = readdirSync(dir).filter((name) => existsSync(join(dir, name, 'timeloop-output', 'timeloop-model.stats.txt'))).sort();

function inputsOf(name: string) {
  const own = readdirSync(join(dir, name)).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, name, f));
  const hasErt = own.some((f) => /^\s*ERT:/m.test(readFileSync(f, 'utf8')));
  const files = hasErt ? own : [...own, join(dir, 'common-ert.yaml')];
  return files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

describe.each(cases)('Timeloop v3.0.3 reference %s', (name) => {
  const expected = parseTimeloopStats(readFileSync(join(dir, name, 'timeloop-output', 'timeloop-model.stats.txt'), 'utf8'));
  const imported = importTimeloop(inputsOf(name));
  const result = simulate(loadArchText(imported.archYaml, `${name}.arch`), loadWorkloadText(imported.workloadYaml, `${name}.workload`), { convention: 'timeloop' });
  const op = result.operators[0];
  const native = (tensor: string) => imported.tensorNames[tensor];

  it('has the same cycles, utilisation and MACs', () => {
    expect(op.cycles).toBe(expected.cycles);
    expect(op.utilization).toBeCloseTo(expected.utilization, 2);
    expect(op.macs.dense).toBe(expected.compute.computes);
    expect((op.energy.components[expected.compute.name] ?? 0) * 1e12).toBeCloseTo(expected.compute.energyPJ, 2);
  });

  it.each(Object.keys(expected.levels))('level %s: reads, fills, updates, tiles, instances, energy, throttling', (level) => {
    const want = expected.levels[level];
    expect(op.stats[`${level}.cycles`]).toBe(want.cycles);
    expect(op.stats[`${level}.slowdown`]).toBeCloseTo(want.throttling, 2);
    for (const [tensor, w] of Object.entries(want.tensors)) {
      const key = `${level}.${native(tensor)}`;
      expect({ tensor, reads: op.stats[`${key}.reads`], fills: op.stats[`${key}.fills`], updates: op.stats[`${key}.updates`], tile: op.stats[`${key}.tile`], instances: op.stats[`${key}.instances`] })
        .toEqual({ tensor, reads: w.reads, fills: w.fills, updates: w.updates, tile: w.capacity, instances: w.instances });
      const energy = op.energy.actions.filter((a) => a.component === level && a.action.startsWith(`${native(tensor)}.`)).reduce((sum, a) => sum + a.energyJ, 0);
      expect(energy * 1e12).toBeCloseTo(w.energyPJ, 2);
    }
    // Tensors Timeloop does not list at a level are bypassed there.
    for (const tensor of Object.keys(imported.tensorNames)) {
      if (!(tensor in want.tensors)) expect(op.stats[`${level}.${native(tensor)}.reads`]).toBeUndefined();
    }
  });
});
