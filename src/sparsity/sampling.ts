// Seeded sampling primitives for mask generation: uniform indices, words of independent
// Bernoulli bits, and exact-count uniform subsets written straight into bitset words.

import { lastWordMask, popcount32, wordsPerRow } from './mask.js';
import type { WordRng } from './word-rng.js';

/** Uniform integer in [0, n) for any n up to 2^53 (two draws above 2^32). */
export function randomIndex(rng: WordRng, n: number): number {
  if (n <= 4294967296) return Math.floor((rng.nextUint32() / 4294967296) * n);
  const hi = rng.nextUint32();
  const lo = rng.nextUint32();
  return Math.min(n - 1, Math.floor(((hi * 4294967296 + lo) / 18446744073709551616) * n));
}

/**
 * Quantises p to q / 2^precision for bernoulliWord (q = round(p * 2^precision)); `low` is the
 * lowest set bit of q (the walk starts there).
 */
export interface BernoulliPlan {
  q: number;
  low: number;
  precision: number;
}

export function bernoulliPlan(p: number, precision: number): BernoulliPlan {
  if (!(precision >= 1 && precision <= 30)) throw new RangeError(`precision must be in [1, 30], got ${precision}`);
  const q = Math.round(Math.min(1, Math.max(0, p)) * 2 ** precision);
  let low = 0;
  while (low < precision && ((q >>> low) & 1) === 0) low++;
  return { q, low, precision };
}

/**
 * 32 independent bits, each 1 with probability q / 2^precision. Built from the binary expansion of
 * q: starting from 0 and walking its bits from least to most significant, a 1 bit ORs in a fresh
 * random word and a 0 bit ANDs one in, so each step maps P(bit) to (1 + P)/2 or P/2. Costs one
 * random word per step (at most `precision`). Returns an int32 bit pattern.
 */
export function bernoulliWord(rng: WordRng, plan: BernoulliPlan): number {
  const q = plan.q;
  const precision = plan.precision;
  if (q === 0) return 0;
  if (plan.low >= precision) return -1; // q = 2^precision: probability 1
  let x = rng.nextInt32();
  for (let b = plan.low + 1; b < precision; b++) x = ((q >>> b) & 1) === 1 ? x | rng.nextInt32() : x & rng.nextInt32();
  return x;
}

/**
 * Writes exactly k ones, uniformly over all k-subsets, into a rows x cols region of a bitset whose
 * rows are `wordsPerRow(cols)` words apart starting at words[offset]. The region must be zero on
 * entry. Method: for k > n/2 the complement is sampled and inverted. Otherwise a proposal of
 * independent Bernoulli(p ~ k/n) elements is written sequentially (geometric gaps for p < 1/64,
 * word-parallel Bernoulli bits at 8-bit precision above), then the count is corrected by setting
 * uniformly random zeros or clearing uniformly random ones. I.i.d. elements conditioned on their
 * count form a uniform subset, and each correction step preserves uniformity, so the result is an
 * exact uniform k-subset.
 */
export function fillExactCount(rng: WordRng, words: Uint32Array, offset: number, rows: number, cols: number, k: number): void {
  const n = rows * cols;
  if (k <= 0 || n === 0) return;
  if (k >= n) {
    fillOnes(words, offset, rows, cols);
    return;
  }
  if (k > n / 2) {
    fillExactCount(rng, words, offset, rows, cols, n - k);
    invertRegion(words, offset, rows, cols);
    return;
  }
  const wpr = wordsPerRow(cols);
  const p = k / n;
  let count = 0;
  if (p < 1 / 64) {
    // Geometric gaps between successive ones: P(gap = g) = (1-p)^g p.
    const logq = Math.log1p(-p);
    let at = -1;
    for (;;) {
      const u = ((rng.nextUint32() >>> 11) * 4294967296 + rng.nextUint32() + 1) / 9007199254740992;
      at += 1 + Math.floor(Math.log(u) / logq);
      if (at >= n) break;
      const r = Math.floor(at / cols);
      const c = at - r * cols;
      words[offset + r * wpr + (c >>> 5)] |= 1 << (c & 31);
      count++;
    }
  } else {
    // Word-parallel Bernoulli bits: walk the binary expansion of q = round(p 2^8) from its lowest
    // set bit up; a 1 ORs in a random word, a 0 ANDs one in.
    const q = Math.round(p * 256);
    let low = 0;
    while (((q >>> low) & 1) === 0) low++;
    const last = lastWordMask(cols) | 0;
    for (let r = 0; r < rows; r++) {
      const base = offset + r * wpr;
      for (let i = 0; i < wpr; i++) {
        let x = rng.nextInt32();
        for (let b = low + 1; b < 8; b++) x = ((q >>> b) & 1) === 1 ? x | rng.nextInt32() : x & rng.nextInt32();
        if (i === wpr - 1) x &= last;
        words[base + i] = x;
        count += popcount32(x);
      }
    }
  }
  while (count !== k) {
    const at = randomIndex(rng, n);
    const r = Math.floor(at / cols);
    const c = at - r * cols;
    const w = offset + r * wpr + (c >>> 5);
    const bit = 1 << (c & 31);
    const isSet = (words[w] & bit) !== 0;
    if (count < k && !isSet) {
      words[w] |= bit;
      count++;
    } else if (count > k && isSet) {
      words[w] &= ~bit;
      count--;
    }
  }
}

function fillOnes(words: Uint32Array, offset: number, rows: number, cols: number): void {
  const wpr = wordsPerRow(cols);
  const last = lastWordMask(cols);
  for (let r = 0; r < rows; r++) {
    const base = offset + r * wpr;
    for (let i = 0; i < wpr; i++) words[base + i] = i === wpr - 1 ? last : 0xffffffff;
  }
}

function invertRegion(words: Uint32Array, offset: number, rows: number, cols: number): void {
  const wpr = wordsPerRow(cols);
  const last = lastWordMask(cols);
  for (let r = 0; r < rows; r++) {
    const base = offset + r * wpr;
    for (let i = 0; i < wpr; i++) words[base + i] = (~words[base + i] & (i === wpr - 1 ? last : 0xffffffff)) >>> 0;
  }
}

/** A uniform k-subset of [0, n) as a bitset (ceil(n/32) words). */
export function chooseSubset(rng: WordRng, n: number, k: number): Uint32Array {
  const bits = new Uint32Array(wordsPerRow(n));
  fillExactCount(rng, bits, 0, 1, n, k);
  return bits;
}

/** Indices of the set bits of a 1-row bitset, ascending. */
export function subsetIndices(bits: Uint32Array): Int32Array {
  let n = 0;
  for (let i = 0; i < bits.length; i++) n += popcount32(bits[i]);
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < bits.length; i++) {
    let x = bits[i];
    while (x !== 0) {
      const low = x & -x;
      out[k++] = i * 32 + (31 - Math.clz32(low));
      x = (x ^ low) >>> 0;
    }
  }
  return out;
}
