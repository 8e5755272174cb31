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
  operandSparsityStats,
  parseFormatName,
  patternStats,
  tileNnz,
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
  /** Bytes of the same operand stored dense. */
  denseBytes: number;
  /** N:M structure along K, when the pattern is N:M along K. */
  nm?: { n: number; m: number };
  mode: SimulateOptions['sparsityMode'];
  seed: number;
}

export function operandShape(op: GemmOperator, role: OperandRole): { rows: number; cols: number } {
  return role === 'weight' ? { rows: op.n, cols: op.k } : { rows: op.m, cols: op.k };
}

/** Per-simulation cache of generated masks (pure: lives only as long as one simulate call). */
export type MaskCache = Map<string, Mask>;

function maskFor(pattern: PatternSpec, shape: { rows: number; cols: number }, seed: number, cache?: MaskCache): Mask {
  const key = `${JSON.stringify(pattern)}|${shape.rows}x${shape.cols}|${seed}`;
  let mask = cache?.get(key);
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
  const pattern = validatePatternSpec(declared?.pattern ?? { kind: 'dense' });
  const format = validateFormatSpec(declared?.format ? { ...parseFormatName(declared.format).params, ...declared.formatParams, kind: declared.format } : { kind: 'dense' });
  const valueBits = DATATYPE_BITS[op.dtype];
  const formatWithBits = 'valueBits' in format ? { ...format, valueBits } : format;
  const seed = deriveSeed(options.seed, `${op.name}.${role}`);
  const denseBytes = Math.ceil((shape.rows * shape.cols * valueBits) / 8);
  const nm = pattern.kind === 'nm' && pattern.dim === 'cols' ? { n: pattern.n as number, m: pattern.m as number } : undefined;
  if (options.sparsityMode === 'concrete' && pattern.kind !== 'dense') {
    const mask = maskFor(pattern, shape, seed, cache);
    const stats = operandSparsityStats(pattern, shape, 'concrete', seed);
    return { role, shape, pattern, format, density: stats.density, nnz: stats.nnz, storage: formatStorage(formatWithBits, mask), denseBytes, nm, mode: 'concrete', seed };
  }
  const stats = patternStats(pattern, shape);
  return {
    role,
    shape,
    pattern,
    format,
    density: stats.density,
    nnz: stats.expectedNnz,
    storage: formatStorageStatistical(formatWithBits, shape, stats),
    denseBytes,
    nm,
    mode: pattern.kind === 'dense' ? options.sparsityMode : 'statistical',
    seed,
  };
}

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
