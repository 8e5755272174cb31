// Per-operator simulation of the DSP-chain family: a GEMM streams weight tiles (or KV-cache tiles)
// from HBM/DDR through a double-buffered weight buffer into the chains; element-wise operators run
// on the special-function unit. Transfers and compute overlap in the shared tile pipeline
// (src/core/engine/pipeline.ts, event or analytical engine).
//
// Off-chip transfers are given to the pipeline in *port cycles*: each tensor's bytes divided by
// the bandwidth of the channels it is mapped to (so weights on local HBM channels at 0.70 and
// activations behind the HBM switch at 0.35 cost what they cost), with HBM and DDR running in
// parallel and tensors within one memory sharing it; the pipeline then runs at 1 "byte" per cycle.

import { bytes } from '../../report/units.js';
import type { ActionCount, FamilyContext, OperatorSimulation } from '../family.js';
import { INPUTS_PER_ELEMENT, OPS_PER_ELEMENT } from '../../core/elementwise.js';
import { analyticalPipeline, simulatePipeline, type PipelineSpec, type TileRun } from '../../core/engine/pipeline.js';
import { energyOf, macEnergyJ, sramEnergyPerByteJ, type EnergyTable } from '../../core/energy-tables.js';
import { operandView } from '../../core/operand-sparsity.js';
import { DATATYPE_BITS, type ElementwiseOperator, type GemmOperator, type LevelTraffic, type OperatorPhase } from '../../core/types.js';
import { inputError } from '../../spec/errors.js';
import { activationBytesOf, chainCycles, chooseChainPlan, peakMacsPerCycleFor, portCycles as bufferPortCycles, weightGrouping, type ChainPlan } from './chain.js';
import { URAM_BLOCK_BYTES, resourceDesign, tensorBandwidth, type DspChainConfig, type OffChip, type TensorClass } from './config.js';
import { resourceStats } from './resources.js';

/** Partial sums at the reduction nodes are kept at 32 bits [A] (the DSP's 48-bit P register is quantised on the way out). */
const PARTIAL_SUM_BYTES = 4;

type Tensor = 'weight' | 'kv_cache' | 'input' | 'output' | 'weight_transposed' | 'partial_sums';

/** Bytes per off-chip memory and tensor, read and written. */
class Traffic {
  readonly levels: Record<string, Record<string, { readBytes: number; writeBytes: number }>> = {};
  add(level: string, tensor: Tensor, read: number, write: number): void {
    if (read === 0 && write === 0) return;
    const slot = ((this.levels[level] ??= {})[tensor] ??= { readBytes: 0, writeBytes: 0 });
    slot.readBytes += read;
    slot.writeBytes += write;
  }
  result(): Record<string, LevelTraffic> {
    const out: Record<string, LevelTraffic> = {};
    for (const [level, perTensor] of Object.entries(this.levels)) {
      let readBytes = 0;
      let writeBytes = 0;
      for (const t of Object.values(perTensor)) {
        readBytes += t.readBytes;
        writeBytes += t.writeBytes;
      }
      out[level] = { readBytes, writeBytes, perTensor };
    }
    return out;
  }
}

/** Port cycles of an off-chip transfer, split by memory (HBM and DDR run in parallel). */
interface PortCycles {
  hbm: number;
  ddr: number;
}
const addPort = (a: PortCycles, memory: OffChip, cycles: number): void => {
  a[memory] += cycles;
};
const portTime = (p: PortCycles): number => Math.max(p.hbm, p.ddr);

function bytesPerCycle(config: DspChainConfig, cls: TensorClass): number {
  return tensorBandwidth(config, cls).bytesPerSecond / config.clockHz;
}

/**
 * Whether an operator's activations stay in the activation buffer. Always-on-chip decode makes
 * it a requirement for decode-phase operators: an InputError names the buffer and the shortfall.
 */
function activationsStayOnChip(config: DspChainConfig, phase: OperatorPhase, footprintBytes: number, opName: string): boolean {
  const capacity = config.buffers.activationBytes;
  switch (config.activationsOnChip) {
    case 'never':
      return false;
    case 'when-fit':
      return footprintBytes <= capacity;
    case 'decode':
      if (phase !== 'decode') return false;
      if (footprintBytes > capacity) {
        const short = footprintBytes - capacity;
        throw inputError({
          file: config.file,
          keyPath: 'buffers.activation.uram_blocks',
          message: `always-on-chip decode: operator '${opName}' keeps ${footprintBytes} B of activations on chip but the activation buffer holds ${capacity} B: short by ${short} B (${Math.ceil(short / URAM_BLOCK_BYTES)} more URAM blocks)`,
          expected: `at least ${Math.ceil(footprintBytes / URAM_BLOCK_BYTES)} URAM blocks, or memory.activations_on_chip: when-fit`,
        });
      }
      return true;
  }
}

