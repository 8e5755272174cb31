// Workload files: YAML/JSON → validated list of operators in GEMM form (conv lowered by im2col)
// or sparse-kernel form. Units and expressions (`seq * 3`) are resolved here, once.

import type { CsrMatrix } from '../matrix/csr.js';
import type { Mask } from '../sparsity/mask.js';
import { DATATYPE_BITS, ELEMENTWISE_FUNCTIONS, OPERATOR_PHASES, type Datatype, type OperatorPhase, type ElementwiseOperator, type GemmOperator, type MatrixSource, type Operator, type OperandSparsity, type SparseOperator, type Workload } from '../core/types.js';
import { didYouMean, inputError, InputError, type SourcePosition } from './errors.js';
import { parseFormatName, validateFormatSpec, validatePatternSpec } from '../sparsity/index.js';
import type { ParamDecl } from './params.js';
import { hashOf, deepFreeze } from './load-arch.js';
import { expectMap, expectString, expectStringList, resolveDeclared, resolveNamedParameters, resolveParam, rejectUnknownKeys, type MapNode, type ResolveContext } from './resolve.js';
import { nodeTypeName, parseSpecText, type SpecNode } from './yaml-source.js';
import { modelWorkloadFromTree, servingFromTree, type ModelReader } from '../llm/load.js';
import { LLM_WORKLOAD_KEYS } from '../llm/types.js';
import { modelWorkloadOperators } from '../llm/model-workload.js';
import { rememberSpecTree } from './positions.js';

const DATATYPES = Object.keys(DATATYPE_BITS) as Datatype[];
const OPERATOR_KINDS = ['gemm', 'batched_matmul', 'conv2d', 'elementwise', 'spgemm', 'spmv', 'pagerank', 'bfs'] as const;
type OperatorKind = (typeof OPERATOR_KINDS)[number];

const positive = (key: string, description: string, extra: Partial<ParamDecl> = {}): ParamDecl =>
  ({ key, type: 'integer', min: 1, max: MAX_COUNT, description, ...extra }) as ParamDecl;

// Per-field upper bounds. They are far above any real model (GPT-class GEMMs have dimensions of
// 1e4–1e6) and keep derived counts (MACs = batch·m·n·k·count, bytes) finite doubles; the work
// budget (src/core/budget.ts) then decides what is affordable to simulate.
/** Tensor dimensions (m, n, k): 2^40 ≈ 1.1e12 along one axis. */
const MAX_DIMENSION = 2 ** 40;
/** Repetitions and batch-like counts (count, batch, groups, iterations). */
const MAX_COUNT = 2 ** 32;
/** Spatial extents of a convolution (height, width, filter, stride, padding). */
const MAX_SPATIAL = 2 ** 20;
const dimension = { max: MAX_DIMENSION } as Partial<ParamDecl>;
const spatial = { max: MAX_SPATIAL } as Partial<ParamDecl>;

const COMMON: ParamDecl[] = [
  positive('count', 'How many identical instances of this operator the workload runs (e.g. layers)', { default: 1 } as Partial<ParamDecl>),
  { key: 'dtype', type: 'enum', choices: DATATYPES, description: 'Operand datatype (defaults to the workload dtype)', default: '' },
  { key: 'output_dtype', type: 'enum', choices: DATATYPES, description: 'Datatype written back (defaults to dtype)', default: '' },
  { key: 'phase', type: 'enum', choices: OPERATOR_PHASES, default: 'inference', description: 'Inference (default), LLM prefill/decode, or a training phase' },
];

const GEMM_COMMON: ParamDecl[] = [
  ...COMMON,
  {
    key: 'weight_kind',
    type: 'enum',
    choices: ['parameters', 'kv-cache', 'activations'],
    default: 'parameters',
    description: 'What the weight (K×N) operand holds: model parameters, the KV cache, or activations',
  },
  { key: 'weight_dtype', type: 'enum', choices: DATATYPES, default: '', description: 'Datatype the weights are stored in (e.g. int4 for W4A16); defaults to dtype, the datatype the MACs run in after dequantisation' },
  { key: 'weight_group_size', type: 'integer', min: 0, default: 0, description: 'Group-wise quantisation: weights along K sharing one scale (and zero point); 0 = no per-group metadata' },
  { key: 'weight_scale_bits', type: 'integer', min: 1, default: 16, description: 'Bits of one group scale (16 = an FP16 scale, as in GPTQ/Marlin)' },
  { key: 'weight_zero_point_bits', type: 'integer', min: 0, default: 0, description: 'Bits of one group zero point (0 = symmetric quantisation)' },
];

