// Timeloop inputs (v0.3 and v0.4 YAML: architecture, problem, mapping, energy reference table) →
// native spatial-family architecture and workload YAML. Files come in any order and are recognised
// by their top-level keys. Everything not supported is a positioned error, never silently dropped.

import { didYouMean, inputError, type SourcePosition } from '../spec/errors.js';
import { parseSpecText, type SpecNode } from '../spec/yaml-source.js';

export interface TimeloopInput {
  file: string;
  text: string;
}

export interface TimeloopImport {
  archYaml: string;
  workloadYaml: string;
  /** Native tensor name of each Timeloop data space, and native dimension of each Timeloop dimension. */
  tensorNames: Record<string, string>;
  dimNames: Record<string, string>;
}

type MapNode = Extract<SpecNode, { kind: 'map' }>;
interface Located { file: string; node: SpecNode }

const KNOWN_TOP = ['architecture', 'problem', 'mapping', 'ERT', 'sparse_optimizations', 'ART', 'mapper', 'mapspace', 'mapspace_constraints', 'architecture_constraints', 'constraints', 'globals', 'variables', 'model', 'compound_components'];
const IGNORED_TOP = ['ART', 'globals', 'variables', 'model', 'compound_components'];
const COMPUTE_CLASSES = ['mac', 'intmac', 'fpmac', 'compute'];

const fail = (file: string, node: { position: SourcePosition } | undefined, keyPath: string, message: string, expected?: string, hint?: string) =>
  inputError({ file, position: node?.position, keyPath, message, expected, hint });

function asMap(file: string, node: SpecNode, keyPath: string, what: string): MapNode {
  if (node.kind !== 'map') throw fail(file, node, keyPath, `found a ${node.kind}`, what);
  return node;
}
function asSeq(file: string, node: SpecNode, keyPath: string, what: string): SpecNode[] {
  if (node.kind !== 'seq') throw fail(file, node, keyPath, `found a ${node.kind}`, what);
  return node.items;
}
function scalar(node: SpecNode | undefined): string | number | boolean | null | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}
function get(map: MapNode, ...keys: string[]): SpecNode | undefined {
  for (const key of keys) {
    const entry = map.entries.get(key);
    if (entry) return entry.node;
  }
  return undefined;
}
function num(file: string, map: MapNode, keyPath: string, ...keys: string[]): number | undefined {
  const node = get(map, ...keys);
  if (!node) return undefined;
  const value = scalar(node);
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw fail(file, node, `${keyPath}.${keys[0]}`, `'${String(value)}' is not a number`, 'a number');
  return n;
}

/** Sorts the files' top-level sections; a section given twice is an error at the second one. */
function sections(inputs: readonly TimeloopInput[]): Record<string, Located> {
  const found: Record<string, Located> = {};
  for (const input of inputs) {
    const { root } = parseSpecText(input.text, input.file, { localTags: 'ignore' });
    const map = asMap(input.file, root, '', 'a Timeloop YAML file (architecture, problem, mapping, ERT, ...)');
    for (const [key, { keyPosition, node }] of map.entries) {
      if (!KNOWN_TOP.includes(key)) throw inputError({ file: input.file, position: keyPosition, keyPath: key, message: `unknown Timeloop section '${key}'`, expected: 'architecture, problem, mapping, ERT or sparse_optimizations', hint: didYouMean(key, KNOWN_TOP) });
      if (IGNORED_TOP.includes(key)) continue;
      if (found[key]) throw inputError({ file: input.file, position: keyPosition, keyPath: key, message: `a second '${key}' section (the first is in ${found[key].file})` });
      found[key] = { file: input.file, node };
    }
  }
  return found;
}

interface Component {
  name: string;
  className: string;
  attributes: MapNode;
  instances: number;
  meshX?: number;
  file: string;
  node: SpecNode;
}