function pipelineTiming(runs: TileRun[], engine: 'event' | 'analytical') {
  const spec: PipelineSpec = { runs, dramBytesPerCycle: 1, inputBuffers: 2, outputBuffers: 2 };
  return engine === 'event' ? simulatePipeline(spec) : analyticalPipeline(spec);
}

function offChipEnergyPerByte(energy: EnergyTable, memory: string): number {
  return 8 * energyOf(energy, memory === 'hbm' ? 'dram.hbm.bit' : 'dram.ddr.bit');
}

function energyNotes(config: DspChainConfig, energy: EnergyTable, dtype: string): string[] {
  const entry = energy.entries[`mac.${dtype}`];
  const macNote = entry?.source === 'architecture file'
    ? `DSP MAC energy mac.${dtype} = ${(entry.joules * 1e12).toPrecision(3)} pJ is set by the architecture file and is an assumption [A]: no published FPGA DSP48 pJ/MAC exists (the Xilinx Power Estimator, UG440, models DSP power from clock and toggle rate only)`
    : `DSP MAC energy mac.${dtype} comes from the ASIC table ${energy.id}, not from an FPGA measurement: an assumption [A] for DSP48 slices (no published per-MAC figure; UG440 models DSP power from clock and toggle rate)`;
  return [
    macNote,
    `static power ${config.staticW} W charged per cycle (${config.powerSource}); BRAM/URAM energy per byte from ${energy.id}'s SRAM entries at the block size [A]`,
  ];
}

function staticAction(config: DspChainConfig, cycles: number): ActionCount {
  return { component: 'static', action: `static power (${config.staticW} W / clock, per cycle)`, count: cycles, energyPerActionJ: config.staticW / config.clockHz };
}

function weightClassOf(op: GemmOperator): TensorClass {
  return op.weightKind === 'parameters' ? 'weights' : op.weightKind === 'kv-cache' ? 'kvCache' : 'activations';
}

interface TileShape {
  count: number;
  rows: number;
  first: boolean;
  last: boolean;
}

/** Splits `total` rows into tiles of `perTile`: a first tile, identical middle tiles and a last one. */
function tileShapes(total: number, perTile: number): TileShape[] {
  const tiles = Math.max(1, Math.ceil(total / perTile));
  if (tiles === 1) return [{ count: 1, rows: total, first: true, last: true }];
  const lastRows = total - (tiles - 1) * perTile;
  const shapes: TileShape[] = [{ count: 1, rows: perTile, first: true, last: false }];
  if (tiles > 2) shapes.push({ count: tiles - 2, rows: perTile, first: false, last: false });
  shapes.push({ count: 1, rows: lastRows, first: false, last: true });
  return shapes;
}

