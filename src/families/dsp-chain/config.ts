// The DSP-chain family's typed configuration and its cross-field checks. The resource check is
// the FPGA designer's first question: does the design fit the device? A design that needs more
// DSP48E2 slices, BRAM36 or URAM288 blocks, or more (estimated) LUTs, than the device has is an
// InputError that names the resource, the shortfall and the parameter to change.

import type { ArchSpec } from '../../core/types.js';
import { inputError } from '../../spec/errors.js';
import { lutEstimate, type ResourceDesign } from './resources.js';

/** BRAM36: 36 Kb of data (UG573). */
export const BRAM_BLOCK_BYTES = (36 * 1024) / 8;
/** URAM288: 288 Kb (UG573). */
export const URAM_BLOCK_BYTES = (288 * 1024) / 8;

export type Access = 'local' | 'cross';
export type OffChip = 'hbm' | 'ddr';
export type TensorClass = 'weights' | 'kvCache' | 'activations';

export interface DspChainConfig {
  file: string;
  clockHz: number;
  device: { dspSlices: number; bramBlocks: number; uramBlocks: number; luts: number };
  /** Memory blocks of the three buffers (weight and output in BRAM36, activations in URAM288). */
  blocks: { weight: number; activation: number; output: number };
  /** LUT estimate coefficients (resources.*, src/families/dsp-chain/resources.ts). */
  luts: { perChainDsp: number; perReductionNode: number; perChannel: number; base: number };
  chains: number;
  chainLength: number;
  reductionSpacing: number;
  mvChains: number;
  mmTokenLanes: number;
  packing: 'none' | 'shared-weight' | 'shared-operand';
  packedLimit: { int8: number; int4: number };
  dspsPerFpMac: number;
  pipelineLatency: number;
  instructionOutputs: number;
  instructionOverhead: number;
  sfu: { opsPerCycle: number; dspSlices: number };
  buffers: {
    weightBytes: number;
    activationBytes: number;
    outputBytes: number;
    /** Read bandwidth of each buffer: one port per block. */
    weightPortBytesPerCycle: number;
    activationPortBytesPerCycle: number;
    /** Capacity of one block, for the per-access energy. */
    weightBlockBytes: number;
    activationBlockBytes: number;
    outputBlockBytes: number;
  };
  activationsOnChip: 'decode' | 'when-fit' | 'never';
  hbm: {
    channels: number;
    channelBytesPerSecond: number;
    channelCapacity: number;
    sameEfficiency: number;
    crossEfficiency: number;
    map: Record<TensorClass, { channels: number; access: Access }>;
  };
  ddr: { channels: number; channelBytesPerSecond: number; efficiency: number; channelCapacity: number };
  placement: Record<TensorClass, OffChip>;
  nmPregeneration: boolean;
  staticW: number;
  powerSource: string;
}

