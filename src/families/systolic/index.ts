// Systolic-array family (TPU-like): R×C PEs, output/weight/input-stationary dataflows, GEMM and
// im2col-lowered conv, ifmap/filter/ofmap SRAM buffers and a DRAM port.

import { systolicArea } from './area.js';
import type { Family, ActionCount, FamilyContext, OperatorSimulation } from '../family.js';
import { INPUTS_PER_ELEMENT, OPS_PER_ELEMENT } from '../../core/elementwise.js';
import type { ArchSpec, ElementwiseOperator, GemmOperator, LevelTraffic, Operator } from '../../core/types.js';
import { DATATYPE_BITS, isGemmLike } from '../../core/types.js';
import { analyticalPipeline, simulatePipeline, type PipelineSpec } from '../../core/engine/pipeline.js';
import { energyOf, macEnergyJ, sramEnergyPerByteJ, type EnergyTable } from '../../core/energy-tables.js';
import { inputError } from '../../spec/errors.js';
import { operandView, type OperandView } from '../../core/operand-sparsity.js';
import { SYSTOLIC_PARAMS, SYSTOLIC_STATS } from './params.js';
import { cyclesPerFold, mapOperator, type SystolicConfig, type SystolicMapping } from './mapping.js';
import { planSkipping, type SkipPlan } from './skipping.js';
import { scaleSimV2Layer, type ScaleSimLayerReport } from './scalesim-v2.js';
import { estimateSystolicWork } from './budget.js';
import { scaleSimLayerFor } from './scalesim-layer.js';

function configure(arch: ArchSpec): SystolicConfig {
  const v = arch.values;
  const config: SystolicConfig = {
    clockHz: v['clock'] as number,
    rows: v['compute.rows'] as number,
    cols: v['compute.cols'] as number,
    dataflow: v['compute.dataflow'] as SystolicConfig['dataflow'],
    accumulatorBytes: (v['compute.accumulator_bits'] as number) / 8,
    vectorLanes: v['compute.vector_lanes'] as number,
    ifmapBytes: v['memory.ifmap_sram.capacity'] as number,
    filterBytes: v['memory.filter_sram.capacity'] as number,
    ofmapBytes: v['memory.ofmap_sram.capacity'] as number,
    doubleBuffered: v['memory.double_buffered'] as boolean,
    activationsOnChip: v['memory.activations_on_chip'] as boolean,
    zeroHandling: v['compute.zero_handling'] as SystolicConfig['zeroHandling'],
    skipWindow: v['compute.skip_window'] as number,
    compressedOperands: v['memory.compressed_operands'] as boolean,
    dramBytesPerSecond: v['memory.dram.bandwidth'] as number,
    dramBandwidthMode: v['memory.dram.bandwidth_mode'] as SystolicConfig['dramBandwidthMode'],
    dramTechnology: v['memory.dram.technology'] as SystolicConfig['dramTechnology'],
  };
  // Each buffer (each half when double-buffered) must hold at least one word per PE row/column,
  // or no operand vector can ever be fed to the array.
  const minimum = (config.doubleBuffered ? 2 : 1) * Math.max(config.rows, config.cols);
  for (const [key, bytes] of [
    ['memory.ifmap_sram.capacity', config.ifmapBytes],
    ['memory.filter_sram.capacity', config.filterBytes],
    ['memory.ofmap_sram.capacity', config.ofmapBytes],
  ] as const) {
    if (bytes < minimum) {
      throw inputError({
        file: arch.file,
        keyPath: key,
        message: `${bytes} B cannot hold one ${Math.max(config.rows, config.cols)}-word vector for the array${config.doubleBuffered ? ' in each half of the double buffer' : ''}`,
        expected: `at least ${minimum} B`,
      });
    }
  }
  return config;
}

function traffic(perTensor: Record<string, { readBytes: number; writeBytes: number }>): LevelTraffic {
  let readBytes = 0;
  let writeBytes = 0;
  for (const t of Object.values(perTensor)) {
    readBytes += t.readBytes;
    writeBytes += t.writeBytes;
  }
  return { readBytes, writeBytes, perTensor };
}

function dramEnergyPerByte(energy: EnergyTable, config: SystolicConfig): number {
  return 8 * energyOf(energy, config.dramTechnology === 'hbm' ? 'dram.hbm.bit' : 'dram.ddr.bit');
}

