// Work estimate of the systolic family (src/core/budget.ts), from the shape and the array alone.
//
// Native convention: mapOperator plans both fold orders (≤ 3 fold groups per outer fold) and
// keeps one, so the tile-run list has ≤ 3 × batch × outer-folds runs; the event engine then steps
// through up to every fold (see WORK_PER_EVENT_TILE). SCALE-Sim convention: scalesim-v2.ts walks every operand address of every
// fold step (rf × cf folds × P steps × up to R + C addresses) and keeps address-stamp arrays as
// large as each operand (4 B per element). That convention also needs a whole-byte DRAM bandwidth
// per cycle (SCALE-Sim's USER mode), which is refused here, before simulating.

import type { Operator } from '../../core/types.js';
import { isGemmLike } from '../../core/types.js';
import { BYTES_PER_RUN, maskWork, pipelineWork, short, type WorkEstimate } from '../../core/budget.js';
import type { SimulateOptions } from '../../core/types.js';
import { gemmDims, type SystolicConfig } from './mapping.js';
import { inputError } from '../../spec/errors.js';

export function estimateSystolicWork(config: SystolicConfig, op: Operator, options: SimulateOptions): WorkEstimate {
  if (!isGemmLike(op)) return { work: 1, memoryBytes: 0, quantity: 'a closed-form element-wise count' };
  const { rowDim, colDim, streamDim } = gemmDims(config.dataflow, op);
  const rowFolds = Math.ceil(rowDim / config.rows);
  const colFolds = Math.ceil(colDim / config.cols);
  const masks = maskWork(op, options);
  if (options.convention === 'scalesim') {
    // SCALE-Sim's USER bandwidth mode moves whole words per cycle (scalesim-v2.ts refuses others).
    const wordsPerCycle = config.dramBytesPerSecond / config.clockHz;
    if (config.dramBandwidthMode !== 'calc' && !(Number.isInteger(wordsPerCycle) && wordsPerCycle >= 1)) {
      throw inputError({
        file: '',
        keyPath: '',
        message: `--convention scalesim needs the architecture's memory.dram.bandwidth to be a whole number (>= 1) of bytes per cycle, as SCALE-Sim's USER bandwidth mode has; it is ${wordsPerCycle.toPrecision(4)} B/cycle`,
        hint: 'use --convention accsim, or an architecture with a whole-byte bandwidth or CALC bandwidth mode',
      });
    }
    const conv = op.conv;
    if (conv) {
      // scalesim-v2.ts sizes the output as SCALE-Sim does, ceil((H − R + s) / s) with no padding
      // field and one image; accsim lowers with floor and a batch, so the two must agree.
      const channels = conv.inChannels / (op.batch > 1 ? op.batch : 1);
      const outputs = Math.ceil((conv.inHeight + 2 * conv.padding - conv.kernelHeight + conv.stride) / conv.stride) * Math.ceil((conv.inWidth + 2 * conv.padding - conv.kernelWidth + conv.stride) / conv.stride);
      if (outputs !== op.m || !Number.isInteger(channels) || conv.kernelHeight * conv.kernelWidth * channels !== op.k) {
        throw inputError({
          file: '',
          keyPath: '',
          message: `--convention scalesim cannot reproduce this convolution: SCALE-Sim takes one image and rounds the output size up (${outputs} output pixels), accsim's lowering has M = ${op.m}`,
          hint: 'use batch 1 and a stride that divides (input + 2·padding − kernel), or --convention accsim',
        });
      }
    }
    const steps = rowFolds * colFolds * op.batch * (streamDim + 2 * config.rows + config.cols);
    const addresses = steps * (config.rows + config.cols);
    const operandElements = op.m * op.k + op.k * op.n + op.m * op.n;
    return {
      work: addresses + masks.work,
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
