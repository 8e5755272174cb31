// How a GEMM maps onto DSP chains.
//
// A chain is `L` DSP48E2 slices cascaded through PCOUT→PCIN: each cycle it multiplies L weights
// by L activations and sums them, i.e. one L-long slice of a dot product along K. All chains see
// the same broadcast activation window (L consecutive K positions, per token) and each works on
// a different output row.
//
// Sparse weights (FlightLLM's configurable sparse DSP chain): weights grouped along K (N:M, or
// FlightLLM's N:16 blocks) keep N value slots per group of M, each with its position. With a
// reduction node every `s` DSPs the chain is cut into sub-chains of c = s·ceil(N/s) DSPs; each
// sub-chain serves a *different output row* on the same broadcast activation window (a per-DSP
// M-way index mux picks its N activations), and its reduction node delivers that row's partial
// sum. So one chain does q = floor(L / c) groups per cycle instead of one: sparse groups keep all
// DSPs busy. Without reduction nodes (s = L) the chain stays one dot product wired to L
// consecutive K positions: zero weights occupy their DSPs and time equals dense time.
//
// Packing (WP486): two INT8 MACs per DSP48E2 when they share one operand. Two tokens share a
// weight in matrix-matrix mode; two dense weight rows share an activation in matrix-vector mode
// only with 'shared-operand' (sparse rows keep different positions, so they cannot share it).
// Packed products accumulate in one 48-bit P register with guard bits between the lanes, so a
// packed cascade segment (up to the next reduction node) may not exceed the packed accumulation
// limit (7 for INT8 per WP486; 127 for INT4 weights, whose 12-bit products leave wider guards).

import type { Datatype } from '../../core/types.js';
import type { OperandView } from '../../core/operand-sparsity.js';
import type { DspChainConfig } from './config.js';

/** How the weight operand is grouped along K for the chain. */
export interface WeightGrouping {
  /** True when the chain skips the zeros (sparse groups along K and reduction nodes). */
  compacted: boolean;
  /** K positions per group. */
  groupLength: number;
  /** Mean value slots kept per group (nonzeros plus format padding); groupLength when dense. */
  slotsPerGroup: number;
  /** Why sparse weights are not compacted, when they are not. */
  reason?: string;
}

/** Weight formats whose stored values are grouped along K, with the group length. */
function groupLengthOf(view: OperandView): number | undefined {
  const format = view.format;
  if (format.kind === 'flightllm-n16') return 16;
  if (format.kind === 'nm' && format.dim === 'cols') return format.m as number;
  return undefined;
}

export function weightGrouping(config: DspChainConfig, view: OperandView): WeightGrouping {
  const L = config.chainLength;
  const dense: WeightGrouping = { compacted: false, groupLength: L, slotsPerGroup: L };
  if (view.pattern.kind === 'dense' && view.format.kind === 'dense') return dense;
  const groupLength = groupLengthOf(view);
  if (groupLength === undefined) {
    const reason = view.pattern.kind === 'nm' && view.pattern.dim === 'rows'
      ? 'its N:M groups run along the output dimension, not along K (a transposed N:M weight: prune Wᵀ along its own reduction dimension, as SAT\'s BDWP does)'
      : `its format '${view.format.kind}' does not group the kept values along K`;
    return { ...dense, reason };
  }
  if (config.reductionSpacing >= L) return { ...dense, reason: 'the chain has no reduction nodes (compute.reduction_node_spacing = chain_length)' };
  const groupsPerRow = Math.ceil(view.shape.cols / groupLength);
  const slotsPerGroup = view.storage.storedValues / (view.shape.rows * groupsPerRow);
  return { compacted: true, groupLength, slotsPerGroup };
}