/** `PE[0..15]` → 16 instances of `PE`. */
function multiplicity(name: string): { base: string; count: number } {
  const match = /^(.*)\[(\d+)\.\.(\d+)\]$/.exec(name);
  return match ? { base: match[1], count: Number(match[3]) - Number(match[2]) + 1 } : { base: name, count: 1 };
}

function architectureComponents(located: Located): Component[] {
  const { file } = located;
  const root = asMap(file, located.node, 'architecture', 'an architecture with version and subtree (v0.3) or nodes (v0.4)');
  const out: Component[] = [];
  const component = (node: SpecNode, keyPath: string, instancesAbove: number, meshXAbove: number | undefined): void => {
    const map = asMap(file, node, keyPath, 'a component {name, class, attributes}');
    const rawName = String(scalar(get(map, 'name')) ?? '');
    const { base, count } = multiplicity(rawName);
    const className = String(scalar(get(map, 'class', 'subclass')) ?? '');
    const attributes = get(map, 'attributes');
    const attrs: MapNode = attributes ? asMap(file, attributes, `${keyPath}.attributes`, 'a mapping of attributes') : { kind: 'map', position: map.position, entries: new Map() };
    const instances = num(file, attrs, `${keyPath}.attributes`, 'instances') ?? instancesAbove * count;
    const meshX = num(file, attrs, `${keyPath}.attributes`, 'meshX') ?? meshXAbove;
    out.push({ name: base, className, attributes: attrs, instances, meshX, file, node });
  };
  const version = String(scalar(get(root, 'version')) ?? '0.3');
  if (version.startsWith('0.4')) {
    // v0.4: a flat list of containers (with spatial fan-out) and components, outermost first.
    let instances = 1;
    let meshX: number | undefined;
    asSeq(file, get(root, 'nodes') ?? root, 'architecture.nodes', 'a list of nodes').forEach((node, index) => {
      const map = asMap(file, node, `architecture.nodes[${index}]`, 'a container or component');
      const spatial = get(map, 'spatial');
      if (spatial) {
        const s = asMap(file, spatial, `architecture.nodes[${index}].spatial`, 'meshX and meshY');
        const x = num(file, s, `architecture.nodes[${index}].spatial`, 'meshX') ?? 1;
        const y = num(file, s, `architecture.nodes[${index}].spatial`, 'meshY') ?? 1;
        meshX = (meshX ?? 1) * x;
        instances *= x * y;
      }
      if (get(map, 'class')) component(node, `architecture.nodes[${index}]`, instances, meshX);
    });
    return out;
  }
  const walk = (node: SpecNode, keyPath: string, instancesAbove: number, meshXAbove: number | undefined): void => {
    const map = asMap(file, node, keyPath, 'a subtree {name, local, subtree}');
    const { count } = multiplicity(String(scalar(get(map, 'name')) ?? ''));
    const instances = instancesAbove * count;
    const local = get(map, 'local');
    let meshX = meshXAbove;
    if (local) {
      asSeq(file, local, `${keyPath}.local`, 'a list of components').forEach((c, i) => {
        component(c, `${keyPath}.local[${i}]`, instances, meshXAbove);
        meshX = out[out.length - 1].meshX;
      });
    }
    const subtree = get(map, 'subtree');
    if (subtree) asSeq(file, subtree, `${keyPath}.subtree`, 'a list of subtrees').forEach((s, i) => walk(s, `${keyPath}.subtree[${i}]`, instances, meshX));
  };
  const top = get(root, 'subtree');
  if (!top) throw fail(file, root, 'architecture.subtree', 'missing', 'a subtree list (v0.3) or version: 0.4 with nodes');
  asSeq(file, top, 'architecture.subtree', 'a list of subtrees').forEach((s, i) => walk(s, `architecture.subtree[${i}]`, 1, undefined));
  return out;
}

