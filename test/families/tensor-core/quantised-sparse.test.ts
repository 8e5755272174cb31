import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { withWeightSparsity, weightSparsityFor } from '../../../src/core/compare.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { loadArch, loadWorkload } from '../../helpers.js';

const a100 = loadArch('a100.yaml');

describe('tensor-core W4A16 and INT4 + 2:4 (Marlin / Sparse-Marlin)', () => {
  it('LLaMA-3-8B decode: INT4 + 2:4 over INT4 dense lands within ±20 % of the measured 1.25× (hardware.md §1.3)', () => {
    const workload = loadWorkload('llama3-8b-decode-w4a16.yaml');
    const int4 = simulate(a100, workload);
    const sparse = simulate(a100, withWeightSparsity(workload, weightSparsityFor('2:4', 0.5, 4)));
    const speedup = int4.total.seconds / sparse.total.seconds;
    expect(speedup).toBeGreaterThan(1.25 * 0.8);
    expect(speedup).toBeLessThan(1.25 * 1.2);
    // By mechanism: the saving is HBM weight bytes (4.125 → 3.125 bits per weight), not the MMA.
    const down = (r: typeof int4) => r.operators.find((o) => o.name === 'down')!;
    const k = 14336, n = 4096, layers = 32;
    expect(down(int4).memory.hbm.perTensor!.weight.readBytes).toBe(layers * (n * k / 2 + n * (k / 128) * 2));
    expect(down(sparse).memory.hbm.perTensor!.weight.readBytes).toBe(layers * ((n * k * 3) / 8 + n * (k / 128) * 2));
    expect(down(int4).notes.some((x) => x.includes('W4A16') && x.includes('Marlin-like'))).toBe(true);
    expect(down(sparse).notes.some((x) => x.includes('Sparse-Marlin-like'))).toBe(true);
  });

  it('the weight datatype sets the bytes, the MAC datatype the rate and the MAC energy', () => {
    const gemm = (extra: string) => loadWorkloadText(`name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: 1, n: 4096, k: 4096${extra} }\n`, 'g.yaml');
    const fp16 = simulate(a100, gemm('')).operators[0];
    const w4 = simulate(a100, gemm(', weight_dtype: int4')).operators[0];
    expect(w4.memory.hbm.perTensor!.weight.readBytes).toBe(fp16.memory.hbm.perTensor!.weight.readBytes / 4);
    expect(w4.seconds).toBeLessThan(0.6 * fp16.seconds); // HBM-bound, less the fixed launch cost
    const mac = (r: typeof fp16) => r.energy.actions.find((a) => a.action.startsWith('mac.'))!;
    expect(mac(w4).action).toBe('mac.fp16');
    expect(mac(w4).energyPerActionJ).toBe(mac(fp16).energyPerActionJ);
  });

  it("a format's valueBits is honoured when it matches, rejected at its position when it contradicts the datatype", () => {
    const text = (bits: number, wdt = '') => `name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: 1, n: 64, k: 64${wdt}, sparsity: { weight: { pattern: { kind: uniform, density: 0.5 }, format: csr, format_params: { valueBits: ${bits} } } } }\n`;
    expect(() => loadWorkloadText(text(8), 'v.yaml')).toThrow(/v\.yaml:4:\d+: error: operators\[0\]\.sparsity\.weight\.format_params\.valueBits: valueBits 8 contradicts the weight datatype fp16 \(16 bits\)/);
    const w = simulate(a100, loadWorkloadText(text(4, ', weight_dtype: int4'), 'v.yaml')).operators[0];
    expect(w.stats.weightBytes).toBeLessThan(64 * 64 * 0.5 * 2);
  });
});

describe('tensor-core GQSA (group sparsity + group quantisation)', () => {
  it('stores kept 1×16 groups as INT4 with one FP16 scale and an index each, in fewer HBM bytes than INT4 + 2:4, on the declared block-sparse kernel', () => {
    const workload = loadWorkload('llama3-8b-decode-w4a16.yaml');
    const run = (format: string) => simulate(a100, withWeightSparsity(workload, weightSparsityFor(format, 0.5, 4))).operators.find((o) => o.name === 'down')!;
    const down = run('gqsa');
    expect(down.notes[0]).toContain('kernel block-sparse');
    // 4096 rows × 896 groups, half kept: 64 value bits + 16 scale bits + 10 index bits per kept group,
    // plus 4097 row pointers of 22 bits; the operator-level 128-group scales are replaced, not added.
    const bits = 4096 * 448 * (64 + 16 + 10) + 4097 * 22;
    expect(down.stats.weightBytes).toBe(Math.ceil(bits / 8));
    expect(down.stats.weightBytes).toBeLessThan(run('2:4').stats.weightBytes);
  });
});