interface Counts {
  cycles: number;
  computeCycles: number;
  stallCycles: number;
  dramBusyCycles: number;
  sramBytes: { ifmapRead: number; ifmapFill: number; filterRead: number; filterFill: number; ofmapWrite: number; ofmapRead: number; ofmapDrain: number };
  dramBytes: { inputRead: number; weightRead: number; outputWrite: number; partialRead: number; partialWrite: number };
  scalesim?: ScaleSimLayerReport;
  notes?: string[];
}

/** accsim's own convention: event (or analytical) pipeline over the mapper's tile program. */
function countNative(config: SystolicConfig, op: GemmOperator, mapping: SystolicMapping, engine: 'event' | 'analytical'): Counts {
  const bytesPerCycle = config.dramBandwidthMode === 'calc' ? Infinity : config.dramBytesPerSecond / config.clockHz;
  const spec: PipelineSpec = {
    runs: mapping.runs,
    dramBytesPerCycle: bytesPerCycle,
    inputBuffers: config.doubleBuffered ? 2 : 1,
    outputBuffers: config.doubleBuffered ? 2 : 1,
  };
  const timing = engine === 'event' ? simulatePipeline(spec) : analyticalPipeline(spec);
  const operandBytes = DATATYPE_BITS[op.dtype] / 8;
  const { sram, dram } = mapping;
  return {
    cycles: timing.cycles,
    computeCycles: timing.computeCycles,
    stallCycles: timing.stallCycles,
    dramBusyCycles: timing.dramBusyCycles,
    sramBytes: {
      ifmapRead: sram.ifmapReads * operandBytes,
      ifmapFill: dram.inputRead,
      filterRead: sram.filterReads * operandBytes,
      filterFill: dram.weightRead,
      ofmapWrite: sram.ofmapWrites * config.accumulatorBytes,
      ofmapRead: sram.ofmapReads * config.accumulatorBytes,
      ofmapDrain: dram.outputWrite + dram.partialWrite,
    },
    dramBytes: { ...dram },
  };
}

/** SCALE-Sim v2's convention: its cycle, stall and access counts (1-byte words). */
function countScaleSim(config: SystolicConfig, op: GemmOperator): Counts {
  const layer = scaleSimLayerFor(config, op);
  const report = scaleSimV2Layer(layer.input);
  const b = layer.repeats;
  return {
    cycles: report.totalCycles * b,
    computeCycles: report.computeCyclesExclStalls * b,
    stallCycles: report.stallCycles * b,
    dramBusyCycles: 0,
    sramBytes: {
      ifmapRead: report.sramIfmapReads * b,
      ifmapFill: report.dramIfmapReads * b,
      filterRead: report.sramFilterReads * b,
      filterFill: report.dramFilterReads * b,
      ofmapWrite: report.sramOfmapWrites * b,
      ofmapRead: 0,
      ofmapDrain: report.dramOfmapWrites * b,
    },
    dramBytes: { inputRead: report.dramIfmapReads * b, weightRead: report.dramFilterReads * b, outputWrite: report.dramOfmapWrites * b, partialRead: 0, partialWrite: 0 },
    scalesim: report,
    notes: layer.notes,
  };
}

/**
 * Element-wise operators run on the vector unit next to the array: `lanes` operations per cycle,
 * operands from the on-chip buffers (or DRAM when activations do not stay on chip), overlapped
 * with the transfers through the same tile pipeline (one tile).
 */
