import { describe, expect, it } from 'vitest';
import { compare } from '../../src/core/compare.js';
import { fractionListFlag } from '../../src/cli/main.js';
import { loadArch, loadWorkload } from '../helpers.js';

const workload = loadWorkload('opt-30b-decode.yaml');

describe('compare: what each target does with a format', () => {
  const rows = compare({
    archs: [loadArch('tpu-v1.yaml'), loadArch('edge-128.yaml'), loadArch('u280-flightllm.yaml')],
    workload,
    formats: ['dense', 'csr', 'bitmap', '2:4'],
    density: 0.2,
    blockSize: 4,
    options: {},
    breakEven: true,
  });

  it('stock systolic presets say in the row why compressed formats change nothing', () => {
    for (const row of rows.filter((r) => !r.arch.includes('U280') && r.format !== 'dense')) {
      expect(row.speedup, `${row.arch} ${row.format}`).toBe(1);
      expect(row.effect).toMatch(/^no effect: dense traffic: no compressed operands on this target/);
      expect(row.effect).toContain('no mechanism for zero MACs');
      if (row.format !== '2:4') expect(row.breakEvenDensity).toBe('no-effect');
    }
  });

  it('u280-flightllm shows a real speedup and names what changed', () => {
    const bitmap = rows.find((r) => r.arch.includes('U280') && r.format === 'bitmap')!;
    expect(bitmap.speedup).toBeGreaterThan(1);
    expect(bitmap.effect).toMatch(/faster; hbm bytes ×0\.\d+/);
    expect(typeof bitmap.breakEvenDensity).toBe('number');
  });

  it('an N:M format runs at its own density and the row says what was asked', () => {
    const twoFour = rows.find((r) => r.format === '2:4')!;
    expect(twoFour.density).toBe(0.5);
    expect(twoFour.requestedDensity).toBe(0.2);
    expect(twoFour.pattern).toContain('fixed density 0.5');
    expect(rows.find((r) => r.format === 'csr')!.pattern).toBe('unstructured at density 0.2');
  });
});

describe('compare: density curves', () => {
  it('evaluates every density-following format at every density, N:M formats once', () => {
    const densities = fractionListFlag('0.5..0.95:0.05', '--sparsity').map((s) => Number((1 - s).toFixed(6)));
    expect(densities).toHaveLength(10);
    const rows = compare({ archs: [loadArch('a100.yaml')], workload, formats: ['dense', 'bitmap', '2:4'], density: densities[0], densities, blockSize: 4, options: {}, breakEven: false });
    const bitmap = rows.filter((r) => r.format === 'bitmap');
    expect(bitmap.map((r) => r.density)).toEqual(densities.map((d) => Number(d.toFixed(4))));
    expect(rows.filter((r) => r.format === '2:4')).toHaveLength(1);
    expect(rows.filter((r) => r.format === 'dense')).toHaveLength(1);
    // Bitmap time falls with density on the A100 (Flash-LLM-style decode is HBM-bound).
    for (let i = 1; i < bitmap.length; i++) expect(bitmap[i].seconds).toBeLessThan(bitmap[i - 1].seconds);
  });

  it('parses lists and ranges, and rejects a decreasing range with the flag named', () => {
    expect(fractionListFlag('0.1,0.3', '--density')).toEqual([0.1, 0.3]);
    expect(fractionListFlag('0.2..0.4:0.1', '--density')).toEqual([0.2, 0.3, 0.4]);
    expect(() => fractionListFlag('0.9..0.5:0.1', '--sparsity')).toThrow(/--sparsity.*not an increasing range/);
  });
});

describe('compare progress', () => {
  it('reports every (target, format, density) run once, in order, with the total known up front', () => {
    const calls: Array<[number, number, string]> = [];
    const densities = [0.1, 0.3];
    const rows = compare({ archs: [loadArch('a100.yaml')], workload, formats: ['dense', 'bitmap', '2:4'], density: 0.1, densities, blockSize: 4, options: {}, breakEven: false, onRun: (done, total, label) => calls.push([done, total, label]) });
    // dense and 2:4 run once each, bitmap at both densities.
    expect(rows.length).toBe(4);
    expect(calls.map((c) => c[0])).toEqual([1, 2, 3, 4]);
    expect(new Set(calls.map((c) => c[1]))).toEqual(new Set([4]));
    expect(calls[1][2]).toMatch(/bitmap at density 0\.1/);
  });
});
