// Work estimate of the systolic family (src/core/budget.ts), from the shape and the array alone.
//
// Native convention: mapOperator plans both fold orders (≤ 3 fold groups per outer fold) and
// keeps one, so the tile-run list has ≤ 3 × batch × outer-folds runs; the event engine then steps
// through up to every fold (see WORK_PER_EVENT_TILE). SCALE-Sim convention: scalesim-v2.ts walks every operand address of every
// fold step (rf × cf folds × P steps × up to R + C addresses) and keeps address-stamp arrays as
// large as each operand (4 B per element). Its fractional-bandwidth and output-size rules are in
// scalesim-layer.ts.

import type { Operator } from '../../core/types.js';
import { isGemmLike } from '../../core/types.js';
import { BYTES_PER_RUN, maskWork, pipelineWork, short, type WorkEstimate } from '../../core/budget.js';
import type { SimulateOptions } from '../../core/types.js';
import { gemmDims, type SystolicConfig } from './mapping.js';

export function estimateSystolicWork(config: SystolicConfig, op: Operator, options: SimulateOptions): WorkEstimate {
  if (!isGemmLike(op)) return { work: 1, memoryBytes: 0, quantity: 'a closed-form element-wise count' };
  const { rowDim, colDim, streamDim } = gemmDims(config.dataflow, op);
  const rowFolds = Math.ceil(rowDim / config.rows);
  const colFolds = Math.ceil(colDim / config.cols);
  const masks = maskWork(op, options);
  if (options.convention === 'scalesim') {
    const steps = rowFolds * colFolds * op.batch * (streamDim + 2 * config.rows + config.cols);
    const addresses = steps * (config.rows + config.cols);
    const operandElements = op.m * op.k + op.k * op.n + op.m * op.n;
    // The emulation serves only event rows and batches repeated folds (scalesim-v2.ts), measured at
    // ~0.04 ns per operand address on the bench machine (GEMM 4096³ on 12 × 14 WS: 1.08e10
    // addresses in 0.4 s), i.e. ~1/25 of a work unit each.
    return {
      work: addresses / 25 + masks.work,
      memoryBytes: 4 * operandElements + 12 * (op.m + op.k) + masks.memoryBytes,
      quantity: `${short(addresses)} SCALE-Sim operand addresses over ${short(operandElements)} operand elements`,
    };
  }
  const runs = 3 * op.batch * Math.max(rowFolds, colFolds);
  const planned = 3 * (rowFolds + colFolds);
  const tiles = rowFolds * colFolds * op.batch;
  const pipeline = pipelineWork(runs + planned, tiles, options);
  return {
    work: pipeline + masks.work,
    memoryBytes: (runs + planned) * BYTES_PER_RUN + masks.memoryBytes,
    quantity: masks.work > pipeline ? `${short(masks.bits)} concrete mask bits` : `${short(tiles)} array folds in ${short(runs)} pipeline tile runs (${short(rowFolds)} × ${short(colFolds)} folds × batch ${op.batch})`,
  };
}