function simulateElementwise(config: SystolicConfig, op: ElementwiseOperator, context: FamilyContext): OperatorSimulation {
  const { options, energy } = context;
  const bytes = DATATYPE_BITS[op.dtype] / 8;
  const operations = op.elements * OPS_PER_ELEMENT[op.function];
  const readBytes = op.elements * INPUTS_PER_ELEMENT[op.function] * bytes;
  const writeBytes = op.elements * bytes;
  const offChip = !config.activationsOnChip;
  const computeCycles = Math.ceil(operations / config.vectorLanes);
  const pipeline: PipelineSpec = {
    runs: [{ count: 1, loadBytes: offChip ? readBytes : 0, computeCycles, storeBytes: offChip ? writeBytes : 0 }],
    dramBytesPerCycle: config.dramBandwidthMode === 'calc' ? Infinity : config.dramBytesPerSecond / config.clockHz,
    inputBuffers: 1,
    outputBuffers: 1,
  };
  const timing = options.engine === 'event' ? simulatePipeline(pipeline) : analyticalPipeline(pipeline);
  const memory: Record<string, LevelTraffic> = {
    dram: traffic({ input: { readBytes: offChip ? readBytes : 0, writeBytes: 0 }, output: { readBytes: 0, writeBytes: offChip ? writeBytes : 0 } }),
    ifmap_sram: traffic({ input: { readBytes, writeBytes: offChip ? readBytes : 0 } }),
    ofmap_sram: traffic({ output: { readBytes: offChip ? writeBytes : 0, writeBytes } }),
  };
  const dramPerByte = dramEnergyPerByte(energy, config);
  const actions: ActionCount[] = [
    // A vector operation is priced as one MAC of the operand type: a stated first approximation.
    { component: 'vector_unit', action: `op.${op.dtype} (priced as mac.${op.dtype})`, count: operations, energyPerActionJ: macEnergyJ(energy, op.dtype) },
    { component: 'ifmap_sram', action: 'byte read', count: memory.ifmap_sram.readBytes + memory.ifmap_sram.writeBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.ifmapBytes) },
    { component: 'ofmap_sram', action: 'byte accessed', count: memory.ofmap_sram.readBytes + memory.ofmap_sram.writeBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.ofmapBytes) },
    { component: 'dram', action: 'byte accessed', count: memory.dram.readBytes + memory.dram.writeBytes, energyPerActionJ: dramPerByte },
  ];
  const bounds: Record<string, number> = { vector: computeCycles };
  if (offChip && config.dramBandwidthMode === 'fixed') bounds.dram = Math.ceil((readBytes + writeBytes) / (config.dramBytesPerSecond / config.clockHz) - 1e-9);
  return {
    cycles: timing.cycles,
    computeCycles: timing.computeCycles,
    stallCycles: timing.stallCycles,
    macs: { dense: 0, issued: 0, effectual: 0 },
    memory,
    actions,
    bounds,
    bottleneck: timing.stallCycles > timing.computeCycles ? 'dram-bandwidth' : 'vector-unit',
    stats: { vectorOperations: operations },
    notes: [`element-wise operators: ${OPS_PER_ELEMENT[op.function]} operations per ${op.function} element on ${config.vectorLanes} vector lanes [A]; each priced as one MAC`],
  };
}