/** ERT energies (pJ per vector action) by component name, with Timeloop's action-name fallbacks. */
function energyTable(located: Located | undefined): Map<string, Map<string, number>> {
  const table = new Map<string, Map<string, number>>();
  if (!located) return table;
  const { file } = located;
  const root = asMap(file, located.node, 'ERT', 'an ERT with tables');
  asSeq(file, get(root, 'tables') ?? root, 'ERT.tables', 'a list of tables').forEach((t, i) => {
    const map = asMap(file, t, `ERT.tables[${i}]`, 'a table {name, actions}');
    const fullName = String(scalar(get(map, 'name')) ?? '');
    const name = multiplicity(fullName.split('.').pop() ?? fullName).base;
    const actions = new Map<string, number>();
    asSeq(file, get(map, 'actions') ?? map, `ERT.tables[${i}].actions`, 'a list of actions').forEach((a, j) => {
      const action = asMap(file, a, `ERT.tables[${i}].actions[${j}]`, 'an action {name, energy}');
      const energy = num(file, action, `ERT.tables[${i}].actions[${j}]`, 'energy');
      if (energy === undefined) throw fail(file, action, `ERT.tables[${i}].actions[${j}].energy`, 'missing', 'an energy in pJ (ERT entries with arguments are not supported)');
      actions.set(String(scalar(get(action, 'name'))), energy);
    });
    table.set(name, actions);
  });
  return table;
}

/** The first ERT action present from Timeloop's priority list for a model action. */
function pick(actions: Map<string, number> | undefined, names: string[]): number {
  for (const name of names) if (actions?.has(name)) return actions.get(name)!;
  return 0;
}

interface TlProblem {
  dims: string[];
  bounds: Record<string, number>;
  spaces: { name: string; ranks: { dim: string; coefficient: number }[][]; readWrite: boolean; node: SpecNode }[];
  file: string;
  node: SpecNode;
}

function parseProblem(located: Located): TlProblem {
  const { file } = located;
  const root = asMap(file, located.node, 'problem', 'a problem with shape and instance');
  const shapeNode = get(root, 'shape');
  const instanceNode = get(root, 'instance');
  if (!shapeNode || !instanceNode) throw fail(file, root, 'problem', 'missing shape or instance', 'problem.shape and problem.instance');
  const shape = asMap(file, shapeNode, 'problem.shape', 'a shape');
  const instance = asMap(file, instanceNode, 'problem.instance', 'dimension bounds');
  const dims = asSeq(file, get(shape, 'dimensions') ?? shape, 'problem.shape.dimensions', 'a list of dimension names').map((d) => String(scalar(d)));
  const coefficients: Record<string, number> = {};
  const coefNode = get(shape, 'coefficients');
  if (coefNode) for (const c of asSeq(file, coefNode, 'problem.shape.coefficients', 'a list')) {
    const m = asMap(file, c, 'problem.shape.coefficients', '{name, default}');
    coefficients[String(scalar(get(m, 'name')))] = Number(scalar(get(m, 'default')) ?? 1);
  }
  const bounds: Record<string, number> = {};
  for (const [key, { node }] of instance.entries) {
    const value = Number(scalar(node));
    if (key in coefficients) coefficients[key] = value;
    else if (dims.includes(key)) bounds[key] = value;
    else if (key !== 'densities') throw fail(file, node, `problem.instance.${key}`, `unknown dimension or coefficient '${key}'`, dims.join(', '), didYouMean(key, dims));
    else throw fail(file, node, 'problem.instance.densities', 'problem densities (sparse workloads) are not supported by the import yet');
  }
  for (const d of dims) bounds[d] ??= 1;
  const spacesNode = get(shape, 'data-spaces', 'data_spaces');
  if (!spacesNode) throw fail(file, shape, 'problem.shape.data-spaces', 'missing', 'a list of data spaces');
  const spaces = asSeq(file, spacesNode, 'problem.shape.data-spaces', 'a list').map((s, i) => {
    const m = asMap(file, s, `problem.shape.data-spaces[${i}]`, '{name, projection, read-write}');
    const ranks = asSeq(file, get(m, 'projection') ?? m, `problem.shape.data-spaces[${i}].projection`, 'a list of ranks').map((rank) =>
      asSeq(file, rank, `problem.shape.data-spaces[${i}].projection`, 'a list of [dimension, coefficient] terms').map((termNode) => {
        const parts = asSeq(file, termNode, `problem.shape.data-spaces[${i}].projection`, '[dimension] or [dimension, coefficient]').map((p) => String(scalar(p)));
        const dim = parts.find((p) => dims.includes(p));
        if (!dim) throw fail(file, termNode, `problem.shape.data-spaces[${i}].projection`, `no dimension in term [${parts.join(', ')}]`, dims.join(', '));
        const coef = parts.filter((p) => p !== dim).reduce((a, p) => a * (coefficients[p] ?? Number(p)), 1);
        return { dim, coefficient: coef };
      }),
    );
    const rw = scalar(get(m, 'read-write', 'read_write'));
    return { name: String(scalar(get(m, 'name'))), ranks, readWrite: rw === true || rw === 'True' || rw === 'true', node: s };
  });
  return { dims, bounds, spaces, file, node: located.node };
}

