// Where each workload's `serving` block was written, so a capacity refusal can point at it. A
// module of its own (no imports) so the simulator can read it without importing the loader.

import type { SourcePosition } from '../spec/errors.js';
import type { ServingSpec } from './types.js';

const SERVING_POSITIONS = new WeakMap<ServingSpec, SourcePosition>();

export function recordServingPosition(spec: ServingSpec, position: SourcePosition): void {
  SERVING_POSITIONS.set(spec, position);
}

export function servingPosition(spec: ServingSpec): SourcePosition | undefined {
  return SERVING_POSITIONS.get(spec);
}