function simulateOperator(config: SystolicConfig, operator: Operator, context: FamilyContext): OperatorSimulation {
  if (operator.kind === 'elementwise') return simulateElementwise(config, operator, context);
  if (!isGemmLike(operator)) throw new Error(`systolic family cannot simulate ${operator.kind}`);
  const op = operator;
  const { options, energy } = context;
  // Sparse operands: compressed bytes (values + metadata) when the machine keeps them compressed;
  // zero MACs are gated (energy) or computed (dense) in unchanged time slots, or skipped
  // (skipping.ts: N:M weights packed along K, streamed zeros passed over by each PE).
  const weight = operandView(op, 'weight', options, context.masks);
  const input = operandView(op, 'input', options, context.masks);
  const scale = config.compressedOperands
    ? { weight: weight.storage.bytes / weight.denseBytes, input: input.storage.bytes / input.denseBytes }
    : { weight: weight.quantisedDenseBytes / weight.denseBytes, input: 1 };
  const skip: SkipPlan | undefined =
    config.zeroHandling === 'skipping' && options.convention === 'accsim' ? planSkipping(config, op, weight, input, context.masks) : undefined;
  const firstOperator = context.operatorIndex === 0;
  const mapping = skip ? mapSkipping(config, op, scale, skip, firstOperator) : mapOperator(config, op, scale, firstOperator);
  const counts = options.convention === 'scalesim' ? countScaleSim(config, op) : countNative(config, op, mapping, options.engine);
  const macs = op.m * op.n * op.k * op.batch;
  const effectualMacs = macs * weight.density * input.density;
  const issuedMacs = skip ? skippingIssuedMacs(config, macs, weight, input, skip) : macs;
  const gatedMacs = config.zeroHandling === 'gating' ? macs - effectualMacs : skip ? issuedMacs - effectualMacs : 0;
  const skippedMacs = macs - issuedMacs;
  const peak = config.rows * config.cols;
  const { sramBytes, dramBytes } = counts;

  const memory: Record<string, LevelTraffic> = {
    dram: traffic({
      input: { readBytes: dramBytes.inputRead, writeBytes: 0 },
      weight: { readBytes: dramBytes.weightRead, writeBytes: 0 },
      output: { readBytes: dramBytes.partialRead, writeBytes: dramBytes.outputWrite + dramBytes.partialWrite },
    }),
    ifmap_sram: traffic({ input: { readBytes: sramBytes.ifmapRead, writeBytes: sramBytes.ifmapFill } }),
    filter_sram: traffic({ weight: { readBytes: sramBytes.filterRead, writeBytes: sramBytes.filterFill } }),
    ofmap_sram: traffic({ output: { readBytes: sramBytes.ofmapRead + sramBytes.ofmapDrain, writeBytes: sramBytes.ofmapWrite + dramBytes.partialRead } }),
  };

  const perByte = (capacity: number) => sramEnergyPerByteJ(energy, capacity);
  const dramPerByte = dramEnergyPerByte(energy, config);
  const actions: ActionCount[] = [
    { component: 'array', action: `mac.${op.dtype}`, count: issuedMacs - gatedMacs, energyPerActionJ: macEnergyJ(energy, op.dtype) },
    { component: 'array', action: 'gated MAC', count: gatedMacs, energyPerActionJ: energyOf(energy, 'gate.mac') },
    ...(skip ? [{ component: 'array', action: 'skipped MAC (zero detected, priced as gate.mac)', count: skippedMacs, energyPerActionJ: energyOf(energy, 'gate.mac') }] : []),
    { component: 'ifmap_sram', action: 'byte read', count: memory.ifmap_sram.readBytes, energyPerActionJ: perByte(config.ifmapBytes) },
    { component: 'ifmap_sram', action: 'byte written', count: memory.ifmap_sram.writeBytes, energyPerActionJ: perByte(config.ifmapBytes) },
    { component: 'filter_sram', action: 'byte read', count: memory.filter_sram.readBytes, energyPerActionJ: perByte(config.filterBytes) },
    { component: 'filter_sram', action: 'byte written', count: memory.filter_sram.writeBytes, energyPerActionJ: perByte(config.filterBytes) },
    { component: 'ofmap_sram', action: 'byte read', count: memory.ofmap_sram.readBytes, energyPerActionJ: perByte(config.ofmapBytes) },
    { component: 'ofmap_sram', action: 'byte written', count: memory.ofmap_sram.writeBytes, energyPerActionJ: perByte(config.ofmapBytes) },
    { component: 'dram', action: 'byte read', count: memory.dram.readBytes, energyPerActionJ: dramPerByte },
    { component: 'dram', action: 'byte written', count: memory.dram.writeBytes, energyPerActionJ: dramPerByte },
  ];

  const dramBytesTotal = memory.dram.readBytes + memory.dram.writeBytes;
  const bytesPerCycle = config.dramBytesPerSecond / config.clockHz;
  const bounds: Record<string, number> = {
    compute: Math.ceil(issuedMacs / peak - 1e-9),
    array: counts.computeCycles,
  };
  if (config.dramBandwidthMode === 'fixed' && options.convention === 'accsim') bounds.dram = Math.ceil(dramBytesTotal / bytesPerCycle - 1e-9);

  const streamCycles = mapping.folds * mapping.streamDim;
  let bottleneck = 'compute';
  if (counts.stallCycles > 0 && (counts.dramBusyCycles > counts.computeCycles || counts.stallCycles > 0.5 * counts.computeCycles)) bottleneck = 'dram-bandwidth';
  else if (mapping.mappingEfficiency < 0.5) bottleneck = 'compute:array-underfilled';
  else if (counts.computeCycles - streamCycles > streamCycles) bottleneck = 'compute:fill-drain';

  const stats: Record<string, number> = {
    folds: mapping.folds,
    cyclesPerFold: mapping.cyclesPerFold,
    mappingEfficiency: mapping.mappingEfficiency,
    computeUtilization: counts.computeCycles > 0 ? macs / (peak * counts.computeCycles) : 0,
    requiredDramBytesPerCycle: counts.computeCycles > 0 ? dramBytesTotal / counts.computeCycles : 0,
    loopOrderRowFoldsOuter: mapping.rowFoldsOuter ? 1 : 0,
    gatedMacs,
    ...(skip ? { skippedMacs, packedK: skip.packedK, busiestPeFraction: skip.busiestFraction } : {}),
    weightStorageRatio: scale.weight,
    inputStorageRatio: scale.input,
  };
  if (counts.scalesim) {
    stats.scalesimOverallUtilPct = counts.scalesim.overallUtilPct;
    stats.scalesimMappingEffPct = counts.scalesim.mappingEffPct;
    stats.scalesimComputeUtilPct = counts.scalesim.computeUtilPct;
  }
  return {
    cycles: counts.cycles,
    computeCycles: counts.computeCycles,
    stallCycles: counts.stallCycles,
    macs: { dense: macs, issued: issuedMacs, effectual: effectualMacs },
    memory,
    actions,
    bounds,
    bottleneck,
    stats,
    notes: [
      ...mapping.notes,
      ...(skip?.notes ?? []),
      ...(options.convention === 'scalesim' ? [SCALESIM_NOTE, ...(counts.notes ?? [])] : [ENERGY_NOTE]),
      ...(weight.pattern.kind !== 'dense' || input.pattern.kind !== 'dense' ? sparsityNotes(config, options, weight.mode, skip !== undefined) : []),
    ],
  };
}