/** Recognises GEMM, batched GEMM and 2-D convolution and names dimensions and tensors natively. */
function recognise(p: TlProblem): { operator: Record<string, number | string>; dimNames: Record<string, string>; tensorNames: Record<string, string> } {
  const unsupported = (why: string) => fail(p.file, p.node, 'problem.shape', `this problem shape is not supported: ${why}`, 'a GEMM (3 dimensions, 2 inputs + 1 read-write output), a batched GEMM or a 2-D convolution (7 dimensions)');
  const outputs = p.spaces.filter((s) => s.readWrite);
  if (outputs.length !== 1 || p.spaces.length !== 3) throw unsupported('expected two read-only data spaces and one read-write one');
  const output = outputs[0];
  const inputsRO = p.spaces.filter((s) => !s.readWrite);
  const dimsOf = (s: TlProblem['spaces'][number]) => new Set(s.ranks.flat().map((t) => t.dim));
  const outDims = dimsOf(output);
  const simple = p.spaces.every((s) => s.ranks.every((r) => r.length === 1 && r[0].coefficient === 1));
  if (simple && (p.dims.length === 3 || p.dims.length === 4)) {
    const shared = p.dims.filter((d) => p.spaces.every((s) => dimsOf(s).has(d)));
    if (shared.length !== p.dims.length - 3) throw unsupported('the dimensions do not form a (batched) GEMM');
    const reduction = p.dims.filter((d) => !outDims.has(d));
    if (reduction.length !== 1) throw unsupported('a GEMM has exactly one reduction dimension');
    const k = reduction[0];
    const [a, b] = inputsRO;
    const m = [...dimsOf(a)].find((d) => d !== k && !shared.includes(d));
    const n = [...dimsOf(b)].find((d) => d !== k && !shared.includes(d));
    if (!m || !n) throw unsupported('the inputs do not each hold one output dimension');
    const dimNames: Record<string, string> = { [m]: 'M', [n]: 'N', [k]: 'K' };
    const operator: Record<string, number | string> = { kind: 'gemm', m: p.bounds[m], n: p.bounds[n], k: p.bounds[k] };
    if (shared.length) {
      dimNames[shared[0]] = 'B';
      operator.kind = 'batched_matmul';
      operator.batch = p.bounds[shared[0]];
    }
    return { operator, dimNames, tensorNames: { [a.name]: 'input', [b.name]: 'weight', [output.name]: 'output' } };
  }
  if (p.dims.length === 7) {
    const sliding = inputsRO.find((s) => s.ranks.some((r) => r.length === 2));
    const weight = inputsRO.find((s) => s !== sliding);
    if (!sliding || !weight) throw unsupported('no input with sliding-window ranks');
    const windows = sliding.ranks.filter((r) => r.length === 2);
    if (windows.length !== 2) throw unsupported('expected two sliding-window ranks (rows and columns)');
    // Each window rank is output-position × stride + filter-position (× dilation).
    const [pT, rT] = [windows[0].find((t) => outDims.has(t.dim)), windows[0].find((t) => !outDims.has(t.dim))];
    const [colOut, colFilter] = [windows[1].find((t) => outDims.has(t.dim)), windows[1].find((t) => !outDims.has(t.dim))];
    if (!pT || !rT || !colOut || !colFilter) throw unsupported('sliding-window ranks must combine an output and a filter dimension');
    if (rT.coefficient !== 1 || colFilter.coefficient !== 1) throw unsupported('dilation > 1');
    if (pT.coefficient !== colOut.coefficient) throw unsupported('different row and column strides');
    const batch = p.dims.find((d) => outDims.has(d) && dimsOf(sliding).has(d) && !dimsOf(weight).has(d));
    const outChannels = p.dims.find((d) => outDims.has(d) && dimsOf(weight).has(d));
    const inChannels = p.dims.find((d) => !outDims.has(d) && dimsOf(weight).has(d) && dimsOf(sliding).has(d) && d !== rT.dim && d !== colFilter.dim);
    if (!batch || !outChannels || !inChannels) throw unsupported('cannot identify batch, input and output channels');
    const stride = pT.coefficient;
    const P = p.bounds[pT.dim], Q = p.bounds[colOut.dim], R = p.bounds[rT.dim], S = p.bounds[colFilter.dim];
    return {
      operator: { kind: 'conv2d', batch: p.bounds[batch], in_h: (P - 1) * stride + R, in_w: (Q - 1) * stride + S, in_c: p.bounds[inChannels], out_c: p.bounds[outChannels], kernel_h: R, kernel_w: S, stride, padding: 0 },
      dimNames: { [batch]: 'N', [outChannels]: 'K', [inChannels]: 'C', [pT.dim]: 'P', [colOut.dim]: 'Q', [rT.dim]: 'R', [colFilter.dim]: 'S' },
      tensorNames: { [sliding.name]: 'input', [weight.name]: 'weight', [output.name]: 'output' },
    };
  }
  throw unsupported(`${p.dims.length} dimensions`);
}