/** Operator parameters by kind, declared once: they drive validation and the docs. */
export const OPERATOR_PARAMS: Record<OperatorKind, ParamDecl[]> = {
  gemm: [positive('m', 'Rows of the input / output (tokens × batch)', dimension), positive('n', 'Output features', dimension), positive('k', 'Reduction length (input features)', dimension), ...GEMM_COMMON],
  batched_matmul: [
    positive('batch', 'Independent GEMMs (e.g. heads × batch)'),
    positive('m', 'Rows of each GEMM', dimension),
    positive('n', 'Columns of each GEMM', dimension),
    positive('k', 'Reduction length', dimension),
    ...GEMM_COMMON,
  ],
  conv2d: [
    positive('batch', 'Images per inference', { default: 1 } as Partial<ParamDecl>),
    positive('in_h', 'Input height (before padding)', spatial),
    positive('in_w', 'Input width (before padding)', spatial),
    positive('in_c', 'Input channels', dimension),
    positive('out_c', 'Output channels (filters)', dimension),
    positive('kernel_h', 'Filter height', spatial),
    positive('kernel_w', 'Filter width', spatial),
    positive('stride', 'Stride (both directions)', { default: 1, max: MAX_SPATIAL } as Partial<ParamDecl>),
    { key: 'padding', type: 'integer', min: 0, max: MAX_SPATIAL, default: 0, description: 'Zero padding on each side' },
    positive('groups', 'Channel groups (in_c for depthwise)', { default: 1 } as Partial<ParamDecl>),
    ...GEMM_COMMON,
  ],
  elementwise: [
    { key: 'function', type: 'enum', choices: ELEMENTWISE_FUNCTIONS, description: 'The element-wise or normalisation function' },
    positive('elements', 'Output elements processed', { max: 2 ** 50 } as Partial<ParamDecl>),
    ...COMMON,
  ],
  spgemm: [
    { key: 'dataflow', type: 'enum', choices: ['inner', 'outer', 'row-wise'], default: 'row-wise', description: 'SpGEMM dataflow' },
    positive('iterations', 'Repetitions of the kernel', { default: 1 } as Partial<ParamDecl>),
    ...COMMON,
  ],
  spmv: [positive('iterations', 'Repetitions of the kernel', { default: 1 } as Partial<ParamDecl>), ...COMMON],
  pagerank: [positive('iterations', 'PageRank iterations', { default: 20 } as Partial<ParamDecl>), ...COMMON],
  bfs: [positive('iterations', 'Upper bound on BFS levels', { default: 64 } as Partial<ParamDecl>), ...COMMON],
};

const WORKLOAD_KEYS = ['name', 'description', 'sources', 'parameters', 'dtype', 'operators', ...LLM_WORKLOAD_KEYS];

/** Where each operator's `kind` was written, so later checks (family support) can point at it. */
const KIND_POSITIONS = new WeakMap<Operator, SourcePosition>();

export function operatorKindPosition(op: Operator): SourcePosition | undefined {
  return KIND_POSITIONS.get(op);
}

/** Reads a matrix file named in a workload (path relative to the workload file). */
export type MatrixReader = (path: string, from: { file: string; keyPath: string; position: SpecNode['position'] }) => { file: string; matrix: CsrMatrix };

/**
 * Reads a GEMM operand's mask file named in a workload (`pattern: { npy: file }` or `{ mtx: file }`,
 * path relative to the workload file) into a Mask whose JSON form is a short summary (file, shape,
 * nonzeros, digest), so hashing and cache keys never serialise the bits.
 */
export type MaskReader = (path: string, kind: 'npy' | 'mtx', from: { file: string; keyPath: string; position: SpecNode['position'] }) => { file: string; mask: Mask };

