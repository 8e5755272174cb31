// The presets load through the project's arch loader and give the same values as the test
// helper's reading of the same files.
import { describe, it, expect } from 'vitest';


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
