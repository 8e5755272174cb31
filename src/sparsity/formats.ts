// Sparse storage formats with exact storage accounting (in bits) from a concrete mask, and closed
// forms for the statistical mode (from the shape, the pattern statistics and the format
// parameters, without building a mask).
//
// Accounting rule, shared by every format:
//   valueBits    = nonzero values actually held (nnz * valueBits);
//   metadataBits = indices, bitmaps, run lengths and per-block codes that describe those values;
//   pointerBits  = row / column / block-row / tile pointers and offsets;
//   paddingBits  = everything stored only because of the format's regularity that carries no
//                  information: explicit zeros in value slots together with the metadata of those
//                  slots (padded N:M slots, zeros inside stored blocks, padded ELL blocks, Tiled-CSL
//                  alignment entries, RLE overflow zeros), and filler words;
//   totalBits    = the sum; bytes = ceil(totalBits / 8);
//   storedValues = value slots stored, including explicit zeros.
// So at any density valueBits = nnz * valueBits, and at density 1.0 every format stores
// rows * cols values (plus structural overhead).
//
// Index widths: 'auto' (the default) is ceil(log2(extent)) of the dimension indexed; pointer
// widths: 'auto' is the bits needed for the largest value the pointer can take for this shape
// (e.g. rows * cols for CSR row pointers). Both are declared parameters; set 16 or 32 to model a
// fixed-width implementation.

import { didYouMean, inputError } from '../spec/errors.js';
import type { CsrMatrix } from '../matrix/csr.js';
import { countBits, maskNnz, tileNnz, wordsPerRow, type Mask } from './mask.js';
import { binomialPmf, bitsFor, bitsForValue, countPmf, discreteCountPmf, effectiveCount } from './math.js';
import { joinKey, num, numOrAuto, resolveParams, str, type ResolvedParams, type SparsityParamDecl } from './params.js';
import { gridClasses, perClass, type GridClasses } from './grid.js';
import { patternModel, validatePatternSpec, type Moments, type PatternModel, type PatternSpec, type PatternStats, type Shape } from './patterns.js';
import { zeroRunOverflow, type ScanOrder } from './runs.js';
import { DSP_CHAIN_COMPRESSED, GRAPH_KERNELS_ONLY, SPATIAL_FORMAT_STORAGE, SYSTOLIC_COMPRESSED, type FamilyCapabilities } from './capabilities.js';

export interface StorageBreakdown {
  valueBits: number;
  metadataBits: number;
  pointerBits: number;
  paddingBits: number;
  totalBits: number;
  bytes: number;
  /** Value slots stored, including explicit zeros (padding). */
  storedValues: number;
  /** False when a statistical figure is an approximation rather than the exact expectation. */
  exact: boolean;
  /** Format-specific counts (blocks stored, overflow zeros, padded entries...). */
  details?: Record<string, number>;
  note?: string;
}

export interface FormatDef {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly params: readonly SparsityParamDecl[];
  /** Exact storage of a concrete mask. Throws InputError when the format cannot hold the mask. */
  storage(mask: Mask, params?: Readonly<Record<string, unknown>>): StorageBreakdown;
  /**
   * Expected storage without a mask. With `patternStats` the pattern's model drives the closed
   * form (and `density` is ignored); without it the operand is modelled as unstructured
   * (uniform exact-count) at `density`.
   */
  storageStatistical(
    shape: Shape,
    density: number,
    patternStats?: PatternStats,
    params?: Readonly<Record<string, unknown>>,
  ): StorageBreakdown;
  /** True when every mask of the pattern fits the format, else the reason. */
  canRepresent(patternSpec: unknown, params?: Readonly<Record<string, unknown>>): true | string;
  /** What each architecture family does with the format (capabilities.ts). */
  readonly families: FamilyCapabilities;
}

// ---------------------------------------------------------------------------------------------
// Helpers

interface Parts {
  value: number;
  metadata: number;
  pointer: number;
  padding: number;
  stored: number;
  exact?: boolean;
  details?: Record<string, number>;
  note?: string;
}

function breakdown(parts: Parts): StorageBreakdown {
  const total = parts.value + parts.metadata + parts.pointer + parts.padding;
  const out: StorageBreakdown = {
    valueBits: parts.value,
    metadataBits: parts.metadata,
    pointerBits: parts.pointer,
    paddingBits: parts.padding,
    totalBits: total,
    bytes: Math.ceil(total / 8 - 1e-9),
    storedValues: parts.stored,
    exact: parts.exact ?? true,
  };
  if (parts.details) out.details = parts.details;
  if (parts.note) out.note = parts.note;
  return out;
}

const FILE = '<format>';

const valueBitsParam = (fallback = 16): SparsityParamDecl => ({
  name: 'valueBits',
  type: 'integer',
  default: fallback,
  min: 1,
  description: `Bits per stored value (16 = FP16/BF16, 8 = INT8); default ${fallback}.`,
});

const indexBitsParam = (auto: string): SparsityParamDecl => ({
  name: 'indexBits',
  type: 'integer-or-auto',
  default: 'auto',
  min: 0,
  description: `Bits per index; 'auto' = ${auto}.`,
});

const pointerBitsParam = (auto: string): SparsityParamDecl => ({
  name: 'pointerBits',
  type: 'integer-or-auto',
  default: 'auto',
  min: 1,
  description: `Bits per pointer; 'auto' = ${auto}.`,
});

/** Per-block nonzero counts on a bh x bw grid. */
function blockCounts(mask: Mask, bh: number, bw: number): { nbr: number; nbc: number; counts: Uint32Array } {
  const grid = tileNnz(mask, bh, bw);
  return { nbr: grid.gridRows, nbc: grid.gridCols, counts: grid.counts };
}

/**
 * Expected block occupancy of a pattern on a bh x bw grid: P(block nonempty) for each (row class,
 * column class) pair of the grid (see grid.ts), row-class-major.
 */
function blockOccupancy(model: PatternModel, bh: number, bw: number): { grid: GridClasses; p: number[] } {
  const grid = gridClasses(model, bh, bw);
  return { grid, p: perClass(grid, (r0, r1, c0, c1) => 1 - model.regionEmptyProb(r0, r1, c0, c1)) };
}

function isBinary(x: number): boolean {
  return x < 1e-12 || x > 1 - 1e-12;
}

// ---------------------------------------------------------------------------------------------
// Format implementations

interface Ctx {
  file: string;
  keyPath: string;
  /** Statistical mode without pattern statistics: the operand is modelled as unstructured at the
   * given density, and structured formats assume it satisfies their structure. */
  densityOnly?: boolean;
}