export interface ChainPlan {
  mode: 'mv' | 'mm';
  grouping: WeightGrouping;
  groupsPerRow: number;
  /** Chain passes one group needs (> 1 only when a group keeps more slots than a chain has DSPs). */
  passesPerGroup: number;
  subChainLength: number;
  subChainsPerChain: number;
  activeChains: number;
  /** MACs per DSP per cycle (2 when packed; below 1 for floating point). */
  macsPerDsp: number;
  /** Rows worked on in parallel per chain step, and tokens per step. */
  rowsInParallel: number;
  tokensInParallel: number;
  /** Activation bytes the activation buffer delivers per chain cycle (broadcast windows). */
  activationBytesPerCycle: number;
  notes: string[];
}

export interface ChainCycles {
  cycles: number;
  /** How many times the whole weight tile is read from the weight buffer (token steps). */
  weightPasses: number;
  /** Sub-chain jobs (one group of one row for one token step). */
  jobs: number;
}

/** INT8-class operands (INT4 weights run against INT8 activations). */
function packable(dtype: Datatype): boolean {
  return dtype === 'int8' || dtype === 'int4';
}

/** MACs per DSP without packing: 1, or a fraction for datatypes needing several DSPs. */
function unpackedMacsPerDsp(config: DspChainConfig, dtype: Datatype): number {
  switch (dtype) {
    case 'int4':
    case 'int8':
    case 'int16':
      return 1;
    case 'int32':
      return 1 / 4; // [A] a 32x32 product takes four 27x18 multipliers
    case 'fp8':
    case 'fp16':
    case 'bf16':
      return 1 / config.dspsPerFpMac;
    case 'fp32':
    case 'tf32':
      return 1 / (2 * config.dspsPerFpMac);
  }
}

/** 2 when WP486 packing applies to this datatype and chain, else 1 (with the reason). */
function packingFactor(config: DspChainConfig, dtype: Datatype): { factor: number; note?: string } {
  if (!packable(dtype) || config.packing === 'none') return { factor: 1 };
  const limit = dtype === 'int4' ? config.packedLimit.int4 : config.packedLimit.int8;
  const segment = Math.min(config.reductionSpacing, config.chainLength);
  if (limit > 0 && segment > limit) {
    return {
      factor: 1,
      note: `${dtype} packing off: a packed cascade segment of ${segment} DSPs exceeds the packed accumulation limit of ${limit} (WP486 guard bits); add reduction nodes every ≤ ${limit} DSPs to pack 2 MACs per DSP`,
    };
  }
  return { factor: 2 };
}

/** Activation bytes per element: INT4 weights run against INT8 activations (W4A8). */
export function activationBytesOf(dtype: Datatype, bits: number): number {
  return dtype === 'int4' ? 1 : bits / 8;
}

export function planChains(config: DspChainConfig, grouping: WeightGrouping, k: number, tokens: number, dtype: Datatype, activationBytes: number, forceMode?: 'mv' | 'mm'): ChainPlan {
  const L = config.chainLength;
  const s = config.reductionSpacing;
  const groupsPerRow = Math.ceil(k / grouping.groupLength);
  let subChainLength = L;
  let subChainsPerChain = 1;
  let passesPerGroup = 1;
  if (grouping.compacted) {
    const slots = grouping.slotsPerGroup;
    if (slots > L) {
      passesPerGroup = Math.ceil(slots / L - 1e-9);
    } else {
      subChainLength = Math.min(L, s * Math.max(1, Math.ceil(slots / s - 1e-9)));
      subChainsPerChain = Math.max(1, Math.floor(L / subChainLength));
    }
  }
  const packing = packingFactor(config, dtype);
  const factor = packing.factor;
  const base = unpackedMacsPerDsp(config, dtype);
  const mv = (): ChainPlan => {
    // One token: chains on different rows. Only 'shared-operand' packs two dense rows per DSP.
    const packsRows = config.packing === 'shared-operand' && !grouping.compacted;
    const rowsPacked = packsRows ? factor : 1;
    const macsPerDsp = rowsPacked * base;
    return {
      mode: 'mv',
      grouping,
      groupsPerRow,
      passesPerGroup,
      subChainLength,
      subChainsPerChain,
      activeChains: config.mvChains,
      macsPerDsp,
      rowsInParallel: config.mvChains * subChainsPerChain * rowsPacked,
      tokensInParallel: 1,
      activationBytesPerCycle: grouping.groupLength * activationBytes,
      notes: packsRows && packing.note ? [packing.note] : [],
    };
  };
  const mm = (): ChainPlan => {
    const tokenLanes = Math.min(config.mmTokenLanes, config.chains);
    const rowLanes = Math.max(1, Math.floor(config.chains / tokenLanes));
    const tokensPacked = factor; // two tokens share one weight
    return {
      mode: 'mm',
      grouping,
      groupsPerRow,
      passesPerGroup,
      subChainLength,
      subChainsPerChain,
      activeChains: tokenLanes * rowLanes,
      macsPerDsp: tokensPacked * base,
      rowsInParallel: rowLanes * subChainsPerChain,
      tokensInParallel: tokenLanes * tokensPacked,
      activationBytesPerCycle: tokenLanes * tokensPacked * grouping.groupLength * activationBytes,
      notes: packing.note ? [packing.note] : [],
    };
  };
  if (forceMode === 'mv') return mv();
  if (forceMode === 'mm') return mm();
  return tokens === 1 ? mv() : mm();
}

