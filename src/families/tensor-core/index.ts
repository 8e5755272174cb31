// Sparse tensor-core GPU family (A100/H100-like): SMs × tensor cores, MMA rates per datatype,
// 2:4 structured sparsity, CTA tiling with wave quantisation, split-K, HBM with an efficiency
// factor, L2 and shared memory, and the sparse kernels of Flash-LLM, cuSPARSELt, Sputnik and DSTC.

import type { ActionCount, Family, FamilyContext, OperatorSimulation } from '../family.js';
import type { ArchSpec, Datatype, ElementwiseOperator, GemmOperator, LevelTraffic, Operator } from '../../core/types.js';
import { DATATYPE_BITS, isGemmLike } from '../../core/types.js';
import { analyticalPipeline, simulatePipeline, type PipelineSpec, type TileRun } from '../../core/engine/pipeline.js';
import { energyOf, macEnergyJ, sramEnergyPerByteJ } from '../../core/energy-tables.js';
import { INPUTS_PER_ELEMENT, OPS_PER_ELEMENT } from '../../core/elementwise.js';
import { operandTileStats, operandView, type OperandView } from '../../core/operand-sparsity.js';
import { inputError } from '../../spec/errors.js';
import { patternModel } from '../../sparsity/index.js';
import { TENSOR_CORE_PARAMS, TENSOR_CORE_STATS } from './params.js';
import { activationSparseGemm } from './activation-sparse.js';
import { outerProductFraction } from './dual-side.js';
import { quantisedWeightNote } from './quantised.js';
import { declaredKernel, fallbackNote } from './format-kernels.js';
import { estimateTensorCoreWork } from './budget.js';
import { tensorCoreArea } from './area.js';
import {
  blockSparseStep,
  denseStep,
  dualSideStep,
  isStructuredSparse,
  loadSparseComputeDenseStep,
  structuredSparseStep,
  DENSE_TILES,
  FLASH_LLM_TILES,
  KERNEL_DESCRIPTIONS,
  STRUCTURED_SPARSE_TILES,
  sputnikStep,
  sputnikTileColumns,
  type GpuCore,
  type KernelId,
  type StepCost,
} from './kernels.js';
import { clockDerate, ctaFootprint, ctasPerSm, epilogueCycles, exposedFixedCycles, operatorWallSeconds, prologueCycles, type ExecutionMode, type HostCost } from './efficiency.js';

export interface TensorCoreConfig {
  clockHz: number;
  sms: number;
  tensorCoresPerSm: number;
  mmaPerTensorCore: Partial<Record<Datatype, number>>;
  sparseMmaSpeedup: number;
  cudaCoreFmaPerSm: number;
  issuePerSm: number;
  dualSideSparse: boolean;
  hbmBytesPerSecond: number;
  hbmEfficiency: number;
  l2Bytes: number;
  l2BytesPerSecond: number;
  l2SliceBytes: number;
  smemBytes: number;
  smemBytesPerCycle: number;
  smemEfficiency: number;
  smemOperandReads: number;
  mmaWarpTile: number;
  smemStagingEfficiency: number;
  decodeInstructionsPerNonzero: number;
  launchOverheadSeconds: number;
  sustainedClockHz: number;
  registersPerSm: number;
  maxCtasPerSm: number;
  hbmLatencySeconds: number;
  registerOverhead: number;
  clusterMulticast: number;
  sputnikInstructionsPerNonzero: number;
  sputnikTileColumns: number;
  cusparseltMinTokens: number;
  cusparseltExtraKernels: number;
  executionMode: ExecutionMode;
  frameworkOverheadSeconds: number;
}

/** Resident threads per SM on Ampere and Hopper [T: CUDA programming guide, cc 8.0 / 9.0]. */
const MAX_THREADS_PER_SM = 2048;

