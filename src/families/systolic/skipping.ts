// Zero skipping on a systolic array (`compute.zero_handling: skipping`). Two mechanisms, both
// counted in cycles, bytes and MAC actions:
//
//  1. Structured weight packing. A weight stored N:M along K (format `nm`) is packed in the array
//     as its ceil(K·N/M) kept values per output, each with its in-group index; the PE's index
//     selects one of the M inputs of its group (a small mux, as in S2TA's density-bound blocks or
//     NVIDIA's 2:4 metadata). The reduction dimension shrinks to K' = ceil(K·N/M): fewer folds
//     (ws/is) or a shorter stream (os). Unstructured weight zeros cannot be packed: their PEs idle.
//
//  2. Streamed-operand skipping with per-PE operand queues: each PE consumes only the nonzeros of
//     its streamed operand (ws: its input column over the M tokens; is: its weight column over N;
//     os: the intersection of its input row and weight row over K'), looking at `window` streamed
//     values per cycle. A fold's stream lasts as long as its busiest PE — the per-PE load
//     imbalance — and at least streamDim / window cycles. First approximation: PEs are assumed to
//     have the queues and partial-sum alignment to run out of lock-step (SIGMA/Cnvlutin-style
//     flexible PEs); fill and drain are unchanged.
//
// Busiest PE: concrete mode counts it from the masks (per fold, then the mean over folds sets
// the stream length); statistical mode takes the pattern model's estimated maximum over tiles.

import type { GemmOperator } from '../../core/types.js';
import { operandTileStats, type MaskCache, type OperandView } from '../../core/operand-sparsity.js';
import type { SystolicConfig } from './mapping.js';

export interface SkipPlan {
  /** Reduction length in the array after packing N:M weights (K when nothing is packed). */
  packedK: number;
  /** Streamed values per fold before skipping (M, N or K' by dataflow). */
  streamDim: number;
  /** Cycles of a fold's stream after skipping (busiest PE, window floor); mean over folds. */
  skippedStream: number;
  /** Busiest PE's nonzeros / streamDim. */
  busiestFraction: number;
  notes: string[];
}

/** Mean over folds of the per-fold maximum of consecutive `perFold` counts. */
function meanFoldMax(counts: Uint32Array, perFold: number): number {
  let sum = 0;
  let folds = 0;
  for (let start = 0; start < counts.length; start += perFold) {
    let max = 0;
    for (let i = start; i < Math.min(counts.length, start + perFold); i++) if (counts[i] > max) max = counts[i];
    sum += max;
    folds++;
  }
  return folds > 0 ? sum / folds : 0;
}

/** Busiest-PE nonzero count of one streamed line (a column of length `length` of `view`), per fold of `linesPerFold` lines. */
function busiestLine(view: OperandView, length: number, linesPerFold: number, cache?: MaskCache): number {
  const stats = operandTileStats(view, { rows: length, cols: 1 }, cache);
  return stats.counts ? meanFoldMax(stats.counts, linesPerFold) : stats.max;
}

export function planSkipping(config: SystolicConfig, op: GemmOperator, weight: OperandView, input: OperandView, cache?: MaskCache): SkipPlan {
  const notes: string[] = [];
  const packable = weight.nm !== undefined && weight.format.kind === 'nm';
  const packedK = packable ? Math.ceil((op.k * weight.nm!.n) / weight.nm!.m) : op.k;
  if (packable) notes.push(`skipping: ${weight.nm!.n}:${weight.nm!.m} weights packed along K in the array (K ${op.k} → ${packedK}, in-group index selects the input)`);
  else if (weight.pattern.kind !== 'dense') notes.push(`skipping: ${weight.pattern.kind} weight zeros cannot be packed (not N:M along K stored as nm): their PEs idle, no time saved`);
  const kPerRow = op.k / packedK; // original K columns covered by one packed array row
  let streamDim: number;
  let busiest: number;
  switch (config.dataflow) {
    case 'ws':
      // PE (k, n) holds W[n, k] and streams input column k over the M tokens.
      streamDim = op.m;
      busiest = input.pattern.kind === 'dense' ? op.m : busiestLine(input, op.m, Math.ceil(config.rows * kPerRow), cache);
      break;
    case 'is':
      // PE (k, m) holds X[m, k] and streams weight column k over the N outputs.
      streamDim = op.n;
      busiest = weight.pattern.kind === 'dense' || packable ? op.n : busiestLine(weight, op.n, config.rows, cache);
      break;
    case 'os': {
      // PE (m, n) streams the K' packed positions; it works where its input row and weight row
      // are both nonzero. Busiest pair ≈ busiest input row × busiest weight row / K (positions
      // independent between operands).
      streamDim = packedK;
      const rowMax = (view: OperandView, len: number, perFold: number) => {
        if (view.pattern.kind === 'dense') return len;
        const stats = operandTileStats(view, { rows: 1, cols: len }, cache);
        return stats.counts ? meanFoldMax(stats.counts, perFold) : stats.max;
      };
      const inputFraction = rowMax(input, op.k, config.rows) / op.k;
      const weightFraction = packable ? 1 : rowMax(weight, op.k, config.cols) / op.k;
      busiest = packedK * inputFraction * weightFraction;
      break;
    }
  }
  const window = config.skipWindow;
  const skippedStream = Math.max(Math.ceil(busiest - 1e-9), Math.ceil(streamDim / window));
  if (skippedStream < streamDim) {
    notes.push(
      `skipping: busiest PE has ${busiest.toFixed(1)} of ${streamDim} streamed values nonzero (${weight.mode} mode); a fold streams ${skippedStream} cycles (window ${window} sets the floor ${Math.ceil(streamDim / window)})`,
    );
  }
  return { packedK, streamDim, skippedStream, busiestFraction: streamDim > 0 ? busiest / streamDim : 1, notes };
}
