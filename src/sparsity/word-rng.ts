// A fast random word stream for bulk mask generation, forked from the seeded core Rng.
//
// Mask generators draw tens of millions of random words; the core Rng keeps its state as
// unsigned doubles (~25-40 ns per draw), which would dominate generation time. WordRng runs the
// same xoshiro128** recurrence on int32 state (~2-3 ns per draw) and is keyed by four draws from
// the caller's `new Rng(seed)`, so every mask is still a pure function of the seed.

import type { Rng } from '../core/random.js';

/** Anything that yields uniform 32-bit unsigned integers. */
export interface RandomSource {
  nextUint32(): number;
}

export class WordRng implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(parent: Rng) {
    this.s0 = parent.nextUint32() | 0;
    this.s1 = parent.nextUint32() | 0;
    this.s2 = parent.nextUint32() | 0;
    this.s3 = parent.nextUint32() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform 32 random bits as a signed int32 (cheapest form for bitwise use). */
  nextInt32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return (this.nextInt32() >>> 0) / 4294967296;
  }
}
