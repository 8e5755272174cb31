import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/core/simulate.js';
import { withWeightSparsity, weightSparsityFor } from '../../src/core/compare.js';
import { FAMILIES } from '../../src/families/registry.js';
import { declaredKernel, isKernelId } from '../../src/families/tensor-core/format-kernels.js';
import { FAMILY_IDS, FORMATS } from '../../src/sparsity/index.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { loadArch } from '../helpers.js';

describe('format capabilities per family', () => {
  it('declare every registered family, and only those', () => {
    expect([...FAMILY_IDS].sort()).toEqual(FAMILIES.map((f) => f.id).sort());
    for (const [id, format] of Object.entries(FORMATS)) expect(Object.keys(format.families).sort(), id).toEqual([...FAMILY_IDS].sort());
  });

  it('the tensor core runs the kernel each format declares (or its named fallback), never a silent default', () => {
    const a100 = loadArch('a100.yaml');
    const base = loadWorkloadText('name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: 16, n: 1024, k: 1024 }\n', 'g.yaml');
    for (const [id, format] of Object.entries(FORMATS)) {
      const capability = format.families['tensor-core'];
      const declared = capability.use === 'kernel' ? capability.kernel : capability.use === 'fallback' ? capability.as : undefined;
      expect(declared && isKernelId(declared), `${id} declares a tensor-core kernel`).toBe(true);
      const name = id === 'nm' ? '2:4' : id;
      const result = simulate(a100, withWeightSparsity(base, weightSparsityFor(name, 0.25, 4))).operators[0];
      expect(result.notes[0], id).toContain(`kernel ${declared} (`);
      if (capability.use === 'fallback') expect(result.notes.some((n) => n.includes(`runs as ${declared}`)), id).toBe(true);
    }
  });

  it('a format without a tensor-core kernel is an input error naming the formats that have one', () => {
    expect(() => declaredKernel('no-such-format', 'w.yaml', 'operators[0].sparsity.weight.format')).toThrow(/w\.yaml.*operators\[0\]\.sparsity\.weight\.format: weight format 'no-such-format' cannot run on the tensor-core family.*tiled-csl/);
  });
});