// The file readers (matrices, operand masks, model configurations) each resolve relative to the
// workload file; a context without one rejects the key that needs it.
export function loadWorkloadText(text: string, file: string, readMatrix?: MatrixReader, readMask?: MaskReader, readModel?: ModelReader): Workload {
  const { root } = parseSpecText(text, file);
  return workloadFromTree(root, file, readMatrix, readMask, readModel);
}

export function workloadFromTree(root: SpecNode, file: string, readMatrix?: MatrixReader, readMask?: MaskReader, readModel?: ModelReader): Workload {
  rememberSpecTree(file, root);
  const context: ResolveContext = { file, scope: new Map() };
  const map = expectMap(root, context, '', 'a mapping with name and operators');
  rejectUnknownKeys(map, WORKLOAD_KEYS, context, '');
  const name = map.entries.has('name') ? expectString(map.entries.get('name')!.node, context, 'name') : file;
  const description = map.entries.has('description') ? expectString(map.entries.get('description')!.node, context, 'description') : undefined;
  const sources = map.entries.has('sources') ? expectStringList(map.entries.get('sources')!.node, context, 'sources') : [];
  if (map.entries.has('parameters')) resolveNamedParameters(map.entries.get('parameters')!.node, context);
  const dtypeEntry = map.entries.get('dtype');
  const defaultDtype = dtypeEntry
    ? (resolveParam({ key: 'dtype', type: 'enum', choices: DATATYPES, description: 'default operand datatype' }, dtypeEntry.node, context, 'dtype') as Datatype)
    : 'int8';
  const serving = map.entries.has('serving') ? servingFromTree(map.entries.get('serving')!.node, context) : undefined;
  if (map.entries.has('model')) {
    // A workload generated from a model configuration (src/llm): no operator list of its own.
    for (const key of ['operators']) if (map.entries.has(key)) throw inputError({ file, position: map.entries.get(key)!.keyPosition, keyPath: key, message: 'a model workload generates its operators', hint: 'remove operators, or remove model' });
    if (!serving) throw inputError({ file, position: map.position, keyPath: 'serving', message: 'missing required key', expected: 'a model workload needs serving: {phase, batch, prompt/context/output}' });
    const { model, parallel } = modelWorkloadFromTree(map, context, defaultDtype, serving, readModel);
    const operators = modelWorkloadOperators(model, serving);
    const workload: Workload = { name, file, description, sources: [...sources, ...model.config.sources], operators, hash: '', serving, model, parallel };
    workload.hash = hashOf({ name, serving, model, parallel, operators: operators.map(hashable) });
    return deepFreeze(workload);
  }
  for (const key of ['weights', 'kv_cache', 'parallel']) {
    if (map.entries.has(key)) throw inputError({ file, position: map.entries.get(key)!.keyPosition, keyPath: key, message: `'${key}' applies to model workloads only`, hint: 'add model: <config.json>, or declare sparsity per operator' });
  }
  const operatorsEntry = map.entries.get('operators');
  if (!operatorsEntry) throw inputError({ file, position: map.position, keyPath: 'operators', message: 'missing required key', expected: 'a list of operators' });
  if (operatorsEntry.node.kind !== 'seq' || operatorsEntry.node.items.length === 0) {
    throw inputError({ file, position: operatorsEntry.node.position, keyPath: 'operators', message: `found ${nodeTypeName(operatorsEntry.node)}`, expected: 'a non-empty list of operators' });
  }
  const names = new Set<string>();
  const operators = operatorsEntry.node.items.map((item, index) => {
    const op = operatorFromTree(item, `operators[${index}]`, context, defaultDtype, readMatrix, readMask);
    const kindPosition = item.kind === 'map' ? item.entries.get('kind')?.node.position : undefined;
    if (kindPosition) KIND_POSITIONS.set(op, kindPosition);
    if (names.has(op.name)) throw inputError({ file, position: item.position, keyPath: `operators[${index}].name`, message: `duplicate operator name '${op.name}'` });
    names.add(op.name);
    return op;
  });
  const workload: Workload = { name, file, description, sources, operators, hash: '' };
  if (serving) workload.serving = serving;
  workload.hash = hashOf(serving ? { name, serving, operators: operators.map(hashable) } : { name, operators: operators.map(hashable) });
  return deepFreeze(workload);
}

