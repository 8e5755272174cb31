// Temporal delta inference (workloads/delta-frames.yaml): only changed activations propagate, so
// a skipping target speeds up as the change fraction drops; targets without a mechanism do not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/core/simulate.js';
import { loadArchText } from '../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { loadArch, ROOT } from '../helpers.js';

const text = readFileSync(join(ROOT, 'workloads', 'delta-frames.yaml'), 'utf8');
const frames = (changeFraction: number) => loadWorkloadText(text.replace(/change_fraction: [0-9.]+/, `change_fraction: ${changeFraction}`), 'delta-frames.yaml');
const skippingArray = (zeroHandling: string) =>
  loadArchText(
    `family: systolic
clock: 1 GHz
compute: { rows: 64, cols: 64, dataflow: ws, zero_handling: ${zeroHandling}, skip_window: 8 }
memory:
  compressed_operands: true
  activations_on_chip: true
  ifmap_sram: { capacity: 1 MiB }
  filter_sram: { capacity: 2 MiB }
  ofmap_sram: { capacity: 1 MiB }
  dram: { bandwidth: 25.6 GB/s }
`,
    'delta-array.yaml',
  );

const gemmSeconds = (result: ReturnType<typeof simulate>) => result.operators.filter((o) => o.name.startsWith('fc')).reduce((s, o) => s + o.seconds, 0);

describe('temporal delta inference', () => {
  it('a skipping array speeds up as the change fraction drops (statistical and concrete)', () => {
    for (const mode of ['statistical', 'concrete'] as const) {
      const arch = skippingArray('skipping');
      const dense = gemmSeconds(simulate(arch, frames(1), { sparsityMode: mode }));
      const speedups = [0.5, 0.25, 0.1].map((cf) => dense / gemmSeconds(simulate(arch, frames(cf), { sparsityMode: mode })));
      expect(speedups[0]).toBeGreaterThan(1.2);
      expect(speedups[1]).toBeGreaterThan(speedups[0]);
      expect(speedups[2]).toBeGreaterThan(speedups[1]);
      // Fill/drain (2R + C − 2 = 190 cycles per fold) stays, and the 8-wide skip window keeps a
      // fold's stream at ≥ 256 / 8 = 32 cycles: the speedup cannot pass (190 + 256) / (190 + 32).
      expect(speedups[2]).toBeLessThanOrEqual(446 / 222 + 1e-9);
    }
  });

  it('a gating array saves energy but no time; the stock TPU v1 changes nothing and says why', () => {
    const gating = skippingArray('gating');
    const full = simulate(gating, frames(1));
    const sparse = simulate(gating, frames(0.1));
    expect(gemmSeconds(sparse)).toBeCloseTo(gemmSeconds(full), 12);
    expect(sparse.total.energy.totalJ).toBeLessThan(full.total.energy.totalJ);
    const tpu = simulate(loadArch('tpu-v1.yaml'), frames(0.1));
    expect(gemmSeconds(tpu)).toBeCloseTo(gemmSeconds(simulate(loadArch('tpu-v1.yaml'), frames(1))), 12);
    expect(tpu.notes.some((n) => n.includes('no mechanism for zero MACs'))).toBe(true);
  });
});
