// The LLM keys of a workload file: `serving` (the request: phase, batch, prompt/context/output),
// and for workloads generated from a model configuration `model` (a config.json path or an inline
// mapping), `weights` and `kv_cache` (sparsity, format, KV dtype) and `parallel` (tensor
// parallelism and its interconnect). Errors carry positions like every other spec error.

import { DATATYPE_BITS, type Datatype, type OperandSparsity } from '../core/types.js';
import { inputError } from '../spec/errors.js';
import type { ParamDecl } from '../spec/params.js';
import { expectMap, expectString, resolveDeclared, resolveParam, type MapNode, type ResolveContext } from '../spec/resolve.js';
import type { SpecNode } from '../spec/yaml-source.js';
import { operandSparsityFromTree } from '../spec/load-workload.js';
import { modelConfigFromTree, type ModelConfig } from './model-config.js';
import type { InterconnectSpec, ModelWorkload, ParallelSpec, ServingSpec } from './types.js';
import { recordServingPosition } from './positions.js';

/** Reads a model configuration named in a workload (path relative to the workload file) into a positioned tree. */
export type ModelReader = (path: string, from: { file: string; keyPath: string; position: SpecNode['position'] }) => { file: string; root: SpecNode };

const count = (key: string, description: string): ParamDecl => ({ key, type: 'integer', min: 0, default: 0, description });

export const SERVING_PARAMS: readonly ParamDecl[] = [
  { key: 'phase', type: 'enum', choices: ['prefill', 'decode', 'generation'], description: 'What the workload stands for: a prefill, one decode step, or a whole generation' },
  { key: 'batch', type: 'integer', min: 1, default: 1, description: 'Sequences served together' },
  count('prompt', 'Prompt tokens per sequence (prefill, generation)'),
  count('context', 'KV-cache length one decode step attends to, incl. the new token (decode)'),
  count('output', 'Output tokens per sequence, the first from the prefill (generation)'),
];

/** Interconnect presets. Bandwidth is per device, one direction. */
export const INTERCONNECTS: Record<string, InterconnectSpec> = {
  nvlink3: { name: 'nvlink3', bandwidth: 300e9, latency: 3e-6, energyPerBit: 5e-12, source: '[T] A100 datasheet: NVLink 600 GB/s bidirectional per GPU (12 links x 25 GB/s each way); α 3 µs and 5 pJ/bit [A]' },
  nvlink4: { name: 'nvlink4', bandwidth: 450e9, latency: 3e-6, energyPerBit: 5e-12, source: '[T] H100 SXM datasheet: NVLink 900 GB/s bidirectional per GPU; α 3 µs and 5 pJ/bit [A]' },
  pcie4: { name: 'pcie4', bandwidth: 25e9, latency: 10e-6, energyPerBit: 10e-12, source: '[T] PCIe 4.0 x16 31.5 GB/s raw each way, ~25 GB/s achieved [R]; α 10 µs and 10 pJ/bit [A]' },
  'qsfp28-100g': { name: 'qsfp28-100g', bandwidth: 12.5e9, latency: 2e-6, energyPerBit: 10e-12, source: '[T] Alveo U280: 2 x QSFP28 100 GbE, one port per ring direction = 12.5 GB/s; α 2 µs and 10 pJ/bit [A]' },
  ideal: { name: 'ideal', bandwidth: Infinity, latency: 0, energyPerBit: 0, source: 'zero-cost interconnect (for isolating compute effects)' },
};

const INTERCONNECT_PARAMS: readonly ParamDecl[] = [
  { key: 'name', type: 'string', default: 'interconnect', description: 'Name of the link (used as the traffic level)' },
  { key: 'bandwidth', type: 'quantity', dimension: 'bandwidth', positive: true, description: 'Per-device injection bandwidth, one direction' },
  { key: 'latency', type: 'quantity', dimension: 'time', min: 0, default: '0 s', description: 'Per-message latency α' },
  { key: 'energy_per_bit', type: 'quantity', dimension: 'energy-per-bit', min: 0, default: '0 pJ/bit', description: 'Energy per bit sent' },
  { key: 'source', type: 'string', description: 'Where the figures come from' },
];

export function servingFromTree(node: SpecNode, context: ResolveContext): ServingSpec {
  const map = expectMap(node, context, 'serving', 'a mapping with phase, batch and prompt/context/output');
  const v = resolveDeclared(map, SERVING_PARAMS, context, 'serving');
  const spec: ServingSpec = { phase: v.phase as ServingSpec['phase'], batch: v.batch as number, prompt: v.prompt as number, context: v.context as number, output: v.output as number };
  const need = (key: 'prompt' | 'context' | 'output') => {
    if (spec[key] < 1) throw inputError({ file: context.file, position: map.entries.get(key)?.node.position ?? map.position, keyPath: `serving.${key}`, message: `a ${spec.phase} workload needs ${key} >= 1`, expected: (SERVING_PARAMS.find((d) => d.key === key) as ParamDecl).description });
  };
  if (spec.phase === 'decode') need('context');
  if (spec.phase === 'prefill' || spec.phase === 'generation') need('prompt');
  if (spec.phase === 'generation') need('output');
  recordServingPosition(spec, map.position);
  return spec;
}