function hashable(op: Operator): unknown {
  if (op.kind === 'spgemm' || op.kind === 'spmv' || op.kind === 'pagerank' || op.kind === 'bfs') {
    const source = (s?: MatrixSource) => (s && s.kind === 'mtx' ? { kind: 'mtx', file: s.file, rows: s.matrix.rows, nnz: s.matrix.rowPtr[s.matrix.rows] } : s);
    return { ...op, a: source(op.a), b: source(op.b) };
  }
  return op;
}

function operatorFromTree(node: SpecNode, keyPath: string, context: ResolveContext, defaultDtype: Datatype, readMatrix?: MatrixReader, readMask?: MaskReader): Operator {
  const map = expectMap(node, context, keyPath, 'an operator mapping with name and kind');
  const nameEntry = map.entries.get('name');
  if (!nameEntry) throw inputError({ file: context.file, position: map.position, keyPath: `${keyPath}.name`, message: 'missing required key', expected: 'a string' });
  const name = expectString(nameEntry.node, context, `${keyPath}.name`);
  const kindEntry = map.entries.get('kind');
  if (!kindEntry) throw inputError({ file: context.file, position: map.position, keyPath: `${keyPath}.kind`, message: 'missing required key', expected: `one of ${OPERATOR_KINDS.join(', ')}` });
  const kind = expectString(kindEntry.node, context, `${keyPath}.kind`);
  if (!(OPERATOR_KINDS as readonly string[]).includes(kind)) {
    throw inputError({ file: context.file, position: kindEntry.node.position, keyPath: `${keyPath}.kind`, message: `unknown operator kind '${kind}'`, expected: `one of ${OPERATOR_KINDS.join(', ')}`, hint: didYouMean(kind, OPERATOR_KINDS) });
  }
  const operatorKind = kind as OperatorKind;
  const isSparseKernel = operatorKind === 'spgemm' || operatorKind === 'spmv' || operatorKind === 'pagerank' || operatorKind === 'bfs';
  const skip = isSparseKernel ? ['name', 'kind', 'a', 'b'] : ['name', 'kind', 'sparsity'];
  const v = resolveDeclared(map, OPERATOR_PARAMS[operatorKind], context, keyPath, skip);
  const dtype = ((v.dtype as string) || defaultDtype) as Datatype;
  const outputDtype = ((v.output_dtype as string) || dtype) as Datatype;
  const count = v.count as number;
  const phase = v.phase as OperatorPhase;

  if (isSparseKernel) {
    const aEntry = map.entries.get('a');
    if (!aEntry) throw inputError({ file: context.file, position: map.position, keyPath: `${keyPath}.a`, message: 'missing required key', expected: 'a matrix source ({mtx: file} or {rmat|uniform|banded: {...}})' });
    const a = matrixSource(aEntry.node, `${keyPath}.a`, context, readMatrix);
    const bEntry = map.entries.get('b');
    const b = bEntry ? matrixSource(bEntry.node, `${keyPath}.b`, context, readMatrix) : undefined;
    const sparse: SparseOperator = { kind: operatorKind, name, count, a, b, iterations: v.iterations as number, dtype };
    if (operatorKind === 'spgemm') sparse.dataflow = v.dataflow as SparseOperator['dataflow'];
    return sparse;
  }

  if (operatorKind === 'elementwise') {
    return { kind: 'elementwise', name, count, function: v.function as ElementwiseOperator['function'], elements: v.elements as number, dtype, phase };
  }

  const weightKind = v.weight_kind as GemmOperator['weightKind'];
  let op: GemmOperator;
  if (operatorKind === 'conv2d') {
    const groups = v.groups as number;
    const inC = v.in_c as number;
    const outC = v.out_c as number;
    const at = (key: string) => ({ file: context.file, position: map.entries.get(key)?.node.position ?? map.position, keyPath: `${keyPath}.${key}` });
    if (inC % groups !== 0 || outC % groups !== 0) throw inputError({ ...at('groups'), message: `groups=${groups} must divide in_c=${inC} and out_c=${outC}` });
    const pad = v.padding as number;
    const stride = v.stride as number;
    const kh = v.kernel_h as number;
    const kw = v.kernel_w as number;
    const inH = v.in_h as number;
    const inW = v.in_w as number;
    if (inH + 2 * pad < kh || inW + 2 * pad < kw) throw inputError({ ...at('kernel_h'), message: `a ${kh}×${kw} filter does not fit a ${inH + 2 * pad}×${inW + 2 * pad} padded input` });
    const outH = Math.floor((inH + 2 * pad - kh) / stride) + 1;
    const outW = Math.floor((inW + 2 * pad - kw) / stride) + 1;
    const batch = v.batch as number;
    op = {
      kind: 'conv2d',
      name,
      count,
      batch: groups,
      m: batch * outH * outW,
      n: outC / groups,
      k: kh * kw * (inC / groups),
      conv: { batch, inHeight: inH, inWidth: inW, inChannels: inC, outChannels: outC, kernelHeight: kh, kernelWidth: kw, stride, padding: pad, outHeight: outH, outWidth: outW },
      dtype,
      outputDtype,
      phase,
      weightKind,
    };
  } else {
    op = { kind: operatorKind, name, count, batch: operatorKind === 'batched_matmul' ? (v.batch as number) : 1, m: v.m as number, n: v.n as number, k: v.k as number, dtype, outputDtype, phase, weightKind };
  }
  if (v.weight_dtype) op.weightDtype = v.weight_dtype as Datatype;
  if ((v.weight_group_size as number) > 0) {
    op.weightQuant = { groupSize: v.weight_group_size as number, scaleBits: v.weight_scale_bits as number, zeroPointBits: v.weight_zero_point_bits as number };
  }
  const sparsityEntry = map.entries.get('sparsity');
  if (sparsityEntry) op.sparsity = sparsityFromTree(sparsityEntry.node, `${keyPath}.sparsity`, context, op, readMask);
  return op;
}