function configure(arch: ArchSpec): TensorCoreConfig {
  const v = arch.values;
  const num = (key: string) => v[key] as number;
  const config: TensorCoreConfig = {
    clockHz: num('clock'),
    sms: num('compute.sms'),
    tensorCoresPerSm: num('compute.tensor_cores_per_sm'),
    mmaPerTensorCore: {
      fp16: num('compute.mma.fp16'),
      bf16: num('compute.mma.fp16'),
      tf32: num('compute.mma.tf32'),
      int8: num('compute.mma.int8'),
      fp8: num('compute.mma.fp8'),
      int4: num('compute.mma.int4'),
    },
    sparseMmaSpeedup: num('compute.sparse_mma_speedup'),
    cudaCoreFmaPerSm: num('compute.cuda_core_fma_per_sm'),
    issuePerSm: num('compute.issue_per_sm'),
    dualSideSparse: v['compute.dual_side_sparse'] as boolean,
    hbmBytesPerSecond: num('memory.hbm.bandwidth'),
    hbmEfficiency: num('memory.hbm.efficiency'),
    l2Bytes: num('memory.l2.capacity'),
    l2BytesPerSecond: num('memory.l2.bandwidth'),
    l2SliceBytes: num('memory.l2.slice_capacity'),
    smemBytes: num('memory.smem.capacity'),
    smemBytesPerCycle: num('memory.smem.bytes_per_cycle'),
    smemEfficiency: num('kernel.smem_efficiency'),
    smemOperandReads: num('kernel.smem_operand_reads'),
    mmaWarpTile: num('kernel.mma_warp_tile'),
    smemStagingEfficiency: num('kernel.smem_staging_efficiency'),
    decodeInstructionsPerNonzero: num('kernel.decode_instructions_per_nonzero'),
    launchOverheadSeconds: num('kernel.launch_overhead'),
    sustainedClockHz: num('compute.sustained_tensor_clock'),
    registersPerSm: num('compute.registers_per_sm'),
    maxCtasPerSm: num('compute.max_ctas_per_sm'),
    hbmLatencySeconds: num('memory.hbm.latency'),
    registerOverhead: num('kernel.registers_per_thread_overhead'),
    clusterMulticast: num('kernel.cluster_multicast'),
    sputnikInstructionsPerNonzero: num('kernel.sputnik_instructions_per_nonzero'),
    sputnikTileColumns: num('kernel.sputnik_tile_columns'),
    cusparseltMinTokens: num('kernel.cusparselt_min_tokens'),
    cusparseltExtraKernels: num('kernel.cusparselt_extra_kernels'),
    executionMode: v['host.execution_mode'] as ExecutionMode,
    frameworkOverheadSeconds: num('host.framework_overhead'),
  };
  if (!(config.mmaPerTensorCore.fp16! > 0)) {
    throw inputError({ file: arch.file, keyPath: 'compute.mma.fp16', message: 'a tensor core needs a nonzero FP16 MMA rate', expected: 'MACs per tensor core per cycle >= 1' });
  }
  // Flash-LLM keeps 2 stages of (A tile + B tile) in shared memory: 2 × (128×64 + 64×64) FP16.
  const flashLlmStages = 2 * (128 * 64 + 64 * 64) * 2;
  if (config.smemBytes < flashLlmStages) {
    throw inputError({ file: arch.file, keyPath: 'memory.smem.capacity', message: `${config.smemBytes} B cannot hold two stages of a 128×64 tile pipeline`, expected: `at least ${flashLlmStages} B` });
  }
  return config;
}

function macsPerSmCycle(config: TensorCoreConfig, dtype: Datatype): number {
  const rate = config.mmaPerTensorCore[dtype] ?? 0;
  // FP32 (and unsupported types) fall back to CUDA cores.
  return rate > 0 ? rate * config.tensorCoresPerSm : config.cudaCoreFmaPerSm;
}

function chooseKernel(config: TensorCoreConfig, op: GemmOperator, weight: OperandView, input: OperandView, file: string, index: string): KernelId {
  const wf = weight.format.kind;
  if (config.dualSideSparse && wf === 'bitmap' && input.format.kind === 'bitmap') return 'dstc';
  switch (wf) {
    case 'dense':
      return 'cublas';
    case 'nm': {
      const { n, m } = weight.format as unknown as { n: number; m: number };
      if (m === 4 && n <= 2) {
        if (!weight.nm && weight.pattern.kind !== 'dense') {
          throw inputError({ file, keyPath: `${index}.sparsity.weight`, message: `2:4 sparse tensor cores need an N:M pattern along K, got '${weight.pattern.kind}'`, expected: "pattern { kind: nm, n: 2, m: 4 } (dim: cols = K)" });
        }
        // Weight-only quantised 2:4 weights run Sparse-Marlin's own decode kernel, not cuSPARSELt.
        return op.weightDtype && DATATYPE_BITS[op.weightDtype] < DATATYPE_BITS[op.dtype] ? 'sparse-marlin' : 'cusparselt';
      }
      return 'lscd';
    }
    case 'tiled-csl':
      return 'flash-llm';
    case 'csr':
    case 'csc':
    case 'coo':
      return 'sputnik';
    case 'blocked-ell':
    case 'bcsr':
      return 'block-sparse';
    default:
      return declaredKernel(wf, file, `${index}.sparsity.weight.format`);
  }
}