function parseFactors(file: string, node: SpecNode, keyPath: string, dims: Record<string, string>, allowRest: boolean): [string, number][] {
  const text = String(scalar(node) ?? '');
  return text.split(/\s+/).filter(Boolean).map((token) => {
    const match = /^(\w+)=(\d+)$/.exec(token);
    if (!match) throw fail(file, node, keyPath, `'${token}' is not a factor`, 'DIM=FACTOR');
    if (!dims[match[1]]) throw fail(file, node, keyPath, `unknown dimension '${match[1]}'`, Object.keys(dims).join(', '), didYouMean(match[1], Object.keys(dims)));
    if (Number(match[2]) === 0 && !allowRest) throw fail(file, node, keyPath, `factor 0 (Timeloop's "rest of the bound") is only allowed in constraints`, 'explicit factors');
    return [dims[match[1]], Number(match[2])] as [string, number];
  });
}

export function importTimeloop(inputs: readonly TimeloopInput[]): TimeloopImport {
  const found = sections(inputs);
  for (const key of ['architecture', 'problem']) {
    if (!found[key]) throw inputError({ file: inputs.map((i) => i.file).join(', '), keyPath: key, message: `no file has a '${key}' section`, expected: 'architecture and problem files, a mapping (or mapper settings) and optionally an ERT' });
  }
  if (found.sparse_optimizations) throw fail(found.sparse_optimizations.file, found.sparse_optimizations.node, 'sparse_optimizations', "'sparse_optimizations' is not supported by the import yet", 'dense timeloop-model inputs (architecture, problem, mapping, ERT)');
  const components = architectureComponents(found.architecture);
  const ert = energyTable(found.ERT);
  const problem = parseProblem(found.problem);
  const { operator, dimNames, tensorNames } = recognise(problem);
  const computeIndex = components.findIndex((c) => COMPUTE_CLASSES.includes(c.className));
  if (computeIndex !== components.length - 1) {
    const c = components[computeIndex >= 0 ? computeIndex : components.length - 1];
    throw fail(c.file, c.node, 'architecture', computeIndex < 0 ? 'no compute component (class mac, intmac, fpmac or compute)' : `components after the compute unit ${c.name} are not supported`, 'storage levels outermost first, then one compute level');
  }
  const storage = components.slice(0, -1);
  const compute = components[computeIndex];
  const lines: string[] = [
    '# Imported from Timeloop inputs by `accsim import timeloop`:',
    ...inputs.map((i) => `#   ${i.file}`),
    'family: spatial',
    `name: ${JSON.stringify(`Timeloop import (${inputs.map((i) => i.file.split('/').pop()).join(', ')})`)}`,
    'clock: 1 GHz   # Timeloop counts cycles only; 1 GHz as in its GFLOPs figure',
    'storage:',
  ];
  for (const c of storage) {
    const a = c.attributes;
    const keyPath = `architecture.${c.name}.attributes`;
    const wordBits = num(c.file, a, keyPath, 'datawidth', 'word-bits', 'word_bits') ?? 8;
    const width = num(c.file, a, keyPath, 'width', 'memory_width');
    const blockSize = num(c.file, a, keyPath, 'block_size', 'block-size', 'n_words') ?? (width ? width / wordBits : 1);
    if (!Number.isInteger(blockSize)) throw fail(c.file, get(a, 'width') ?? a, `${keyPath}.width`, `width ${width} is not a multiple of datawidth ${wordBits}`);
    const depth = num(c.file, a, keyPath, 'depth', 'memory_depth');
    const entries = num(c.file, a, keyPath, 'entries', 'size');
    const capacity = entries ?? (depth !== undefined ? depth * blockSize : undefined);
    const e = ert.get(c.name);
    if (found.ERT && !e) throw fail(found.ERT.file, found.ERT.node, 'ERT.tables', `no table for component ${c.name}`, ert.size ? [...ert.keys()].join(', ') : 'a table per component');
    lines.push(`  - name: ${c.name}`);
    lines.push(`    capacity: ${capacity === undefined || c.className === 'DRAM' ? 'unbounded' : capacity}`);
    lines.push(`    word_bits: ${wordBits}`, `    block_size: ${blockSize}`);
    for (const [tl, native] of [['read_bandwidth', 'read_bandwidth'], ['write_bandwidth', 'write_bandwidth'], ['shared_bandwidth', 'shared_bandwidth']]) {
      const value = num(c.file, a, keyPath, tl);
      if (value !== undefined) lines.push(`    ${native}: ${value}`);
    }
    const bandwidth = num(c.file, a, keyPath, 'bandwidth');
    if (bandwidth !== undefined) lines.push(`    read_bandwidth: ${bandwidth / 2}   # deprecated 'bandwidth': Timeloop splits it in halves`, `    write_bandwidth: ${bandwidth / 2}`);
    const buffering = num(c.file, a, keyPath, 'multiple_buffering');
    if (buffering !== undefined) lines.push(`    multiple_buffering: ${buffering}`);
    lines.push(`    instances: ${c.instances}`, `    mesh_x: ${c.meshX ?? c.instances}`);
    lines.push('    energy:   # per vector access, from the ERT (Timeloop action-name fallbacks)');
    lines.push(`      read: ${pick(e, ['random_read', 'read'])} pJ`);
    lines.push(`      write: ${pick(e, ['random_fill', 'write'])} pJ`);
    lines.push(`      update: ${pick(e, ['random_update', 'random_fill', 'write'])} pJ`);
    lines.push(`      metadata_read: ${pick(e, ['random_metadata_read', 'metadata_read'])} pJ`);
    lines.push(`      metadata_write: ${pick(e, ['random_metadata_fill', 'metadata_write'])} pJ`);
    lines.push(`      leak: ${pick(e, ['leak'])} pJ`);
  }
  const computeEnergy = ert.get(compute.name);
  const computeBits = num(compute.file, compute.attributes, `architecture.${compute.name}.attributes`, 'datawidth', 'word-bits') ?? 8;
  lines.push('compute:', `  name: ${compute.name}`, `  instances: ${compute.instances}`, `  mesh_x: ${compute.meshX ?? compute.instances}`, `  word_bits: ${computeBits}`);
  lines.push('  energy:', `    mac: ${pick(computeEnergy, ['mac_random', 'mult_random', 'mac', 'mult', 'compute'])} pJ`, `    gated: ${pick(computeEnergy, ['mac_gated', 'mult_gated', 'compute_gated', 'mac', 'mult', 'compute'])} pJ`);
  const levelNames = storage.map((c) => c.name);
  if (!found.mapping) {
    lines.push(...mapperSettings(found.mapper), ...constraintLines(found, levelNames, tensorNames, dimNames, problem.dims));
    return finish(lines, problem, operator, dimNames, tensorNames, computeBits);
  }
  lines.push('mapping:   # permutations outermost first (Timeloop lists them innermost first)');
  const mappingFile = found.mapping.file;
  const mappingRoot = found.mapping.node;
  const directives = mappingRoot.kind === 'map' ? (get(mappingRoot, 'mapping') ?? mappingRoot) : mappingRoot;
  asSeq(mappingFile, directives, 'mapping', 'a list of directives {target, type, factors, permutation}').forEach((d, i) => {
    lines.push(`  - { ${directive(mappingFile, d, `mapping[${i}]`, levelNames, tensorNames, dimNames, problem.dims, false).join(', ')} }`);
  });
  return finish(lines, problem, operator, dimNames, tensorNames, computeBits);
}

