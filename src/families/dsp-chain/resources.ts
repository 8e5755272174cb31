// FPGA resource use of a DSP-chain design against its device: DSP48E2 slices, BRAM36 and URAM288
// blocks (counted from the design's parameters) and LUTs (estimated from per-unit counts). An FPGA
// has no silicon area a design can trade, so this family reports resource fractions instead of
// areaMm2: the fraction of the device a design uses is what limits a point of an FPGA sweep.
//
// LUT estimate (first approximation, every coefficient [A]; neither FlightLLM nor SAT publishes a
// per-unit LUT breakdown this repository can cite):
//   LUTs = base + chain DSP slots × luts_per_chain_dsp + reduction nodes × luts_per_reduction_node
//          + off-chip channels (HBM pseudo-channels + DDR channels) × luts_per_channel

import type { ParamDecl, StatDecl } from '../../spec/params.js';

export const DSP_CHAIN_RESOURCE_PARAMS: readonly ParamDecl[] = [
  {
    key: 'resources.luts_per_chain_dsp',
    type: 'integer',
    min: 0,
    default: 32,
    description: 'LUTs beside each chain DSP slot: the sparse-index operand select (an 8-bit 16:1 mux, ≈ 4 LUT6 per bit)',
    source: '[A] 8 bits × 4 LUT6 per 16:1 mux (UltraScale CLB, UG574); not a reported utilisation figure',
  },
  {
    key: 'resources.luts_per_reduction_node',
    type: 'integer',
    min: 0,
    default: 48,
    description: 'LUTs per reduction node that splits a chain: a 48-bit adder on the CLB carry chain (one LUT per bit)',
    source: '[A] DSP48E2 accumulator width 48 bits (UG579), one LUT per sum bit',
  },
  {
    key: 'resources.luts_per_channel',
    type: 'integer',
    min: 0,
    default: 6000,
    description: 'LUTs per off-chip channel controller (AXI port, DMA engine and its buffers) for each HBM pseudo-channel and DDR channel',
    source: '[A] order of magnitude of a soft AXI DMA + interconnect port; not measured',
  },
  {
    key: 'resources.luts_base',
    type: 'integer',
    min: 0,
    default: 150000,
    description: 'LUTs of everything not counted per unit: platform shell, task scheduler, instruction decode, special-function unit',
    source: '[A] not measured; the shell of an Alveo platform alone is tens of thousands of LUTs',
  },
];

export const DSP_CHAIN_RESOURCE_STATS: readonly StatDecl[] = [
  { key: 'dspSlicesUsed', unit: 'DSPs', description: 'DSP48E2 slices the design uses: chains × chain length + special-function unit' },
  { key: 'bramBlocksUsed', unit: 'BRAM36', description: 'BRAM36 blocks: weight buffer + output buffer' },
  { key: 'uramBlocksUsed', unit: 'URAM288', description: 'URAM288 blocks: activation buffer' },
  { key: 'lutsUsed', unit: 'LUTs', description: 'Estimated LUTs (first approximation): base + per chain DSP + per reduction node + per off-chip channel' },
  { key: 'dspFraction', unit: 'fraction', description: 'DSP slices used / device.dsp_slices' },
  { key: 'bramFraction', unit: 'fraction', description: 'BRAM36 blocks used / device.bram_blocks' },
  { key: 'uramFraction', unit: 'fraction', description: 'URAM288 blocks used / device.uram_blocks' },
  { key: 'lutFraction', unit: 'fraction', description: 'Estimated LUTs / device.luts' },
];

/** What the LUT estimate counts, per term. */
export interface LutEstimate {
  base: number;
  chainDsps: number;
  reductionNodes: number;
  channels: number;
  total: number;
}

export interface ResourceUse {
  dsp: { used: number; available: number };
  bram: { used: number; available: number };
  uram: { used: number; available: number };
  lut: { used: number; available: number; estimate: LutEstimate };
}

/** The inputs of the resource count, as configure() resolves them. */
export interface ResourceDesign {
  device: { dspSlices: number; bramBlocks: number; uramBlocks: number; luts: number };
  chains: number;
  chainLength: number;
  reductionSpacing: number;
  sfuDspSlices: number;
  blocks: { weight: number; activation: number; output: number };
  offChipChannels: number;
  luts: { perChainDsp: number; perReductionNode: number; perChannel: number; base: number };
}

export function lutEstimate(design: ResourceDesign): LutEstimate {
  const { luts } = design;
  // A chain of L DSPs split every s slots has ceil(L / s) − 1 reduction nodes between the pieces.
  const nodesPerChain = Math.max(0, Math.ceil(design.chainLength / Math.max(1, design.reductionSpacing)) - 1);
  const terms = {
    base: luts.base,
    chainDsps: design.chains * design.chainLength * luts.perChainDsp,
    reductionNodes: design.chains * nodesPerChain * luts.perReductionNode,
    channels: design.offChipChannels * luts.perChannel,
  };
  return { ...terms, total: terms.base + terms.chainDsps + terms.reductionNodes + terms.channels };
}

export function resourceUse(design: ResourceDesign): ResourceUse {
  const { device, blocks } = design;
  const estimate = lutEstimate(design);
  return {
    dsp: { used: design.chains * design.chainLength + design.sfuDspSlices, available: device.dspSlices },
    bram: { used: blocks.weight + blocks.output, available: device.bramBlocks },
    uram: { used: blocks.activation, available: device.uramBlocks },
    lut: { used: estimate.total, available: device.luts, estimate },
  };
}

const fraction = (r: { used: number; available: number }): number => (r.available > 0 ? r.used / r.available : 0);

/** The per-operator stats of DSP_CHAIN_RESOURCE_STATS (the same for every operator of a design). */
export function resourceStats(design: ResourceDesign): Record<string, number> {
  const use = resourceUse(design);
  return {
    dspSlicesUsed: use.dsp.used,
    bramBlocksUsed: use.bram.used,
    uramBlocksUsed: use.uram.used,
    lutsUsed: use.lut.used,
    dspFraction: fraction(use.dsp),
    bramFraction: fraction(use.bram),
    uramFraction: fraction(use.uram),
    lutFraction: fraction(use.lut),
  };
}

/** The resources hook of the family (`accsim describe`, the dspFraction / lutFraction sweep metrics). */
export function resourceTable(design: ResourceDesign): Record<string, { label: string; used: number; available: number; note?: string }> {
  const use = resourceUse(design);
  const e = use.lut.estimate;
  return {
    dsp: { label: 'DSP48E2', ...use.dsp },
    bram: { label: 'BRAM36', ...use.bram },
    uram: { label: 'URAM288', ...use.uram },
    lut: { label: 'LUT', used: use.lut.used, available: use.lut.available, note: `estimate [A]: base ${e.base} + chain DSPs ${e.chainDsps} + reduction nodes ${e.reductionNodes} + channel controllers ${e.channels}` },
  };
}