/** Operand sparsity is kept as plain data here; src/sparsity validates patterns and formats. */
function sparsityFromTree(node: SpecNode, keyPath: string, context: ResolveContext, op: GemmOperator, readMask?: MaskReader): GemmOperator['sparsity'] {
  const map = expectMap(node, context, keyPath, 'a mapping of operand (input, weight) to {pattern, format}');
  rejectUnknownKeys(map, ['input', 'weight'], context, keyPath);
  const result: NonNullable<GemmOperator['sparsity']> = {};
  for (const [operand, { node: child }] of map.entries) {
    result[operand as 'input' | 'weight'] = operandSparsityFromTree(child, `${keyPath}.${operand}`, context, [], { op, name: operand as 'input' | 'weight', readMask });
  }
  return result;
}

/** A GEMM operand whose sparsity is being read: its shape checks mask files, its datatype checks valueBits. */
interface GemmOperand {
  op: GemmOperator;
  name: 'input' | 'weight';
  readMask?: MaskReader;
}

/**
 * One operand's `{pattern, format, format_params}`, validated (also used by src/llm for model-wide
 * weight and KV-cache sparsity, where there is no single GEMM operand to check against).
 */
export function operandSparsityFromTree(child: SpecNode, path: string, context: ResolveContext, allowedExtra: readonly string[] = [], operand?: GemmOperand): OperandSparsity {
  const operandMap = expectMap(child, context, path, 'a mapping with pattern and format');
  rejectUnknownKeys(operandMap, ['pattern', 'format', 'format_params', ...allowedExtra], context, path);
  const patternEntry = operandMap.entries.get('pattern');
  if (!patternEntry) throw inputError({ file: context.file, position: operandMap.position, keyPath: `${path}.pattern`, message: 'missing required key', expected: 'a pattern, e.g. {kind: unstructured, density: 0.2}' });
  const maskFile = operand ? maskFileOf(patternEntry.node, context, `${path}.pattern`, operand.op, operand.name, operand.readMask) : undefined;
  const pattern = maskFile ?? (plainData(patternEntry.node, context, `${path}.pattern`) as OperandSparsity['pattern']);
  if (typeof pattern !== 'object' || pattern === null || typeof (pattern as { kind?: unknown }).kind !== 'string') {
    throw inputError({ file: context.file, position: patternEntry.node.position, keyPath: `${path}.pattern`, message: 'a pattern needs a kind', expected: 'e.g. {kind: unstructured, density: 0.2}' });
  }
  const formatEntry = operandMap.entries.get('format');
  const spec: OperandSparsity = { pattern: atPosition(patternEntry.node, () => validatePatternSpec(pattern, context.file, `${path}.pattern`)) };
  if (formatEntry) spec.format = expectString(formatEntry.node, context, `${path}.format`);
  const paramsEntry = operandMap.entries.get('format_params');
  if (paramsEntry) spec.formatParams = plainData(paramsEntry.node, context, `${path}.format_params`) as Record<string, unknown>;
  const declaredBits = spec.formatParams?.valueBits;
  if (operand && declaredBits !== undefined) {
    const { op, name } = operand;
    const operandDtype = name === 'weight' ? (op.weightDtype ?? op.dtype) : op.dtype;
    if (declaredBits !== DATATYPE_BITS[operandDtype]) {
      const node = paramsEntry!.node.kind === 'map' ? (paramsEntry!.node.entries.get('valueBits')?.node ?? paramsEntry!.node) : paramsEntry!.node;
      throw inputError({
        file: context.file,
        position: node.position,
        keyPath: `${path}.format_params.valueBits`,
        message: `valueBits ${String(declaredBits)} contradicts the ${name} datatype ${operandDtype} (${DATATYPE_BITS[operandDtype]} bits)`,
        expected: `${DATATYPE_BITS[operandDtype]}, or set ${name === 'weight' ? 'weight_dtype' : 'dtype'} to the stored datatype (e.g. weight_dtype: int4 for 4-bit values)`,
      });
    }
  }
  if (spec.format) {
    const formatNode = formatEntry!.node;
    const parsed = atPosition(formatNode, () => parseFormatName(spec.format!, context.file, `${path}.format`));
    atPosition(paramsEntry?.node ?? formatNode, () => validateFormatSpec({ ...parsed.params, ...spec.formatParams, kind: parsed.id }, context.file, `${path}.format_params`));
    const representable = parsed.format.canRepresent(spec.pattern, { ...parsed.params, ...spec.formatParams });
    if (representable !== true) {
      throw inputError({ file: context.file, position: formatNode.position, keyPath: `${path}.format`, message: `${spec.format} storage cannot represent this pattern: ${representable}`, hint: 'choose a format that fits the pattern (e.g. csr or bitmap for unstructured sparsity)' });
    }
  }
  return spec;
}