interface Plan {
  kernel: KernelId;
  tileN: number;
  tileM: number;
  kStep: number;
  splitK: number;
  ctas: number;
  waves: number;
  steps: number;
  step: StepCost;
  pipeline: PipelineSpec;
  hbmReadBytes: { weight: number; input: number };
  l2ReadBytes: { weight: number; input: number };
  smemBytes: number;
  outputBytes: number;
  partialBytes: number;
  issuedMacs: number;
  imbalance: number;
  reductionCycles: number;
  /** Shared-memory bytes written by the global→shared copies (cp.async/TMA fills, decode scatters). */
  smemWriteBytes: number;
  ctasPerSm: number;
  prologueCycles: number;
  epilogueCycles: number;
  derate: number;
  /** Kernels launched besides the main one and the split-K reduction (2:4 pad/slice). */
  extraKernels: number;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

function plan(
  config: TensorCoreConfig,
  op: GemmOperator,
  kernel: KernelId,
  weight: OperandView,
  input: OperandView,
  tileN: number,
  tileMCap: number,
  splitK: number,
  perCtaNnz: ((tileN: number, kPerCta: number) => { mean: number; max: number; counts?: Uint32Array }) | undefined,
): Plan | undefined {
  const N = op.n;
  // cuSPARSELt/CUTLASS 2:4 has no skinny-N kernels: the tokens are padded to its minimum tile.
  const M = kernel === 'cusparselt' ? roundUp(op.m, config.cusparseltMinTokens) : op.m;
  const K = op.k;
  const B = op.batch;
  // CUTLASS sm80 K per stage: 32 for dense mma.sync (…_32x3), 64 for 2:4 mma.sp m16n8k32 (…_64x3).
  const kStep = kernel === 'cublas' || kernel === 'block-sparse' ? 32 : 64;
  const kPerCta = Math.ceil(K / splitK);
  if (splitK > 1 && kPerCta < kStep) return undefined;
  const tileM = kernel === 'sputnik' ? tileMCap : Math.min(tileMCap, roundUp(M, 8));
  const operandBytes = DATATYPE_BITS[op.dtype] / 8;
  const outputBytes = DATATYPE_BITS[op.outputDtype] / 8;
  const steps = Math.ceil(kPerCta / kStep);
  const ctas = Math.ceil(N / tileN) * Math.ceil(M / tileM) * splitK * B;
  const waves = Math.ceil(ctas / config.sms);
  const core: GpuCore = {
    macsPerSmCycle: macsPerSmCycle(config, op.dtype),
    sparseMmaSpeedup: config.sparseMmaSpeedup,
    cudaCoreFmaPerSm: config.cudaCoreFmaPerSm,
    issuePerSm: config.issuePerSm,
    smemBytesPerCycle: config.smemBytesPerCycle,
    smemEfficiency: config.smemEfficiency,
    decodeInstructionsPerNonzero: config.decodeInstructionsPerNonzero,
    operandReads: config.smemOperandReads,
    warpTile: config.mmaWarpTile,
    stagingEfficiency: config.smemStagingEfficiency,
  };
  const shape = { tileN, tileM, kStep, operandBytes };
  const elementsW = N * K;
  const stepElements = tileN * kStep;
  const storedValuesPerElement = weight.storage.storedValues / elementsW;
  const storedBytesPerElement = weight.storage.bytes / elementsW;
  const nnzPerElement = weight.nnz / elementsW;
  // Tensor cores skip only whole 16 × 16 MMA fragments: a fragment runs if any stored block
  // touches it, so blocks smaller than the fragment save little MMA work.
  const mmaFragmentOccupancy =
    kernel === 'block-sparse' ? Math.max(storedValuesPerElement, 1 - patternModel(weight.pattern, weight.shape).regionEmptyProb(0, Math.min(16, N), 0, Math.min(16, K))) : 1;
  const stepCost = (nnzScale: number): StepCost => {
    switch (kernel) {
      case 'cublas':
        return denseStep(core, shape);
      case 'cusparselt':
      case 'sparse-marlin':
        return structuredSparseStep(core, shape);
      case 'flash-llm':
      case 'lscd':
        return loadSparseComputeDenseStep(core, shape, storedValuesPerElement * stepElements * nnzScale, storedBytesPerElement * stepElements * nnzScale);
      case 'block-sparse':
        return blockSparseStep(core, shape, mmaFragmentOccupancy);
      case 'sputnik':
        return sputnikStep(core, shape, nnzPerElement * stepElements * nnzScale, config.sputnikInstructionsPerNonzero);
      case 'dstc': {
        const effectual = tileN * tileM * kStep * outerProductFraction(weight, input);
        const storedBytes = storedBytesPerElement * stepElements + (input.storage.bytes / (M * K)) * kStep * tileM;
        return dualSideStep(core, shape, effectual * nnzScale, storedBytes);
      }
    }
  };

  // Global traffic. Each wave's CTAs cover a near-square block of output tiles (block swizzling),
  // so one wave reads `waveRows` weight tile-rows and `waveCols` activation tile-columns. An
  // operand that fits in half the L2 streams from HBM once; a larger one is re-read once per
  // wave column (weights) or wave row (activations) that needs it.
  const tilesN = Math.ceil(N / tileN);
  const tilesM = Math.ceil(M / tileM);
  const perWave = Math.min(config.sms, ctas);
  const waveRows = Math.min(tilesN, Math.ceil(Math.sqrt(perWave)));
  const waveCols = Math.min(tilesM, Math.ceil(perWave / waveRows));
  const weightBytes = weight.storage.bytes * B;
  const inputBytes = (kernel === 'dstc' ? input.storage.bytes : M * K * operandBytes) * B;
  const weightRefetch = weightBytes > config.l2Bytes / 2 ? Math.ceil(tilesM / waveCols) : 1;
  const inputRefetch = inputBytes > config.l2Bytes / 2 ? Math.ceil(tilesN / waveRows) : 1;
  const hbmIn = weightBytes * weightRefetch + inputBytes * inputRefetch;
  // Every CTA reads its weight and activation panels through L2; CTAs of a multicast cluster
  // (consecutive along N) share one read of their common activation panel.
  const l2Read = { weight: weightBytes * tilesM, input: (inputBytes * tilesN) / Math.min(config.clusterMulticast, tilesN) };
  const finalOut = N * M * B * outputBytes;
  const partialBytes = splitK > 1 ? N * M * B * 4 * splitK : 0;
  const storePerCta = splitK > 1 ? tileN * tileM * 4 : tileN * tileM * outputBytes;
  const l2Scale = (config.hbmBytesPerSecond * config.hbmEfficiency) / config.l2BytesPerSecond;
  const loadPerCtaStep = Math.max(hbmIn, (l2Read.weight + l2Read.input) * l2Scale) / (ctas * steps);

  // Concrete mode: the slowest CTA of each wave sets that wave's pace (load imbalance).
  // Sputnik's row swizzle launches row groups longest first, so a wave holds groups of
  // similar length: its CTA order is the counts sorted in decreasing order.
  const rawNnzPerCta = perCtaNnz && (kernel === 'flash-llm' || kernel === 'lscd' || kernel === 'sputnik' || kernel === 'dstc') ? perCtaNnz(tileN, kPerCta) : undefined;
  const nnzPerCta = rawNnzPerCta?.counts && kernel === 'sputnik' ? { ...rawNnzPerCta, counts: Uint32Array.from(rawNnzPerCta.counts).sort().reverse() } : rawNnzPerCta;
  const meanCta = nnzPerCta?.mean ?? 1;

  // Efficiency mechanisms (efficiency.ts). On-SM cycles stretch by the clock derate under
  // tensor load; each wave adds the exposed share of one CTA's prologue and epilogue.
  const stages = kernel === 'cublas' || isStructuredSparse(kernel) ? 3 : 2;
  const probe = stepCost(1);
  const derate = kernel === 'sputnik' ? 1 : clockDerate(config.clockHz, config.sustainedClockHz, probe.total > 0 ? probe.mma / probe.total : 0);
  const stageBytes = probe.smemWriteBytes;
  const footprint = ctaFootprint(tileN, tileM, stages, stageBytes, config.registerOverhead);
  const coResident = kernel === 'sputnik' ? config.maxCtasPerSm : ctasPerSm({ smemBytes: config.smemBytes, registersPerSm: config.registersPerSm, maxCtasPerSm: config.maxCtasPerSm, maxThreadsPerSm: MAX_THREADS_PER_SM }, footprint);
  const prologue = prologueCycles(config.hbmLatencySeconds * config.clockHz);
  // Sputnik stores each thread's outputs straight from registers: no shared-memory epilogue.
  const epilogue = kernel === 'sputnik' ? 0 : epilogueCycles(tileN, tileM, config.smemBytesPerCycle) * derate;
  const fixedPerWave = exposedFixedCycles(prologue + epilogue, coResident);
  const runs: TileRun[] = [];
  let issuedMacs = 0;
  for (let w = 0; w < waves; w++) {
    const active = Math.min(config.sms, ctas - w * config.sms);
    let scale = 1;
    if (nnzPerCta?.counts && meanCta > 0) {
      // CTA order: split index fastest, then weight tiles, then token tiles and batch (repeat).
      let maxCount = 0;
      const counts = nnzPerCta.counts;
      for (let c = w * config.sms; c < w * config.sms + active; c++) maxCount = Math.max(maxCount, counts[c % counts.length]);
      scale = maxCount / meanCta;
    }
    const cost = stepCost(scale);
    const load = loadPerCtaStep * active;
    runs.push({ count: 1, loadBytes: 0, computeCycles: fixedPerWave, storeBytes: 0 });
    if (steps > 1) runs.push({ count: steps - 1, loadBytes: load, computeCycles: cost.total * derate, storeBytes: 0 });
    runs.push({ count: 1, loadBytes: load, computeCycles: cost.total * derate, storeBytes: storePerCta * active });
  }
  const step = stepCost(1);
  switch (kernel) {
    case 'sputnik':
      issuedMacs = weight.nnz * M * B;
      break;
    case 'dstc':
      issuedMacs = N * M * K * B * outerProductFraction(weight, input);
      break;
    case 'block-sparse':
      issuedMacs = ctas * steps * tileN * tileM * kStep * mmaFragmentOccupancy;
      break;
    case 'cusparselt':
    case 'sparse-marlin':
      // The sparse MMA multiplies only the kept values of each 2:4 group.
      issuedMacs = (ctas * steps * tileN * tileM * kStep) / config.sparseMmaSpeedup;
      break;
    default:
      issuedMacs = ctas * steps * tileN * tileM * kStep;
  }
  // Split-K: a second kernel reads every partial sum and writes the result.
  const reductionBytes = partialBytes + finalOut;
  const reductionCycles = splitK > 1 ? Math.ceil((reductionBytes / (config.hbmBytesPerSecond * config.hbmEfficiency) + config.launchOverheadSeconds) * config.clockHz) : 0;
  // Shared-memory traffic of the regular staging: each staged byte is written once by the
  // global→shared copy and read by the MMA path (the irregular decode comes on top).
  const smemWriteBytes = ctas * steps * step.smemWriteBytes;
  const smemBytes = ctas * steps * step.smemReadBytes;
  return {
    kernel,
    tileN,
    tileM,
    kStep,
    splitK,
    ctas,
    waves,
    steps,
    step,
    pipeline: {
      runs,
      dramBytesPerCycle: (config.hbmBytesPerSecond * config.hbmEfficiency) / config.clockHz,
      inputBuffers: kernel === 'cublas' || isStructuredSparse(kernel) ? 3 : 2,
      outputBuffers: 1,
    },
    hbmReadBytes: { weight: weightBytes * weightRefetch, input: inputBytes * inputRefetch },
    l2ReadBytes: l2Read,
    smemBytes,
    outputBytes: splitK > 1 ? partialBytes : finalOut,
    partialBytes,
    issuedMacs,
    imbalance: nnzPerCta ? nnzPerCta.max / Math.max(meanCta, 1e-12) : 1,
    reductionCycles,
    smemWriteBytes,
    ctasPerSm: coResident,
    prologueCycles: exposedFixedCycles(prologue, coResident),
    epilogueCycles: exposedFixedCycles(epilogue, coResident),
    derate,
    extraKernels: kernel === 'cusparselt' && op.m % config.cusparseltMinTokens !== 0 ? config.cusparseltExtraKernels : 0,
  };
}

function hostCost(config: TensorCoreConfig): HostCost {
  return { mode: config.executionMode, launchSeconds: config.launchOverheadSeconds, frameworkSeconds: config.frameworkOverheadSeconds };
}

function tilesFor(config: TensorCoreConfig, kernel: KernelId, tokens: number): ReadonlyArray<[number, number]> {
  if (kernel === 'cusparselt') return STRUCTURED_SPARSE_TILES;
  // Sputnik: a thread block covers 4 weight rows (kBlockItemsY) × its token tile.
  if (kernel === 'sputnik') return [[4, sputnikTileColumns(tokens, config.sputnikTileColumns)]];
  if (kernel === 'flash-llm' || kernel === 'lscd' || kernel === 'dstc') return FLASH_LLM_TILES;
  return DENSE_TILES;
}

export const SPLIT_K = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16];
// Split-K is an option of cuBLAS and Flash-LLM; cuSPARSELt's default algorithm (no
// cusparseLtMatmulSearch, as PyTorch calls it) and Sputnik run one CTA per output tile [R].
const splitKFor = (kernel: KernelId) => (kernel === 'cusparselt' || kernel === 'sputnik' ? [1] : SPLIT_K);

