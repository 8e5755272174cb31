// Sparsity patterns: seeded, deterministic generators of concrete masks for an operand of shape
// rows x cols, each with statistical moments that do not need the mask.
//
// Every pattern is a factory: given a shape and parameters it builds a PatternModel that can
// (a) generate a Mask from a seed (all randomness from `new Rng(seed)`; bulk words come from a
// WordRng keyed by it, see word-rng.ts), (b) report whole-operand statistics, (c) give the mean
// and variance of the nonzero count of any rectangle and the probability that the rectangle is
// empty (used by the statistical modes of operand statistics and storage formats), (d) optionally
// the expected RLE overflow zeros, and (e) declare its translation invariance so statistical loops
// over tiles evaluate each class of tile once.
//
// Counts are exact where the pattern fixes them: 'uniform' and 'relu' place exactly
// round(d * rows * cols) nonzeros (not Bernoulli per element), 'row'/'column'/'channel'/'block'
// keep exactly round(d * units) units, N:M keeps exactly N per group. Only 'chunk-union' is
// Bernoulli per element (its Markov token model needs it).
//
// "Per-row nnz mean and variance" always means the moments of the count of a uniformly chosen
// row of a freshly generated mask (randomness over both the row and the seed), so heterogeneity
// between rows and randomness within a row both count.

import { Rng } from '../core/random.js';
import type { CsrMatrix } from '../matrix/csr.js';
import { parseMatrixMarket } from '../matrix/mtx.js';
import { didYouMean, InputError, inputError } from '../spec/errors.js';
import {
  countRowRange,
  createMask,
  fullMask,
  maskFromCsr,
  maskNnz,
  rowNnz,
  setRowRange,
  wordsPerRow,
  lastWordMask,
  type Mask,
} from './mask.js';
import { hypergeometricVariance, probNoneChosen } from './math.js';
import { joinKey, num, resolveParams, str, type ResolvedParams, type SparsityParamDecl } from './params.js';
import { zeroRunOverflow, type ScanOrder } from './runs.js';
import { WordRng } from './word-rng.js';
import { bernoulliPlan, bernoulliWord, chooseSubset, fillExactCount, randomIndex, subsetIndices } from './sampling.js';

export interface Shape {
  rows: number;
  cols: number;
}

/** A pattern as written in a spec: `{ kind: 'uniform', density: 0.3 }`. */
export interface PatternSpec {
  kind: string;
  [param: string]: unknown;
}

export interface Moments {
  mean: number;
  variance: number;
}

export interface PatternStats {
  /** Canonical pattern id. */
  kind: string;
  /** Every parameter with defaults applied. */
  params: ResolvedParams;
  shape: Shape;
  /** Expected nonzeros / (rows * cols). */
  density: number;
  expectedNnz: number;
  /** Moments of a uniformly chosen row's nonzero count (over rows and seeds). */
  rowNnz: Moments;
  /** True when every seed gives exactly `expectedNnz` nonzeros. */
  exact: boolean;
  /** True when `rowNnz` is exact (false: an approximation, see note). */
  rowMomentsExact: boolean;
  /** True when the mask does not depend on the seed. */
  deterministic: boolean;
  /** How per-row counts are distributed. */
  distribution: string;
  note: string;
}

/** A pattern bound to a shape and parameters. */
export interface PatternModel {
  readonly kind: string;
  readonly params: ResolvedParams;
  readonly shape: Shape;
  /** The canonical spec `{ kind, ...params }`. */
  readonly spec: PatternSpec;
  stats(): PatternStats;
  generate(seed: number): Mask;
  /** Mean and variance of the nonzero count in rows [r0, r1) x cols [c0, c1). */
  regionMoments(r0: number, r1: number, c0: number, c1: number): Moments;
  /** Probability that rows [r0, r1) x cols [c0, c1) holds no nonzero. */
  regionEmptyProb(r0: number, r1: number, c0: number, c1: number): number;
  /** Expected RLE overflow zeros for r-bit runs when known in closed form, else undefined. */
  rleOverflow(runBits: number, order: ScanOrder): number | undefined;
  /** True when regionMoments/regionEmptyProb are exact (not approximations). */
  readonly regionExact: boolean;
  /**
   * Keys of a row range and a column range such that regions whose row keys and column keys are
   * equal have identically distributed nonzero counts (translation invariance of the pattern);
   * undefined when no such key is known. Lets the statistical loops over tiles and blocks
   * evaluate each class of region once.
   */
  rowClass(r0: number, r1: number): string | undefined;
  colClass(c0: number, c1: number): string | undefined;
}

/**
 * Translation invariance of a pattern: the distribution of any region inside
 * [rowLo, rowHi) x [colLo, colHi) is unchanged by shifts of multiples of the periods that keep it
 * inside.
 */
export interface Invariance {
  rowPeriod: number;
  colPeriod: number;
  rowLo: number;
  rowHi: number;
  colLo: number;
  colHi: number;
}

function axisKey(period: number, lo: number, hi: number, a: number, b: number): string {
  return a >= lo && b <= hi ? `${(a - lo) % period}+${b - a}` : `@${a}+${b - a}`;
}

export interface PatternDef {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly params: readonly SparsityParamDecl[];
  generate(shape: Shape, params: Readonly<Record<string, unknown>>, seed: number): Mask;
  stats(shape: Shape, params: Readonly<Record<string, unknown>>): PatternStats;
  model(shape: Shape, params: Readonly<Record<string, unknown>>): PatternModel;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

interface BuildContext {
  file: string;
  keyPath: string;
}

interface ModelCore {
  stats: Omit<PatternStats, 'kind' | 'params' | 'shape'>;
  generate(rng: WordRng): Mask;
  regionMoments(r0: number, r1: number, c0: number, c1: number): Moments;
  regionEmptyProb(r0: number, r1: number, c0: number, c1: number): number;
  rleOverflow?(runBits: number, order: ScanOrder): number | undefined;
  regionExact: boolean;
  invariance?: Invariance;
}

interface PatternImpl {
  id: string;
  aliases: string[];
  description: string;
  params: SparsityParamDecl[];
  /** Cross-parameter checks that do not depend on the shape. */
  check?(p: ResolvedParams, ctx: BuildContext): void;
  build(shape: Shape, p: ResolvedParams, ctx: BuildContext): ModelCore;
}

/** Overlap lengths of [start, end) with consecutive blocks of `size` tiling [0, total). */
function axisOverlap(start: number, end: number, size: number, total: number): { count: number; sumSq: number } {
  if (end <= start) return { count: 0, sumSq: 0 };
  const j0 = Math.floor(start / size);
  const j1 = Math.floor((end - 1) / size);
  if (j0 === j1) return { count: 1, sumSq: (end - start) ** 2 };
  const first = (j0 + 1) * size - start;
  const last = Math.min(end, total) - j1 * size;
  const middle = j1 - j0 - 1;
  return { count: j1 - j0 + 1, sumSq: first * first + last * last + middle * size * size };
}

/** Moments of a mixture of row classes weighted by their row counts. */
function mixRows(classes: { weight: number; mean: number; variance: number }[]): Moments {
  let w = 0;
  let m1 = 0;
  let m2 = 0;
  for (const c of classes) {
    if (c.weight <= 0) continue;
    w += c.weight;
    m1 += c.weight * c.mean;
    m2 += c.weight * (c.variance + c.mean * c.mean);
  }
  if (w === 0) return { mean: 0, variance: 0 };
  const mean = m1 / w;
  return { mean, variance: Math.max(0, m2 / w - mean * mean) };
}

/** Variance of sum_j w_j I_j when k of n exchangeable indicators are set (sampling w/o replacement). */
function weightedHyperVariance(n: number, k: number, sum: number, sumSq: number): number {
  if (n <= 1 || k <= 0 || k >= n) return 0;
  const q = k / n;
  return Math.max(0, q * (1 - q) * (sumSq - (sum * sum - sumSq) / (n - 1)));
}

function paramError(ctx: BuildContext, key: string, message: string, expected?: string): InputError {
  return inputError({ file: ctx.file, keyPath: joinKey(ctx.keyPath, key), message, expected });
}

/** Expected overflow zeros for an exact-count uniform k-subset of n positions scanned as a line. */
function uniformRleOverflow(n: number, k: number, runBits: number): number {
  if (k <= 0 || k >= n) return 0;
  const span = 2 ** runBits;
  // E = k * sum_{t>=1} P(gap >= t*span), P(gap >= j) = C(n-j, k) / C(n, k) (gaps are exchangeable).
  const d = k / n;
  const expectedTerms = Math.min(n / span, 40 / Math.max(1e-300, -Math.log1p(-d) * span) + 1);
  if (expectedTerms * span > 2e6) {
    // Geometric limit (n >> span): sum_t (1-d)^(t*span) = q / (1 - q).
    const q = Math.exp(span * Math.log1p(-d));
    return (k * q) / (1 - q);
  }
  let sum = 0;
  let ratio = 1; // C(n-j, k) / C(n, k) for the current j
  for (let j = 0; j + span <= n - k; ) {
    for (let i = 0; i < span; i++, j++) ratio *= (n - k - j) / (n - j);
    sum += ratio;
    if (ratio < 1e-17 * Math.max(sum, 1e-300)) break;
  }
  return k * sum;
}

// ---------------------------------------------------------------------------------------------
// Combination tables for N:M groups

interface ComboTable {
  patterns: Uint32Array;
  /** ceil(log2(patterns.length)): random bits per draw. */
  bits: number;
}

const comboCache: (ComboTable | undefined)[] = [];

/** All `len`-bit patterns with exactly `keep` ones (len <= 16), ascending. */
function comboTable(len: number, keep: number): ComboTable {
  const key = len * 17 + keep;
  let table = comboCache[key];
  if (!table) {
    const list: number[] = [];
    for (let x = 0; x < 1 << len; x++) {
      let bits = 0;
      for (let y = x; y; y &= y - 1) bits++;
      if (bits === keep) list.push(x);
    }
    let bits = 0;
    while (1 << bits < list.length) bits++;
    table = { patterns: Uint32Array.from(list), bits };
    comboCache[key] = table;
  }
  return table;
}

/**
 * Uniform choices of `keep` of `len` group positions. For len <= 16 a pattern is drawn from the
 * table of all C(len, keep) bit patterns, its index taken from a pool of random bits with
 * rejection (exactly uniform, ~1 random word per 4-10 groups); longer groups use a partial
 * Fisher-Yates shuffle.
 */
class GroupChooser {
  private pool = 0;
  private poolBits = 0;
  private readonly scratch: Int32Array;