export function simulateGemm(config: DspChainConfig, op: GemmOperator, context: FamilyContext): OperatorSimulation {
  const { options, energy } = context;
  const notes: string[] = [];
  const B = op.batch;
  const tokens = op.m;
  const weightRowsPerInstance = op.n;
  const rows = B * weightRowsPerInstance;
  const view = operandView(op, 'weight', options, context.masks);
  const grouping = weightGrouping(config, view);
  const actBytes = activationBytesOf(op.dtype, DATATYPE_BITS[op.dtype]);
  const outBytes = activationBytesOf(op.outputDtype, DATATYPE_BITS[op.outputDtype]);
  const plan: ChainPlan = chooseChainPlan(config, grouping, op.k, rows, tokens, op.dtype, actBytes, view.storage.bytes * B);
  notes.push(...plan.notes);
  if (grouping.compacted) {
    notes.push(
      `${op.name}: ${grouping.slotsPerGroup.toPrecision(3)} kept slots per ${grouping.groupLength}-wide group along K run on sub-chains of ${plan.subChainLength} DSPs, ${plan.subChainsPerChain} per ${config.chainLength}-DSP chain (reduction nodes every ${config.reductionSpacing}); each sub-chain serves its own output row on the shared activation window`,
    );
  }
  if (grouping.reason && (view.pattern.kind !== 'dense' || view.format.kind !== 'dense')) {
    notes.push(`${op.name}: sparse weights run at dense speed on the chain because ${grouping.reason}; zero weights occupy DSP slots (only storage bytes shrink)`);
  }

  // ---- operand bytes -------------------------------------------------------------------------
  const weightClass = weightClassOf(op);
  const weightBytes = view.storage.bytes * B;
  const weightNnz = view.nnz * B;
  const denseWeightBytes = view.denseBytes * B;
  const inputBytes = op.conv ? op.conv.batch * op.conv.inHeight * op.conv.inWidth * op.conv.inChannels * actBytes : tokens * op.k * B * actBytes;
  const outputBytes = tokens * op.n * B * outBytes;
  const footprint = inputBytes + outputBytes + (weightClass === 'activations' ? weightBytes : 0);
  const onChip = activationsStayOnChip(config, op.phase, footprint, op.name);
  const weightStreams = !(weightClass === 'activations' && onChip);
  const weightMemory = config.placement[weightClass];
  const actMemory = config.placement.activations;
  if (op.phase === 'decode' && onChip && config.activationsOnChip === 'decode') {
    notes.push('always-on-chip decode: decode activations stay in the activation buffer; only weights and the KV cache stream from off-chip memory');
  }
  if (weightStreams) {
    // Capacity is checked per operator (the family sees one operator at a time); a model that does
    // not fit is still simulated, as if it were split over several boards, and flagged.
    const { capacity, memory } = tensorBandwidth(config, weightClass);
    const needed = weightBytes * op.count;
    if (needed > capacity) {
      notes.push(
        `${op.name}: ${op.count} × ${bytes(weightBytes)} of ${weightClass === 'kvCache' ? 'KV cache' : weightClass} exceed the ${bytes(capacity)} of the ${memory.toUpperCase()} channels holding them; simulated as if they fit`,
      );
    }
  }

  // SAT's pre-generation: the forward GEMM reads the dense master weights, selects N of M on the
  // SFU and writes the N:M transposed copy that backward-data reads.
  const pregenerate =
    config.nmPregeneration && op.phase === 'forward' && op.weightKind === 'parameters' && grouping.compacted && weightStreams;
  const streamedWeightBytes = pregenerate ? denseWeightBytes : weightBytes;
  const pregenerationOps = pregenerate ? view.shape.rows * view.shape.cols * B * Math.max(1, Math.ceil(Math.log2(grouping.groupLength))) : 0;
  if (pregenerate) {
    notes.push(
      `${op.name}: N:M pre-generation (SAT) — reads the dense master weights, selects N of every ${grouping.groupLength} on the SFU (ceil(log2 M) operations per weight [A]) and writes the N:M Wᵀ for backward-data`,
    );
  }

  // ---- tiles -----------------------------------------------------------------------------------
  const bytesPerRow = rows > 0 ? streamedWeightBytes / rows : 0;
  const tileRows = weightStreams && bytesPerRow > 0 ? Math.max(1, Math.floor(config.buffers.weightBytes / 2 / bytesPerRow)) : rows;
  if (weightStreams && bytesPerRow > config.buffers.weightBytes / 2) {
    notes.push(`${op.name}: one weight row (${Math.round(bytesPerRow)} B) exceeds half the weight buffer; rows are streamed in pieces (modelled as one-row tiles)`);
  }
  // Row tiles (weight rows held in one half of the double buffer) outside, token tiles (the
  // tokens the chains take in one step) inside: a weight tile stays while the token tiles stream
  // through it, so its load, the input chunks and the output chunks overlap the chains.
  const rowShapes = tileShapes(rows, tileRows);
  const tokenShapes = tileShapes(tokens, Math.max(1, Math.min(tokens, plan.tokensInParallel)));
  const rowTileCount = rowShapes.reduce((sum, s) => sum + s.count, 0);
  const tileCount = rowTileCount * tokenShapes.reduce((sum, s) => sum + s.count, 0);
  const inputFits = inputBytes <= config.buffers.activationBytes;
  const wBpc = bytesPerCycle(config, weightClass);
  const aBpc = bytesPerCycle(config, 'activations');
  const perRowSfu = rows > 0 ? pregenerationOps / rows : 0;

  const traffic = new Traffic();
  let chainTotal = 0;
  let portTotal = 0;
  let sfuTotal = 0;
  let overheadTotal = 0;
  let jobsTotal = 0;
  let weightBufferReads = 0;
  let activationBufferReads = 0;
  let instructions = 0;
  const bound = { hbm: 0, ddr: 0 };
  const runs: TileRun[] = [];
  const latency = config.pipelineLatency + config.chainLength;
  const tile = (rowShape: TileShape, tokenShape: TileShape, n: number): TileRun => {
    const rowFraction = rows > 0 ? rowShape.rows / rows : 1;
    const tokenFraction = tokens > 0 ? tokenShape.rows / tokens : 1;
    const cc = chainCycles(plan, rowShape.rows, tokenShape.rows);
    const tileStoredBytes = weightBytes * rowFraction;
    const wReads = cc.weightPasses * tileStoredBytes;
    const aReads = cc.cycles * plan.activationBytesPerCycle;
    const portCycles = bufferPortCycles(config, plan, cc, tileStoredBytes);
    const firstOfRowTile = tokenShape.first;
    const sfuCycles = firstOfRowTile ? Math.ceil((perRowSfu * rowShape.rows) / config.sfu.opsPerCycle - 1e-9) : 0;
    const load: PortCycles = { hbm: 0, ddr: 0 };
    const store: PortCycles = { hbm: 0, ddr: 0 };
    let tileInstructions = Math.ceil((tokenShape.rows * rowShape.rows) / config.instructionOutputs);
    const tileWeightBytes = weightStreams && firstOfRowTile ? streamedWeightBytes * rowFraction : 0;
    if (tileWeightBytes > 0) {
      addPort(load, weightMemory, tileWeightBytes / wBpc);
      tileInstructions++;
    }
    // The input is loaded during the first row tile when it fits the activation buffer, else
    // again for every row tile (only the batch instances that tile covers).
    let inputLoad = 0;
    if (!onChip && (rowShape.first || !inputFits)) {
      const instances = Math.min(B, Math.max(1, Math.ceil(rowShape.rows / weightRowsPerInstance)));
      const share = inputFits ? 1 : instances / B;
      inputLoad = inputBytes * share * tokenFraction;
      if (inputLoad > 0) {
        addPort(load, actMemory, inputLoad / aBpc);
        tileInstructions++;
      }
    }
    const tileOutput = onChip ? 0 : outputBytes * rowFraction * tokenFraction;
    if (tileOutput > 0) {
      addPort(store, actMemory, tileOutput / aBpc);
      tileInstructions++;
    }
    const transposedBytes = pregenerate && firstOfRowTile ? weightBytes * rowFraction : 0;
    if (transposedBytes > 0) {
      addPort(store, weightMemory, transposedBytes / wBpc);
      tileInstructions++;
    }
    const overhead = tileInstructions * config.instructionOverhead;
    const compute = Math.max(cc.cycles, portCycles, sfuCycles) + overhead + (rowShape.last && tokenShape.last ? latency : 0);

    chainTotal += n * cc.cycles;
    portTotal += n * portCycles;
    sfuTotal += n * sfuCycles;
    overheadTotal += n * overhead;
    jobsTotal += n * cc.jobs;
    weightBufferReads += n * wReads;
    activationBufferReads += n * aReads;
    instructions += n * tileInstructions;
    bound.hbm += n * (load.hbm + store.hbm);
    bound.ddr += n * (load.ddr + store.ddr);
    if (tileWeightBytes > 0) traffic.add(weightMemory, weightClass === 'kvCache' ? 'kv_cache' : 'weight', n * tileWeightBytes, 0);
    if (inputLoad > 0) traffic.add(actMemory, 'input', n * inputLoad, 0);
    if (tileOutput > 0) traffic.add(actMemory, 'output', 0, n * tileOutput);
    if (transposedBytes > 0) traffic.add(weightMemory, 'weight_transposed', 0, n * transposedBytes);
    return { count: n, loadBytes: portTime(load), computeCycles: compute, storeBytes: portTime(store) };
  };
  for (const rowShape of rowShapes) {
    if (tokenShapes.length === 1) {
      // One token tile per row tile: identical row tiles form one run.
      runs.push(tile(rowShape, tokenShapes[0], rowShape.count * tokenShapes[0].count));
      continue;
    }
    // Totals count every repetition once; the runs repeat the token-tile pattern per row tile.
    const pattern = tokenShapes.map((tokenShape) => ({ ...tile(rowShape, tokenShape, rowShape.count * tokenShape.count), count: tokenShape.count }));
    for (let r = 0; r < rowShape.count; r++) runs.push(...pattern);
  }
  const timing = pipelineTiming(runs, options.engine);

  // ---- on-chip traffic ---------------------------------------------------------------------
  // Weight buffer: filled by the streamed weight (or KV-cache) tiles, read once per token step.
  // Activation buffer: filled by off-chip inputs, read as broadcast activation windows; outputs
  // land in it (and drain from it when they go off chip). Output buffer: one partial sum written
  // and read back per sub-chain job at the reduction nodes.
  const offChip = traffic.result();
  const offChipRead = (tensor: Tensor) => Object.values(offChip).reduce((sum, l) => sum + (l.perTensor[tensor]?.readBytes ?? 0), 0);
  const weightTensor: Tensor = weightClass === 'kvCache' ? 'kv_cache' : 'weight';
  if (weightStreams) traffic.add('weight_buffer', weightTensor, weightBufferReads, offChipRead(weightTensor));
  traffic.add('activation_buffer', 'input', activationBufferReads + (weightStreams ? 0 : weightBufferReads), offChipRead('input'));
  traffic.add('activation_buffer', 'output', onChip ? 0 : outputBytes, outputBytes);
  traffic.add('output_buffer', 'partial_sums', jobsTotal * PARTIAL_SUM_BYTES, jobsTotal * PARTIAL_SUM_BYTES);
  const memory = traffic.result();

  // ---- MACs --------------------------------------------------------------------------------
  const denseMacs = tokens * op.n * op.k * B;
  const issuedMacs = grouping.compacted ? tokens * view.storage.storedValues * B : denseMacs;
  // Activation zeros: the FlightLLM/SAT chains broadcast every activation to the DSPs of a
  // chain in lock-step, so a zero input still occupies its slot (no skipping, no gating: the
  // chain has no zero detector). They count only as ineffectual MACs.
  const input = operandView(op, 'input', options, context.masks);
  const effectualMacs = tokens * weightNnz * input.density;
  if (input.pattern.kind !== 'dense') {
    notes.push(`sparse activations (${input.pattern.kind}, density ${input.density.toFixed(3)}): no mechanism on this target: the DSP chain broadcasts every activation in lock-step (FlightLLM/SAT exploit N:M weight sparsity only), so zero inputs cost full time and energy`);
  }

  // ---- energy ------------------------------------------------------------------------------
  const level = (name: string) => memory[name] ?? { readBytes: 0, writeBytes: 0, perTensor: {} };
  const actions: ActionCount[] = [
    { component: 'dsp', action: `mac.${op.dtype}`, count: issuedMacs, energyPerActionJ: macEnergyJ(energy, op.dtype) },
    { component: 'weight_buffer', action: 'byte read', count: level('weight_buffer').readBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.buffers.weightBlockBytes) },
    { component: 'weight_buffer', action: 'byte written', count: level('weight_buffer').writeBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.buffers.weightBlockBytes) },
    { component: 'activation_buffer', action: 'byte read', count: level('activation_buffer').readBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.buffers.activationBlockBytes) },
    { component: 'activation_buffer', action: 'byte written', count: level('activation_buffer').writeBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.buffers.activationBlockBytes) },
    { component: 'output_buffer', action: 'byte accessed', count: level('output_buffer').readBytes + level('output_buffer').writeBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.buffers.outputBlockBytes) },
  ];
  for (const memoryName of ['hbm', 'ddr'] as const) {
    const l = memory[memoryName];
    if (!l) continue;
    actions.push({ component: memoryName, action: 'byte read', count: l.readBytes, energyPerActionJ: offChipEnergyPerByte(energy, memoryName) });
    actions.push({ component: memoryName, action: 'byte written', count: l.writeBytes, energyPerActionJ: offChipEnergyPerByte(energy, memoryName) });
  }
  if (pregenerationOps > 0) actions.push({ component: 'sfu', action: `op.${op.dtype} (priced as mac.${op.dtype})`, count: pregenerationOps, energyPerActionJ: macEnergyJ(energy, op.dtype) });
  actions.push(staticAction(config, timing.cycles));
  notes.push(...energyNotes(config, energy, op.dtype));

  // ---- bounds, bottleneck, stats --------------------------------------------------------------
  const bounds: Record<string, number> = { compute: chainTotal };
  if (bound.hbm > 0) bounds.hbm = Math.floor(bound.hbm + 1e-9);
  if (bound.ddr > 0) bounds.ddr = Math.floor(bound.ddr + 1e-9);
  if (portTotal > chainTotal) bounds.buffer_ports = portTotal;
  if (sfuTotal > 0) bounds.sfu = sfuTotal;
  const transfer = Math.max(bound.hbm, bound.ddr);
  let bottleneck = 'compute';
  if (timing.stallCycles > 0 && transfer >= timing.computeCycles) bottleneck = bound.hbm >= bound.ddr ? 'hbm-bandwidth' : 'ddr-bandwidth';
  else if (sfuTotal > Math.max(chainTotal, portTotal)) bottleneck = 'sfu';
  else if (portTotal > chainTotal) bottleneck = 'on-chip-buffer-ports';
  else if (overheadTotal > chainTotal) bottleneck = 'instruction-overhead';

  if (op.phase === 'backward-data' && grouping.compacted) {
    notes.push(
      'backward-data with N:M Wᵀ: SAT\'s BDWP prunes Wᵀ so that it is N:M along its own reduction dimension (the forward output dimension), so the sparse chain applies as in the forward pass; a transposed forward mask (N:M along rows) would run dense',
    );
  }
  if (op.phase === 'backward-weight') notes.push('backward-weight (dW = Xᵀ·dY) is dense in SAT: N:M speeds up only the forward and backward-data GEMMs of a training step');

  const chainDsps = config.chains * config.chainLength;
  const peakPerDsp = plan.macsPerDsp;
  const cycles = timing.cycles;
  const weightSlotsIssued = grouping.compacted ? issuedMacs : denseMacs;
  const offChipBytes = Object.entries(memory).filter(([name]) => name === 'hbm' || name === 'ddr').reduce((sum, [, l]) => sum + l.readBytes + l.writeBytes, 0);
  const weightBw = tensorBandwidth(config, weightClass);
  const stats: Record<string, number> = {
    dspUtilization: cycles > 0 ? effectualMacs / (chainDsps * peakPerDsp * cycles) : 0,
    chainUtilization: chainTotal > 0 ? weightSlotsIssued / (plan.activeChains * config.chainLength * peakPerDsp * chainTotal) : 0,
    effectiveHbmBandwidth: weightBw.memory === 'hbm' && weightStreams ? weightBw.bytesPerSecond : 0,
    achievedOffChipBandwidth: cycles > 0 ? offChipBytes / (cycles / config.clockHz) : 0,
    chainLength: config.chainLength,
    subChainLength: plan.subChainLength,
    subChainsPerChain: plan.subChainsPerChain,
    activeChains: plan.activeChains,
    macsPerDsp: plan.macsPerDsp,
    matrixVectorMode: plan.mode === 'mv' ? 1 : 0,
    weightBytes,
    kvCacheBytes: weightClass === 'kvCache' ? weightBytes : 0,
    offChipActivationBytes: (memory[actMemory]?.perTensor.input?.readBytes ?? 0) + (memory[actMemory]?.perTensor.output?.writeBytes ?? 0),
    sfuCycles: sfuTotal,
    sfuOperations: pregenerationOps,
    instructions,
    tiles: tileCount,
    ...resourceStats(resourceDesign(config)),
  };
  return {
    cycles,
    computeCycles: timing.computeCycles,
    stallCycles: timing.stallCycles,
    macs: { dense: denseMacs, issued: issuedMacs, effectual: effectualMacs },
    memory,
    actions,
    bounds,
    bottleneck,
    peakMacsPerCycle: peakMacsPerCycleFor(config, op.dtype),
    stats,
    notes,
  };
}

