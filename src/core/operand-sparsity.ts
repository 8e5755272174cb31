// One place where a GEMM operand's declared sparsity becomes numbers a family can use: density,
// nonzeros, per-tile counts and the exact (concrete) or expected (statistical) storage bytes of
// its format. Masks are laid out with K as columns: the weight as [N × K] (the nn.Linear layout,
// so N:M groups and Tiled-CSL tiles run along K as in NVIDIA 2:4 and Flash-LLM) and the input as
// [M × K].

import type { GemmOperator, OperandSparsity, SimulateOptions } from './types.js';
import { DATATYPE_BITS } from './types.js';
import { deriveSeed } from './random.js';
import {
  formatStorage,
  formatStorageStatistical,
  generateMask,
  maskNnz,
  operandSparsityStats,
  parseFormatName,
  patternModel,
  patternStats,
  popcount32,
  tileNnz,
  wordsPerRow,
  validateFormatSpec,
  validatePatternSpec,
  type Mask,
  type PatternSpec,
  type StorageBreakdown,
} from '../sparsity/index.js';

export type OperandRole = 'input' | 'weight';

export interface OperandView {
  role: OperandRole;
  shape: { rows: number; cols: number };
  /** Canonical pattern (dense when none was declared). */
  pattern: PatternSpec;
  /** Canonical format spec `{ kind, ...params }`. */
  format: { kind: string; [param: string]: unknown };
  density: number;
  /** Nonzeros of one GEMM instance (concrete: counted; statistical: expected). */
  nnz: number;
  /** Storage of one GEMM instance in its format, including metadata and padding. */
  storage: StorageBreakdown;
  /** Bytes of the same operand stored dense in the MAC datatype (`op.dtype`): the reference for ratios. */
  denseBytes: number;
  /** Bytes of the operand stored dense in its own datatype, with its group scales (= denseBytes unless quantised). */
  quantisedDenseBytes: number;
  /** Bits per stored value: the format's declared valueBits, else the operand's datatype. */
  valueBits: number;
  /** N:M structure along K, when the pattern is N:M along K. */
  nm?: { n: number; m: number };
  mode: SimulateOptions['sparsityMode'];
  seed: number;
}

export function operandShape(op: GemmOperator, role: OperandRole): { rows: number; cols: number } {
  return role === 'weight' ? { rows: op.n, cols: op.k } : { rows: op.m, cols: op.k };
}

/**
 * Memo of generated masks and the concrete views computed from them, keyed by everything they
 * depend on (pattern, format, shape, dtype, seed). It lives as long as its owner (one simulate
 * call, or one compare) and never changes a result.
 */
export type MaskCache = Map<string, Mask | OperandView>;

function maskFor(pattern: PatternSpec, shape: { rows: number; cols: number }, seed: number, cache?: MaskCache): Mask {
  const key = `${JSON.stringify(pattern)}|${shape.rows}x${shape.cols}|${seed}`;
  let mask = cache?.get(key) as Mask | undefined;
  if (!mask) {
    mask = generateMask(pattern, shape, seed);
    cache?.set(key, mask);
  }
  return mask;
}