function simulateGemm(config: TensorCoreConfig, op: GemmOperator, context: FamilyContext, index: string): OperatorSimulation {
  const { options, energy } = context;
  const gatherMachine = { hbmBytesPerCycle: (config.hbmBytesPerSecond * config.hbmEfficiency) / config.clockHz };
  const activationSparse = config.dualSideSparse ? undefined : activationSparseGemm(op, context, gatherMachine, (reduced) => simulateGemm(config, reduced, context, index));
  if (activationSparse) return activationSparse;
  const weight = operandView(op, 'weight', options, context.masks);
  const input = operandView(op, 'input', options, context.masks);
  const kernel = chooseKernel(config, op, weight, input, context.workloadFile ?? '', index);
  const perCtaNnz =
    weight.mode === 'concrete' && weight.pattern.kind !== 'dense'
      ? (tileN: number, kPerCta: number) => operandTileStats(weight, { rows: tileN, cols: kPerCta }, context.masks)
      : undefined;

  // The kernel's own heuristic: try its tile shapes and split-K factors on the analytical path
  // and keep the fastest (like cuBLAS/cuSPARSELt autotuning), then time it with the chosen engine.
  let best: { plan: Plan; cycles: number; fill: number } | undefined;
  for (const [tileN, tileM] of tilesFor(config, kernel, op.m)) {
    for (const splitK of splitKFor(kernel)) {
      const candidate = plan(config, op, kernel, weight, input, tileN, tileM, splitK, undefined);
      if (!candidate) continue;
      const cycles = analyticalPipeline(candidate.pipeline).cycles + candidate.reductionCycles;
      // Near-ties (within 0.5 %, e.g. every HBM-bound tile) go to the plan that fills more of
      // its waves: the bandwidth model is global, so it cannot see that a half-empty last wave
      // has fewer SMs to keep loads in flight [A: heuristic, as cuBLAS's own wave-aware choice].
      const fill = candidate.ctas / (candidate.waves * config.sms);
      const nearTie = best !== undefined && Math.abs(cycles - best.cycles) <= 0.005 * best.cycles;
      const better = !best || (nearTie && Math.abs(fill - best.fill) > 0.01 ? fill > best.fill : cycles < best.cycles);
      if (better) best = { plan: candidate, cycles, fill };
    }
  }
  if (!best) throw new Error('no tile configuration fits');
  const chosen = perCtaNnz ? plan(config, op, kernel, weight, input, best.plan.tileN, best.plan.tileM, best.plan.splitK, perCtaNnz)! : best.plan;
  const timing = options.engine === 'event' ? simulatePipeline(chosen.pipeline) : analyticalPipeline(chosen.pipeline);
  // Host side: the main kernel, the 2:4 pad/slice kernels (each a short copy), and the split-K
  // reduction (its launch is inside reductionCycles).
  const gpuCycles = timing.cycles + chosen.reductionCycles;
  const kernels = 1 + chosen.extraKernels;
  const cycles = Math.ceil(operatorWallSeconds(hostCost(config), kernels, gpuCycles / config.clockHz) * config.clockHz);
  const launchCycles = cycles - gpuCycles;

  const dense = op.m * op.n * op.k * op.batch;
  const effectual = dense * outerProductFraction(weight, input);
  const finalOut = op.n * op.m * op.batch * (DATATYPE_BITS[op.outputDtype] / 8);
  const hbmWrite = chosen.outputBytes + (chosen.splitK > 1 ? finalOut : 0);
  const hbmRead = chosen.hbmReadBytes.weight + chosen.hbmReadBytes.input + chosen.partialBytes;
  const l2Read = chosen.l2ReadBytes.weight + chosen.l2ReadBytes.input;
  const memory: Record<string, LevelTraffic> = {
    hbm: {
      readBytes: hbmRead,
      writeBytes: hbmWrite,
      perTensor: {
        weight: { readBytes: chosen.hbmReadBytes.weight, writeBytes: 0 },
        input: { readBytes: chosen.hbmReadBytes.input, writeBytes: 0 },
        output: { readBytes: chosen.partialBytes, writeBytes: hbmWrite },
      },
    },
    l2: {
      readBytes: l2Read,
      writeBytes: hbmWrite,
      perTensor: {
        weight: { readBytes: chosen.l2ReadBytes.weight, writeBytes: 0 },
        input: { readBytes: chosen.l2ReadBytes.input, writeBytes: 0 },
        output: { readBytes: 0, writeBytes: hbmWrite },
      },
    },
    smem: { readBytes: chosen.smemBytes, writeBytes: chosen.smemWriteBytes, perTensor: { operands: { readBytes: chosen.smemBytes, writeBytes: chosen.smemWriteBytes } } },
  };
  const hbmPerByte = 8 * energyOf(energy, 'dram.hbm.bit');
  // Sputnik, and datatypes without a tensor-core rate (FP32), run on the CUDA cores.
  const onCudaCores = chosen.kernel === 'sputnik' || !((config.mmaPerTensorCore[op.dtype] ?? 0) > 0);
  const actions: ActionCount[] = [
    { component: onCudaCores ? 'cuda_cores' : 'tensor_cores', action: `mac.${op.dtype}`, count: chosen.issuedMacs, energyPerActionJ: macEnergyJ(energy, op.dtype) },
    { component: 'smem', action: 'byte accessed', count: chosen.smemBytes + chosen.smemWriteBytes, energyPerActionJ: sramEnergyPerByteJ(energy, config.smemBytes) },
    { component: 'l2', action: 'byte accessed', count: l2Read + hbmWrite, energyPerActionJ: sramEnergyPerByteJ(energy, config.l2SliceBytes) },
    { component: 'hbm', action: 'byte accessed', count: hbmRead + hbmWrite, energyPerActionJ: hbmPerByte },
  ];

  const mainCompute = timing.computeCycles;
  // Issued MACs of a 2:4 kernel are the kept values only, so every kernel meets the dense roof.
  const peak = config.sms * macsPerSmCycle(config, op.dtype);
  const hbmBytesPerCycle = (config.hbmBytesPerSecond * config.hbmEfficiency) / config.clockHz;
  const bounds: Record<string, number> = {
    compute: Math.ceil(chosen.issuedMacs / (chosen.kernel === 'sputnik' ? config.sms * config.cudaCoreFmaPerSm : peak)),
    hbm: Math.ceil((hbmRead + hbmWrite) / hbmBytesPerCycle - 1e-9),
    l2: Math.ceil(l2Read / (config.l2BytesPerSecond / config.clockHz) - 1e-9),
  };
  const overhead = launchCycles + chosen.reductionCycles;
  let bottleneck: string;
  if (overhead > 0.3 * cycles) bottleneck = chosen.reductionCycles > launchCycles ? 'split-k-reduction' : config.executionMode === 'eager' ? 'host-overhead' : 'launch-overhead';
  else if (timing.dramBusyCycles >= mainCompute) bottleneck = bounds.l2 > bounds.hbm ? 'l2-bandwidth' : 'hbm-bandwidth';
  else if (chosen.kernel === 'sputnik') bottleneck = 'cuda-cores';
  else if (chosen.step.decode > Math.max(chosen.step.mma, chosen.step.smem)) bottleneck = 'sparse-decode';
  else bottleneck = chosen.step.smem > chosen.step.mma ? 'smem-bandwidth' : onCudaCores ? 'cuda-cores' : 'tensor-core';

  const notes = [
    `${op.name}: kernel ${chosen.kernel} (${KERNEL_DESCRIPTIONS[chosen.kernel]}); CTA tile ${chosen.tileN}×${chosen.tileM}×${chosen.kStep}, split-K ${chosen.splitK}, ${chosen.waves} waves, ${chosen.ctasPerSm} CTAs/SM`,
    'GPU dynamic energy counts MACs, shared memory, L2 and HBM; register files and instruction issue are not modelled (first approximation); static board power comes from power.static',
  ];
  const fallback = fallbackNote(weight.format.kind);
  if (fallback) notes.push(fallback);
  const quantised = quantisedWeightNote(op, weight, chosen.kernel);
  if (quantised) notes.push(quantised);
  if (weight.pattern.kind !== 'dense' || input.pattern.kind !== 'dense') {
    notes.push(`sparsity: ${weight.mode} mode (seed ${options.seed}); weight ${weight.pattern.kind} density ${weight.density.toFixed(3)} stored as ${weight.format.kind}`);
  }
  return {
    cycles,
    computeCycles: mainCompute,
    stallCycles: cycles - mainCompute,
    macs: { dense, issued: chosen.issuedMacs, effectual },
    memory,
    actions,
    bounds,
    bottleneck,
    peakMacsPerCycle: config.sms * macsPerSmCycle(config, op.dtype),
    stats: {
      tileN: chosen.tileN,
      tileM: chosen.tileM,
      kStep: chosen.kStep,
      splitK: chosen.splitK,
      ctas: chosen.ctas,
      waves: chosen.waves,
      waveEfficiency: chosen.ctas / (chosen.waves * config.sms),
      mmaCyclesPerStep: chosen.step.mma,
      smemCyclesPerStep: chosen.step.smem,
      decodeCyclesPerStep: chosen.step.decode,
      weightBytes: weight.storage.bytes,
      weightDensity: weight.density,
      tileImbalance: chosen.imbalance,
      reductionSeconds: chosen.reductionCycles / config.clockHz,
      ctasPerSm: chosen.ctasPerSm,
      prologueCycles: chosen.prologueCycles,
      epilogueCycles: chosen.epilogueCycles,
      clockDerate: chosen.derate,
      hostSeconds: launchCycles / config.clockHz,
    },
    notes,
  };
}

