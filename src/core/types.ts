// Plain-data types shared by the loaders, the pure core, the families and the reporters.
// Everything here is JSON-serialisable and SI-valued (seconds, bytes, joules, hertz, B/s).

import type { ParamValues } from '../spec/params.js';
import type { CsrMatrix } from '../matrix/csr.js';
import type { ModelWorkload, ParallelSpec, ServingMetrics, ServingSpec } from '../llm/types.js';

export type Datatype = 'int4' | 'int8' | 'int16' | 'int32' | 'fp8' | 'fp16' | 'bf16' | 'tf32' | 'fp32';

export const DATATYPE_BITS: Record<Datatype, number> = {
  int4: 4,
  int8: 8,
  int16: 16,
  int32: 32,
  fp8: 8,
  fp16: 16,
  bf16: 16,
  tf32: 32, // stored as 32 bits; the tensor core uses 19 of them
  fp32: 32,
};

/** Per-operand sparsity as declared in a workload (interpreted by src/sparsity). */
export interface OperandSparsity {
  /** Pattern spec, e.g. { kind: 'unstructured', density: 0.2 }. */
  pattern: Record<string, unknown> & { kind: string };
  /** Storage format id, e.g. 'dense', 'csr', 'nm', 'tiled-csl'. */
  format?: string;
  formatParams?: Record<string, unknown>;
}

/**
 * A dense-algebra operator in GEMM form: output[M×N] = input[M×K] · weight[K×N].
 * Conv2d is lowered to this form by im2col (M = batch·E·F, N = filters, K = R·S·C); the conv
 * geometry is kept because address reuse in the input depends on it.
 */
export interface GemmOperator {
  kind: 'gemm' | 'conv2d' | 'batched_matmul';
  name: string;
  /** How many identical instances the workload contains (e.g. 32 transformer layers). */
  count: number;
  /** Independent GEMMs in one instance (batched matmul's batch; 1 otherwise). */
  batch: number;
  m: number;
  n: number;
  k: number;
  conv?: ConvGeometry;
  dtype: Datatype;
  /** Output/accumulator datatype written back. */
  outputDtype: Datatype;
  sparsity?: Partial<Record<'input' | 'weight', OperandSparsity>>;
  /** Where the operator sits in inference or training (drives on-chip residency and training-step splits). */
  phase: OperatorPhase;
  /** What the `weight` operand holds: model parameters, the KV cache (attention at decode), or activations. */
  weightKind: 'parameters' | 'kv-cache' | 'activations';
  /** Datatype the weights are stored in when it differs from `dtype` (W4A16: int4 weights, fp16 MACs). */
  weightDtype?: Datatype;
  /** Group-wise weight quantisation metadata: one scale (and zero point) per `groupSize` weights along K. */
  weightQuant?: { groupSize: number; scaleBits: number; zeroPointBits: number };
}

export type OperatorPhase = 'inference' | 'prefill' | 'decode' | 'forward' | 'backward-data' | 'backward-weight';
export const OPERATOR_PHASES: readonly OperatorPhase[] = ['inference', 'prefill', 'decode', 'forward', 'backward-data', 'backward-weight'];

/** Element-wise and normalisation work (softmax, layernorm, SiLU, ...) for special-function or vector units. */
export interface ElementwiseOperator {
  kind: 'elementwise';
  name: string;
  count: number;
  function: ElementwiseFunction;
  /** Elements processed (output elements). */
  elements: number;
  dtype: Datatype;
  phase: OperatorPhase;
}

export type ElementwiseFunction = 'softmax' | 'layernorm' | 'rmsnorm' | 'silu' | 'gelu' | 'relu' | 'add' | 'mul' | 'rope';
export const ELEMENTWISE_FUNCTIONS: readonly ElementwiseFunction[] = ['softmax', 'layernorm', 'rmsnorm', 'silu', 'gelu', 'relu', 'add', 'mul', 'rope'];

export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outChannels: number;
  kernelHeight: number;
  kernelWidth: number;
  stride: number;
  padding: number;
  outHeight: number;
  outWidth: number;
}

/** Where a sparse operator's matrix comes from. `.mtx` files are read by the loader (I/O at the
 * edge) so the core only ever sees the parsed matrix; synthetic ones are generated from the seed. */
export type MatrixSource =
  | { kind: 'mtx'; file: string; matrix: CsrMatrix }
  | { kind: 'rmat'; scale: number; edgeFactor: number; a: number; b: number; c: number }
  | { kind: 'uniform'; rows: number; cols: number; density: number }
  | { kind: 'banded'; rows: number; halfBandwidth: number };