/**
 * `pattern: { npy: file }` / `{ mtx: file }`: the operand's mask from a file, checked against the
 * operand's shape (weight [N × K], input [M × K]) with the position of the file name.
 */
function maskFileOf(node: SpecNode, context: ResolveContext, keyPath: string, op: GemmOperator, operand: 'input' | 'weight', readMask?: MaskReader): OperandSparsity['pattern'] | undefined {
  if (node.kind !== 'map' || node.entries.has('kind')) return undefined;
  const kind = node.entries.has('npy') ? 'npy' : node.entries.has('mtx') ? 'mtx' : undefined;
  if (!kind) return undefined;
  rejectUnknownKeys(node, [kind], context, keyPath);
  const entry = node.entries.get(kind)!;
  const path = `${keyPath}.${kind}`;
  const name = expectString(entry.node, context, path);
  if (!readMask) throw inputError({ file: context.file, position: entry.node.position, keyPath: path, message: 'mask files cannot be read in this context' });
  const { file, mask } = readMask(name, kind, { file: context.file, keyPath: path, position: entry.node.position });
  const rows = operand === 'weight' ? op.n : op.m;
  if (mask.rows !== rows || mask.cols !== op.k) {
    throw inputError({
      file: context.file,
      position: entry.node.position,
      keyPath: path,
      message: `mask ${file} is ${mask.rows} x ${mask.cols} but the ${operand} operand is ${rows} x ${op.k} (${operand === 'weight' ? 'N x K' : 'M x K'})`,
      expected: `a ${rows} x ${op.k} mask${mask.rows === op.k && mask.cols === rows ? ' (this one is transposed)' : ''}`,
    });
  }
  return { kind: 'mask', mask } as unknown as OperandSparsity['pattern'];
}