/** timeloop-mapper's optimisation metrics → the native mapper objective. */
function mapperSettings(located: Located | undefined): string[] {
  let objective = 'edp';
  if (located) {
    const map = asMap(located.file, located.node, 'mapper', 'mapper settings');
    const metricsNode = get(map, 'optimization-metrics', 'optimization_metrics');
    const metrics = metricsNode ? asSeq(located.file, metricsNode, 'mapper.optimization-metrics', 'a list of metrics').map((m) => String(scalar(m))) : ['edp'];
    const first = metrics[0];
    if (first === 'energy') objective = 'energy';
    else if (first === 'delay' || first === 'cycles') objective = metrics.includes('energy') ? 'edp' : 'cycles';
    else if (first !== 'edp') throw fail(located.file, metricsNode, 'mapper.optimization-metrics', `unsupported metric '${first}'`, 'edp, energy, delay');
  }
  return ['mapper:   # no mapping given: accsim\'s mapper searches (timeloop-mapper\'s metrics → objective)', `  objective: ${objective}`];
}

/** Mapspace constraints (temporal/spatial factors with 0 = the rest, permutations, bypass) → native `constraints:`. */
function constraintLines(found: Record<string, Located>, levels: string[], tensorNames: Record<string, string>, dimNames: Record<string, string>, dims: string[]): string[] {
  const out: string[] = [];
  for (const key of ['mapspace', 'mapspace_constraints', 'architecture_constraints', 'constraints']) {
    const located = found[key];
    if (!located) continue;
    const root = located.node;
    const list = root.kind === 'map' ? (get(root, 'targets', 'constraints') ?? root) : root;
    asSeq(located.file, list, key, 'a list of constraints {target, type, ...}').forEach((c, i) => {
      const m = asMap(located.file, c, `${key}[${i}]`, '{target, type, ...}');
      const type = String(scalar(get(m, 'type')) ?? '');
      if (type === 'utilization' || type === 'max_overbooked_proportion') throw fail(located.file, get(m, 'type'), `${key}[${i}].type`, `'${type}' constraints are not supported by the import yet`, 'temporal, spatial and bypass constraints');
      out.push(`  - { ${directive(located.file, c, `${key}[${i}]`, levels, tensorNames, dimNames, dims, true).join(', ')} }`);
    });
  }
  return out.length ? ['constraints:   # fixed by the mapspace constraints (factor 0 = the rest of the bound; permutations fix the innermost loops)', ...out] : [];
}