export function simulateElementwise(config: DspChainConfig, op: ElementwiseOperator, context: FamilyContext): OperatorSimulation {
  const { options, energy } = context;
  const bytes = activationBytesOf(op.dtype, DATATYPE_BITS[op.dtype]);
  const opsPerElement = OPS_PER_ELEMENT[op.function];
  const operations = op.elements * opsPerElement;
  const readBytes = op.elements * INPUTS_PER_ELEMENT[op.function] * bytes;
  const writeBytes = op.elements * bytes;
  const onChip = activationsStayOnChip(config, op.phase, readBytes + writeBytes, op.name);
  const memoryName = config.placement.activations;
  const aBpc = bytesPerCycle(config, 'activations');
  // Off-chip element-wise work streams in chunks so transfers overlap the SFU.
  const chunks = onChip ? 1 : Math.min(64, Math.max(1, Math.ceil(op.elements / config.instructionOutputs)));
  const perChunk = Math.ceil(op.elements / chunks);
  const shapes = tileShapes(op.elements, perChunk);
  const runs: TileRun[] = [];
  let sfuTotal = 0;
  let overheadTotal = 0;
  let instructions = 0;
  let transfer = 0;
  for (const shape of shapes) {
    const sfu = Math.ceil((shape.rows * opsPerElement) / config.sfu.opsPerCycle - 1e-9);
    const tileInstructions = Math.ceil(shape.rows / config.instructionOutputs) + (onChip ? 0 : 2);
    const overhead = tileInstructions * config.instructionOverhead;
    const load = onChip ? 0 : (shape.rows * INPUTS_PER_ELEMENT[op.function] * bytes) / aBpc;
    const store = onChip ? 0 : (shape.rows * bytes) / aBpc;
    runs.push({ count: shape.count, loadBytes: load, computeCycles: sfu + overhead + (shape.last ? config.pipelineLatency : 0), storeBytes: store });
    sfuTotal += shape.count * sfu;
    overheadTotal += shape.count * overhead;
    instructions += shape.count * tileInstructions;
    transfer += shape.count * (load + store);
  }
  const timing = pipelineTiming(runs, options.engine);
  const traffic = new Traffic();
  if (!onChip) {
    traffic.add(memoryName, 'input', readBytes, 0);
    traffic.add(memoryName, 'output', 0, writeBytes);
  }
  traffic.add('activation_buffer', 'input', readBytes, onChip ? 0 : readBytes);
  traffic.add('activation_buffer', 'output', onChip ? 0 : writeBytes, writeBytes);
  const memory = traffic.result();
  const actions: ActionCount[] = [
    // An SFU operation is priced as one MAC of the operand type: a stated first approximation.
    { component: 'sfu', action: `op.${op.dtype} (priced as mac.${op.dtype})`, count: operations, energyPerActionJ: macEnergyJ(energy, op.dtype) },
    { component: 'activation_buffer', action: 'byte read', count: memory.activation_buffer.readBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.buffers.activationBlockBytes) },
    { component: 'activation_buffer', action: 'byte written', count: memory.activation_buffer.writeBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.buffers.activationBlockBytes) },
  ];
  const off = memory[memoryName];
  if (off) {
    actions.push({ component: memoryName, action: 'byte read', count: off.readBytes, energyPerActionJ: offChipEnergyPerByte(energy, memoryName) });
    actions.push({ component: memoryName, action: 'byte written', count: off.writeBytes, energyPerActionJ: offChipEnergyPerByte(energy, memoryName) });
  }
  actions.push(staticAction(config, timing.cycles));
  const bounds: Record<string, number> = { sfu: sfuTotal };
  if (transfer > 0) bounds[memoryName] = Math.floor(transfer + 1e-9);
  let bottleneck = 'sfu';
  if (timing.stallCycles > 0 && transfer >= timing.computeCycles) bottleneck = `${memoryName}-bandwidth`;
  else if (overheadTotal > sfuTotal) bottleneck = 'instruction-overhead';
  return {
    cycles: timing.cycles,
    computeCycles: timing.computeCycles,
    stallCycles: timing.stallCycles,
    macs: { dense: 0, issued: 0, effectual: 0 },
    memory,
    actions,
    bounds,
    bottleneck,
    stats: {
      sfuCycles: sfuTotal,
      sfuOperations: operations,
      instructions,
      tiles: shapes.reduce((sum, s) => sum + s.count, 0),
      offChipActivationBytes: onChip ? 0 : readBytes + writeBytes,
      achievedOffChipBandwidth: timing.cycles > 0 && !onChip ? (readBytes + writeBytes) / (timing.cycles / config.clockHz) : 0,
      ...resourceStats(resourceDesign(config)),
    },
    notes: [
      `special-function unit: ${opsPerElement} operations per ${op.function} element (OPS_PER_ELEMENT [A]) at ${config.sfu.opsPerCycle} operations per cycle; each priced as one MAC of the operand type`,
      ...energyNotes(config, energy, op.dtype),
    ],
  };
}