/** Element-wise kernels are memory-bound streams through HBM (a read and a write per element). */
function simulateElementwise(config: TensorCoreConfig, op: ElementwiseOperator, context: FamilyContext): OperatorSimulation {
  const bytes = DATATYPE_BITS[op.dtype] / 8;
  const readBytes = op.elements * INPUTS_PER_ELEMENT[op.function] * bytes;
  const writeBytes = op.elements * bytes;
  const operations = op.elements * OPS_PER_ELEMENT[op.function];
  const computeCycles = Math.ceil(operations / (config.sms * config.cudaCoreFmaPerSm));
  const pipeline: PipelineSpec = {
    runs: [{ count: 1, loadBytes: readBytes, computeCycles, storeBytes: writeBytes }],
    dramBytesPerCycle: (config.hbmBytesPerSecond * config.hbmEfficiency) / config.clockHz,
    inputBuffers: 1,
    outputBuffers: 1,
  };
  const timing = context.options.engine === 'event' ? simulatePipeline(pipeline) : analyticalPipeline(pipeline);
  const cycles = Math.ceil(operatorWallSeconds(hostCost(config), 1, timing.cycles / config.clockHz) * config.clockHz);
  const launchCycles = cycles - timing.cycles;
  const hbmPerByte = 8 * energyOf(context.energy, 'dram.hbm.bit');
  return {
    cycles,
    computeCycles: timing.computeCycles,
    stallCycles: cycles - timing.computeCycles,
    macs: { dense: 0, issued: 0, effectual: 0 },
    memory: {
      hbm: { readBytes, writeBytes, perTensor: { input: { readBytes, writeBytes: 0 }, output: { readBytes: 0, writeBytes } } },
    },
    actions: [
      { component: 'cuda_cores', action: `op.${op.dtype} (priced as mac.${op.dtype})`, count: operations, energyPerActionJ: macEnergyJ(context.energy, op.dtype) },
      { component: 'hbm', action: 'byte accessed', count: readBytes + writeBytes, energyPerActionJ: hbmPerByte },
    ],
    bounds: { compute: computeCycles, hbm: Math.ceil((readBytes + writeBytes) / pipeline.dramBytesPerCycle - 1e-9) },
    bottleneck: launchCycles > timing.cycles ? (config.executionMode === 'eager' ? 'host-overhead' : 'launch-overhead') : timing.dramBusyCycles > timing.computeCycles ? 'hbm-bandwidth' : 'cuda-cores',
    stats: {},
    notes: [`element-wise operators: one kernel each, ${OPS_PER_ELEMENT[op.function]} operations per ${op.function} element on CUDA cores [A]`],
  };
}