  constructor(
    private readonly rng: WordRng,
    maxLen: number,
  ) {
    this.scratch = new Int32Array(maxLen);
  }

  /** Bit pattern (len <= 16) with exactly `keep` ones, uniform. */
  pattern(len: number, keep: number): number {
    if (keep <= 0) return 0;
    if (keep >= len) return (1 << len) - 1;
    const { patterns, bits } = comboTable(len, keep);
    const mask = (1 << bits) - 1;
    for (;;) {
      if (this.poolBits < bits) {
        this.pool = this.rng.nextInt32();
        this.poolBits = 32;
      }
      const v = this.pool & mask;
      this.pool >>>= bits;
      this.poolBits -= bits;
      if (v < patterns.length) return patterns[v];
    }
  }

  /** Calls fn(offset) for each of `keep` uniformly chosen offsets in [0, len). */
  choose(len: number, keep: number, fn: (offset: number) => void): void {
    if (len <= 16) {
      for (let x = this.pattern(len, keep); x !== 0; x &= x - 1) fn(31 - Math.clz32(x & -x));
      return;
    }
    const s = this.scratch;
    for (let j = 0; j < len; j++) s[j] = j;
    for (let j = 0; j < Math.min(keep, len); j++) {
      const pick = j + randomIndex(this.rng, len - j);
      const t = s[j];
      s[j] = s[pick];
      s[pick] = t;
      fn(s[j]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Patterns

const densityParam = (description: string, fallback = 0.5): SparsityParamDecl => ({
  name: 'density',
  type: 'number',
  default: fallback,
  min: 0,
  max: 1,
  description,
});

const dense: PatternImpl = {
  id: 'dense',
  aliases: ['none'],
  description: 'Every element nonzero.',
  params: [],
  build(shape) {
    const { rows, cols } = shape;
    return {
      stats: {
        density: 1,
        expectedNnz: rows * cols,
        rowNnz: { mean: cols, variance: 0 },
        exact: true,
        rowMomentsExact: true,
        deterministic: true,
        distribution: `every row has exactly ${cols} nonzeros`,
        note: 'exact',
      },
      generate: () => fullMask(rows, cols),
      regionMoments: (r0, r1, c0, c1) => ({ mean: (r1 - r0) * (c1 - c0), variance: 0 }),
      regionEmptyProb: (r0, r1, c0, c1) => (r1 > r0 && c1 > c0 ? 0 : 1),
      rleOverflow: () => 0,
      regionExact: true,
      invariance: { rowPeriod: 1, colPeriod: 1, rowLo: 0, rowHi: rows, colLo: 0, colHi: cols },
    };
  },
};

function buildExactCount(shape: Shape, density: number, what: string): ModelCore {
  const { rows, cols } = shape;
  const n = rows * cols;
  const k = Math.round(density * n);
  const q = k / n;
  return {
    stats: {
      density: q,
      expectedNnz: k,
      rowNnz: { mean: k / rows, variance: hypergeometricVariance(n, k, cols) },
      exact: true,
      rowMomentsExact: true,
      deterministic: k === 0 || k === n,
      distribution: 'hypergeometric per row (exactly k nonzeros placed uniformly over the operand)',
      note: `exactly round(density * rows * cols) = ${k} ${what} placed uniformly at random (not Bernoulli per element)`,
    },
    generate(rng) {
      const mask = createMask(rows, cols);
      fillExactCount(rng, mask.words, 0, rows, cols, k);
      return mask;
    },
    regionMoments(r0, r1, c0, c1) {
      const a = (r1 - r0) * (c1 - c0);
      return { mean: a * q, variance: hypergeometricVariance(n, k, a) };
    },
    regionEmptyProb: (r0, r1, c0, c1) => probNoneChosen(n, k, (r1 - r0) * (c1 - c0)),
    rleOverflow: (runBits) => uniformRleOverflow(n, k, runBits),
    regionExact: true,
    invariance: { rowPeriod: 1, colPeriod: 1, rowLo: 0, rowHi: rows, colLo: 0, colHi: cols },
  };
}

const uniform: PatternImpl = {
  id: 'uniform',
  aliases: ['unstructured', 'random'],
  description:
    'Unstructured sparsity at density d: exactly round(d * rows * cols) nonzeros placed uniformly at random ' +
    '(an exact count, not Bernoulli per element).',
  params: [densityParam('Fraction of nonzero elements.')],
  build: (shape, p) => buildExactCount(shape, num(p, 'density'), 'nonzeros'),
};

const relu: PatternImpl = {
  id: 'relu',
  aliases: ['activation'],
  description:
    'ReLU-style activation sparsity: `density` is the per-layer activation density (fraction of activations ' +
    'that survive the ReLU); positions are unstructured, exactly round(d * rows * cols) nonzeros placed uniformly.',
  params: [densityParam('Per-layer activation density (fraction of nonzero activations after ReLU).', 0.5)],
  build: (shape, p) => buildExactCount(shape, num(p, 'density'), 'nonzero activations'),
};

const nm: PatternImpl = {
  id: 'nm',
  aliases: ['n:m', 'structured'],
  description:
    'N:M fine-grained structured sparsity: every group of M consecutive elements along `dim` keeps exactly N ' +
    "(positions uniform). dim 'cols' groups along each row (the K dimension of an M x K weight, as in NVIDIA 2:4); " +
    "'rows' groups down each column. A trailing partial group of length L keeps min(N, L).",
  params: [
    { name: 'n', type: 'integer', default: 2, min: 0, description: 'Nonzeros kept per group.' },
    { name: 'm', type: 'integer', default: 4, min: 1, description: 'Group length.' },
    { name: 'dim', type: 'enum', default: 'cols', values: ['rows', 'cols'], description: 'Dimension the groups run along.' },
  ],
  check(p, ctx) {
    if (num(p, 'n') > num(p, 'm')) throw paramError(ctx, 'n', `n (${num(p, 'n')}) must not exceed m (${num(p, 'm')})`, 'n <= m');
  },
  build(shape, p) {
    const n = num(p, 'n');
    const m = num(p, 'm');
    const alongCols = str(p, 'dim') === 'cols';
    const { rows, cols } = shape;
    const len = alongCols ? cols : rows; // length of each line of groups
    const lines = alongCols ? rows : cols;
    const full = Math.floor(len / m);
    const rem = len - full * m;
    const remKeep = Math.min(n, rem);
    const perLine = full * n + remKeep;
    const total = lines * perLine;
    const group = (g: number): [number, number] => {
      const lg = Math.min(m, len - g * m);
      return [lg, Math.min(n, lg)];
    };
    const segment = (s: number, e: number): Moments => {
      if (e <= s) return { mean: 0, variance: 0 };
      let mean = 0;
      let variance = 0;
      const add = (g: number, overlap: number): void => {
        const [lg, kg] = group(g);
        mean += (overlap * kg) / lg;
        variance += hypergeometricVariance(lg, kg, overlap);
      };
      const g0 = Math.floor(s / m);
      const g1 = Math.floor((e - 1) / m);
      if (g0 === g1) add(g0, e - s);
      else {
        add(g0, (g0 + 1) * m - s);
        add(g1, e - g1 * m);
        mean += (g1 - g0 - 1) * n;
      }
      return { mean, variance };
    };
    const segmentEmpty = (s: number, e: number): number => {
      if (e <= s) return 1;
      const g0 = Math.floor(s / m);
      const g1 = Math.floor((e - 1) / m);
      const none = (g: number, overlap: number): number => {
        const [lg, kg] = group(g);
        return probNoneChosen(lg, kg, overlap);
      };
      if (g0 === g1) return none(g0, e - s);
      if (g1 - g0 > 1 && n > 0) return 0;
      return none(g0, (g0 + 1) * m - s) * none(g1, e - g1 * m);
    };
    let rowMoments: Moments;
    if (alongCols) rowMoments = { mean: perLine, variance: 0 };
    else {
      const pFull = n / m;
      const pRem = rem > 0 ? remKeep / rem : 0;
      rowMoments = mixRows([
        { weight: full * m, mean: cols * pFull, variance: cols * pFull * (1 - pFull) },
        { weight: rem, mean: cols * pRem, variance: cols * pRem * (1 - pRem) },
      ]);
    }
    return {
      stats: {
        density: total / (rows * cols),
        expectedNnz: total,
        rowNnz: rowMoments,
        exact: true,
        rowMomentsExact: true,
        deterministic: n === 0 || n === m,
        distribution: alongCols
          ? `every row has exactly ${perLine} nonzeros`
          : 'binomial per row (each column group keeps N of M independently)',
        note: `${n}:${m} along ${alongCols ? 'cols' : 'rows'}; exact count`,
      },
      generate(rng) {
        const mask = createMask(rows, cols);
        const words = mask.words;
        const wpr = wordsPerRow(cols);
        const chooser = new GroupChooser(rng, m);
        const groups = Math.ceil(len / m);
        if (alongCols && m <= 16 && 32 % m === 0) {
          // Groups never straddle words: build each word in a register from table patterns whose
          // indices come from a local pool of random bits (rejection keeps them exactly uniform).
          const fullWords = Math.floor(len / 32);
          const perWord = 32 / m;
          const single = comboTable(m, n).patterns;
          // Draw `together` groups per lookup from a table of all pattern tuples (<= 4096 entries).
          let together = 1;
          while (together * 2 <= perWord && single.length ** (together * 2) <= 4096) together *= 2;
          const tuples = new Uint32Array(single.length ** together);
          for (let idx = 0; idx < tuples.length; idx++) {
            let x = 0;
            for (let s = 0, rest = idx; s < together; s++, rest = Math.floor(rest / single.length)) {
              x |= single[rest % single.length] << (s * m);
            }
            tuples[idx] = x;
          }
          let bits = 0;
          while (1 << bits < tuples.length) bits++;
          const pick = (1 << bits) - 1;
          const choices = tuples.length;
          const draws = perWord / together;
          const shift = together * m;
          let pool = 0;
          let poolBits = 0;
          for (let r = 0; r < rows; r++) {
            const base = r * wpr;
            for (let i = 0; i < fullWords; i++) {
              let x = 0;
              for (let s = 0; s < draws; s++) {
                let v = 0;
                if (choices > 1) {
                  for (;;) {
                    if (poolBits < bits) {
                      pool = rng.nextInt32();
                      poolBits = 32;
                    }
                    v = pool & pick;
                    pool >>>= bits;
                    poolBits -= bits;
                    if (v < choices) break;
                  }
                }
                x |= tuples[v] << (s * shift);
              }
              words[base + i] = x;
            }
            for (let start = fullWords * 32; start < len; start += m) {
              const lg = Math.min(m, len - start);
              words[base + (start >>> 5)] |= chooser.pattern(lg, Math.min(n, lg)) << (start & 31);
            }
          }
        } else if (alongCols) {
          for (let r = 0; r < rows; r++) {
            const base = r * wpr;
            for (let g = 0; g < groups; g++) {
              const start = g * m;
              const lg = Math.min(m, len - start);
              chooser.choose(lg, Math.min(n, lg), (j) => {
                const c = start + j;
                words[base + (c >>> 5)] |= 1 << (c & 31);
              });
            }
          }
        } else {
          // Groups of m down each column: for each band of m rows and each word of 32 columns, draw
          // one pattern per column and scatter its bits into the band's row words.
          const band = new Int32Array(m);
          let pool = 0;
          let poolBits = 0;
          for (let g = 0; g < groups; g++) {
            const start = g * m;
            const lg = Math.min(m, len - start);
            const kg = Math.min(n, lg);
            if (lg > 16) {
              for (let c = 0; c < cols; c++) {
                const wi = c >>> 5;
                const bit = 1 << (c & 31);
                chooser.choose(lg, kg, (j) => {
                  words[(start + j) * wpr + wi] |= bit;
                });
              }
              continue;
            }
            const { patterns, bits } = comboTable(lg, kg);
            const pick = (1 << bits) - 1;
            const choices = patterns.length;
            for (let i = 0; i < wpr; i++) {
              band.fill(0);
              const lanes = Math.min(32, cols - i * 32);
              for (let j = 0; j < lanes; j++) {
                let v = 0;
                if (choices > 1) {
                  for (;;) {
                    if (poolBits < bits) {
                      pool = rng.nextInt32();
                      poolBits = 32;
                    }
                    v = pool & pick;
                    pool >>>= bits;
                    poolBits -= bits;
                    if (v < choices) break;
                  }
                }
                for (let x = patterns[v]; x !== 0; x &= x - 1) band[31 - Math.clz32(x & -x)] |= 1 << j;
              }
              for (let t = 0; t < lg; t++) words[(start + t) * wpr + i] = band[t];
            }
          }
        }
        return mask;
      },
      regionMoments(r0, r1, c0, c1) {
        const seg = alongCols ? segment(c0, c1) : segment(r0, r1);
        const count = alongCols ? r1 - r0 : c1 - c0;
        return { mean: seg.mean * count, variance: seg.variance * count };
      },
      regionEmptyProb(r0, r1, c0, c1) {
        const count = alongCols ? r1 - r0 : c1 - c0;
        if (count <= 0) return 1;
        return segmentEmpty(alongCols ? c0 : r0, alongCols ? c1 : r1) ** count;
      },
      rleOverflow(runBits, order) {
        // Scanning along the groups, consecutive kept elements are at most 2(M - N) zeros apart.
        const along = (order === 'rows') === alongCols;
        if (n >= 1 && along && 2 * (m - n) <= 2 ** runBits - 1) return 0;
        return undefined;
      },
      regionExact: true,
      invariance: alongCols
        ? { rowPeriod: 1, colPeriod: m, rowLo: 0, rowHi: rows, colLo: 0, colHi: full * m }
        : { rowPeriod: m, colPeriod: 1, rowLo: 0, rowHi: full * m, colLo: 0, colHi: cols },
    };
  },
};

const block: PatternImpl = {
  id: 'block',
  aliases: ['blocked', 'block-sparse'],
  description:
    'Block sparsity: the operand is tiled into bh x bw blocks (edge blocks partial) and exactly ' +
    'round(density * blocks) whole blocks, chosen uniformly, are dense; the rest are zero.',
  params: [
    { name: 'bh', type: 'integer', default: 16, min: 1, description: 'Block height (rows).' },
    { name: 'bw', type: 'integer', default: 16, min: 1, description: 'Block width (cols).' },
    densityParam('Fraction of blocks kept.'),
  ],
  build(shape, p) {
    const bh = num(p, 'bh');
    const bw = num(p, 'bw');
    const { rows, cols } = shape;
    const nbr = Math.ceil(rows / bh);
    const nbc = Math.ceil(cols / bw);
    const blocks = nbr * nbc;
    const kept = Math.round(num(p, 'density') * blocks);
    const q = kept / blocks;
    const lastW = cols - (nbc - 1) * bw;
    const rowVar = weightedHyperVariance(blocks, kept, cols, (nbc - 1) * bw * bw + lastW * lastW);
    const evenBlocks = rows % bh === 0 && cols % bw === 0;
    return {
      stats: {
        density: q,
        expectedNnz: q * rows * cols,
        rowNnz: { mean: q * cols, variance: rowVar },
        exact: evenBlocks || kept === 0 || kept === blocks,
        rowMomentsExact: true,
        deterministic: kept === 0 || kept === blocks,
        distribution: `per row: the summed widths of the kept blocks in its block row (${kept} of ${blocks} blocks kept)`,
        note: `${kept} of ${blocks} blocks of ${bh}x${bw} kept${evenBlocks ? '' : '; edge blocks are partial, so nnz is exact only in expectation'}`,
      },
      generate(rng) {
        const mask = createMask(rows, cols);
        for (const idx of subsetIndices(chooseSubset(rng, blocks, kept))) {
          const i = Math.floor(idx / nbc);
          const j = idx - i * nbc;
          const rEnd = Math.min(rows, (i + 1) * bh);
          const cEnd = Math.min(cols, (j + 1) * bw);
          for (let r = i * bh; r < rEnd; r++) setRowRange(mask, r, j * bw, cEnd);
        }
        return mask;
      },
      regionMoments(r0, r1, c0, c1) {
        const area = (r1 - r0) * (c1 - c0);
        const sumSq = axisOverlap(r0, r1, bh, rows).sumSq * axisOverlap(c0, c1, bw, cols).sumSq;
        return { mean: q * area, variance: weightedHyperVariance(blocks, kept, area, sumSq) };
      },
      regionEmptyProb(r0, r1, c0, c1) {
        const touched = axisOverlap(r0, r1, bh, rows).count * axisOverlap(c0, c1, bw, cols).count;
        return probNoneChosen(blocks, kept, touched);
      },
      regionExact: true,
      invariance: { rowPeriod: bh, colPeriod: bw, rowLo: 0, rowHi: Math.floor(rows / bh) * bh, colLo: 0, colHi: Math.floor(cols / bw) * bw },
    };
  },
};

const rowPattern: PatternImpl = {
  id: 'row',
  aliases: ['rows', 'row-structured'],
  description: 'Row-structured sparsity: exactly round(density * rows) whole rows, chosen uniformly, are dense.',
  params: [densityParam('Fraction of rows kept.')],
  build(shape, p) {
    const { rows, cols } = shape;
    const k = Math.round(num(p, 'density') * rows);
    const q = k / rows;
    return {
      stats: {
        density: q,
        expectedNnz: k * cols,
        rowNnz: { mean: q * cols, variance: cols * cols * q * (1 - q) },
        exact: true,
        rowMomentsExact: true,
        deterministic: k === 0 || k === rows,
        distribution: `each row has ${cols} (kept) or 0 nonzeros`,
        note: `${k} of ${rows} rows kept`,
      },
      generate(rng) {
        const mask = createMask(rows, cols);
        for (const r of subsetIndices(chooseSubset(rng, rows, k))) setRowRange(mask, r, 0, cols);
        return mask;
      },
      regionMoments(r0, r1, c0, c1) {
        const w = c1 - c0;
        return { mean: q * w * (r1 - r0), variance: w * w * hypergeometricVariance(rows, k, r1 - r0) };
      },
      regionEmptyProb: (r0, r1, c0, c1) => (c1 > c0 ? probNoneChosen(rows, k, r1 - r0) : 1),
      regionExact: true,
      invariance: { rowPeriod: 1, colPeriod: 1, rowLo: 0, rowHi: rows, colLo: 0, colHi: cols },
    };
  },
};

/** Column groups of `group` consecutive columns; 'column' is group = 1. */
function buildColumnGroups(shape: Shape, density: number, group: number): ModelCore {
  const { rows, cols } = shape;
  const groups = Math.ceil(cols / group);
  const k = Math.round(density * groups);
  const q = k / groups;
  const lastW = cols - (groups - 1) * group;
  const rowVar = weightedHyperVariance(groups, k, cols, (groups - 1) * group * group + lastW * lastW);
  const even = cols % group === 0;
  return {
    stats: {
      density: q,
      expectedNnz: q * rows * cols,
      rowNnz: { mean: q * cols, variance: rowVar },
      exact: even || k === 0 || k === groups,
      rowMomentsExact: true,
      deterministic: k === 0 || k === groups,
      distribution: 'every row of one mask has the same count (the kept columns are shared by all rows)',
      note: `${k} of ${groups} column group(s) of width ${group} kept`,
    },
    generate(rng) {
      const mask = createMask(rows, cols);
      for (const g of subsetIndices(chooseSubset(rng, groups, k))) setRowRange(mask, 0, g * group, Math.min(cols, (g + 1) * group));
      const wpr = wordsPerRow(cols);
      for (let r = 1; r < rows; r++) mask.words.copyWithin(r * wpr, 0, wpr);
      return mask;
    },
    regionMoments(r0, r1, c0, c1) {
      const h = r1 - r0;
      const w = c1 - c0;
      const o = axisOverlap(c0, c1, group, cols);
      return { mean: q * h * w, variance: h * h * weightedHyperVariance(groups, k, w, o.sumSq) };
    },
    regionEmptyProb: (r0, r1, c0, c1) => (r1 > r0 ? probNoneChosen(groups, k, axisOverlap(c0, c1, group, cols).count) : 1),
    regionExact: true,
    invariance: { rowPeriod: 1, colPeriod: group, rowLo: 0, rowHi: rows, colLo: 0, colHi: Math.floor(cols / group) * group },
  };
}

const columnPattern: PatternImpl = {
  id: 'column',
  aliases: ['col', 'cols', 'columns', 'column-structured'],
  description: 'Column-structured sparsity: exactly round(density * cols) whole columns, chosen uniformly, are dense.',
  params: [densityParam('Fraction of columns kept.')],
  build: (shape, p) => buildColumnGroups(shape, num(p, 'density'), 1),
};

const channel: PatternImpl = {
  id: 'channel',
  aliases: ['channels', 'channel-structured'],
  description:
    'Channel-structured sparsity: columns form groups of `groupSize` consecutive columns (one input channel of ' +
    'an im2col weight: R*S columns per channel), and round(density * groups) whole groups are kept.',
  params: [
    { name: 'groupSize', type: 'integer', default: 9, min: 1, description: 'Columns per channel (default 9 = a 3x3 kernel).' },
    densityParam('Fraction of channels kept.'),
  ],
  build: (shape, p) => buildColumnGroups(shape, num(p, 'density'), num(p, 'groupSize')),
};

const banded: PatternImpl = {
  id: 'banded',
  aliases: ['band', 'diagonal'],
  description:
    'Banded: element (r, c) is nonzero when |r - c| <= halfBandwidth (the diagonal starts at the top-left ' +
    'corner for rectangular shapes). Deterministic; the seed is ignored.',
  params: [{ name: 'halfBandwidth', type: 'integer', default: 1, min: 0, description: 'Half bandwidth b (b = 0 is the diagonal).' }],
  build(shape, p) {
    const b = num(p, 'halfBandwidth');
    const { rows, cols } = shape;
    const span = (r: number, c0: number, c1: number): number => Math.max(0, Math.min(c1 - 1, r + b) - Math.max(c0, r - b) + 1);
    let total = 0;
    let sq = 0;
    for (let r = 0; r < rows; r++) {
      const n = span(r, 0, cols);
      total += n;
      sq += n * n;
    }
    const mean = total / rows;
    const overflow = (runBits: number, lineCount: number, lineLen: number): number => {
      const step = 2 ** runBits;
      let prev = -1;
      let out = 0;
      for (let r = 0; r < lineCount; r++) {
        const lo = Math.max(0, r - b);
        const hi = Math.min(lineLen - 1, r + b);
        if (hi < lo) continue;
        out += Math.floor((r * lineLen + lo - prev - 1) / step);
        prev = r * lineLen + hi;
      }
      return out;
    };
    return {
      stats: {
        density: total / (rows * cols),
        expectedNnz: total,
        rowNnz: { mean, variance: Math.max(0, sq / rows - mean * mean) },
        exact: true,
        rowMomentsExact: true,
        deterministic: true,
        distribution: `row r has |[max(0, r-b), min(cols-1, r+b)]| nonzeros (${Math.min(cols, 2 * b + 1)} in the interior)`,
        note: 'deterministic',
      },
      generate() {
        const mask = createMask(rows, cols);
        for (let r = 0; r < rows; r++) setRowRange(mask, r, Math.max(0, r - b), Math.min(cols, r + b + 1));
        return mask;
      },
      regionMoments(r0, r1, c0, c1) {
        let n = 0;
        for (let r = r0; r < r1; r++) n += span(r, c0, c1);
        return { mean: n, variance: 0 };
      },
      regionEmptyProb: (r0, r1, c0, c1) =>
        r1 > r0 && c1 > c0 && Math.max(r0 - b, c0) <= Math.min(r1 - 1 + b, c1 - 1) ? 0 : 1,
      rleOverflow: (runBits, order) => (order === 'rows' ? overflow(runBits, rows, cols) : overflow(runBits, cols, rows)),
      regionExact: true,
    };
  },
};

const rmat: PatternImpl = {
  id: 'rmat',
  aliases: ['r-mat', 'power-law', 'graph500', 'kronecker'],
  description:
    'Power-law R-MAT (Chakrabarti et al. 2004; Graph500 initiator a,b,c,d = 0.57,0.19,0.19,0.05) on the smallest ' +
    'power-of-two square covering the shape; draws outside the shape are rejected and duplicates are redrawn until ' +
    'exactly `nnz` distinct nonzeros exist. No vertex permutation and no per-level noise, so heavy rows and ' +
    'columns sit at low indices.',
  params: [
    {
      name: 'nnz',
      type: 'integer-or-auto',
      default: 'auto',
      min: 0,
      description: "Target distinct nonzeros; 'auto' = min(16 * max(rows, cols), floor(rows * cols / 4)) (Graph500 edge factor 16).",
    },
    { name: 'a', type: 'number', default: 0.57, min: 0, max: 1, description: 'Probability of the top-left quadrant.' },
    { name: 'b', type: 'number', default: 0.19, min: 0, max: 1, description: 'Probability of the top-right quadrant.' },
    { name: 'c', type: 'number', default: 0.19, min: 0, max: 1, description: 'Probability of the bottom-left quadrant.' },
    { name: 'd', type: 'number', default: 0.05, min: 0, max: 1, description: 'Probability of the bottom-right quadrant.' },
  ],
  check(p, ctx) {
    const sum = num(p, 'a') + num(p, 'b') + num(p, 'c') + num(p, 'd');
    if (Math.abs(sum - 1) > 1e-6) throw paramError(ctx, 'a', `R-MAT probabilities a + b + c + d sum to ${sum}`, 'a sum of 1');
  },
  build(shape, p, ctx) {
    const { rows, cols } = shape;
    const n = rows * cols;
    const target = p.nnz === 'auto' ? Math.min(16 * Math.max(rows, cols), Math.floor(n / 4)) : num(p, 'nnz');
    if (target > n) throw paramError(ctx, 'nnz', `nnz ${target} exceeds rows * cols = ${n}`, `an integer <= ${n}`);
    const a = num(p, 'a');
    const b = num(p, 'b');
    const c = num(p, 'c');
    const d = num(p, 'd');
    let levels = 0;
    while (2 ** levels < Math.max(rows, cols)) levels++;
    const side = 2 ** levels;
    const marginal = (x: number, size: number, first: number, second: number): number => {
      let res = 0;
      let mult = 1;
      while (size > 1 && x > 0) {
        if (x >= size) return res + mult;
        const h = size / 2;
        if (x <= h) mult *= first;
        else {
          res += mult * first;
          mult *= second;
          x -= h;
        }
        size = h;
      }
      return x >= 1 ? res + mult : res;
    };
    // Marginal CDFs of a sub-square of side `size` that is `depth` levels below the top: from
    // prefix tables of the top-level marginals when they fit (row r has probability
    // (a+b)^(zeros of r) (c+d)^(ones of r)), rowCdf_sub(x) = rowCdf_top(x) / (a+b)^depth;
    // otherwise by recursion.
    const useTables = side <= 2 ** 22 && a + b > 0 && a + c > 0;
    const table = (first: number, second: number): Float64Array => {
      const t = new Float64Array(useTables ? side + 1 : 0);
      if (!useTables) return t;
      const pf: number[] = [];
      const ps: number[] = [];
      for (let k = 0; k <= levels; k++) {
        pf.push(first ** k);
        ps.push(second ** k);
      }
      let acc = 0;
      for (let r = 0; r < side; r++) {
        t[r] = acc;
        let ones = 0;
        for (let y = r; y; y &= y - 1) ones++;
        acc += pf[levels - ones] * ps[ones];
      }
      t[side] = acc;
      return t;
    };
    const rowTable = table(a + b, c + d);
    const colTable = table(a + c, b + d);
    const invRow: number[] = [];
    const invCol: number[] = [];
    for (let k = 0; k <= levels; k++) {
      invRow.push(1 / (a + b) ** k);
      invCol.push(1 / (a + c) ** k);
    }
    const rowCdf = (x: number, size: number, depth: number): number =>
      useTables ? rowTable[x] * invRow[depth] : marginal(x, size, a + b, c + d);
    const colCdf = (y: number, size: number, depth: number): number =>
      useTables ? colTable[y] * invCol[depth] : marginal(y, size, a + c, b + d);
    // cdf(x, y) values of the two most recent x (grid loops walk rows of corners in order).
    let rowA = { x: -1, values: new Map<number, number>() };
    let rowB = { x: -1, values: new Map<number, number>() };
    const cdf = (x: number, y: number): number => {
      if (x !== rowA.x) {
        if (x === rowB.x) [rowA, rowB] = [rowB, rowA];
        else {
          rowB = rowA;
          rowA = { x, values: new Map<number, number>() };
        }
      }
      let v = rowA.values.get(y);
      if (v === undefined) {
        v = cdfAt(x, y);
        rowA.values.set(y, v);
      }
      return v;
    };
    // Probability mass of [0, x) x [0, y) under the R-MAT distribution on the side x side square.
    const cdfAt = (x: number, y: number): number => {
      let res = 0;
      let mult = 1;
      let size = side;
      let depth = 0;
      while (size > 1 && x > 0 && y > 0) {
        if (x >= size && y >= size) return res + mult;
        const h = size / 2;
        depth++;
        if (x <= h && y <= h) mult *= a;
        else if (x <= h) {
          res += mult * a * rowCdf(x, h, depth);
          mult *= b;
          y -= h;
        } else if (y <= h) {
          res += mult * a * colCdf(y, h, depth);
          mult *= c;
          x -= h;
        } else {
          res += mult * (a + b * colCdf(y - h, h, depth) + c * rowCdf(x - h, h, depth));
          mult *= d;
          x -= h;
          y -= h;
        }
        size = h;
      }
      return x >= 1 && y >= 1 ? res + mult : res;
    };
    const mass = (r0: number, r1: number, c0: number, c1: number): number =>
      Math.max(0, cdf(r1, c1) - cdf(r0, c1) - cdf(r1, c0) + cdf(r0, c0));
    const inRange = cdf(rows, cols);
    if (target > 0 && inRange <= 0) {
      throw paramError(ctx, 'a', 'R-MAT probabilities put no mass inside the operand shape', 'positive quadrant probabilities');
    }
    const classes: { weight: number; mean: number; variance: number }[] = [];
    for (let r = 0; r < rows; r++) {
      const pr = mass(r, r + 1, 0, cols) / inRange;
      classes.push({ weight: 1, mean: target * pr, variance: target * pr * (1 - pr) });
    }
    const rowMoments = mixRows(classes);
    rowMoments.mean = target / rows;
    return {
      stats: {
        density: target / n,
        expectedNnz: target,
        rowNnz: rowMoments,
        exact: true,
        rowMomentsExact: false,
        deterministic: target === 0 || target === n,
        distribution: 'heavy-tailed (power-law) row and column counts, heaviest at low indices',
        note: 'nnz exact; per-row and per-region moments use the R-MAT cell probabilities without duplicate collapsing (approximate)',
      },
      generate(rng) {
        const mask = createMask(rows, cols);
        const wpr = wordsPerRow(cols);
        const ta = a * 4294967296;
        const tab = (a + b) * 4294967296;
        const tabc = (a + b + c) * 4294967296;
        const maxDraws = 64 * target + 1_000_000;
        let placed = 0;
        for (let draws = 0; placed < target; draws++) {
          if (draws >= maxDraws) {
            throw paramError(
              ctx,
              'nnz',
              `R-MAT could place only ${placed} of ${target} distinct nonzeros in ${maxDraws} draws (the distribution is too concentrated for this shape)`,
              'a smaller nnz',
            );
          }
          let r = 0;
          let col = 0;
          let outside = false;
          for (let l = levels - 1; l >= 0; l--) {
            const u = rng.nextUint32();
            const step = 2 ** l;
            if (u < ta) continue;
            if (u < tab) col += step;
            else if (u < tabc) r += step;
            else {
              r += step;
              col += step;
            }
            if (r >= rows || col >= cols) {
              outside = true; // every completion of this prefix is outside the shape
              break;
            }
          }
          if (outside) continue;
          const w = r * wpr + (col >>> 5);
          const bit = (1 << (col & 31)) >>> 0;
          if ((mask.words[w] & bit) === 0) {
            mask.words[w] = (mask.words[w] | bit) >>> 0;
            placed++;
          }
        }
        return mask;
      },
      regionMoments(r0, r1, c0, c1) {
        const pr = inRange > 0 ? mass(r0, r1, c0, c1) / inRange : 0;
        return { mean: Math.min((r1 - r0) * (c1 - c0), target * pr), variance: target * pr * (1 - pr) };
      },
      regionEmptyProb(r0, r1, c0, c1) {
        const pr = inRange > 0 ? Math.min(1, mass(r0, r1, c0, c1) / inRange) : 0;
        return pr >= 1 ? (target > 0 ? 0 : 1) : Math.exp(target * Math.log1p(-pr));
      },
      regionExact: false,
    };
  },
};

const delta: PatternImpl = {
  id: 'delta',
  aliases: ['temporal', 'delta-activation'],
  description:
    'Temporal (delta) sparsity, after the Delta Activation Layer / DeltaRNN idea: rows are consecutive frames or ' +
    'tokens, columns are activations, and the mask marks activations whose value changed since the previous ' +
    'row (only those need to be propagated). Row 0 is compared with an all-zero state, so it has ' +
    'round(initialDensity * cols) changes; every later row has exactly round(changeFraction * cols) changes at ' +
    'uniformly random positions, independently between rows. Transpose the operand if time runs along columns.',
  params: [
    { name: 'changeFraction', type: 'number', default: 0.1, min: 0, max: 1, description: 'Fraction of activations that change between consecutive rows.' },
    { name: 'initialDensity', type: 'number', default: 1, min: 0, max: 1, description: 'Fraction of row 0 that differs from the zero initial state.' },
  ],
  build(shape, p) {
    const { rows, cols } = shape;
    const k = Math.round(num(p, 'changeFraction') * cols);
    const k0 = Math.round(num(p, 'initialDensity') * cols);
    const total = k0 + (rows - 1) * k;
    const perRow = (r: number): number => (r === 0 ? k0 : k);
    return {
      stats: {
        density: total / (rows * cols),
        expectedNnz: total,
        rowNnz: mixRows([
          { weight: 1, mean: k0, variance: 0 },
          { weight: rows - 1, mean: k, variance: 0 },
        ]),
        exact: true,
        rowMomentsExact: true,
        deterministic: (k === 0 || k === cols) && (k0 === 0 || k0 === cols),
        distribution: `row 0 has ${k0} changes, every other row exactly ${k}`,
        note: 'exact count per row',
      },
      generate(rng) {
        const mask = createMask(rows, cols);
        const wpr = wordsPerRow(cols);
        for (let r = 0; r < rows; r++) fillExactCount(rng, mask.words, r * wpr, 1, cols, perRow(r));
        return mask;
      },
      regionMoments(r0, r1, c0, c1) {
        const w = c1 - c0;
        let mean = 0;
        let variance = 0;
        if (r0 === 0 && r1 > 0) {
          mean += (w * k0) / cols;
          variance += hypergeometricVariance(cols, k0, w);
        }
        const later = r1 - Math.max(r0, 1);
        if (later > 0) {
          mean += (later * w * k) / cols;
          variance += later * hypergeometricVariance(cols, k, w);
        }
        return { mean, variance };
      },
      regionEmptyProb(r0, r1, c0, c1) {
        const w = c1 - c0;
        let prob = 1;
        if (r0 === 0 && r1 > 0) prob *= probNoneChosen(cols, k0, w);
        const later = r1 - Math.max(r0, 1);
        if (later > 0) prob *= probNoneChosen(cols, k, w) ** later;
        return prob;
      },
      regionExact: true,
      invariance: { rowPeriod: 1, colPeriod: 1, rowLo: 1, rowHi: rows, colLo: 0, colHi: cols },
    };
  },
};

const chunkUnion: PatternImpl = {
  id: 'chunk-union',
  aliases: ['blockffn', 'chunk'],
  description:
    'Chunk-level activation union (BlockFFN): rows are tokens, columns are neurons. Each token activates each ' +
    'neuron with probability `density`; every chunk of `chunkSize` consecutive tokens computes the union of their ' +
    'activated neurons, and every row of the chunk carries that union. `correlation` is the lag-1 autocorrelation ' +
    "rho of a neuron's on/off state between consecutive tokens: a token copies the previous token's state with " +
    'probability rho, else draws afresh (a stationary two-state Markov chain; rho = 0 is independence). The union ' +
    'density of a chunk of k tokens is 1 - (1-d)(1-(1-rho)d)^(k-1), i.e. 1 - (1-d)^k for independent tokens. ' +
    'Neurons are independent; per-element probabilities are quantised to 2^-24.',
  params: [
    densityParam('Per-token activation density d.', 0.1),
    { name: 'chunkSize', type: 'integer', default: 8, min: 1, description: 'Tokens per chunk k.' },
    { name: 'correlation', type: 'number', default: 0, min: 0, max: 1, maxExclusive: true, description: 'Lag-1 autocorrelation rho of each neuron between consecutive tokens.' },
  ],
  build(shape, p) {
    const { rows, cols } = shape;
    const d = num(p, 'density');
    const k = num(p, 'chunkSize');
    const rho = num(p, 'correlation');
    const beta = 1 - (1 - rho) * d; // P(next token off | this token off)
    const zeroRun = (tokens: number): number => (tokens <= 0 ? 1 : (1 - d) * beta ** (tokens - 1));
    const union = (tokens: number): number => 1 - zeroRun(tokens);
    const chunks = Math.ceil(rows / k);
    const lastLen = rows - (chunks - 1) * k;
    const uFull = union(k);
    const uLast = union(lastLen);
    const expected = cols * ((chunks - 1) * k * uFull + lastLen * uLast);
    const rowMoments = mixRows([
      { weight: (chunks - 1) * k, mean: cols * uFull, variance: cols * uFull * (1 - uFull) },
      { weight: lastLen, mean: cols * uLast, variance: cols * uLast * (1 - uLast) },
    ]);
    const chunkLen = (j: number): number => Math.min(rows, (j + 1) * k) - j * k;
    return {
      stats: {
        density: expected / (rows * cols),
        expectedNnz: expected,
        rowNnz: rowMoments,
        exact: d === 0 || d === 1,
        rowMomentsExact: true,
        deterministic: d === 0 || d === 1,
        distribution: `binomial(cols, u) per row with chunk union density u = ${uFull.toPrecision(6)} (full chunks)`,
        note: 'nnz exact in expectation (up to 2^-24 probability quantisation)',
      },
      generate(rng) {
        const mask = createMask(rows, cols);
        const wpr = wordsPerRow(cols);
        const last = lastWordMask(cols);
        const fresh = bernoulliPlan(d, 24);
        const copy = bernoulliPlan(rho, 24);
        const state = new Uint32Array(wpr);
        const acc = new Uint32Array(wpr);
        for (let j = 0; j < chunks; j++) {
          acc.fill(0);
          const r0 = j * k;
          const r1 = Math.min(rows, r0 + k);
          for (let r = r0; r < r1; r++) {
            for (let i = 0; i < wpr; i++) {
              const f = bernoulliWord(rng, fresh);
              const keep = r === 0 ? 0 : bernoulliWord(rng, copy);
              const x = ((keep & state[i]) | (~keep & f)) >>> 0;
              state[i] = x;
              acc[i] = (acc[i] | x) >>> 0;
            }
          }
          acc[wpr - 1] = (acc[wpr - 1] & last) >>> 0;
          for (let r = r0; r < r1; r++) mask.words.set(acc, r * wpr);
        }
        return mask;
      },
      regionMoments(r0, r1, c0, c1) {
        const w = c1 - c0;
        if (r1 <= r0 || w <= 0) return { mean: 0, variance: 0 };
        const j0 = Math.floor(r0 / k);
        const j1 = Math.floor((r1 - 1) / k);
        let mean = 0;
        let variance = 0;
        for (let j = j0; j <= j1; j++) {
          const h = Math.min(r1, (j + 1) * k) - Math.max(r0, j * k);
          const u = union(chunkLen(j));
          mean += h * u;
          variance += h * h * u * (1 - u);
          if (rho <= 0) continue;
          for (let l = j + 1; l <= j1; l++) {
            const gap = l * k - (j * k + chunkLen(j) - 1);
            const decay = rho ** gap;
            if (decay < 1e-16) break;
            const hl = Math.min(r1, (l + 1) * k) - Math.max(r0, l * k);
            const cov = (1 - d) * beta ** (chunkLen(j) - 1) * beta ** (chunkLen(l) - 1) * d * decay;
            variance += 2 * h * hl * cov;
          }
        }
        return { mean: w * mean, variance: w * variance };
      },
      regionEmptyProb(r0, r1, c0, c1) {
        const w = c1 - c0;
        if (r1 <= r0 || w <= 0) return 1;
        const start = Math.floor(r0 / k) * k;
        const end = Math.min(rows, (Math.floor((r1 - 1) / k) + 1) * k);
        return zeroRun(end - start) ** w;
      },
      regionExact: true,
      invariance: { rowPeriod: k, colPeriod: 1, rowLo: 0, rowHi: Math.floor(rows / k) * k, colLo: 0, colHi: cols },
    };
  },
};

const matrixPattern: PatternImpl = {
  id: 'matrix',
  aliases: ['csr', 'mtx', 'from-matrix'],
  description:
    'The structure of a real matrix (e.g. a SuiteSparse .mtx file parsed by the caller into a CsrMatrix). ' +
    'The operand shape must equal the matrix shape. Deterministic; the seed is ignored.',
  params: [
    { name: 'matrix', type: 'matrix', description: 'The matrix (CsrMatrix); file reading is left to the caller.' },
  ],
  build(shape, p, ctx) {
    const matrix = p.matrix as CsrMatrix;
    if (matrix.rows !== shape.rows || matrix.cols !== shape.cols) {
      throw paramError(
        ctx,
        'matrix',
        `matrix is ${matrix.rows} x ${matrix.cols} but the operand is ${shape.rows} x ${shape.cols}`,
        `a ${shape.rows} x ${shape.cols} matrix`,
      );
    }
    return fromMask(maskFromCsr(matrix), 'matrix');
  },
};

/**
 * The model of a fixed mask: exact counts everywhere, deterministic generation (a copy), and the
 * region queries answered by counting bits.
 */
function fromMask(m: Mask, what: string): ReturnType<PatternImpl['build']> {
  const nnz = maskNnz(m);
  const counts = rowNnz(m);
  let sq = 0;
  for (let r = 0; r < counts.length; r++) sq += counts[r] * counts[r];
  const mean = nnz / m.rows;
  const region = (r0: number, r1: number, c0: number, c1: number): number => {
    let n = 0;
    for (let r = r0; r < r1; r++) n += countRowRange(m, r, c0, c1);
    return n;
  };
  return {
    stats: {
      density: nnz / (m.rows * m.cols),
      expectedNnz: nnz,
      rowNnz: { mean, variance: Math.max(0, sq / m.rows - mean * mean) },
      exact: true,
      rowMomentsExact: true,
      deterministic: true,
      distribution: `empirical (from the ${what})`,
      note: `exact (from the ${what})`,
    },
    generate: () => ({ rows: m.rows, cols: m.cols, words: m.words.slice() }),
    regionMoments: (r0, r1, c0, c1) => ({ mean: region(r0, r1, c0, c1), variance: 0 }),
    regionEmptyProb: (r0, r1, c0, c1) => (region(r0, r1, c0, c1) > 0 ? 0 : 1),
    rleOverflow: (runBits, order) => zeroRunOverflow(m, runBits, order),
    regionExact: true,
  };
}

const maskPattern: PatternImpl = {
  id: 'mask',
  aliases: ['npy', 'bitmask'],
  description:
    "A fixed mask read from a file (a NumPy .npy array, nonzero = kept, or a Matrix Market file's structure), " +
    'e.g. a pruned checkpoint. The operand shape must equal the mask shape (weights [N × K] as nn.Linear stores them, ' +
    'inputs [M × K]). Statistical mode uses its exact counts; concrete mode uses the mask itself. The seed is ignored.',
  params: [
    { name: 'mask', type: 'mask', description: 'The mask bitset; file reading is left to the caller.' },
  ],
  build(shape, p, ctx) {
    const mask = p.mask as Mask;
    if (mask.rows !== shape.rows || mask.cols !== shape.cols) {
      throw paramError(ctx, 'mask', `mask is ${mask.rows} x ${mask.cols} but the operand is ${shape.rows} x ${shape.cols}`, `a ${shape.rows} x ${shape.cols} mask`);
    }
    return fromMask(mask, 'mask');
  },
};

const IMPLS: PatternImpl[] = [
  dense,
  uniform,
  nm,
  block,
  rowPattern,
  columnPattern,
  channel,
  banded,
  rmat,
  relu,
  delta,
  chunkUnion,
  matrixPattern,
  maskPattern,
];

// ---------------------------------------------------------------------------------------------
// Registry and validation

const DEFAULT_FILE = '<pattern>';

function checkShapeArg(shape: Shape, ctx: BuildContext): void {
  for (const key of ['rows', 'cols'] as const) {
    const v = shape[key];
    if (!Number.isInteger(v) || v < 1) {
      throw inputError({
        file: ctx.file,
        keyPath: joinKey(ctx.keyPath, `shape.${key}`),
        message: `operand ${key} must be a positive integer, got ${String(v)}`,
        expected: 'a positive integer',
      });
    }
  }
}

function resolveImplParams(impl: PatternImpl, raw: Readonly<Record<string, unknown>>, ctx: BuildContext): ResolvedParams {
  const params = resolveParams(impl.params, raw, {
    file: ctx.file,
    keyPath: ctx.keyPath,
    owner: `pattern '${impl.id}'`,
    reserved: ['kind'],
  });
  impl.check?.(params, ctx);
  return params;
}

function makeModel(impl: PatternImpl, shape: Shape, params: ResolvedParams, ctx: BuildContext): PatternModel {
  checkShapeArg(shape, ctx);
  const core = impl.build(shape, params, ctx);
  const frozenShape = { rows: shape.rows, cols: shape.cols };
  const spec: PatternSpec = { kind: impl.id, ...params };
  return {
    kind: impl.id,
    params,
    shape: frozenShape,
    spec,
    stats: () => ({ kind: impl.id, params, shape: frozenShape, ...core.stats, rowNnz: { ...core.stats.rowNnz } }),
    generate: (seed) => core.generate(new WordRng(new Rng(seed))),
    regionMoments: (r0, r1, c0, c1) => core.regionMoments(r0, r1, c0, c1),
    regionEmptyProb: (r0, r1, c0, c1) => core.regionEmptyProb(r0, r1, c0, c1),
    rleOverflow: (runBits, order) => core.rleOverflow?.(runBits, order),
    regionExact: core.regionExact,
    rowClass: (r0, r1) => (core.invariance ? axisKey(core.invariance.rowPeriod, core.invariance.rowLo, core.invariance.rowHi, r0, r1) : undefined),
    colClass: (c0, c1) => (core.invariance ? axisKey(core.invariance.colPeriod, core.invariance.colLo, core.invariance.colHi, c0, c1) : undefined),
  };
}

function toDef(impl: PatternImpl): PatternDef {
  const ctx = { file: DEFAULT_FILE, keyPath: '' };
  const model = (shape: Shape, raw: Readonly<Record<string, unknown>>): PatternModel =>
    makeModel(impl, shape, resolveImplParams(impl, raw ?? {}, ctx), ctx);
  return {
    id: impl.id,
    aliases: impl.aliases,
    description: impl.description,
    params: impl.params,
    model,
    generate: (shape, raw, seed) => model(shape, raw).generate(seed),
    stats: (shape, raw) => model(shape, raw).stats(),
  };
}

/** Every pattern by id. */
export const PATTERNS: Readonly<Record<string, PatternDef>> = Object.freeze(
  Object.fromEntries(IMPLS.map((impl) => [impl.id, toDef(impl)])),
);

const IMPL_BY_NAME = new Map<string, PatternImpl>();
for (const impl of IMPLS) {
  IMPL_BY_NAME.set(impl.id, impl);
  for (const alias of impl.aliases) IMPL_BY_NAME.set(alias, impl);
}

/** Canonical pattern id for an id or alias (case-insensitive), or undefined. */
export function patternId(name: string): string | undefined {
  return IMPL_BY_NAME.get(name.toLowerCase())?.id;
}

const NM_SHORTHAND = /^\s*(\d+)\s*:\s*(\d+)\s*$/;

/**
 * Validates a pattern spec and returns its canonical form `{ kind: <id>, ...every param }`.
 * Accepts an object with `kind` (id or alias) plus parameters, or a string shorthand: a pattern
 * id ('dense') or 'N:M' (N:M along cols). Throws InputError with the key path, the expectation
 * and a did-you-mean hint for unknown kinds and parameters.
 */
export function validatePatternSpec(spec: unknown, file = DEFAULT_FILE, keyPath = ''): PatternSpec {
  return resolvePattern(spec, { file, keyPath }).spec;
}

function resolvePattern(spec: unknown, ctx: BuildContext): { impl: PatternImpl; spec: PatternSpec; params: ResolvedParams } {
  let raw: Record<string, unknown>;
  if (typeof spec === 'string') {
    const nmMatch = NM_SHORTHAND.exec(spec);
    raw = nmMatch ? { kind: 'nm', n: Number(nmMatch[1]), m: Number(nmMatch[2]) } : { kind: spec.trim() };
  } else if (typeof spec === 'object' && spec !== null && !Array.isArray(spec)) {
    raw = spec as Record<string, unknown>;
  } else {
    throw inputError({
      file: ctx.file,
      keyPath: ctx.keyPath,
      message: 'a sparsity pattern must be a mapping with a kind (or a shorthand string)',
      expected: "e.g. { kind: uniform, density: 0.5 } or '2:4'",
    });
  }
  const kind = raw.kind;
  const names = [...IMPL_BY_NAME.keys()];
  if (typeof kind !== 'string') {
    throw inputError({
      file: ctx.file,
      keyPath: joinKey(ctx.keyPath, 'kind'),
      message: kind === undefined ? 'missing pattern kind' : `pattern kind must be a string, got ${typeof kind}`,
      expected: `one of ${IMPLS.map((i) => i.id).join(', ')}`,
    });
  }
  const impl = IMPL_BY_NAME.get(kind.toLowerCase());
  if (!impl) {
    throw inputError({
      file: ctx.file,
      keyPath: joinKey(ctx.keyPath, 'kind'),
      message: `unknown sparsity pattern '${kind}'`,
      expected: `one of ${IMPLS.map((i) => i.id).join(', ')}`,
      hint: didYouMean(kind, names),
    });
  }
  const params = resolveImplParams(impl, raw, ctx);
  return { impl, params, spec: { kind: impl.id, ...params } };
}

/** Validates the spec and binds it to a shape. */
export function patternModel(spec: unknown, shape: Shape, file = DEFAULT_FILE, keyPath = ''): PatternModel {
  const ctx = { file, keyPath };
  const { impl, params } = resolvePattern(spec, ctx);
  return makeModel(impl, shape, params, ctx);
}

/** The concrete mask of a pattern for a shape and seed. */
export function generateMask(spec: unknown, shape: Shape, seed: number): Mask {
  return patternModel(spec, shape).generate(seed);
}

/** Statistical description of a pattern for a shape (no mask is built, except for 'matrix'). */
export function patternStats(spec: unknown, shape: Shape): PatternStats {
  return patternModel(spec, shape).stats();
}

/**
 * A 'matrix' pattern spec from Matrix Market text (the caller reads the file; `file` is only used
 * in error messages). The operand shape must then equal the matrix shape.
 */
export function matrixPatternFromMatrixMarket(text: string, file: string): PatternSpec {
  return { kind: 'matrix', matrix: parseMatrixMarket(text, file) };
}