export function configureDspChain(arch: ArchSpec): DspChainConfig {
  const v = arch.values;
  const num = (key: string) => v[key] as number;
  const file = arch.file;
  const bramPortBytes = num('memory.bram.port_bits') / 8;
  const uramPortBytes = num('memory.uram.port_bits') / 8;
  const weightBlocks = num('buffers.weight.bram_blocks');
  const activationBlocks = num('buffers.activation.uram_blocks');
  const outputBlocks = num('buffers.output.bram_blocks');
  const hbmChannels = num('memory.hbm.channels');
  const classChannels = (key: string) => num(key) || hbmChannels;
  const config: DspChainConfig = {
    file,
    clockHz: num('clock'),
    device: { dspSlices: num('device.dsp_slices'), bramBlocks: num('device.bram_blocks'), uramBlocks: num('device.uram_blocks'), luts: num('device.luts') },
    blocks: { weight: weightBlocks, activation: activationBlocks, output: outputBlocks },
    luts: {
      perChainDsp: num('resources.luts_per_chain_dsp'),
      perReductionNode: num('resources.luts_per_reduction_node'),
      perChannel: num('resources.luts_per_channel'),
      base: num('resources.luts_base'),
    },
    chains: num('compute.chains'),
    chainLength: num('compute.chain_length'),
    // A spacing of chain_length or more means no reduction nodes inside the chain.
    reductionSpacing: Math.min(num('compute.reduction_node_spacing'), num('compute.chain_length')),
    mvChains: num('compute.mv_chains') || num('compute.chains'),
    mmTokenLanes: Math.min(num('compute.mm_token_lanes'), num('compute.chains')),
    packing: v['compute.int8_packing'] as DspChainConfig['packing'],
    packedLimit: { int8: num('compute.packed_accumulation_limit.int8'), int4: num('compute.packed_accumulation_limit.int4') },
    dspsPerFpMac: num('compute.dsps_per_fp_mac'),
    pipelineLatency: num('compute.pipeline_latency'),
    instructionOutputs: num('compute.instruction_outputs'),
    instructionOverhead: num('compute.instruction_overhead'),
    sfu: { opsPerCycle: num('sfu.ops_per_cycle'), dspSlices: num('sfu.dsp_slices') },
    buffers: {
      weightBytes: weightBlocks * BRAM_BLOCK_BYTES,
      activationBytes: activationBlocks * URAM_BLOCK_BYTES,
      outputBytes: outputBlocks * BRAM_BLOCK_BYTES,
      weightPortBytesPerCycle: weightBlocks * bramPortBytes,
      activationPortBytesPerCycle: activationBlocks * uramPortBytes,
      weightBlockBytes: BRAM_BLOCK_BYTES,
      activationBlockBytes: URAM_BLOCK_BYTES,
      outputBlockBytes: BRAM_BLOCK_BYTES,
    },
    activationsOnChip: v['memory.activations_on_chip'] as DspChainConfig['activationsOnChip'],
    hbm: {
      channels: hbmChannels,
      channelBytesPerSecond: num('memory.hbm.channel_bandwidth'),
      channelCapacity: num('memory.hbm.channel_capacity'),
      sameEfficiency: num('memory.hbm.same_channel_efficiency'),
      crossEfficiency: num('memory.hbm.cross_channel_efficiency'),
      map: {
        weights: { channels: classChannels('memory.hbm.weights.channels'), access: v['memory.hbm.weights.access'] as Access },
        kvCache: { channels: classChannels('memory.hbm.kv_cache.channels'), access: v['memory.hbm.kv_cache.access'] as Access },
        activations: { channels: classChannels('memory.hbm.activations.channels'), access: v['memory.hbm.activations.access'] as Access },
      },
    },
    ddr: {
      channels: num('memory.ddr.channels'),
      channelBytesPerSecond: num('memory.ddr.channel_bandwidth'),
      efficiency: num('memory.ddr.efficiency'),
      channelCapacity: num('memory.ddr.channel_capacity'),
    },
    placement: {
      weights: v['memory.placement.weights'] as OffChip,
      kvCache: v['memory.placement.kv_cache'] as OffChip,
      activations: v['memory.placement.activations'] as OffChip,
    },
    nmPregeneration: v['training.nm_pregeneration'] as boolean,
    staticW: num('power.static'),
    powerSource: v['power.source'] as string,
  };
  checkResources(config, weightBlocks, activationBlocks, outputBlocks);
  checkLuts(config);
  checkStructure(config);
  return config;
}

function checkResources(config: DspChainConfig, weightBlocks: number, activationBlocks: number, outputBlocks: number): void {
  const { file, device } = config;
  const chainDsps = config.chains * config.chainLength;
  const dsps = chainDsps + config.sfu.dspSlices;
  if (dsps > device.dspSlices) {
    throw inputError({
      file,
      keyPath: 'compute.chains',
      message: `the design needs ${dsps} DSP48E2 slices (${config.chains} chains × ${config.chainLength} + ${config.sfu.dspSlices} in the SFU) but the device has ${device.dspSlices}: short by ${dsps - device.dspSlices} DSP slices`,
      expected: `at most ${Math.floor((device.dspSlices - config.sfu.dspSlices) / config.chainLength)} chains of ${config.chainLength}`,
      hint: 'raise device.dsp_slices only if the device really has them',
    });
  }
  const bram = weightBlocks + outputBlocks;
  if (bram > device.bramBlocks) {
    throw inputError({
      file,
      keyPath: 'buffers.weight.bram_blocks',
      message: `the design needs ${bram} BRAM36 blocks (weight buffer ${weightBlocks} + output buffer ${outputBlocks}) but the device has ${device.bramBlocks}: short by ${bram - device.bramBlocks} BRAM blocks (${((bram - device.bramBlocks) * BRAM_BLOCK_BYTES) / 1024} KiB)`,
      expected: `at most ${device.bramBlocks - outputBlocks} weight-buffer blocks`,
    });
  }
  if (activationBlocks > device.uramBlocks) {
    throw inputError({
      file,
      keyPath: 'buffers.activation.uram_blocks',
      message: `the design needs ${activationBlocks} URAM288 blocks but the device has ${device.uramBlocks}: short by ${activationBlocks - device.uramBlocks} URAM blocks (${((activationBlocks - device.uramBlocks) * URAM_BLOCK_BYTES) / 1024} KiB)`,
      expected: `at most ${device.uramBlocks}`,
    });
  }
}

