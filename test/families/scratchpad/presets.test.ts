// The presets load through the project's arch loader (with the family registered here, until the
// registry lists it) and give the same values as the test helper's reading.
import { describe, it, expect, vi } from 'vitest';

vi.mock('../../../src/families/registry.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/families/registry.js')>();
  const { scratchpadFamily } = await import('../../../src/families/scratchpad/index.js');
  const families = actual.FAMILIES.some((f) => f.id === 'scratchpad') ? actual.FAMILIES : [...actual.FAMILIES, scratchpadFamily];
  return { ...actual, FAMILIES: families, findFamily: (id: string) => families.find((f) => f.id === id) };
});

import { loadArchFile } from '../../../src/io/files.js';
import { scratchpadFamily } from '../../../src/families/scratchpad/index.js';
import { ROOT, presetValues } from './helpers.js';

describe('scratchpad presets through the arch loader', () => {
  for (const file of ['arch/piuma.yaml', 'arch/xeon-like.yaml']) {
    it(file, () => {
      const arch = loadArchFile(`${ROOT}${file}`);
      expect(arch.family).toBe('scratchpad');
      const mine = presetValues(file).values;
      for (const [key, value] of Object.entries(mine)) {
        if (typeof value === 'number') expect(arch.values[key], key).toBeCloseTo(value, 6);
        else expect(arch.values[key], key).toBe(value);
      }
      const config = scratchpadFamily.configure(arch);
      expect(config.cores).toBeGreaterThan(0);
      expect(arch.energy.table).toBe(presetValues(file).energyTable);
    });
  }
});