/** Runs a validator from src/sparsity and gives its errors the position of the node it checked. */
function atPosition<T>(node: SpecNode, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.issues.map((issue) => ({ ...issue, position: issue.position ?? node.position })));
    throw error;
  }
}

/** Plain data with numbers and expressions resolved (numbers in patterns may use parameters). */
function plainData(node: SpecNode, context: ResolveContext, keyPath: string): unknown {
  if (node.kind === 'seq') return node.items.map((item, i) => plainData(item, context, `${keyPath}[${i}]`));
  if (node.kind === 'map') {
    const out: Record<string, unknown> = {};
    for (const [key, { node: child }] of node.entries) out[key] = plainData(child, context, `${keyPath}.${key}`);
    return out;
  }
  if (typeof node.value === 'string' && context.scope.has(node.value)) return context.scope.get(node.value)!.value;
  return node.value;
}

function matrixSource(node: SpecNode, keyPath: string, context: ResolveContext, readMatrix?: MatrixReader): MatrixSource {
  const map: MapNode = expectMap(node, context, keyPath, 'one of {mtx: file}, {rmat: {...}}, {uniform: {...}}, {banded: {...}}');
  const kinds = ['mtx', 'rmat', 'uniform', 'banded'];
  rejectUnknownKeys(map, kinds, context, keyPath);
  if (map.entries.size !== 1) throw inputError({ file: context.file, position: map.position, keyPath, message: 'a matrix source has exactly one kind', expected: kinds.join(', ') });
  const [kind, { node: child }] = [...map.entries][0];
  const path = `${keyPath}.${kind}`;
  if (kind === 'mtx') {
    const relative = expectString(child, context, path);
    if (!readMatrix) throw inputError({ file: context.file, position: child.position, keyPath: path, message: 'matrix files cannot be read in this context' });
    const { file, matrix } = readMatrix(relative, { file: context.file, keyPath: path, position: child.position });
    return { kind: 'mtx', file, matrix };
  }
  const childMap = expectMap(child, context, path, `the ${kind} generator's parameters`);
  // Generated matrices use 32-bit indices, so rows and columns stay below 2^31.
  const int = (key: string, description: string, extra: Record<string, unknown> = {}): ParamDecl => ({ key, type: 'integer', min: 1, max: 2 ** 31 - 1, description, ...extra }) as ParamDecl;
  const fraction = (key: string, description: string, defaultValue?: number): ParamDecl => ({ key, type: 'quantity', dimension: 'dimensionless', min: 0, max: 1, description, default: defaultValue === undefined ? undefined : String(defaultValue) });
  if (kind === 'rmat') {
    // Graph500 defaults (a, b, c) = (0.57, 0.19, 0.19), edge factor 16.
    const v = resolveDeclared(childMap, [int('scale', 'log2 of the number of vertices', { max: 26 }), int('edge_factor', 'edges per vertex', { default: 16, max: 2 ** 16 }), fraction('a', 'R-MAT a', 0.57), fraction('b', 'R-MAT b', 0.19), fraction('c', 'R-MAT c', 0.19)], context, path);
    return { kind: 'rmat', scale: v.scale as number, edgeFactor: v.edge_factor as number, a: v.a as number, b: v.b as number, c: v.c as number };
  }
  if (kind === 'uniform') {
    const v = resolveDeclared(childMap, [int('rows', 'rows'), int('cols', 'columns'), fraction('density', 'fraction of nonzeros')], context, path);
    return { kind: 'uniform', rows: v.rows as number, cols: v.cols as number, density: v.density as number };
  }
  const v = resolveDeclared(childMap, [int('rows', 'rows (= columns)'), { key: 'half_bandwidth', type: 'integer', min: 0, max: 2 ** 31 - 1, description: 'nonzeros per side of the diagonal' }], context, path);
  return { kind: 'banded', rows: v.rows as number, halfBandwidth: v.half_bandwidth as number };
}
