// The tensor-core area hook: a preset's published die area reaches `accsim describe` and a sweep
// point's areaMm2 / perfPerArea; without a figure (area.die 0) the preset has no area.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { simulate } from '../../../src/core/simulate.js';
import { pointMetrics } from '../../../src/sweep/evaluate.js';
import { tensorCoreFamily } from '../../../src/families/tensor-core/index.js';
import { ROOT, loadWorkload } from '../../helpers.js';

const presetText = (name: string) => readFileSync(join(ROOT, 'arch', name), 'utf8');

describe('tensor-core die area', () => {
  it('takes the die area from the preset and says it is the whole die', () => {
    const a100 = tensorCoreFamily.area!(loadArchText(presetText('a100.yaml'), 'a100.yaml').values);
    const h100 = tensorCoreFamily.area!(loadArchText(presetText('h100.yaml'), 'h100.yaml').values);
    expect(a100).toMatchObject({ totalMm2: 826, components: { die: 826 } });
    expect(h100?.totalMm2).toBe(814);
    expect(a100?.note).toMatch(/whole chip.*not of the SMs alone/);
  });

  it('has no area when the preset does not declare one', () => {
    const arch = loadArchText(presetText('a100.yaml').replace(/^area:\n {2}die: .*\n/m, ''), 'no-die.yaml');
    expect(arch.values['area.die']).toBe(0);
    expect(tensorCoreFamily.area!(arch.values)).toBeUndefined();
    const result = simulate(arch, loadWorkload('bert-base.yaml'), { engine: 'analytical' });
    expect(pointMetrics(result, arch).areaMm2).toBeUndefined();
  });

  it('puts areaMm2 and perfPerArea into a sweep point of a100', () => {
    const arch = loadArchText(presetText('a100.yaml'), 'a100.yaml');
    const result = simulate(arch, loadWorkload('bert-base.yaml'), { engine: 'analytical' });
    const metrics = pointMetrics(result, arch);
    expect(metrics.areaMm2).toBe(826);
    expect(metrics.perfPerArea).toBeCloseTo(result.total.macs.dense / result.total.seconds / 826, 6);
  });

  it('shows the die area in `accsim describe a100` (built CLI)', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'accsim.js'), 'describe', 'a100'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}area\.die +826$/m);
    expect(run.stdout).toMatch(/^Area: 826 mm² \(die 826 mm²\); published die area of the whole chip/m);
  });
});