interface FormatImpl {
  id: string;
  aliases: string[];
  description: string;
  /** Required: every family's capability, so a new format cannot run silently as another kernel. */
  families: FamilyCapabilities;
  params: SparsityParamDecl[];
  check?(p: ResolvedParams, ctx: Ctx): void;
  exact(mask: Mask, p: ResolvedParams, ctx: Ctx): StorageBreakdown;
  /** `nnz` is the expected nonzero count; `model` the pattern model (uniform when none was given). */
  statistical(shape: Shape, nnz: number, model: PatternModel, p: ResolvedParams, ctx: Ctx): StorageBreakdown;
  canRepresent?(spec: PatternSpec, p: ResolvedParams): true | string;
}

const denseFormat: FormatImpl = {
  id: 'dense',
  families: { systolic: { use: 'kernel', kernel: 'dense array', note: 'the array computes dense operands' }, 'tensor-core': { use: 'kernel', kernel: 'cublas', note: 'dense tensor-core GEMM' }, 'dsp-chain': { use: 'kernel', kernel: 'dense chain', note: 'every chain slot holds a weight' }, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['uncompressed', 'full'],
  description: 'Every element stored; zeros count as padding.',
  params: [valueBitsParam()],
  exact(mask, p) {
    return denseParts(mask.rows * mask.cols, maskNnz(mask), num(p, 'valueBits'));
  },
  statistical(shape, nnz, _m, p) {
    return denseParts(shape.rows * shape.cols, nnz, num(p, 'valueBits'));
  },
};

function denseParts(elements: number, nnz: number, vb: number): StorageBreakdown {
  return breakdown({ value: nnz * vb, metadata: 0, pointer: 0, padding: (elements - nnz) * vb, stored: elements });
}

const coo: FormatImpl = {
  id: 'coo',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'sputnik', note: 'CUDA-core SpMM over the coordinates' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['coordinate'],
  description: 'Coordinate list: a row index, a column index and a value per nonzero.',
  params: [valueBitsParam(), indexBitsParam('ceil(log2(rows)) for row indices and ceil(log2(cols)) for column indices')],
  exact: (mask, p) => cooParts(mask.rows, mask.cols, maskNnz(mask), p),
  statistical: (shape, nnz, _m, p) => cooParts(shape.rows, shape.cols, nnz, p),
};

function cooParts(rows: number, cols: number, nnz: number, p: ResolvedParams): StorageBreakdown {
  const ib = numOrAuto(p, 'indexBits', bitsFor(rows)) + numOrAuto(p, 'indexBits', bitsFor(cols));
  return breakdown({ value: nnz * num(p, 'valueBits'), metadata: nnz * ib, pointer: 0, padding: 0, stored: nnz });
}

function compressedParts(lines: number, other: number, elements: number, nnz: number, p: ResolvedParams): StorageBreakdown {
  const ib = numOrAuto(p, 'indexBits', bitsFor(other));
  const pb = numOrAuto(p, 'pointerBits', bitsForValue(elements));
  return breakdown({ value: nnz * num(p, 'valueBits'), metadata: nnz * ib, pointer: (lines + 1) * pb, padding: 0, stored: nnz });
}

const csr: FormatImpl = {
  id: 'csr',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'sputnik', note: 'Sputnik-like CUDA-core SpMM' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['compressed-sparse-row'],
  description: 'Compressed sparse row: a column index per nonzero and rows + 1 row pointers.',
  params: [valueBitsParam(), indexBitsParam('ceil(log2(cols))'), pointerBitsParam('bits to hold rows * cols')],
  exact: (mask, p) => compressedParts(mask.rows, mask.cols, mask.rows * mask.cols, maskNnz(mask), p),
  statistical: (shape, nnz, _m, p) => compressedParts(shape.rows, shape.cols, shape.rows * shape.cols, nnz, p),
};

const csc: FormatImpl = {
  id: 'csc',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'sputnik', note: 'CUDA-core SpMM over the columns' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['compressed-sparse-column'],
  description: 'Compressed sparse column: a row index per nonzero and cols + 1 column pointers.',
  params: [valueBitsParam(), indexBitsParam('ceil(log2(rows))'), pointerBitsParam('bits to hold rows * cols')],
  exact: (mask, p) => compressedParts(mask.cols, mask.rows, mask.rows * mask.cols, maskNnz(mask), p),
  statistical: (shape, nnz, _m, p) => compressedParts(shape.cols, shape.rows, shape.rows * shape.cols, nnz, p),
};

const bitmap: FormatImpl = {
  id: 'bitmap',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'lscd', note: 'load-as-sparse, compute-as-dense (dstc when the GPU is dual-side sparse and the input is a bitmap too)' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['bitmask'],
  description: 'One presence bit per element plus the nonzero values.',
  params: [valueBitsParam()],
  exact: (mask, p) => bitmapParts(mask.rows * mask.cols, maskNnz(mask), p),
  statistical: (shape, nnz, _m, p) => bitmapParts(shape.rows * shape.cols, nnz, p),
};

function bitmapParts(elements: number, nnz: number, p: ResolvedParams): StorageBreakdown {
  return breakdown({ value: nnz * num(p, 'valueBits'), metadata: elements, pointer: 0, padding: 0, stored: nnz });
}

// --- N:M -------------------------------------------------------------------------------------

interface NmGeometry {
  n: number;
  m: number;
  alongCols: boolean;
  /** Value slots: n per full group, min(n, L) for a trailing partial group of length L. */
  slots: number;
  indexBits: number;
}

function nmGeometry(rows: number, cols: number, p: ResolvedParams): NmGeometry {
  const n = num(p, 'n');
  const m = num(p, 'm');
  const alongCols = str(p, 'dim') === 'cols';
  const len = alongCols ? cols : rows;
  const lines = alongCols ? rows : cols;
  const full = Math.floor(len / m);
  const slots = lines * (full * n + Math.min(n, len - full * m));
  return { n, m, alongCols, slots, indexBits: numOrAuto(p, 'indexBits', bitsFor(m)) };
}

function nmParts(g: NmGeometry, nnz: number, vb: number, exact: boolean): StorageBreakdown {
  return breakdown({
    value: nnz * vb,
    metadata: nnz * g.indexBits,
    pointer: 0,
    padding: (g.slots - nnz) * (vb + g.indexBits),
    stored: g.slots,
    exact,
    details: { slots: g.slots, paddedSlots: g.slots - nnz },
  });
}

/** First N:M violation (a group with more than n nonzeros) and how many groups violate. */
function nmViolation(mask: Mask, n: number, m: number, alongCols: boolean): { text: string; count: number } | undefined {
  const { rows, cols, words } = mask;
  const wpr = wordsPerRow(cols);
  let first: string | undefined;
  let count = 0;
  if (alongCols) {
    for (let r = 0; r < rows; r++) {
      const base = r * wpr;
      for (let c0 = 0; c0 < cols; c0 += m) {
        const c1 = Math.min(cols, c0 + m);
        const k = countBits(words, base, c0, c1);
        if (k > n) {
          count++;
          first ??= `group at row ${r}, cols ${c0}..${c1 - 1} has ${k} nonzeros`;
        }
      }
    }
  } else {
    const perCol = new Uint32Array(cols);
    for (let r0 = 0; r0 < rows; r0 += m) {
      const r1 = Math.min(rows, r0 + m);
      perCol.fill(0);
      for (let r = r0; r < r1; r++) {
        const base = r * wpr;
        for (let i = 0; i < wpr; i++) {
          let x = words[base + i];
          while (x !== 0) {
            const low = x & -x;
            perCol[i * 32 + (31 - Math.clz32(low))]++;
            x = (x ^ low) >>> 0;
          }
        }
      }
      for (let c = 0; c < cols; c++) {
        if (perCol[c] > n) {
          count++;
          first ??= `group at col ${c}, rows ${r0}..${r1 - 1} has ${perCol[c]} nonzeros`;
        }
      }
    }
  }
  return first === undefined ? undefined : { text: first, count };
}

function nmCanRepresent(spec: PatternSpec, p: ResolvedParams): true | string {
  const n = num(p, 'n');
  const m = num(p, 'm');
  const dim = str(p, 'dim');
  const label = `${n}:${m} along ${dim}`;
  if (n >= m) return true;
  switch (spec.kind) {
    case 'dense':
      return `a dense operand has ${m} nonzeros in every group of ${m}; ${label} keeps at most ${n}`;
    case 'nm': {
      const pn = spec.n as number;
      const pm = spec.m as number;
      if (pn === 0) return true;
      if (spec.dim !== dim) return `the pattern's groups run along ${String(spec.dim)}, the format's along ${dim}`;
      let worst: number | undefined;
      if (pm % m === 0) worst = Math.min(pn, m);
      else if (m % pm === 0) worst = (pn * m) / pm;
      if (worst === undefined) return `pattern groups of ${pm} and format groups of ${m} do not nest`;
      return worst <= n ? true : `a ${pn}:${pm} pattern can put ${worst} nonzeros in a group of ${m}; ${label} keeps at most ${n}`;
    }
    case 'banded': {
      const worst = Math.min(m, 2 * (spec.halfBandwidth as number) + 1);
      return worst <= n ? true : `a band of half-width ${String(spec.halfBandwidth)} puts up to ${worst} nonzeros in a group of ${m}`;
    }
    case 'matrix': {
      const matrix = spec.matrix as CsrMatrix;
      const model = patternModel(spec, { rows: matrix.rows, cols: matrix.cols });
      const violation = nmViolation(model.generate(0), n, m, dim === 'cols');
      return violation ? `${label} storage cannot represent this matrix: ${violation.text}` : true;
    }
    default: {
      const density = typeof spec.density === 'number' ? spec.density : undefined;
      if (density === 0) return true;
      return `pattern '${spec.kind}' can put up to ${m} nonzeros in a group of ${m}; ${label} keeps at most ${n}`;
    }
  }
}

const nmFormat: FormatImpl = {
  id: 'nm',
  families: { systolic: { use: 'kernel', kernel: 'nm-packing', note: 'with zero_handling: skipping, N:M weights along K are packed in the array (otherwise compressed traffic only)' }, 'tensor-core': { use: 'kernel', kernel: 'cusparselt', note: '2:4 sparse MMA for N:4 with N <= 2; other N:M run load-as-sparse, compute-as-dense' }, 'dsp-chain': { use: 'kernel', kernel: 'grouped sparse chain', note: 'FlightLLM-style N:M groups along K on the chain' }, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['n:m', 'structured'],
  description:
    'N:M compressed (NVIDIA 2:4 style): each group of M consecutive elements along `dim` stores exactly N value ' +
    'slots, each with a ceil(log2(M))-bit position; groups with fewer than N nonzeros hold explicit zeros ' +
    '(padding). 2:4 FP16 costs 9 bits per dense element. A group with more than N nonzeros is an error.',
  params: [
    { name: 'n', type: 'integer', default: 2, min: 0, description: 'Value slots per group.' },
    { name: 'm', type: 'integer', default: 4, min: 1, description: 'Group length.' },
    { name: 'dim', type: 'enum', default: 'cols', values: ['rows', 'cols'], description: "Dimension the groups run along ('cols' = along each row, the K dimension of an M x K operand)." },
    valueBitsParam(),
    indexBitsParam('ceil(log2(m))'),
  ],
  check(p, ctx) {
    if (num(p, 'n') > num(p, 'm')) {
      throw inputError({ file: ctx.file, keyPath: joinKey(ctx.keyPath, 'n'), message: `n (${num(p, 'n')}) must not exceed m (${num(p, 'm')})`, expected: 'n <= m' });
    }
  },
  exact(mask, p, ctx) {
    const g = nmGeometry(mask.rows, mask.cols, p);
    const violation = nmViolation(mask, g.n, g.m, g.alongCols);
    if (violation) {
      const more = violation.count > 1 ? ` (${violation.count} groups violate ${g.n}:${g.m})` : '';
      throw inputError({
        file: ctx.file,
        keyPath: ctx.keyPath,
        message: `${g.n}:${g.m} storage cannot represent this mask: ${violation.text}${more}`,
        expected: `at most ${g.n} nonzeros in every group of ${g.m} along ${g.alongCols ? 'cols' : 'rows'}`,
      });
    }
    return nmParts(g, maskNnz(mask), num(p, 'valueBits'), true);
  },
  statistical(shape, nnz, model, p, ctx) {
    const g = nmGeometry(shape.rows, shape.cols, p);
    if (ctx.densityOnly) {
      if (nnz > g.slots + 1e-9) {
        throw inputError({ file: ctx.file, keyPath: ctx.keyPath, message: `${g.n}:${g.m} storage holds at most ${g.slots} nonzeros, the operand has ${nnz}` });
      }
      const out = nmParts(g, nnz, num(p, 'valueBits'), true);
      out.note = `assumes the operand satisfies ${g.n}:${g.m} (no pattern given)`;
      return out;
    }
    const ok = nmCanRepresent(model.spec, p);
    if (ok !== true) {
      throw inputError({ file: ctx.file, keyPath: ctx.keyPath, message: `${g.n}:${g.m} storage cannot represent this operand: ${ok}` });
    }
    return nmParts(g, nnz, num(p, 'valueBits'), true);
  },
  canRepresent: nmCanRepresent,
};

// --- Blocked formats ---------------------------------------------------------------------------

const blockParams = (size: number): SparsityParamDecl[] => [
  { name: 'bh', type: 'integer', default: size, min: 1, description: `Block height (default ${size}).` },
  { name: 'bw', type: 'integer', default: size, min: 1, description: `Block width (default ${size}).` },
];

function ellParts(
  nbr: number,
  width: number,
  nonEmpty: number,
  nnz: number,
  bh: number,
  bw: number,
  vb: number,
  ib: number,
  exact: boolean,
): StorageBreakdown {
  const storedBlocks = nbr * width;
  return breakdown({
    value: nnz * vb,
    metadata: nonEmpty * ib,
    pointer: 0,
    padding: (storedBlocks * bh * bw - nnz) * vb + (storedBlocks - nonEmpty) * ib,
    stored: storedBlocks * bh * bw,
    exact,
    details: { storedBlocks, nonEmptyBlocks: nonEmpty, ellWidth: width },
  });
}

const blockedEll: FormatImpl = {
  id: 'blocked-ell',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'block-sparse', note: 'MMA on stored blocks only' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['ell', 'bell', 'blocked_ell', 'blockedell'],
  description:
    'Blocked-ELL (cuSPARSE): bh x bw blocks; every block row stores the same number of blocks (the largest count ' +
    'of nonzero blocks in any block row), each dense, with one block-column index; shorter block rows are padded ' +
    'with zero blocks. Edge blocks are stored full size.',
  params: [...blockParams(16), valueBitsParam(), indexBitsParam('ceil(log2(block columns))')],
  exact(mask, p) {
    const bh = num(p, 'bh');
    const bw = num(p, 'bw');
    const { nbr, nbc, counts } = blockCounts(mask, bh, bw);
    let width = 0;
    let nonEmpty = 0;
    for (let i = 0; i < nbr; i++) {
      let e = 0;
      for (let j = 0; j < nbc; j++) if (counts[i * nbc + j] > 0) e++;
      nonEmpty += e;
      width = Math.max(width, e);
    }
    return ellParts(nbr, width, nonEmpty, maskNnz(mask), bh, bw, num(p, 'valueBits'), numOrAuto(p, 'indexBits', bitsFor(nbc)), true);
  },
  statistical(_shape, nnz, model, p) {
    const bh = num(p, 'bh');
    const bw = num(p, 'bw');
    const { grid, p: occ } = blockOccupancy(model, bh, bw);
    const nbr = grid.gridRows;
    const nbc = grid.gridCols;
    let nonEmpty = 0;
    let deterministic = true;
    const rowMeans: { mu: number; count: number }[] = [];
    let k = 0;
    for (const rc of grid.rowClasses) {
      let mu = 0;
      for (const cc of grid.colClasses) {
        const q = occ[k++];
        mu += q * cc.count;
        if (!isBinary(q)) deterministic = false;
      }
      rowMeans.push({ mu, count: rc.count });
      nonEmpty += mu * rc.count;
    }
    const maxMean = Math.max(...rowMeans.map((r) => r.mu));
    let width: number;
    if (deterministic) width = Math.round(maxMean);
    else {
      // E[max_i X_i] with X_i ~ Binomial(nbc, mu_i / nbc); block rows are correlated as their
      // nonzero counts are (from the moments of two adjacent block rows), and the maximum is taken
      // as over nbr / (1 + (nbr-1) rho) independent block rows (approximation).
      let rho = 0;
      if (nbr > 1) {
        const { rows, cols } = model.shape;
        const one = model.regionMoments(0, bh, 0, cols);
        const two = model.regionMoments(bh, Math.min(rows, 2 * bh), 0, cols);
        const both = model.regionMoments(0, Math.min(rows, 2 * bh), 0, cols);
        if (one.variance > 1e-12 && two.variance > 1e-12) {
          rho = (both.variance - one.variance - two.variance) / (2 * Math.sqrt(one.variance * two.variance));
        }
      }
      const scale = effectiveCount(nbr, rho) / nbr;
      const classes = new Map<number, number>();
      for (const { mu, count } of rowMeans) classes.set(mu, (classes.get(mu) ?? 0) + count);
      const cdfs: { cdf: Float64Array; count: number }[] = [];
      for (const [mu, count] of classes) {
        const pmf = binomialPmf(nbc, Math.min(1, mu / nbc));
        const cdf = new Float64Array(nbc + 1);
        let acc = 0;
        for (let x = 0; x <= nbc; x++) cdf[x] = acc = Math.min(1, acc + pmf[x]);
        cdfs.push({ cdf, count: count * scale });
      }
      width = 0;
      for (let x = 0; x < nbc; x++) {
        let all = 1;
        for (const { cdf, count } of cdfs) all *= cdf[x] ** count;
        width += 1 - all;
      }
      width = Math.max(width, maxMean);
    }
    const out = ellParts(nbr, width, nonEmpty, nnz, bh, bw, num(p, 'valueBits'), numOrAuto(p, 'indexBits', bitsFor(nbc)), deterministic && model.regionExact);
    if (!out.exact) out.note = 'ELL width (max nonzero blocks per block row) approximated with correlation-adjusted binomial block rows';
    return out;
  },
};

function bcsrParts(nbr: number, nbc: number, nonEmpty: number, nnz: number, p: ResolvedParams, exact: boolean): StorageBreakdown {
  const bh = num(p, 'bh');
  const bw = num(p, 'bw');
  const vb = num(p, 'valueBits');
  return breakdown({
    value: nnz * vb,
    metadata: nonEmpty * numOrAuto(p, 'indexBits', bitsFor(nbc)),
    pointer: (nbr + 1) * numOrAuto(p, 'pointerBits', bitsForValue(nbr * nbc)),
    padding: (nonEmpty * bh * bw - nnz) * vb,
    stored: nonEmpty * bh * bw,
    exact,
    details: { storedBlocks: nonEmpty },
  });
}

const bcsr: FormatImpl = {
  id: 'bcsr',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'block-sparse', note: 'MMA on stored blocks only' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['block-csr', 'bsr'],
  description:
    'Block CSR (BSR): bh x bw blocks; every block holding a nonzero is stored dense with a block-column index, ' +
    'plus block rows + 1 block-row pointers. Edge blocks are stored full size.',
  params: [...blockParams(4), valueBitsParam(), indexBitsParam('ceil(log2(block columns))'), pointerBitsParam('bits to hold the block count')],
  exact(mask, p) {
    const { nbr, nbc, counts } = blockCounts(mask, num(p, 'bh'), num(p, 'bw'));
    let nonEmpty = 0;
    for (const v of counts) if (v > 0) nonEmpty++;
    return bcsrParts(nbr, nbc, nonEmpty, maskNnz(mask), p, true);
  },
  statistical(_shape, nnz, model, p) {
    const { grid, p: occ } = blockOccupancy(model, num(p, 'bh'), num(p, 'bw'));
    let nonEmpty = 0;
    let k = 0;
    for (const rc of grid.rowClasses) for (const cc of grid.colClasses) nonEmpty += occ[k++] * rc.count * cc.count;
    return bcsrParts(grid.gridRows, grid.gridCols, nonEmpty, nnz, p, model.regionExact);
  },
};

// --- GQSA: group sparsity + group quantisation ----------------------------------------------

/** GQSA groups as BSR blocks of 1 × groupSize along K, plus one scale per stored group. */
function gqsaParts(parts: StorageBreakdown, p: ResolvedParams): StorageBreakdown {
  const scaleBits = (parts.details?.storedBlocks ?? 0) * num(p, 'scaleBits');
  const totalBits = parts.totalBits + scaleBits;
  return { ...parts, metadataBits: parts.metadataBits + scaleBits, totalBits, bytes: Math.ceil(totalBits / 8 - 1e-9), details: { ...parts.details, scaleBits } };
}

const asGroups = (p: ResolvedParams): ResolvedParams => ({ ...p, bh: 1, bw: num(p, 'groupSize') });

const gqsa: FormatImpl = {
  id: 'gqsa',
  families: {
    systolic: SYSTOLIC_COMPRESSED,
    'tensor-core': { use: 'kernel', kernel: 'block-sparse', note: 'GQSA: MMA on the 16 × 16 fragments the kept groups touch (first approximation: tiles are staged in shared memory at the MAC width)' },
    'dsp-chain': DSP_CHAIN_COMPRESSED,
    scratchpad: GRAPH_KERNELS_ONLY,
    spatial: SPATIAL_FORMAT_STORAGE,
  },
  aliases: ['group-sparse-quantised'],
  description:
    'GQSA (group quantisation and sparsity): each weight row is cut into groups of `groupSize` consecutive values ' +
    'along K; a group is pruned whole or kept, and a kept group stores its values quantised (valueBits, 4 for ' +
    'INT4) with one `scaleBits` scale, a group-column index and BSR row pointers. Use it with weight_dtype: int4 ' +
    'and a row-wise block pattern (bh 1, bw groupSize).',
  params: [
    { name: 'groupSize', type: 'integer', default: 16, min: 1, description: 'Weights per group along K (default 16).' },
    valueBitsParam(4),
    { name: 'scaleBits', type: 'integer', default: 16, min: 0, description: 'Bits of the scale stored with each kept group (default 16, an FP16 scale).' },
    indexBitsParam('ceil(log2(groups per row))'),
    pointerBitsParam('bits to hold the group count'),
  ],
  exact(mask, raw) {
    const p = asGroups(raw);
    const { nbr, nbc, counts } = blockCounts(mask, 1, num(p, 'bw'));
    let nonEmpty = 0;
    for (const v of counts) if (v > 0) nonEmpty++;
    return gqsaParts(bcsrParts(nbr, nbc, nonEmpty, maskNnz(mask), p, true), p);
  },
  statistical(_shape, nnz, model, raw) {
    const p = asGroups(raw);
    const { grid, p: occ } = blockOccupancy(model, 1, num(p, 'bw'));
    let nonEmpty = 0;
    let k = 0;
    for (const rc of grid.rowClasses) for (const cc of grid.colClasses) nonEmpty += occ[k++] * rc.count * cc.count;
    return gqsaParts(bcsrParts(grid.gridRows, grid.gridCols, nonEmpty, nnz, p, model.regionExact), p);
  },
};

// --- Tiled-CSL (Flash-LLM) -------------------------------------------------------------------

const tiledCsl: FormatImpl = {
  id: 'tiled-csl',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'flash-llm', note: 'Flash-LLM load-as-sparse, compute-as-dense' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['tiledcsl', 'tiled_csl', 'flash-llm', 'flashllm'],
  description:
    'Tiled-CSL (Flash-LLM, VLDB 2024): the M x K weight (rows x cols) is cut into 128 x 64 tiles; each nonzero is ' +
    'one 32-bit word (16-bit value + 16-bit location inside the tile); each tile\'s entry count is padded to a ' +
    'multiple of 4; one 32-bit offset per tile plus 2 padding offset entries. Edge tiles are treated as full tiles.',
  params: [
    { name: 'tileRows', type: 'integer', default: 128, min: 1, description: 'Tile height (M direction).' },
    { name: 'tileCols', type: 'integer', default: 64, min: 1, description: 'Tile width (K direction).' },
    valueBitsParam(),
    { name: 'locationBits', type: 'integer', default: 16, min: 1, description: 'Bits of the in-tile location stored with each value.' },
    { name: 'offsetBits', type: 'integer', default: 32, min: 1, description: 'Bits per tile offset.' },
    { name: 'align', type: 'integer', default: 4, min: 1, description: "Each tile's entry count is padded to a multiple of this." },
    { name: 'offsetPadding', type: 'integer', default: 2, min: 0, description: 'Extra (padding) offset entries.' },
  ],
  check(p, ctx) {
    const needed = bitsFor(num(p, 'tileRows') * num(p, 'tileCols'));
    if (num(p, 'locationBits') < needed) {
      throw inputError({
        file: ctx.file,
        keyPath: joinKey(ctx.keyPath, 'locationBits'),
        message: `locationBits ${num(p, 'locationBits')} cannot address a ${num(p, 'tileRows')} x ${num(p, 'tileCols')} tile`,
        expected: `an integer >= ${needed}`,
      });
    }
  },
  exact(mask, p) {
    const grid = tileNnz(mask, num(p, 'tileRows'), num(p, 'tileCols'));
    const align = num(p, 'align');
    let nnz = 0;
    let padded = 0;
    for (const v of grid.counts) {
      nnz += v;
      padded += (align - (v % align)) % align;
    }
    return tiledCslParts(grid.counts.length, nnz, padded, p, true);
  },
  statistical(_shape, nnz, model, p) {
    const align = num(p, 'align');
    const grid = gridClasses(model, num(p, 'tileRows'), num(p, 'tileCols'));
    const tiles = perClass(grid, (r0, r1, c0, c1) => expectedAlignPad(model, r0, r1, c0, c1, align));
    const { gridRows, gridCols } = grid;
    let padded = 0;
    let exact = model.regionExact;
    let k = 0;
    for (const rc of grid.rowClasses) {
      for (const cc of grid.colClasses) {
        const tile = tiles[k++];
        padded += tile.pad * rc.count * cc.count;
        if (!tile.exact) exact = false;
      }
    }
    const out = tiledCslParts(gridRows * gridCols, nnz, padded, p, exact);
    if (!exact) out.note = 'per-tile alignment padding estimated from per-tile count moments (discretised normal)';
    return out;
  },
};

function tiledCslParts(tiles: number, nnz: number, paddedEntries: number, p: ResolvedParams, exact: boolean): StorageBreakdown {
  const vb = num(p, 'valueBits');
  const lb = num(p, 'locationBits');
  const ob = num(p, 'offsetBits');
  return breakdown({
    value: nnz * vb,
    metadata: nnz * lb,
    pointer: tiles * ob,
    padding: paddedEntries * (vb + lb) + num(p, 'offsetPadding') * ob,
    stored: nnz + paddedEntries,
    exact,
    details: { tiles, paddedEntries },
  });
}

// --- RLE ---------------------------------------------------------------------------------------

const rle: FormatImpl = {
  id: 'rle',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'kernel', kernel: 'lscd', note: 'run lengths decoded to dense tiles in shared memory' }, 'dsp-chain': DSP_CHAIN_COMPRESSED, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['run-length', 'rlc'],
  description:
    'Run-length encoding (EIE/Eyeriss style): one stream in row-major (or column-major) order; each nonzero ' +
    'stores an r-bit count of the zeros before it. A zero run longer than 2^r - 1 emits explicit zero values ' +
    '("overflow zeros", each with the maximal run 2^r - 1, counted as padding). Trailing zeros are free.',
  params: [
    { name: 'runBits', type: 'integer', default: 4, min: 1, max: 32, description: 'Bits r of each zero-run field (default 4, as in EIE).' },
    valueBitsParam(),
    { name: 'order', type: 'enum', default: 'rows', values: ['rows', 'cols'], description: "Scan order: 'rows' = row-major, 'cols' = column-major." },
  ],
  exact(mask, p) {
    const runBits = num(p, 'runBits');
    return rleParts(maskNnz(mask), zeroRunOverflow(mask, runBits, str(p, 'order') as ScanOrder), p, true);
  },
  statistical(shape, nnz, model, p) {
    const runBits = num(p, 'runBits');
    const order = str(p, 'order') as ScanOrder;
    const known = model.rleOverflow(runBits, order);
    if (known !== undefined) return rleParts(nnz, known, p, model.regionExact);
    const out = rleParts(nnz, approximateOverflow(shape, nnz, model, runBits, order), p, false);
    out.note = 'overflow zeros estimated from the expected number of nonzero runs with geometric gaps between runs';
    return out;
  },
};

/**
 * Run-aware estimate of RLE overflow zeros. The expected number of nonzero runs along the scan is
 * counted from region emptiness probabilities on up to 16 sampled lines (a run starts at x_c = 1
 * with x_(c-1) = 0), the zeros are spread over the gaps before the runs, and each gap is taken as
 * 1 + geometric with that mean: P(g >= j) = rho^(j-1), so E[floor(g / 2^r)] =
 * rho^(2^r - 1) / (1 - rho^(2^r)). For independent elements at density d this is exactly the
 * i.i.d. result (rho = 1 - d); for clustered patterns (blocks, whole rows) it accounts for the
 * fewer, longer gaps.
 */
function approximateOverflow(shape: Shape, nnz: number, model: PatternModel, runBits: number, order: ScanOrder): number {
  if (nnz <= 0) return 0;
  const lines = order === 'rows' ? shape.rows : shape.cols;
  const len = order === 'rows' ? shape.cols : shape.rows;
  const empty = (line: number, a: number, b: number): number =>
    order === 'rows' ? model.regionEmptyProb(line, line + 1, a, b) : model.regionEmptyProb(a, b, line, line + 1);
  const samples = Math.min(lines, 16);
  let starts = 0;
  for (let i = 0; i < samples; i++) {
    const line = Math.floor(((i + 0.5) * lines) / samples);
    starts += 1 - empty(line, 0, 1);
    for (let c = 1; c < len; c++) starts += empty(line, c - 1, c) - empty(line, c - 1, c + 1);
  }
  const runs = (starts * lines) / samples;
  if (runs <= 0) return 0;
  const meanGap = (shape.rows * shape.cols - nnz) / runs;
  if (meanGap <= 1) return 0;
  const rho = (meanGap - 1) / meanGap;
  const span = 2 ** runBits;
  const q = Math.exp(span * Math.log(rho));
  return (runs * (q / rho)) / (1 - q);
}

function rleParts(nnz: number, overflow: number, p: ResolvedParams, exact: boolean): StorageBreakdown {
  const vb = num(p, 'valueBits');
  const rb = num(p, 'runBits');
  return breakdown({
    value: nnz * vb,
    metadata: nnz * rb,
    pointer: 0,
    padding: overflow * (vb + rb),
    stored: nnz + overflow,
    exact,
    details: { overflowZeros: overflow },
  });
}

// --- FlightLLM N:16 ---------------------------------------------------------------------------

const FLIGHT_N = [2, 4, 8, 16] as const;

function flightN(maxPerGroup: number): number {
  for (const n of FLIGHT_N) if (n >= maxPerGroup) return n;
  return 16;
}

const flightllm: FormatImpl = {
  id: 'flightllm-n16',
  families: { systolic: SYSTOLIC_COMPRESSED, 'tensor-core': { use: 'fallback', as: 'lscd', why: 'no N:16 sparse MMA on a GPU: the N:16 blocks are decoded to dense tiles in shared memory' }, 'dsp-chain': { use: 'kernel', kernel: 'grouped sparse chain', note: 'FlightLLM N:16 configurable sparse DSP chain' }, scratchpad: GRAPH_KERNELS_ONLY, spatial: SPATIAL_FORMAT_STORAGE },
  aliases: ['flightllm', 'n:16', 'nm16', 'flight-llm'],
  description:
    'FlightLLM N:16 blocks (FPGA 2024): the weight is cut into 16 x 16 blocks; each block has one code byte giving ' +
    'N in {2, 4, 8, 16}, the smallest of those >= the largest nonzero count of any 16-element group along K ' +
    '(a row of the block); every group then keeps N slots of INT8 value + 4-bit position, so metadata is half the ' +
    'value bytes. Kept slots holding zeros are padding. Edge blocks are treated as full 16 x 16 blocks.',
  params: [
    valueBitsParam(8),
    { name: 'indexBits', type: 'integer', default: 4, min: 0, description: 'Bits per kept value position (log2 16 = 4).' },
    { name: 'codeBits', type: 'integer', default: 8, min: 0, description: 'Bits of the per-block N code (one byte).' },
  ],
  exact: (mask, p) => flightExact(mask, p),
  statistical(_shape, nnz, model, p) {
    const grid = gridClasses(model, 16, 16);
    const blocks = perClass(grid, (r0, r1, c0, c1) => expectedFlightN(model, r0, r1, c0, c1));
    const nbr = grid.gridRows;
    const nbc = grid.gridCols;
    let slots = 0;
    let exact = model.regionExact;
    let k = 0;
    for (const rc of grid.rowClasses) {
      for (const cc of grid.colClasses) {
        const block = blocks[k++];
        slots += 16 * block.n * rc.count * cc.count;
        if (!block.exact) exact = false;
      }
    }
    const out = flightParts(nbr * nbc, slots, nnz, p, exact);
    if (!exact) out.note = 'per-block N estimated from per-group count moments (correlation-adjusted maximum over the 16 groups)';
    return out;
  },
};

/** Expected alignment padding entries of a tile: exact for a deterministic count, else estimated. */
function expectedAlignPad(model: PatternModel, r0: number, r1: number, c0: number, c1: number, align: number): { pad: number; exact: boolean } {
  const { mean, variance } = model.regionMoments(r0, r1, c0, c1);
  if (variance <= 1e-12) return { pad: (align - (Math.round(mean) % align)) % align, exact: model.regionExact };
  if (Math.sqrt(variance) > 3 * align) return { pad: (align - 1) / 2, exact: false }; // residues equidistributed
  const { offset, pmf } = discreteCountPmf(mean, variance, (r1 - r0) * (c1 - c0));
  let pad = 0;
  for (let i = 0; i < pmf.length; i++) pad += pmf[i] * ((align - ((offset + i) % align)) % align);
  return { pad, exact: false };
}

/**
 * Expected FlightLLM N of one 16 x 16 block (edge blocks clipped to the operand). Exact when the
 * pattern fixes the block's count (then every group count is known). Otherwise each 16-element
 * group (block row) gets a count distribution from groupPmf; groups are correlated as the block
 * variance implies, and the maximum over h groups is taken as over h / (1 + (h-1) rho)
 * independent ones.
 */
function expectedFlightN(model: PatternModel, r0: number, r1: number, c0: number, c1: number): { n: number; exact: boolean } {
  const block = model.regionMoments(r0, r1, c0, c1);
  if (block.variance <= 1e-12) {
    let max = 0;
    for (let r = r0; r < r1; r++) max = Math.max(max, Math.round(model.regionMoments(r, r + 1, c0, c1).mean));
    return { n: flightN(max), exact: model.regionExact };
  }
  const h = r1 - r0;
  const len = c1 - c0;
  const groups: Moments[] = [];
  if (model.regionExact) for (let r = r0; r < r1; r++) groups.push(model.regionMoments(r, r + 1, c0, c1));
  else {
    const g = model.regionMoments(r0, r0 + 1, c0, c1);
    for (let r = r0; r < r1; r++) groups.push({ mean: block.mean / h, variance: g.variance });
  }
  let sumVar = 0;
  let sumSd = 0;
  let uniformRows = true;
  for (const g of groups) {
    sumVar += g.variance;
    sumSd += Math.sqrt(g.variance);
    if (g.mean !== groups[0].mean || g.variance !== groups[0].variance) uniformRows = false;
  }
  const cross = sumSd * sumSd - sumVar;
  const rho = cross > 1e-12 ? (block.variance - sumVar) / cross : 0;
  const exponent = effectiveCount(h, rho) / h;
  const pmfs = uniformRows ? [groupPmf(model, r0, c0, c1, groups[0])] : groups.map((g, i) => groupPmf(model, r0 + i, c0, c1, g));
  const power = exponent * (uniformRows ? h : 1);
  const cdfs = pmfs.map((pmf) => {
    const cdf = new Float64Array(len + 1);
    let acc = 0;
    for (let k = 0; k <= len; k++) cdf[k] = acc = Math.min(1, acc + pmf[k]);
    return cdf;
  });
  let prev = 0;
  let expected = 0;
  for (const n of FLIGHT_N) {
    let cdf = 1;
    if (n < 16 && n < len) for (const c of cdfs) cdf *= c[n] ** power;
    expected += n * (cdf - prev);
    prev = cdf;
  }
  return { n: expected, exact: false };
}

/**
 * Distribution of the nonzero count of row r, cols [c0, c1): split in halves recursively (down to
 * 4 elements); correlated halves (|rho| > 0.2: inside one block, a kept row, or N:M groups that
 * balance each other) are modelled as one unit with countPmf, nearly independent halves are
 * convolved. This keeps lattice structure such as {0, 8, 16} for 8-wide blocks.
 */
function groupPmf(model: PatternModel, r: number, c0: number, c1: number, whole: Moments): Float64Array {
  const len = c1 - c0;
  if (!model.regionExact || len <= 4 || whole.variance <= 1e-12) return countPmf(len, whole.mean, whole.variance);
  const mid = c0 + Math.floor(len / 2);
  const a = model.regionMoments(r, r + 1, c0, mid);
  const b = model.regionMoments(r, r + 1, mid, c1);
  const denom = Math.sqrt(a.variance * b.variance);
  const rho = denom > 1e-12 ? (whole.variance - a.variance - b.variance) / (2 * denom) : 0;
  if (Math.abs(rho) > 0.2) return countPmf(len, whole.mean, whole.variance);
  const left = groupPmf(model, r, c0, mid, a);
  const right = groupPmf(model, r, mid, c1, b);
  const out = new Float64Array(len + 1);
  for (let i = 0; i < left.length; i++) {
    if (left[i] === 0) continue;
    for (let j = 0; j < right.length; j++) out[i + j] += left[i] * right[j];
  }
  return out;
}

function flightExact(mask: Mask, p: ResolvedParams): StorageBreakdown {
  const { rows, cols, words } = mask;
  const wpr = wordsPerRow(cols);
  const nbr = Math.ceil(rows / 16);
  const nbc = Math.ceil(cols / 16);
  const perN: Record<string, number> = { blocksN2: 0, blocksN4: 0, blocksN8: 0, blocksN16: 0 };
  let slots = 0;
  for (let i = 0; i < nbr; i++) {
    const r0 = i * 16;
    const r1 = Math.min(rows, r0 + 16);
    for (let j = 0; j < nbc; j++) {
      const c0 = j * 16;
      const c1 = Math.min(cols, c0 + 16);
      let max = 0;
      for (let r = r0; r < r1; r++) max = Math.max(max, countBits(words, r * wpr, c0, c1));
      const n = flightN(max);
      perN[`blocksN${n}`]++;
      slots += 16 * n;
    }
  }
  const out = flightParts(nbr * nbc, slots, maskNnz(mask), p, true);
  out.details = { ...out.details, ...perN };
  return out;
}

function flightParts(blocks: number, slots: number, nnz: number, p: ResolvedParams, exact: boolean): StorageBreakdown {
  const vb = num(p, 'valueBits');
  const ib = num(p, 'indexBits');
  return breakdown({
    value: nnz * vb,
    metadata: blocks * num(p, 'codeBits') + nnz * ib,
    pointer: 0,
    padding: (slots - nnz) * (vb + ib),
    stored: slots,
    exact,
    details: { blocks, slots },
  });
}

const IMPLS: FormatImpl[] = [denseFormat, coo, csr, csc, bitmap, nmFormat, blockedEll, bcsr, gqsa, tiledCsl, rle, flightllm];

// ---------------------------------------------------------------------------------------------
// Registry

function resolveFormatParams(impl: FormatImpl, raw: Readonly<Record<string, unknown>>, ctx: Ctx): ResolvedParams {
  const p = resolveParams(impl.params, raw, { file: ctx.file, keyPath: ctx.keyPath, owner: `format '${impl.id}'`, reserved: ['kind'] });
  impl.check?.(p, ctx);
  return p;
}

function statisticalModel(shape: Shape, density: number, patternStats: PatternStats | undefined): PatternModel {
  if (patternStats) return patternModel({ ...patternStats.params, kind: patternStats.kind }, patternStats.shape ?? shape);
  if (!(density >= 0 && density <= 1)) throw new RangeError(`density must be in [0, 1], got ${density}`);
  return patternModel({ kind: 'uniform', density }, shape);
}

function toDef(impl: FormatImpl): FormatDef {
  const ctx = { file: FILE, keyPath: '' };
  return {
    id: impl.id,
    aliases: impl.aliases,
    description: impl.description,
    params: impl.params,
    families: impl.families,
    storage: (mask, raw) => impl.exact(mask, resolveFormatParams(impl, raw ?? {}, ctx), ctx),
    storageStatistical(shape, density, patternStats, raw) {
      const p = resolveFormatParams(impl, raw ?? {}, ctx);
      const model = statisticalModel(shape, density, patternStats);
      const statCtx = { ...ctx, densityOnly: patternStats === undefined };
      if (model.shape.rows !== shape.rows || model.shape.cols !== shape.cols) {
        throw new RangeError(`pattern statistics are for ${model.shape.rows} x ${model.shape.cols}, not ${shape.rows} x ${shape.cols}`);
      }
      const stats = model.stats();
      return impl.statistical(shape, stats.expectedNnz, model, p, statCtx);
    },
    canRepresent(patternSpec, raw) {
      const p = resolveFormatParams(impl, raw ?? {}, ctx);
      const spec = validatePatternSpec(patternSpec);
      return impl.canRepresent ? impl.canRepresent(spec, p) : true;
    },
  };
}

/** Every storage format by id. */
export const FORMATS: Readonly<Record<string, FormatDef>> = Object.freeze(Object.fromEntries(IMPLS.map((impl) => [impl.id, toDef(impl)])));

const IMPL_BY_NAME = new Map<string, FormatImpl>();
for (const impl of IMPLS) {
  IMPL_BY_NAME.set(impl.id, impl);
  for (const alias of impl.aliases) IMPL_BY_NAME.set(alias, impl);
}

export interface ParsedFormat {
  /** Canonical format id. */
  id: string;
  format: FormatDef;
  /** Parameters implied by the name (e.g. '2:4' gives { n: 2, m: 4 }). */
  params: Record<string, unknown>;
}

const NM_NAME = /^\s*(\d+)\s*:\s*(\d+)\s*$/;

/**
 * Resolves a format name or alias, case-insensitively: 'csr', 'tiled-csl', 'bsr', 'flightllm',
 * 'n:16' (FlightLLM), or 'N:M' such as '2:4' (N:M compressed with n = N, m = M).
 */
export function parseFormatName(name: string, file = FILE, keyPath = ''): ParsedFormat {
  const key = name.trim().toLowerCase();
  const impl = IMPL_BY_NAME.get(key);
  if (impl) return { id: impl.id, format: FORMATS[impl.id], params: {} };
  const nmMatch = NM_NAME.exec(key);
  if (nmMatch) {
    const n = Number(nmMatch[1]);
    const m = Number(nmMatch[2]);
    if (m < 1 || n > m) {
      throw inputError({ file, keyPath, message: `invalid N:M format '${name}'`, expected: 'N <= M and M >= 1, e.g. 2:4' });
    }
    return { id: 'nm', format: FORMATS.nm, params: { n, m } };
  }
  throw inputError({
    file,
    keyPath,
    message: `unknown storage format '${name}'`,
    expected: `one of ${IMPLS.map((i) => i.id).join(', ')} or N:M like 2:4`,
    hint: didYouMean(key, [...IMPL_BY_NAME.keys()]),
  });
}

/** A format as written in a spec: a name ('2:4', 'csr') or `{ kind: 'csr', indexBits: 32 }`. */
export type FormatSpec = string | { kind: string; [param: string]: unknown };

/** Validates a format spec; returns the canonical `{ kind: <id>, ...every param }`. */
export function validateFormatSpec(spec: unknown, file = FILE, keyPath = ''): { kind: string; [param: string]: unknown } {
  const { impl, params } = resolveFormat(spec, { file, keyPath });
  return { kind: impl.id, ...params };
}

function resolveFormat(spec: unknown, ctx: Ctx): { impl: FormatImpl; params: ResolvedParams } {
  if (typeof spec === 'string') {
    const parsed = parseFormatName(spec, ctx.file, ctx.keyPath);
    const impl = IMPL_BY_NAME.get(parsed.id) as FormatImpl;
    return { impl, params: resolveFormatParams(impl, parsed.params, ctx) };
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw inputError({ file: ctx.file, keyPath: ctx.keyPath, message: 'a storage format must be a name or a mapping with a kind', expected: "e.g. 'csr', '2:4' or { kind: csr, indexBits: 32 }" });
  }
  const raw = spec as Record<string, unknown>;
  if (typeof raw.kind !== 'string') {
    throw inputError({ file: ctx.file, keyPath: joinKey(ctx.keyPath, 'kind'), message: 'missing format kind', expected: `one of ${IMPLS.map((i) => i.id).join(', ')}` });
  }
  const parsed = parseFormatName(raw.kind, ctx.file, joinKey(ctx.keyPath, 'kind'));
  const impl = IMPL_BY_NAME.get(parsed.id) as FormatImpl;
  const { kind: _kind, ...rest } = raw;
  return { impl, params: resolveFormatParams(impl, { ...parsed.params, ...rest }, ctx) };
}

/** Exact storage of a mask in a format given by name or spec. */
export function formatStorage(spec: FormatSpec, mask: Mask): StorageBreakdown {
  const ctx = { file: FILE, keyPath: '' };
  const { impl, params } = resolveFormat(spec, ctx);
  return impl.exact(mask, params, ctx);
}

/**
 * Expected storage of an operand in a format, statistically: `pattern` is a pattern spec (or
 * PatternStats from patternStats()), or a plain density for an unstructured operand.
 */
export function formatStorageStatistical(spec: FormatSpec, shape: Shape, pattern: unknown): StorageBreakdown {
  const ctx = { file: FILE, keyPath: '' };
  const { impl, params } = resolveFormat(spec, ctx);
  let model: PatternModel;
  const statCtx = { ...ctx, densityOnly: typeof pattern === 'number' };
  if (typeof pattern === 'number') model = statisticalModel(shape, pattern, undefined);
  else if (isPatternStats(pattern)) model = statisticalModel(shape, pattern.density, pattern);
  else model = patternModel(pattern, shape);
  const stats = model.stats();
  return impl.statistical(shape, stats.expectedNnz, model, params, statCtx);
}

function isPatternStats(x: unknown): x is PatternStats {
  return typeof x === 'object' && x !== null && 'expectedNnz' in x && 'params' in x && 'kind' in x;
}