/** The inputs of the resource count (resources.ts) from a configuration. */
export function resourceDesign(config: DspChainConfig): ResourceDesign {
  return {
    device: config.device,
    chains: config.chains,
    chainLength: config.chainLength,
    reductionSpacing: config.reductionSpacing,
    sfuDspSlices: config.sfu.dspSlices,
    blocks: config.blocks,
    offChipChannels: config.hbm.channels + config.ddr.channels,
    luts: config.luts,
  };
}

function checkLuts(config: DspChainConfig): void {
  const design = resourceDesign(config);
  const e = lutEstimate(design);
  const available = config.device.luts;
  if (e.total <= available) return;
  const perChain = (e.chainDsps + e.reductionNodes) / Math.max(1, config.chains);
  const fitChains = perChain > 0 ? Math.max(0, Math.floor((available - e.base - e.channels) / perChain)) : 0;
  throw inputError({
    file: config.file,
    keyPath: 'compute.chains',
    message: `the design needs an estimated ${e.total} LUTs (base ${e.base} + chain DSPs ${e.chainDsps} + reduction nodes ${e.reductionNodes} + channel controllers ${e.channels}) but the device has ${available}: short by ${e.total - available} LUTs`,
    expected: `at most ${fitChains} chains of ${config.chainLength}`,
    hint: 'the estimate is a first approximation (resources.* coefficients [A]); lower them only with a synthesis report',
  });
}

function checkStructure(config: DspChainConfig): void {
  const { file } = config;
  const fail = (keyPath: string, message: string, expected?: string) => inputError({ file, keyPath, message, expected });
  if (config.mvChains > config.chains) throw fail('compute.mv_chains', `${config.mvChains} matrix-vector chains but only ${config.chains} chains exist`, `at most ${config.chains} (0 = all)`);
  const keys: Record<TensorClass, string> = { weights: 'weights', kvCache: 'kv_cache', activations: 'activations' };
  for (const cls of ['weights', 'kvCache', 'activations'] as const) {
    const memory = config.placement[cls];
    if (memory === 'hbm') {
      if (config.hbm.channels === 0) throw fail(`memory.placement.${keys[cls]}`, `${keys[cls]} are placed in HBM but memory.hbm.channels is 0`, "'ddr', or HBM pseudo-channels > 0");
      if (config.hbm.channelBytesPerSecond <= 0) throw fail('memory.hbm.channel_bandwidth', `${keys[cls]} are placed in HBM but its bandwidth is 0`);
      const channels = config.hbm.map[cls].channels;
      if (channels > config.hbm.channels) {
        throw fail(`memory.hbm.${keys[cls]}.channels`, `${keys[cls]} are mapped to ${channels} pseudo-channels but the HBM has ${config.hbm.channels}`, `at most ${config.hbm.channels} (0 = all)`);
      }
    } else {
      if (config.ddr.channels === 0) throw fail(`memory.placement.${keys[cls]}`, `${keys[cls]} are placed in DDR but memory.ddr.channels is 0`, "'hbm', or DDR channels > 0");
      if (config.ddr.channelBytesPerSecond <= 0) throw fail('memory.ddr.channel_bandwidth', `${keys[cls]} are placed in DDR but its bandwidth is 0`);
    }
    if (!(tensorBandwidth(config, cls).bytesPerSecond > 0)) {
      const key = memory === 'hbm' ? (config.hbm.map[cls].access === 'local' ? 'memory.hbm.same_channel_efficiency' : 'memory.hbm.cross_channel_efficiency') : 'memory.ddr.efficiency';
      throw fail(key, `${keys[cls]} would get no bandwidth (efficiency 0)`, 'a fraction > 0');
    }
  }
}

/** Off-chip bandwidth (B/s) and capacity (B) seen by one tensor class, from its channel mapping. */
export function tensorBandwidth(config: DspChainConfig, cls: TensorClass): { memory: OffChip; bytesPerSecond: number; capacity: number; channels: number; efficiency: number } {
  if (config.placement[cls] === 'ddr') {
    const { ddr } = config;
    return { memory: 'ddr', bytesPerSecond: ddr.channels * ddr.channelBytesPerSecond * ddr.efficiency, capacity: ddr.channels * ddr.channelCapacity, channels: ddr.channels, efficiency: ddr.efficiency };
  }
  const { hbm } = config;
  const { channels, access } = hbm.map[cls];
  const efficiency = access === 'local' ? hbm.sameEfficiency : hbm.crossEfficiency;
  return { memory: 'hbm', bytesPerSecond: channels * hbm.channelBytesPerSecond * efficiency, capacity: channels * hbm.channelCapacity, channels, efficiency };
}
