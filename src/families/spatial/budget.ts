// Work estimate of the spatial family (src/core/budget.ts). A user mapping is evaluated once; the
// mapper evaluates up to `mapper.evaluations` candidate mappings per operator, each a pass over
// the storage levels and the loop nest. Measured on the bench machine: ~200k candidates/s on
// Timeloop case 02 (3 levels), i.e. ~5 µs, charged as 5000 work units (~1 ns each).

import type { Operator } from '../../core/types.js';
import { isGemmLike } from '../../core/types.js';
import { short, type WorkEstimate } from '../../core/budget.js';
import type { SpatialConfig } from './config.js';

const WORK_PER_CANDIDATE = 5000;

export function estimateSpatialWork(config: SpatialConfig, op: Operator): WorkEstimate {
  if (!isGemmLike(op)) return { work: 1, memoryBytes: 0, quantity: 'a closed-form element-wise count' };
  const userMapping = config.mappings[op.name] ?? config.mapping;
  if (userMapping) return { work: WORK_PER_CANDIDATE, memoryBytes: 0, quantity: 'one user mapping' };
  const evaluations = config.mapper.evaluations;
  return { work: evaluations * WORK_PER_CANDIDATE, memoryBytes: 0, quantity: `${short(evaluations)} candidate mappings (mapper.evaluations)` };
}
