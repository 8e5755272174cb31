import { describe, it, expect } from 'vitest';
import { ZERO_POLICIES, effectualMacs } from '../../src/sparsity/index.js';
import { InputError } from '../../src/spec/errors.js';

// 1e6 dense MACs with densities 0.5 (A) and 0.4 (B): expected effectual = 1e6 * 0.5 * 0.4 = 2e5.
const D = 1_000_000;

describe('zero-handling policies', () => {
  it('are documented as data', () => {
    expect(Object.keys(ZERO_POLICIES)).toEqual(['dense', 'gating', 'skipping', 'structured-2of4', 'dual-side']);
    for (const p of Object.values(ZERO_POLICIES)) expect(p.description.length).toBeGreaterThan(20);
    expect(ZERO_POLICIES.gating).toMatchObject({ savesTime: false, savesEnergy: true });
    expect(ZERO_POLICIES.skipping).toMatchObject({ savesTime: true, savesEnergy: true });
  });

  it('dense computes everything', () => {
    expect(effectualMacs(D, 0.5, 0.4, 'dense')).toMatchObject({ issuedMacs: D, effectualMacs: 2e5, gatedMacs: 0, skippedMacs: 0, computedMacs: D });
  });

  it('gating keeps the time, drops the energy of ineffectual MACs', () => {
    expect(effectualMacs(D, 0.5, 0.4, 'gating')).toMatchObject({ issuedMacs: D, gatedMacs: 8e5, skippedMacs: 0, computedMacs: 2e5 });
    // gating on zero activations (operand B) only: 60% gated
    expect(effectualMacs(D, 0.5, 0.4, { policy: 'gating', operand: 'B' }).gatedMacs).toBeCloseTo(6e5, 6);
  });

  it('skipping drops time and energy, with a per-group intersection cost', () => {
    const both = effectualMacs(D, 0.5, 0.4, { policy: 'skipping', groupSize: 8, costPerSkippedGroup: 2 });
    expect(both).toMatchObject({ issuedMacs: 2e5, skippedMacs: 8e5, gatedMacs: 0 });
    expect(both.overheadOps).toBeCloseTo((8e5 / 8) * 2, 6);
    // one-sided (weights only): issue D * dA, of which D * dA * dB are effectual
    const a = effectualMacs(D, 0.5, 0.4, { policy: 'skipping', operand: 'A' });
    expect(a.issuedMacs).toBeCloseTo(5e5, 6);
    expect(a.effectualMacs).toBeCloseTo(2e5, 6);
  });

  it('structured 2:4 halves the issued MACs and needs N/M <= 1/2', () => {
    expect(effectualMacs(D, 0.5, 0.4, 'structured-2of4')).toMatchObject({ issuedMacs: 5e5, skippedMacs: 5e5, effectualMacs: 2e5 });
    expect(effectualMacs(D, 0.25, 1, { policy: 'structured-2of4', n: 1, m: 4 }).issuedMacs).toBe(5e5); // 1:4 padded to 2:4
    expect(() => effectualMacs(D, 0.75, 1, { policy: 'structured-2of4', n: 3, m: 4 })).toThrow(InputError);
    expect(() => effectualMacs(D, 0.6, 1, 'structured-2of4')).toThrow(/exceeds/);
  });

  it('dual-side issues exactly the effectual MACs: D * dA * dB', () => {
    const r = effectualMacs(D, 0.5, 0.4, 'dual-side');
    expect(r).toMatchObject({ issuedMacs: 2e5, effectualMacs: 2e5, skippedMacs: 8e5 });
  });

  it('invariants hold for every policy', () => {
    for (const policy of Object.keys(ZERO_POLICIES)) {
      const r = effectualMacs(D, 0.3, 0.7, policy as keyof typeof ZERO_POLICIES);
      expect(r.issuedMacs + r.skippedMacs).toBeCloseTo(D, 6);
      expect(r.gatedMacs).toBeLessThanOrEqual(r.issuedMacs);
      expect(r.effectualMacs).toBeLessThanOrEqual(r.issuedMacs - r.gatedMacs + 1e-6);
      expect(r.effectualMacs).toBeCloseTo(D * 0.3 * 0.7, 6);
    }
  });

  it('unknown policy gets a did-you-mean', () => {
    try {
      effectualMacs(D, 1, 1, 'gatting' as never);
      throw new Error('expected an InputError');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).issues[0].hint).toBe("did you mean 'gating'?");
    }
  });
});
