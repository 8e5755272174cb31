// The explicit list of architecture families. Adding a family = a folder + one line here.

import type { Family } from './family.js';
import { systolicFamily } from './systolic/index.js';
import { tensorCoreFamily } from './tensor-core/index.js';
import { dspChainFamily } from './dsp-chain/index.js';
import { scratchpadFamily } from './scratchpad/index.js';
import { spatialFamily } from './spatial/index.js';

export const FAMILIES: readonly Family<any>[] = [systolicFamily, tensorCoreFamily, dspChainFamily, scratchpadFamily, spatialFamily]; // eslint-disable-line @typescript-eslint/no-explicit-any

export function findFamily(id: string): Family<unknown> | undefined {
  return FAMILIES.find((family) => family.id === id);
}