export function operandView(
  op: GemmOperator,
  role: OperandRole,
  options: Pick<SimulateOptions, 'sparsityMode' | 'seed'>,
  cache?: MaskCache,
): OperandView {
  const declared: OperandSparsity | undefined = op.sparsity?.[role];
  const shape = operandShape(op, role);
  // The memoised dense view holds for operands stored at the operator's datatype without scales.
  const quantisedWeight = role === 'weight' && (op.weightDtype !== undefined || op.weightQuant !== undefined);
  if (!declared && !quantisedWeight) return undeclaredView(op, role, shape, options);
  const pattern = validatePatternSpec(declared?.pattern ?? { kind: 'dense' });
  const format = validateFormatSpec(declared?.format ? { ...parseFormatName(declared.format).params, ...declared.formatParams, kind: declared.format } : { kind: 'dense' });
  // The weight may be stored narrower than the MACs run (W4A16); a format's declared valueBits is
  // honoured (the loader rejects one that contradicts the operand's datatype).
  const valueBits = (declared?.formatParams?.valueBits as number | undefined) ?? DATATYPE_BITS[role === 'weight' ? (op.weightDtype ?? op.dtype) : op.dtype];
  const formatWithBits = 'valueBits' in format ? { ...format, valueBits } : format;
  const seed = deriveSeed(options.seed, `${op.name}.${role}`);
  const denseBytes = Math.ceil((shape.rows * shape.cols * DATATYPE_BITS[op.dtype]) / 8);
  // A format with its own per-group scales (gqsa) replaces the operator's group quantisation.
  const quant = role === 'weight' && !('scaleBits' in format) ? op.weightQuant : undefined;
  const scaleBits = groupScaleBits(shape, quant);
  const withScales = (storage: StorageBreakdown): StorageBreakdown => addGroupScales(storage, scaleBits);
  const quantisedDenseBytes = Math.ceil((shape.rows * shape.cols * valueBits + scaleBits) / 8);
  const nm = pattern.kind === 'nm' && pattern.dim === 'cols' ? { n: pattern.n as number, m: pattern.m as number } : undefined;
  if (options.sparsityMode === 'concrete' && pattern.kind !== 'dense') {
    const viewKey = `view|${role}|${JSON.stringify(pattern)}|${JSON.stringify(formatWithBits)}|${JSON.stringify(quant ?? null)}|${op.dtype}|${shape.rows}x${shape.cols}|${seed}`;
    const cached = cache?.get(viewKey) as OperandView | undefined;
    if (cached) return cached;
    const mask = maskFor(pattern, shape, seed, cache);
    const nnz = maskNnz(mask);
    const view: OperandView = { role, shape, pattern, format, density: nnz / (shape.rows * shape.cols), nnz, storage: withScales(formatStorage(formatWithBits, mask)), denseBytes, quantisedDenseBytes, valueBits, nm, mode: 'concrete', seed };
    cache?.set(viewKey, view);
    return view;
  }
  const stats = patternStats(pattern, shape);
  return {
    role,
    shape,
    pattern,
    format,
    density: stats.density,
    nnz: stats.expectedNnz,
    storage: withScales(formatStorageStatistical(formatWithBits, shape, stats)),
    denseBytes,
    quantisedDenseBytes,
    valueBits,
    nm,
    mode: pattern.kind === 'dense' ? options.sparsityMode : 'statistical',
    seed,
  };
}

/**
 * Group-wise quantisation metadata as exact bits: one scale (and zero point) per `groupSize`
 * weights along K in every row, the GPTQ/AWQ/Marlin layout; a sparse format keeps the groups of
 * the dense K (Sparse-Marlin and GQSA quantise before compressing).
 */
function groupScaleBits(shape: { rows: number; cols: number }, quant?: GemmOperator['weightQuant']): number {
  return quant ? shape.rows * Math.ceil(shape.cols / quant.groupSize) * (quant.scaleBits + quant.zeroPointBits) : 0;
}

function addGroupScales(storage: StorageBreakdown, groupBits: number): StorageBreakdown {
  if (groupBits === 0) return storage;
  const totalBits = storage.totalBits + groupBits;
  return {
    ...storage,
    metadataBits: storage.metadataBits + groupBits,
    totalBits,
    bytes: Math.ceil(totalBits / 8 - 1e-9),
    details: { ...storage.details, quantisationScaleBits: groupBits },
  };
}

/**
 * The dense view of an operand that declares no sparsity, with its pattern, format and storage
 * taken from a memo keyed by (rows, cols, value bits): they depend on nothing else, and building
 * them through the pattern and format registries was ~10 % of a sweep point. The memoised parts
 * are frozen (read-only) and equal to what the general path computes.
 */
