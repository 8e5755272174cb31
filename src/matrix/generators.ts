// Seeded, deterministic synthetic sparse matrices (structure only: the results are pattern
// matrices without values). Same parameters and seed → identical matrix on every platform.

import type { CsrMatrix } from './csr.js';
import type { MatrixSource } from '../core/types.js';
import { Rng } from '../core/random.js';
import { buildCsr } from './mtx.js';

export interface RmatParams {
  /** log2 of the vertex count: the matrix is 2^scale × 2^scale. */
  scale: number;
  /** Edges generated per vertex before duplicate removal (Graph500 uses 16). */
  edgeFactor: number;
  /** Quadrant probabilities; d = 1 − a − b − c. Graph500 defaults: 0.57, 0.19, 0.19 (d = 0.05). */
  a?: number;
  b?: number;
  c?: number;
  /**
   * Relabel the vertices with a seeded random permutation, as the Graph500 generator does
   * (default true). Without it the high-degree vertices cluster at low indices (those whose index
   * has few one-bits), which any index-based partition of rows turns into artificial imbalance.
   */
  permute?: boolean;
}

export const GRAPH500_RMAT = { a: 0.57, b: 0.19, c: 0.19 } as const;

/**
 * R-MAT / Kronecker power-law graph (Chakrabarti et al., SDM 2004; Graph500 generator
 * parameters). Each of edgeFactor·2^scale edges picks one quadrant per level with probabilities
 * a, b, c, d, recursively. Entry (u, v) is the directed edge u → v.
 *
 * - Duplicate edges are removed, so nnz ≤ edgeFactor·2^scale (noticeably less for skewed a: the
 *   hottest vertex pairs are drawn many times). Self-loops are kept. The graph stays directed.
 * - Vertex labels are randomly permuted (seeded) unless `permute: false`, as in Graph500; no
 *   per-level noise is added.
 */
export function rmat(params: RmatParams, seed: number): CsrMatrix {
  const { scale, edgeFactor } = params;
  const a = params.a ?? GRAPH500_RMAT.a;
  const b = params.b ?? GRAPH500_RMAT.b;
  const c = params.c ?? GRAPH500_RMAT.c;
  const d = 1 - a - b - c;
  if (!Number.isInteger(scale) || scale < 0 || scale > 30) throw new RangeError(`rmat: scale must be an integer in [0, 30], got ${scale}`);
  if (!(edgeFactor > 0)) throw new RangeError(`rmat: edgeFactor must be > 0, got ${edgeFactor}`);
  if (a < 0 || b < 0 || c < 0 || d < -1e-12) throw new RangeError(`rmat: probabilities must be non-negative with a + b + c <= 1 (a=${a}, b=${b}, c=${c})`);
  const n = 2 ** scale;
  const edges = Math.round(edgeFactor * n);
  if (edges > 2 ** 31 - 1) throw new RangeError(`rmat: ${edges} edges exceed 32-bit indexing`);
  const rng = new Rng(seed);
  const rows = new Int32Array(edges);
  const cols = new Int32Array(edges);
  const ab = a + b;
  const abc = a + b + c;
  for (let e = 0; e < edges; e++) {
    let u = 0;
    let v = 0;
    for (let level = 0; level < scale; level++) {
      const r = rng.nextFloat();
      u <<= 1;
      v <<= 1;
      if (r < a) {
        // top-left quadrant
      } else if (r < ab) {
        v |= 1;
      } else if (r < abc) {
        u |= 1;
      } else {
        u |= 1;
        v |= 1;
      }
    }
    rows[e] = u;
    cols[e] = v;
  }
  if (params.permute ?? true) {
    // Fisher–Yates on the labels, from the same stream after the edges.
    const label = new Int32Array(n);
    for (let i = 0; i < n; i++) label[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      const tmp = label[i];
      label[i] = label[j];
      label[j] = tmp;
    }
    for (let e = 0; e < edges; e++) {
      rows[e] = label[rows[e]];
      cols[e] = label[cols[e]];
    }
  }
  return buildCsr(n, n, rows, cols, undefined, edges);
}

export interface UniformParams {
  rows: number;
  cols: number;
  /** Probability that each entry is a structural nonzero (independent Bernoulli per entry). */
  density: number;
}

/**
 * Uniform random (Erdős–Rényi) sparsity: every entry is present independently with probability
 * `density`, sampled exactly by geometric skips, O(nnz) time. Expected nnz = rows·cols·density.
 */
export function uniformRandom(params: UniformParams, seed: number): CsrMatrix {
  const { rows, cols, density } = params;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) throw new RangeError(`uniformRandom: rows and cols must be non-negative integers`);
  if (!(density >= 0 && density <= 1)) throw new RangeError(`uniformRandom: density must be in [0, 1], got ${density}`);
  const rng = new Rng(seed);
  const rowPtr = new Int32Array(rows + 1);
  let capacity = Math.max(16, Math.ceil(rows * cols * density * 1.1 + 64));
  let colIdx = new Int32Array(capacity);
  let count = 0;
  const logQ = density < 1 ? Math.log1p(-density) : 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = count;
    if (density === 0) continue;
    let c = -1;
    for (;;) {
      if (density === 1) {
        c++;
      } else {
        // Gap to the next success of a Bernoulli(density) sequence: geometric, ≥ 1.
        const u = 1 - rng.nextFloat(); // (0, 1]
        c += 1 + Math.floor(Math.log(u) / logQ);
      }
      if (c >= cols) break;
      if (count === capacity) {
        capacity *= 2;
        const grown = new Int32Array(capacity);
        grown.set(colIdx);
        colIdx = grown;
      }
      colIdx[count++] = c;
    }
  }
  rowPtr[rows] = count;
  return { rows, cols, rowPtr, colIdx: colIdx.slice(0, count) };
}

export interface BandedParams {
  rows: number;
  /** Entries (i, j) with |i − j| ≤ halfBandwidth are present (square matrix). */
  halfBandwidth: number;
}

/** Square banded matrix (FEM/stencil-like): full band of width 2·halfBandwidth + 1. */
export function banded(params: BandedParams): CsrMatrix {
  const { rows, halfBandwidth } = params;
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError('banded: rows must be a non-negative integer');
  if (!Number.isInteger(halfBandwidth) || halfBandwidth < 0) throw new RangeError('banded: halfBandwidth must be a non-negative integer');
  const rowPtr = new Int32Array(rows + 1);
  let total = 0;
  for (let r = 0; r < rows; r++) total += Math.min(rows - 1, r + halfBandwidth) - Math.max(0, r - halfBandwidth) + 1;
  const colIdx = new Int32Array(total);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = count;
    const hi = Math.min(rows - 1, r + halfBandwidth);
    for (let c = Math.max(0, r - halfBandwidth); c <= hi; c++) colIdx[count++] = c;
  }
  rowPtr[rows] = count;
  return { rows, cols: rows, rowPtr, colIdx };
}

/**
 * The matrix a workload names. `.mtx` sources arrive already parsed by the loader (the core does
 * no I/O); synthetic ones are generated from `seed` (callers derive one seed per operand).
 */
export function resolveMatrix(source: MatrixSource, seed: number): CsrMatrix {
  switch (source.kind) {
    case 'mtx':
      return source.matrix;
    case 'rmat':
      return rmat({ scale: source.scale, edgeFactor: source.edgeFactor, a: source.a, b: source.b, c: source.c }, seed);
    case 'uniform':
      return uniformRandom({ rows: source.rows, cols: source.cols, density: source.density }, seed);
    case 'banded':
      return banded({ rows: source.rows, halfBandwidth: source.halfBandwidth });
  }
}