/** One Timeloop mapping directive or constraint as the parts of a native mapping entry. */
function directive(file: string, d: SpecNode, keyPath: string, levels: string[], tensorNames: Record<string, string>, dimNames: Record<string, string>, dims: string[], constraint: boolean): string[] {
  const m = asMap(file, d, keyPath, '{target, type, factors, permutation}');
  const target = String(scalar(get(m, 'target')) ?? '');
  if (!levels.includes(target)) throw fail(file, get(m, 'target') ?? m, `${keyPath}.target`, `unknown storage level '${target}'`, levels.join(', '), didYouMean(target, levels));
  const type = String(scalar(get(m, 'type')) ?? 'temporal');
  const parts = [`target: ${target}`];
  if (type === 'bypass' || type === 'datatype' || type === 'dataspace') {
    for (const key of ['keep', 'bypass']) {
      const node = get(m, key);
      if (!node) continue;
      const names = asSeq(file, node, `${keyPath}.${key}`, 'a list of data spaces').map((n) => {
        const name = String(scalar(n));
        if (!tensorNames[name]) throw fail(file, n, `${keyPath}.${key}`, `unknown data space '${name}'`, Object.keys(tensorNames).join(', '), didYouMean(name, Object.keys(tensorNames)));
        return tensorNames[name];
      });
      parts.push(`${key}: [${names.join(', ')}]`);
    }
  } else if (type === 'temporal' || type === 'spatial') {
    const factorsNode = get(m, 'factors');
    const factors = factorsNode ? parseFactors(file, factorsNode, `${keyPath}.factors`, dimNames, constraint) : [];
    const permutationNode = get(m, 'permutation');
    const innermostFirst = permutationNode ? [...String(scalar(permutationNode) ?? '')].filter((ch) => ch.trim()) : constraint ? [] : dims;
    for (const ch of innermostFirst) if (!dimNames[ch]) throw fail(file, permutationNode, `${keyPath}.permutation`, `unknown dimension '${ch}'`, Object.keys(dimNames).join(', '));
    const factorText = `"${factors.map(([dim, f]) => `${dim}${f}`).join(' ')}"`;
    if (type === 'temporal') {
      parts.push(`temporal: ${factorText}`);
      if (innermostFirst.length) parts.push(`permutation: [${[...innermostFirst].reverse().map((ch) => dimNames[ch]).join(', ')}]`);
    } else {
      const order = innermostFirst.length ? innermostFirst : dims;
      const split = num(file, m, keyPath, 'split') ?? order.length;
      parts.push(`spatial: ${factorText}`, `spatial_x: [${order.slice(0, split).map((ch) => dimNames[ch]).join(', ')}]`);
    }
  } else throw fail(file, get(m, 'type'), `${keyPath}.type`, `unknown directive type '${type}'`, 'temporal, spatial or bypass');
  return parts;
}

function finish(lines: string[], problem: TlProblem, operator: Record<string, number | string>, dimNames: Record<string, string>, tensorNames: Record<string, string>, computeBits: number): TimeloopImport {
  const bits = computeBits <= 8 ? 'int8' : computeBits <= 16 ? 'int16' : 'int32';
  const opLine = Object.entries(operator).map(([k, v]) => `${k}: ${v}`).join(', ');
  const workloadYaml = [
    '# Imported from a Timeloop problem by `accsim import timeloop`:',
    `#   ${problem.file}`,
    `#   dimensions: ${Object.entries(dimNames).map(([tl, n]) => `${tl} -> ${n}`).join(', ')}; data spaces: ${Object.entries(tensorNames).map(([tl, n]) => `${tl} -> ${n}`).join(', ')}`,
    `name: ${JSON.stringify(`Timeloop problem (${problem.file.split('/').pop()})`)}`,
    `dtype: ${bits}`,
    'operators:',
    `  - { name: problem, ${opLine} }`,
    '',
  ].join('\n');
  return { archYaml: lines.join('\n') + '\n', workloadYaml, tensorNames, dimNames };
}