/** Sparse-algebra and graph operators (the scratchpad family's kernels). */
export interface SparseOperator {
  kind: 'spgemm' | 'spmv' | 'pagerank' | 'bfs';
  name: string;
  count: number;
  a: MatrixSource;
  /** Second SpGEMM operand; defaults to A (A·A, the usual SpGEMM benchmark). */
  b?: MatrixSource;
  /** Iterations for iterative graph kernels. */
  iterations: number;
  dtype: Datatype;
  /** SpGEMM dataflow: inner product, outer product, or row-wise (Gustavson) with scratchpad hashing. */
  dataflow?: 'inner' | 'outer' | 'row-wise';
}

export type Operator = GemmOperator | SparseOperator | ElementwiseOperator;

export function isGemmLike(op: Operator): op is GemmOperator {
  return op.kind === 'gemm' || op.kind === 'conv2d' || op.kind === 'batched_matmul';
}

export interface Workload {
  name: string;
  file: string;
  description?: string;
  sources: string[];
  operators: Operator[];
  /** Hash of the resolved content, for provenance in results. */
  hash: string;
  /** LLM serving: the request this workload stands for (drives serving metrics and capacity checks). */
  serving?: ServingSpec;
  /** Generated from a model configuration (src/llm): operators are rebuilt per phase and decode step. */
  model?: ModelWorkload;
  parallel?: ParallelSpec;
}

export interface EnergyTableRef {
  /** Id of a built-in table (src/core/energy-tables.ts). */
  table: string;
  /** Per-action overrides in joules, keyed like the table's entries. */
  overrides: Record<string, number>;
}

export interface ArchSpec {
  family: string;
  name: string;
  file: string;
  description?: string;
  sources: string[];
  /** Resolved family parameters by dotted key (SI values). */
  values: ParamValues;
  energy: EnergyTableRef;
  hash: string;
}

export type EngineKind = 'event' | 'analytical';
export type Convention = 'accsim' | 'scalesim' | 'timeloop';

export interface SimulateOptions {
  engine: EngineKind;
  /** Counting convention; 'scalesim' reproduces SCALE-Sim v2's numbers where they differ. */
  convention: Convention;
  seed: number;
  sparsityMode: 'statistical' | 'concrete';
  /** LLM workloads whose resident state exceeds device memory: stream the excess from the host instead of refusing. */
  allowSpill?: boolean;
  /** Work and memory limits checked before simulating (src/core/budget.ts); never part of a result. */
  budget?: import('./budget.js').Budget;
}

export const DEFAULT_OPTIONS: SimulateOptions = {
  engine: 'event',
  convention: 'accsim',
  seed: 1,
  sparsityMode: 'statistical',
};

/** Bytes moved at one memory level, split by tensor. */
export interface LevelTraffic {
  readBytes: number;
  writeBytes: number;
  perTensor: Record<string, { readBytes: number; writeBytes: number }>;
}

/** One line of the energy account: count × energy per action. */
export interface EnergyAction {
  component: string;
  action: string;
  count: number;
  energyPerActionJ: number;
  energyJ: number;
}

/** What an operator and the whole workload both report. */
export interface PerformanceSummary {
  cycles: number;
  computeCycles: number;
  stallCycles: number;
  seconds: number;
  /** Effectual MACs / (peak MACs per cycle × cycles). */
  utilization: number;
  macs: { dense: number; issued: number; effectual: number };
  memory: Record<string, LevelTraffic>;
  energy: { components: Record<string, number>; totalJ: number };
  /** Energy per dense-equivalent MAC and per effectual MAC, in pJ. */
  pJPerMac: { dense: number; effectual: number };
  bottleneck: string;
}

export interface OperatorResult extends PerformanceSummary {
  name: string;
  kind: string;
  count: number;
  shape: { m: number; n: number; k: number; batch: number };
  dtype: Datatype;
  /** Peak MACs per cycle for this operator's datatype (its compute roof). */
  peakMacsPerCycle: number;
  energy: PerformanceSummary['energy'] & { actions: EnergyAction[] };
  /** Lower bounds in cycles: compute and each memory level's bandwidth. */
  bounds: Record<string, number>;
  /** Family-specific statistics, declared by the family with units. */
  stats: Record<string, number>;
  notes: string[];
}

export type TotalResult = PerformanceSummary;

export const RESULT_SCHEMA = 'accsim.result';
export const RESULT_VERSION = 1;

export interface Result {
  schema: typeof RESULT_SCHEMA;
  version: typeof RESULT_VERSION;
  /**
   * peakMacsPerCycle is the peak for the workload's datatype (the one with the most dense MACs);
   * peakMacsPerCycleByDtype lists it for every datatype the workload uses.
   */
  arch: { name: string; family: string; file: string; hash: string; clockHz: number; peakMacsPerCycle: number; peakMacsPerCycleByDtype?: Partial<Record<Datatype, number>> };
  workload: { name: string; file: string; hash: string };
  options: SimulateOptions;
  operators: OperatorResult[];
  total: TotalResult;
  /** Modelling approximations and assumptions that apply to this result. */
  notes: string[];
  /** LLM serving metrics (workloads with a `serving` block). */
  serving?: ServingMetrics;
}
