// FPGA DSP-chain family (FlightLLM on Alveo U280 / Versal VHK158, SAT on VCU1525): DSP48E2
// slices cascaded into dot-product chains, split at reduction nodes so N:M and N:16 sparse
// groups keep every DSP busy; WP486 INT8 packing; HBM pseudo-channels with same-/cross-channel
// efficiency and DDR; BRAM/URAM buffers with their ports; a special-function unit; always-on-chip
// decode; prefill, decode and SAT-style training phases; static + per-action energy.

import type { Family, FamilyContext, OperatorSimulation } from '../family.js';
import { isGemmLike, type ArchSpec, type Operator } from '../../core/types.js';
import { DSP_CHAIN_PARAMS, DSP_CHAIN_STATS } from './params.js';
import { configureDspChain, resourceDesign, type DspChainConfig } from './config.js';
import { resourceTable } from './resources.js';
import { simulateElementwise, simulateGemm } from './simulate.js';
import { peakMacsPerCycleFor } from './chain.js';
import { estimateDspChainWork } from './budget.js';

export type { DspChainConfig } from './config.js';

function simulateOperator(config: DspChainConfig, op: Operator, context: FamilyContext): OperatorSimulation {
  if (op.kind === 'elementwise') return simulateElementwise(config, op, context);
  if (!isGemmLike(op)) throw new Error(`dsp-chain family cannot simulate ${op.kind}`);
  return simulateGemm(config, op, context);
}

/** Nominal peak: every chain DSP at INT8 (2 MACs per DSP48E2 when WP486 packing applies); operators report their own datatype's peak. */
function peakMacsPerCycle(config: DspChainConfig): number {
  return peakMacsPerCycleFor(config, 'int8');
}

export const dspChainFamily: Family<DspChainConfig> = {
  id: 'dsp-chain',
  title: 'FPGA DSP chains (FlightLLM / SAT-like)',
  description:
    'DSP48E2 slices cascaded into dot-product chains, split at reduction nodes for N:M / N:16 sparse groups (FlightLLM), 2 INT8 MACs per DSP (WP486), HBM pseudo-channels with same/cross-channel efficiency and DDR, BRAM/URAM buffers and ports, a special-function unit, always-on-chip decode, and prefill/decode/training phases (SAT).',
  params: DSP_CHAIN_PARAMS,
  stats: DSP_CHAIN_STATS,
  operatorKinds: ['gemm', 'batched_matmul', 'conv2d', 'elementwise'],
  configure: (arch: ArchSpec) => configureDspChain(arch),
  clockHz: (config) => config.clockHz,
  peakMacsPerCycle,
  simulateOperator,
  estimateWork: estimateDspChainWork,
  resources: (arch: ArchSpec) => resourceTable(resourceDesign(configureDspChain(arch))),
};