function undeclaredView(op: GemmOperator, role: OperandRole, shape: { rows: number; cols: number }, options: Pick<SimulateOptions, 'sparsityMode' | 'seed'>): OperandView {
  const valueBits = DATATYPE_BITS[op.dtype];
  const key = `${shape.rows}x${shape.cols}|${valueBits}`;
  let dense = DENSE_VIEWS.get(key);
  if (!dense) {
    const pattern = validatePatternSpec({ kind: 'dense' });
    const format = validateFormatSpec({ kind: 'dense' });
    const stats = patternStats(pattern, shape);
    const formatWithBits = 'valueBits' in format ? { ...format, valueBits } : format;
    dense = Object.freeze({ pattern: Object.freeze(pattern), format: Object.freeze(format), density: stats.density, nnz: stats.expectedNnz, storage: Object.freeze(formatStorageStatistical(formatWithBits, shape, stats)) });
    if (DENSE_VIEWS.size >= DENSE_VIEW_LIMIT) DENSE_VIEWS.clear();
    DENSE_VIEWS.set(key, dense);
  }
  return {
    role,
    shape,
    pattern: dense.pattern,
    format: dense.format,
    density: dense.density,
    nnz: dense.nnz,
    storage: dense.storage,
    denseBytes: Math.ceil((shape.rows * shape.cols * valueBits) / 8),
    quantisedDenseBytes: Math.ceil((shape.rows * shape.cols * valueBits) / 8),
    valueBits,
    nm: undefined,
    mode: options.sparsityMode,
    seed: deriveSeed(options.seed, `${op.name}.${role}`),
  };
}

/** A pure function's memo: it can only change speed, never a result (bounded: cleared when full). */
const DENSE_VIEWS = new Map<string, Readonly<Pick<OperandView, 'pattern' | 'format' | 'density' | 'nnz' | 'storage'>>>();
const DENSE_VIEW_LIMIT = 4096;

/**
 * Nonzeros per tile of an operand: concrete counts from the mask, or in statistical mode the
 * expected mean and an estimated maximum (imbalance) from the pattern model.
 */
export function operandTileStats(
  view: OperandView,
  tile: { rows: number; cols: number },
  cache?: MaskCache,
): { tiles: number; mean: number; max: number; counts?: Uint32Array } {
  if (view.mode === 'concrete' && view.pattern.kind !== 'dense') {
    const counts = tileNnz(maskFor(view.pattern, view.shape, view.seed, cache), tile.rows, tile.cols);
    let max = 0;
    let sum = 0;
    for (const c of counts.counts) {
      sum += c;
      if (c > max) max = c;
    }
    return { tiles: counts.counts.length, mean: sum / counts.counts.length, max, counts: counts.counts };
  }
  const stats = operandSparsityStats(view.pattern, view.shape, 'statistical', view.seed, tile);
  return { tiles: stats.tile.tiles, mean: stats.tile.mean, max: stats.tile.max };
}

/**
 * Fraction of K columns of an operand ([rows × K]) that carry at least one nonzero within a tile
 * of `tileRows` consecutive rows, averaged over the row tiles. For an input [tokens × K] this is
 * the chunk-level union density of activation-sparse kernels (Deja Vu, BlockFFN, CoreInfer): a
 * column with no nonzero in the token tile multiplies nothing, so the weight column it meets is
 * never read. Concrete: counted from the mask (OR of the tile's rows, popcount). Statistical:
 * 1 − P(the tile's column is empty) from the pattern model, per column.
 */
export function activeColumnFraction(view: OperandView, tileRows: number, cache?: MaskCache): number {
  const { rows, cols } = view.shape;
  if (view.pattern.kind === 'dense') return 1;
  const tile = Math.max(1, Math.min(tileRows, rows));
  const tiles = Math.ceil(rows / tile);
  let active = 0;
  if (view.mode === 'concrete') {
    const mask = maskFor(view.pattern, view.shape, view.seed, cache);
    const wpr = wordsPerRow(cols);
    const union = new Uint32Array(wpr);
    for (let t = 0; t < tiles; t++) {
      union.fill(0);
      for (let r = t * tile; r < Math.min(rows, (t + 1) * tile); r++) {
        for (let w = 0; w < wpr; w++) union[w] = (union[w] | mask.words[r * wpr + w]) >>> 0;
      }
      for (let w = 0; w < wpr; w++) active += popcount32(union[w]);
    }
  } else {
    const model = patternModel(view.pattern, view.shape);
    for (let t = 0; t < tiles; t++) {
      const r0 = t * tile;
      const r1 = Math.min(rows, r0 + tile);
      for (let c = 0; c < cols; c++) active += 1 - model.regionEmptyProb(r0, r1, c, c + 1);
    }
  }
  return active / (tiles * cols);
}
