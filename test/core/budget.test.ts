// The work budget refuses, before simulating, what would take minutes or gigabytes, with an error
// at the operator naming the quantity and the limit; every result number is finite.
import { describe, it, expect } from 'vitest';
import { simulate } from '../../src/core/simulate.js';
import { DEFAULT_BUDGET, parseBudgetFlag } from '../../src/core/budget.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { InputError } from '../../src/spec/errors.js';
import { firstNonFinite } from '../../src/core/result-check.js';
import { loadArch } from '../helpers.js';

const gemm = (m: number, n: number, k: number) => loadWorkloadText(`name: big\noperators:\n  - { name: g, kind: gemm, m: ${m}, n: ${n}, k: ${k} }\n`, 'big.yaml');

function refusal(run: () => unknown): { message: string; line?: number; keyPath: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const issue = (error as InputError).issues[0];
    return { message: issue.message, line: issue.position?.line, keyPath: issue.keyPath };
  }
  throw new Error('expected the budget to refuse');
}

describe('work budget', () => {
  it('the spatial family maps gemm 1e12³ in closed form: it runs, with finite numbers', () => {
    // Its mapper evaluates loop-nest counts, O(levels) per candidate whatever the shape.
    const result = simulate(loadArch('eyeriss-like.yaml'), gemm(1e12, 1e12, 1e12));
    expect(result.total.cycles).toBeGreaterThan(1e30);
    expect(firstNonFinite(result)).toBeUndefined();
  });

  it.each(['tpu-v1.yaml', 'edge-128.yaml', 'a100.yaml', 'u280-flightllm.yaml'])('refuses gemm 1e12³ on %s at once, naming the quantity and the limit', (arch) => {
    const spec = loadArch(arch);
    const workload = gemm(1e12, 1e12, 1e12);
    const started = performance.now();
    const error = refusal(() => simulate(spec, workload));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ keyPath: 'operators[0]', line: 3 });
    expect(error.message).toMatch(/would need .* work units for .*(tile runs|folds).*above the work budget of 1\.00e\+10 units/);
  });

  it('a raised --max-work lets a refused operator run, a lowered one refuses a small one', () => {
    const arch = loadArch('tpu-v1.yaml');
    const mid = gemm(1e6, 1e6, 1e6);
    expect(() => simulate(arch, mid)).toThrow(/work budget/);
    expect(simulate(arch, mid, { engine: 'analytical' }).total.cycles).toBeGreaterThan(0);
    expect(() => simulate(arch, gemm(4096, 4096, 4096), { budget: { ...DEFAULT_BUDGET, maxWork: 1e4 } })).toThrow(/above the work budget of 10000 units/);
  });

  it('refuses a concrete mask too large for memory, by the memory budget', () => {
    const workload = loadWorkloadText(
      'name: m\noperators:\n  - name: g\n    kind: gemm\n    m: 8\n    n: 1000000\n    k: 1000000\n    sparsity: { weight: { pattern: { kind: unstructured, density: 0.5 }, format: csr } }\n',
      'm.yaml',
    );
    const error = refusal(() => simulate(loadArch('a100.yaml'), workload, { sparsityMode: 'concrete', budget: { maxWork: 1e30, maxMemoryBytes: 2 ** 30 } }));
    expect(error.message).toMatch(/would allocate .* B for .*mask bits.*memory budget/);
  });

  it('the budget is not part of the result', () => {
    const result = simulate(loadArch('tpu-v1.yaml'), gemm(64, 64, 64), { budget: DEFAULT_BUDGET });
    expect(result.options).not.toHaveProperty('budget');
  });

  it('parses the flags', () => {
    expect(parseBudgetFlag('4GiB', '--max-memory')).toBe(4 * 2 ** 30);
    expect(parseBudgetFlag('1e12', '--max-work')).toBe(1e12);
    expect(() => parseBudgetFlag('-1', '--max-work')).toThrow(InputError);
    expect(() => parseBudgetFlag('4GiB', '--max-work')).toThrow(InputError);
  });
});

describe('finite results', () => {
  it('finds the first non-finite number by path', () => {
    expect(firstNonFinite({ operators: [{ energy: { totalJ: 1 } }, { energy: { totalJ: NaN } }] })).toEqual({ path: 'operators[1].energy.totalJ', value: NaN });
    expect(firstNonFinite({ a: [1, 2, { b: 3 }] })).toBeUndefined();
  });

  it('softmax over 2^50 elements stays finite (the old 1e308 gave totalJ NaN)', () => {
    const workload = loadWorkloadText('name: s\noperators:\n  - { name: s, kind: elementwise, function: softmax, elements: 1125899906842624 }\n', 's.yaml');
    const result = simulate(loadArch('a100.yaml'), workload);
    expect(firstNonFinite(result)).toBeUndefined();
  });
});
