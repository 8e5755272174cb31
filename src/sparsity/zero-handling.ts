// What hardware does with zeros: the policies as data, and the MAC counting rule.
//
// Counting rule: a MAC a*b is *effectual* when both operands are nonzero. With operand densities
// dA and dB and positions independent, the expected effectual MACs of a GEMM with D dense MACs are
// D * dA * dB. Every MAC is either skipped (costs neither time nor MAC energy) or issued (occupies
// a MAC slot, i.e. time); an issued MAC is either gated (its datapath is clock/operand gated: no
// MAC energy) or computed. Counts are expectations and may be fractional.

import { didYouMean, inputError } from '../spec/errors.js';

export type ZeroPolicyId = 'dense' | 'gating' | 'skipping' | 'structured-2of4' | 'dual-side';

export interface ZeroPolicyInfo {
  id: ZeroPolicyId;
  description: string;
  /** Whether ineffectual MACs still take MAC slots (time). */
  savesTime: boolean;
  /** Whether ineffectual MACs are kept from spending MAC energy. */
  savesEnergy: boolean;
  requires?: string;
  example?: string;
}

export const ZERO_POLICIES: Readonly<Record<ZeroPolicyId, ZeroPolicyInfo>> = Object.freeze({
  dense: {
    id: 'dense',
    description: 'Compute on expanded (dense) data: every MAC is issued and computed, zeros included.',
    savesTime: false,
    savesEnergy: false,
    example: 'TPU v1 systolic array',
  },
  gating: {
    id: 'gating',
    description:
      'Zero gating: a MAC whose (watched) operand is zero is still issued in its slot, so time is unchanged, but ' +
      'the multiplier is gated and spends no MAC energy.',
    savesTime: false,
    savesEnergy: true,
    example: 'Eyeriss (gates on zero input activations)',
  },
  skipping: {
    id: 'skipping',
    description:
      'Zero skipping: MACs with a zero (watched) operand are never issued: no time, no energy. Finding the ' +
      'nonzeros (index intersection, metadata decode) costs `costPerSkippedGroup` operations per `groupSize` ' +
      'skipped MACs.',
    savesTime: true,
    savesEnergy: true,
    example: 'Cnvlutin, EIE, SCNN',
  },
  'structured-2of4': {
    id: 'structured-2of4',
    description:
      'Structured 2:4 sparse tensor cores: operand A is stored N:M compressed and the MMA runs at 2x the dense ' +
      'rate, so half of the dense MACs are issued (stricter patterns such as 1:4 are padded to 2:4 and get no ' +
      'extra speedup). Zeros among the issued MACs are computed.',
    savesTime: true,
    savesEnergy: true,
    requires: 'operand A N:M with N/M <= 1/2',
    example: 'NVIDIA Ampere/Hopper sparse tensor cores',
  },
  'dual-side': {
    id: 'dual-side',
    description:
      'Dual-side sparsity: both operands bitmap-encoded and multiplied as outer products of nonzeros only, so ' +
      'exactly the effectual MACs are issued (D * dA * dB in expectation); bitmap intersection costs ' +
      '`costPerSkippedGroup` per `groupSize` skipped MACs.',
    savesTime: true,
    savesEnergy: true,
    example: 'Dual-side Sparse Tensor Core (Wang et al., ISCA 2021)',
  },
});

export interface ZeroPolicyOptions {
  /** gating/skipping: whose zeros are detected: 'A', 'B' or 'both' (default). */
  operand?: 'A' | 'B' | 'both';
  /** skipping/dual-side: skipped MACs per metadata/intersection group (default 1). */
  groupSize?: number;
  /** skipping/dual-side: overhead operations per skipped group (default 0). */
  costPerSkippedGroup?: number;
  /** structured-2of4: operand A's N:M pattern (default 2:4). */
  n?: number;
  m?: number;
}

export type ZeroPolicy = ZeroPolicyId | ({ policy: ZeroPolicyId } & ZeroPolicyOptions);

export interface MacCounts {
  denseMacs: number;
  /** MACs occupying a MAC slot (time). issued + skipped = dense. */
  issuedMacs: number;
  /** MACs with both operands nonzero (expected: dense * dA * dB). */
  effectualMacs: number;
  /** Issued MACs that spend no MAC energy. */
  gatedMacs: number;
  /** MACs never issued. */
  skippedMacs: number;
  /** Issued MACs that spend energy: issued - gated. */
  computedMacs: number;
  /** Metadata / intersection operations for skipping (skipped / groupSize * costPerSkippedGroup). */
  overheadOps: number;
}

/**
 * Expected MAC counts of a GEMM with `denseMacs` dense MACs whose operands have densities
 * `densityA` and `densityB` (independent positions), under a zero-handling policy.
 */
export function effectualMacs(denseMacs: number, densityA: number, densityB: number, policy: ZeroPolicy): MacCounts {
  if (!(denseMacs >= 0)) throw new RangeError(`denseMacs must be >= 0, got ${denseMacs}`);
  for (const [name, d] of [['densityA', densityA], ['densityB', densityB]] as const) {
    if (!(d >= 0 && d <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${d}`);
  }
  const options: ZeroPolicyOptions & { policy: string } = typeof policy === 'string' ? { policy } : policy;
  const id = options.policy;
  if (!(id in ZERO_POLICIES)) {
    throw inputError({
      file: '<zero-policy>',
      keyPath: 'policy',
      message: `unknown zero-handling policy '${id}'`,
      expected: `one of ${Object.keys(ZERO_POLICIES).join(', ')}`,
      hint: didYouMean(id, Object.keys(ZERO_POLICIES)),
    });
  }
  const dense = denseMacs;
  const effectual = dense * densityA * densityB;
  const operand = options.operand ?? 'both';
  const watchedZeroFraction = operand === 'A' ? 1 - densityA : operand === 'B' ? 1 - densityB : 1 - densityA * densityB;
  const groupSize = options.groupSize ?? 1;
  const cost = options.costPerSkippedGroup ?? 0;
  const result = (issued: number, gated: number, overheadOps = 0): MacCounts => ({
    denseMacs: dense,
    issuedMacs: issued,
    effectualMacs: effectual,
    gatedMacs: gated,
    skippedMacs: dense - issued,
    computedMacs: issued - gated,
    overheadOps,
  });
  switch (id as ZeroPolicyId) {
    case 'dense':
      return result(dense, 0);
    case 'gating':
      return result(dense, dense * watchedZeroFraction);
    case 'skipping': {
      const skipped = dense * watchedZeroFraction;
      return result(dense - skipped, 0, (skipped / groupSize) * cost);
    }
    case 'dual-side': {
      const skipped = dense - effectual;
      return result(effectual, 0, (skipped / groupSize) * cost);
    }
    case 'structured-2of4': {
      const n = options.n ?? 2;
      const m = options.m ?? 4;
      if (!(n >= 0 && m >= 1 && n / m <= 0.5)) {
        throw inputError({
          file: '<zero-policy>',
          keyPath: 'policy',
          message: `structured-2of4 needs operand A to be N:M with N/M <= 1/2, got ${n}:${m}`,
          expected: 'N:M with N/M <= 1/2 (e.g. 2:4, 1:4)',
        });
      }
      if (densityA > n / m + 1e-12) {
        throw inputError({
          file: '<zero-policy>',
          keyPath: 'policy',
          message: `structured-2of4: operand A density ${densityA} exceeds its ${n}:${m} pattern (${n / m})`,
          expected: `densityA <= ${n / m}`,
        });
      }
      return result(dense / 2, 0);
    }
  }
}