/**
 * Several tokens: the compiler picks the mode that finishes first, counting the weight- and
 * activation-buffer ports (matrix-vector mode re-reads every weight once per token, matrix-matrix
 * mode broadcasts it to its token lanes). One token always runs matrix-vector.
 */
export function chooseChainPlan(
  config: DspChainConfig,
  grouping: WeightGrouping,
  k: number,
  rows: number,
  tokens: number,
  dtype: Datatype,
  activationBytes: number,
  weightBytes: number,
): ChainPlan {
  if (tokens === 1) return planChains(config, grouping, k, tokens, dtype, activationBytes, 'mv');
  const cost = (plan: ChainPlan): number => {
    const cc = chainCycles(plan, rows, tokens);
    return Math.max(cc.cycles, portCycles(config, plan, cc, weightBytes));
  };
  const mv = planChains(config, grouping, k, tokens, dtype, activationBytes, 'mv');
  const mm = planChains(config, grouping, k, tokens, dtype, activationBytes, 'mm');
  return cost(mm) <= cost(mv) ? mm : mv;
}

/** Cycles the weight and activation buffers' read ports need to feed `cc` (one port per block). */
export function portCycles(config: DspChainConfig, plan: ChainPlan, cc: ChainCycles, weightBytes: number): number {
  const weightReads = cc.weightPasses * weightBytes;
  const activationReads = cc.cycles * plan.activationBytesPerCycle;
  return Math.max(Math.ceil(weightReads / config.buffers.weightPortBytesPerCycle - 1e-9), Math.ceil(activationReads / config.buffers.activationPortBytesPerCycle - 1e-9));
}

/** Cycles the chains need for `rows` weight rows × `tokens` tokens (before port limits). */
export function chainCycles(plan: ChainPlan, rows: number, tokens: number): ChainCycles {
  const slowdown = plan.macsPerDsp < 1 ? 1 / plan.macsPerDsp : 1;
  const jobsPerToken = rows * plan.groupsPerRow * plan.passesPerGroup;
  if (jobsPerToken === 0 || tokens === 0) return { cycles: 0, weightPasses: 0, jobs: 0 };
  const tokenSteps = Math.ceil(tokens / plan.tokensInParallel);
  const rowSteps = Math.ceil(jobsPerToken / plan.rowsInParallel);
  return { cycles: Math.ceil(tokenSteps * rowSteps * slowdown), weightPasses: tokenSteps, jobs: jobsPerToken * tokenSteps };
}

/**
 * Peak MACs per cycle of every chain DSP for a datatype: 2 per DSP for INT8/INT4 when packing is
 * enabled and allowed by the accumulation limit, fewer for datatypes that need several DSPs.
 */
export function peakMacsPerCycleFor(config: DspChainConfig, dtype: Datatype): number {
  return config.chains * config.chainLength * packingFactor(config, dtype).factor * unpackedMacsPerDsp(config, dtype);
}
