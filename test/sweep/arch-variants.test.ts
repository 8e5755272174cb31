// The sweep's fast architecture variants (only the swept keys re-resolved) equal the full
// resolution of the variant tree, and leave unsupported axes and invalid values to the full path.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyAssignments } from '../../src/sweep/paths.js';
import { baseTreeFromText, treeOfVariant } from '../../src/sweep/spec-tree.js';
import { fastArchVariants } from '../../src/sweep/arch-variants.js';
import type { SweepAxis } from '../../src/sweep/plan.js';
import { archFromTree } from '../../src/spec/load-arch.js';
import { ROOT } from '../helpers.js';

const FILE = 'arch/edge-128.yaml';
const base = baseTreeFromText(readFileSync(join(ROOT, FILE), 'utf8'), FILE);
const axis = (path: string, values: Array<string | number>): SweepAxis => ({
  path,
  target: { target: 'arch', segments: path.split('.') },
  values: values.map((value) => ({ spec: value, param: value })),
});
const full = (assignments: Array<[SweepAxis, string | number]>, file: string) =>
  archFromTree(treeOfVariant(base, applyAssignments(base.plain, assignments.map(([a, value]) => ({ target: a.target, value })))), file);

describe('fast architecture variants for sweeps', () => {
  const rows = axis('compute.rows', [16, 48, 160]);
  const bandwidth = axis('memory.dram.bandwidth', ['6.4 GB/s', '51.2GB/s']);
  const fast = fastArchVariants(base.root, FILE, [rows, bandwidth].map((a, i) => ({ axis: a, i })))!;

  it('builds the same spec as resolving the whole variant file', () => {
    expect(fast).toBeDefined();
    for (const r of rows.values) {
      for (const b of bandwidth.values) {
        const file = `${FILE} [point 7]`;
        const quick = fast.build([{ axis: fast.axes[0], value: r.spec }, { axis: fast.axes[1], value: b.spec }], file);
        const slow = full([[rows, r.spec], [bandwidth, b.spec]], file);
        expect(JSON.stringify(quick)).toBe(JSON.stringify(slow));
        expect(quick.hash).toBe(slow.hash);
      }
    }
  });

  it('throws on a value the full path rejects (the evaluator then reports the full path error)', () => {
    expect(() => fast.build([{ axis: fast.axes[0], value: 0 }, { axis: fast.axes[1], value: '6.4 GB/s' }], FILE)).toThrow();
    expect(() => full([[rows, 0]], FILE)).toThrow();
  });

  it('is not used for keys the base file leaves at their default or that are not parameters', () => {
    expect(fastArchVariants(base.root, FILE, [{ axis: axis('parameters.scale', [1]), i: 0 }])).toBeUndefined();
    expect(fastArchVariants(base.root, FILE, [{ axis: axis('compute.no_such_key', [1]), i: 0 }])).toBeUndefined();
  });
});