function simulateOperator(config: TensorCoreConfig, operator: Operator, context: FamilyContext): OperatorSimulation {
  if (operator.kind === 'elementwise') return simulateElementwise(config, operator, context);
  if (!isGemmLike(operator)) throw new Error(`tensor-core family cannot simulate ${operator.kind}`);
  return simulateGemm(config, operator, context, `operators[${context.operatorIndex ?? 0}]`);
}

export const tensorCoreFamily: Family<TensorCoreConfig> = {
  id: 'tensor-core',
  title: 'Sparse tensor-core GPU (A100/H100-like)',
  description:
    'SMs × tensor cores with per-datatype MMA rates and 2:4 sparse MMA; CTA tiling with wave quantisation and split-K; HBM with an efficiency factor, L2, shared memory; kernels: cuBLAS-like dense, cuSPARSELt-like 2:4, Flash-LLM load-as-sparse/compute-as-dense (and the same for other formats), block-sparse, Sputnik-like CUDA-core SpMM and a DSTC-like dual-side sparse tensor core.',
  params: TENSOR_CORE_PARAMS,
  stats: TENSOR_CORE_STATS,
  operatorKinds: ['gemm', 'batched_matmul', 'conv2d', 'elementwise'],
  configure,
  clockHz: (config) => config.clockHz,
  peakMacsPerCycle: (config) => config.sms * macsPerSmCycle(config, 'fp16'),
  peakMacsPerCycleFor: (config, dtype) => config.sms * macsPerSmCycle(config, dtype),
  simulateOperator,
  estimateWork: estimateTensorCoreWork,
  area: tensorCoreArea,
};