/** The model, precision and parallelism of a model-generated workload. */
export function modelWorkloadFromTree(map: MapNode, context: ResolveContext, dtype: Datatype, serving: ServingSpec, readModel?: ModelReader): { model: ModelWorkload; parallel?: ParallelSpec } {
  const modelEntry = map.entries.get('model')!;
  let config: ModelConfig;
  if (modelEntry.node.kind === 'map') config = modelConfigFromTree(modelEntry.node, context.file);
  else {
    const path = expectString(modelEntry.node, context, 'model');
    if (!readModel) throw inputError({ file: context.file, position: modelEntry.node.position, keyPath: 'model', message: 'model files cannot be read in this context', hint: 'inline the configuration as a mapping' });
    const { file, root } = readModel(path, { file: context.file, keyPath: 'model', position: modelEntry.node.position });
    config = modelConfigFromTree(root, file);
  }
  const weightsEntry = map.entries.get('weights');
  const weightSparsity = weightsEntry ? operandSparsityFromTree(weightsEntry.node, 'weights', context) : undefined;
  let kvDtype: Datatype | undefined;
  let kvSparsity: OperandSparsity | undefined;
  const kvEntry = map.entries.get('kv_cache');
  if (kvEntry) {
    const kvMap = expectMap(kvEntry.node, context, 'kv_cache', 'a mapping with dtype and/or pattern, format');
    const dtypeEntry = kvMap.entries.get('dtype');
    if (dtypeEntry) kvDtype = resolveParam({ key: 'dtype', type: 'enum', choices: Object.keys(DATATYPE_BITS), description: 'KV-cache datatype' }, dtypeEntry.node, context, 'kv_cache.dtype') as Datatype;
    if (kvMap.entries.has('pattern')) kvSparsity = operandSparsityFromTree(kvEntry.node, 'kv_cache', context, ['dtype']);
    else if (kvMap.entries.size > (dtypeEntry ? 1 : 0)) operandSparsityFromTree(kvEntry.node, 'kv_cache', context, ['dtype']); // reports the missing pattern / unknown key
  }
  const parallel = map.entries.has('parallel') ? parallelFromTree(map.entries.get('parallel')!.node, context, config) : undefined;
  const tensorParallel = parallel?.tensor ?? 1;
  const pipelineParallel = parallel?.pipeline ?? 1;
  if (serving.batch % pipelineParallel !== 0) {
    throw inputError({ file: context.file, position: map.entries.get('serving')!.node.position, keyPath: 'serving.batch', message: `batch ${serving.batch} does not split into ${pipelineParallel} pipeline micro-batches`, expected: 'a multiple of parallel.pipeline' });
  }
  const longest = serving.phase === 'generation' ? serving.prompt + serving.output - 1 : Math.max(serving.prompt, serving.context);
  if (longest > config.maxPositions) {
    throw inputError({ file: context.file, position: map.entries.get('serving')!.node.position, keyPath: 'serving', message: `the request reaches ${longest} positions but the model supports ${config.maxPositions} (max_position_embeddings in ${config.file})` });
  }
  return { model: { config, choices: { dtype, weightSparsity, kvDtype, kvSparsity, tensorParallel, pipelineParallel } }, parallel };
}

function parallelFromTree(node: SpecNode, context: ResolveContext, config: ModelConfig): ParallelSpec {
  const map = expectMap(node, context, 'parallel', 'a mapping with tensor and interconnect');
  const v = resolveDeclared(
    map,
    [
      { key: 'tensor', type: 'integer', min: 1, max: 1024, default: 1, description: 'Tensor-parallel devices' },
      { key: 'pipeline', type: 'integer', min: 1, max: 1024, default: 1, description: 'Pipeline stages (devices holding consecutive layers)' },
    ],
    context,
    'parallel',
    ['interconnect'],
  );
  const tensor = v.tensor as number;
  const pipeline = v.pipeline as number;
  if (config.layers % pipeline !== 0) {
    throw inputError({ file: context.file, position: map.entries.get('pipeline')?.node.position ?? map.position, keyPath: 'parallel.pipeline', message: `${pipeline} stages do not divide the ${config.layers} layers of ${config.file}`, expected: 'a divisor of num_hidden_layers' });
  }
  const at = { file: context.file, position: map.entries.get('tensor')?.node.position ?? map.position, keyPath: 'parallel.tensor' };
  for (const [what, size] of [['num_attention_heads', config.heads], ['intermediate size', config.intermediate]] as const) {
    if (size % tensor !== 0) throw inputError({ ...at, message: `${tensor} devices do not divide the ${size} ${what} of ${config.file}`, expected: 'a divisor of the head count and the FFN width' });
  }
  if (config.kvHeads % tensor !== 0 && tensor % config.kvHeads !== 0) throw inputError({ ...at, message: `${tensor} devices and ${config.kvHeads} KV heads: neither divides the other` });
  const linkEntry = map.entries.get('interconnect');
  if (!linkEntry) {
    if (tensor * pipeline > 1) throw inputError({ file: context.file, position: map.position, keyPath: 'parallel.interconnect', message: 'missing required key', expected: `a preset (${Object.keys(INTERCONNECTS).join(', ')}) or {bandwidth, latency, energy_per_bit, source}` });
    return { tensor, pipeline, interconnect: INTERCONNECTS.ideal };
  }
  if (linkEntry.node.kind === 'scalar') {
    const name = expectString(linkEntry.node, context, 'parallel.interconnect');
    const preset = INTERCONNECTS[name];
    if (!preset) throw inputError({ file: context.file, position: linkEntry.node.position, keyPath: 'parallel.interconnect', message: `unknown interconnect '${name}'`, expected: `one of ${Object.keys(INTERCONNECTS).join(', ')}` });
    return { tensor, pipeline, interconnect: preset };
  }
  const link = resolveDeclared(expectMap(linkEntry.node, context, 'parallel.interconnect', 'a mapping'), INTERCONNECT_PARAMS, context, 'parallel.interconnect');
  return {
    tensor,
    pipeline,
    interconnect: { name: link.name as string, bandwidth: link.bandwidth as number, latency: link.latency as number, energyPerBit: link.energy_per_bit as number, source: link.source as string },
  };
}
