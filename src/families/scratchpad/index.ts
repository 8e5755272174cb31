// Scratchpad family (PIUMA-like): cores × multi-threaded in-order pipelines hiding memory latency
// with threads, a scratchpad and a small non-coherent cache per core, fine-grained (8-byte) DRAM
// accesses, atomic units and DMA engines, on a 2D mesh. Kernels: SpGEMM (inner product, outer
// product, row-wise with atomic hashing into the scratchpad), SpMV, PageRank and BFS, simulated
// event by event on concrete matrices.

import type { Family } from '../family.js';
import type { ArchSpec } from '../../core/types.js';
import { SCRATCHPAD_PARAMS, SCRATCHPAD_STATS } from './params.js';
import { configureScratchpad, coreIssueRate, type ScratchpadConfig } from './config.js';
import { simulateScratchpad } from './simulate.js';
import { estimateScratchpadWork } from './budget.js';

export type { ScratchpadConfig } from './config.js';
export { SCRATCHPAD_PARAMS, SCRATCHPAD_STATS } from './params.js';
export { SPGEMM_DATAFLOWS, type SpgemmDataflow } from './simulate.js';

export const scratchpadFamily: Family<ScratchpadConfig> = {
  id: 'scratchpad',
  title: 'Scratchpad graph machine (PIUMA-like)',
  description:
    'Many-threaded in-order cores with a scratchpad, non-coherent cache, atomic and DMA offload engines and fine-grained DRAM; ' +
    'sparse and graph kernels (SpGEMM inner/outer/row-wise with scratchpad hashing, SpMV, PageRank, BFS) simulated event by event on concrete matrices.',
  params: SCRATCHPAD_PARAMS,
  stats: SCRATCHPAD_STATS,
  operatorKinds: ['spgemm', 'spmv', 'pagerank', 'bfs'],
  // The kernels are event-driven by nature (hash-table probes, queue occupancy): no closed form.
  engines: ['event'],
  configure(arch: ArchSpec): ScratchpadConfig {
    return configureScratchpad(arch);
  },
  clockHz(config: ScratchpadConfig): number {
    return config.clockHz;
  },
  /** One multiply-add per issue slot: every pipeline issuing MAC instructions back to back. */
  peakMacsPerCycle(config: ScratchpadConfig): number {
    return config.cores * coreIssueRate(config);
  },
  simulateOperator(config, op, context) {
    return simulateScratchpad(config, op, context);
  },
  estimateWork: estimateScratchpadWork,
};
