// Work estimate of the tensor-core family (src/core/budget.ts). The kernel heuristic tries every
// CTA tile shape × split-K factor on the analytical pipeline and each candidate's tile-run list
// has two runs per wave of CTAs, so the work is Σ over candidates of 2 × waves; the chosen plan is
// then timed (by the event engine tile by tile, unless --engine analytical) and, with concrete sparsity, its
// CTAs' nonzero counts are scanned once per wave. Which tile table applies depends on the weight
// format's kernel; the estimate takes the largest of the tables, an upper bound.

import type { Operator, SimulateOptions } from '../../core/types.js';
import { isGemmLike } from '../../core/types.js';
import { BYTES_PER_RUN, WORK_PER_EVENT_TILE, WORK_PER_RUN, maskWork, short, type WorkEstimate } from '../../core/budget.js';
import { DENSE_TILES, FLASH_LLM_TILES, STRUCTURED_SPARSE_TILES } from './kernels.js';
import { SPLIT_K, type TensorCoreConfig } from './index.js';

export function estimateTensorCoreWork(config: TensorCoreConfig, op: Operator, options: SimulateOptions): WorkEstimate {
  if (!isGemmLike(op)) return { work: 1, memoryBytes: 0, quantity: 'a closed-form element-wise count' };
  let candidateRuns = 0;
  let largestRuns = 0;
  let largestCtas = 0;
  let fewestTiles = Infinity;
  for (const table of [DENSE_TILES, STRUCTURED_SPARSE_TILES, FLASH_LLM_TILES]) {
    let tableRuns = 0;
    for (const [tileN, tileMCap] of table) {
      const tileM = Math.min(tileMCap, Math.ceil(op.m / 8) * 8);
      for (const splitK of SPLIT_K) {
        const ctas = Math.ceil(op.n / tileN) * Math.ceil(op.m / tileM) * splitK * op.batch;
        const waves = Math.ceil(ctas / config.sms);
        const runs = 2 * waves;
        // Tiles of the event pipeline: one per wave and k step (32 is the smallest k step).
        fewestTiles = Math.min(fewestTiles, waves * Math.ceil(Math.ceil(op.k / splitK) / 32));
        tableRuns += runs;
        largestRuns = Math.max(largestRuns, runs);
        largestCtas = Math.max(largestCtas, ctas);
      }
    }
    candidateRuns = Math.max(candidateRuns, tableRuns);
  }
  const masks = maskWork(op, options);
  // The chosen plan is the analytically fastest, for large shapes one of the largest tiles, whose
  // tile count is within a small factor of the fewest: 8 × the fewest (the ratio of the largest to
  // a mid-sized tile area) bounds it in practice without charging the 128 × 8 tiles' count.
  const timed = options.engine === 'event' ? 8 * fewestTiles * WORK_PER_EVENT_TILE : largestRuns * WORK_PER_RUN;
  const ctaScan = masks.bits > 0 ? largestCtas : 0;
  const pipelineWork = candidateRuns * WORK_PER_RUN + timed;
  return {
    work: pipelineWork + ctaScan + masks.work,
    memoryBytes: 2 * largestRuns * BYTES_PER_RUN + masks.memoryBytes,
    quantity: masks.work > pipelineWork ? `${short(masks.bits)} concrete mask bits` : `${short(candidateRuns)} pipeline tile runs over the tile and split-K candidates (${short(largestCtas)} CTAs at most)`,
  };
}