/** What the target did with the declared zeros; 'dense traffic' / 'no mechanism' notes feed `compare`'s effect column. */
function sparsityNotes(config: SystolicConfig, options: FamilyContext['options'], mode: string, skipped: boolean): string[] {
  const notes = [`sparsity: ${mode} mode (seed ${options.seed})`];
  if (!config.compressedOperands) notes.push('dense traffic: no compressed operands on this target (memory.compressed_operands: false)');
  else notes.push('sparse operands move and sit in SRAM in their storage format (values + metadata), expanded at the array edge');
  if (config.zeroHandling === 'dense') notes.push('no mechanism for zero MACs (compute.zero_handling: dense)');
  else if (config.zeroHandling === 'gating') notes.push('zero MACs gated: no MAC energy, same cycles (compute.zero_handling: gating)');
  else if (!skipped) notes.push('zero MACs computed: the SCALE-Sim convention models no skipping');
  return notes;
}

/**
 * The mapping of a skipping array: the packed GEMM (K' = packed K) with per-element byte scales
 * raised by K/K' so DRAM and SRAM bytes stay those of the real operands (the mux still reads every
 * input of a group), and each fold's stream shortened to the busiest PE's work.
 */
function mapSkipping(config: SystolicConfig, op: GemmOperator, scale: { weight: number; input: number }, skip: SkipPlan, firstOperator: boolean): SystolicMapping {
  const widen = op.k / skip.packedK;
  const mapping = mapOperator(config, { ...op, k: skip.packedK }, { weight: scale.weight * widen, input: scale.input * widen }, firstOperator);
  const perFold = cyclesPerFold(config, skip.skippedStream);
  return {
    ...mapping,
    cyclesPerFold: perFold,
    sram: { ...mapping.sram, ifmapReads: mapping.sram.ifmapReads * widen },
    runs: mapping.runs.map((run) => ({ ...run, computeCycles: perFold })),
  };
}

/**
 * MACs that occupy a slot on a skipping array. Packed N:M weights and skipped streamed zeros
 * take none; a zero on the stationary side that could not be packed idles its PE (gated).
 * ws streams inputs, is streams weights, os intersects both.
 */
function skippingIssuedMacs(config: SystolicConfig, macs: number, weight: OperandView, input: OperandView, skip: SkipPlan): number {
  const packed = skip.packedK < weight.shape.cols;
  switch (config.dataflow) {
    case 'ws':
      return macs * input.density * (packed ? weight.density : 1);
    case 'is':
      return macs * weight.density;
    case 'os':
      return macs * weight.density * input.density;
  }
}

const ENERGY_NOTE =
  'first approximation: energy counts MACs, SRAM and DRAM bytes with the cited per-action table; leakage, control and inter-PE register hops are not modelled';
const SCALESIM_NOTE = "SCALE-Sim v2 convention: cycles, stalls and access counts reproduce SCALE-Sim's (1-byte words, its prefetch model); energy prices those counts";

export const systolicFamily: Family<SystolicConfig> = {
  id: 'systolic',
  title: 'Systolic array (TPU-like)',
  description:
    'R×C PE array with output-, weight- or input-stationary dataflow; folds with SCALE-Sim v2 timing (preload, fill, drain), double-buffered ifmap/filter/ofmap SRAMs and a shared DRAM port simulated as a tile pipeline.',
  params: SYSTOLIC_PARAMS,
  stats: SYSTOLIC_STATS,
  operatorKinds: ['gemm', 'conv2d', 'batched_matmul', 'elementwise'],
  area: systolicArea,
  configure,
  clockHz: (config) => config.clockHz,
  peakMacsPerCycle: (config) => config.rows * config.cols,
  simulateOperator,
  estimateWork: estimateSystolicWork,
};
