// Work estimate of the dsp-chain family (src/core/budget.ts). A GEMM is cut into row tiles (the
// weight rows that fit half the double-buffered weight buffer) and, inside each, token tiles
// (first, middle, last); when the tokens need more than one tile the run list repeats that
// pattern for every row tile, so it has up to 3 runs per row tile. Dense bytes per weight row
// give the fewest rows per tile, so the run count is an upper bound for sparse weights too.

import type { Operator, SimulateOptions } from '../../core/types.js';
import { DATATYPE_BITS, isGemmLike } from '../../core/types.js';
import { BYTES_PER_RUN, maskWork, pipelineWork, short, type WorkEstimate } from '../../core/budget.js';
import type { DspChainConfig } from './config.js';

export function estimateDspChainWork(config: DspChainConfig, op: Operator, options: SimulateOptions): WorkEstimate {
  if (!isGemmLike(op)) return { work: 1, memoryBytes: 0, quantity: 'a closed-form element-wise count' };
  const rows = op.batch * op.n;
  const bytesPerRow = (op.k * DATATYPE_BITS[op.dtype]) / 8;
  const tileRows = Math.max(1, Math.floor(config.buffers.weightBytes / 2 / bytesPerRow));
  const rowTiles = Math.ceil(rows / tileRows);
  const runs = op.m > 1 ? 3 * rowTiles : 3;
  // The event engine steps a few tiles of each run before their timing repeats and skips the rest
  // (measured on u280-flightllm: ~7 µs per run for 1.5e6 runs, i.e. ~4 tiles' worth).
  const tiles = 4 * runs;
  const masks = maskWork(op, options);
  const work = pipelineWork(runs, tiles, options);
  return {
    work: work + masks.work,
    memoryBytes: runs * BYTES_PER_RUN + masks.memoryBytes,
    quantity: masks.work > work ? `${short(masks.bits)} concrete mask bits` : `${short(runs)} pipeline tile runs (${short(rowTiles)} weight row tiles)`,
  };
}
