// Sweep files (YAML): axes, sampling and constraints, validated with positions like spec files.
//
//   axes:                                   # in order; the first axis varies slowest in a grid
//     compute.rows: [32, 64, 128]           # a list (numbers, quantities with units, words, booleans)
//     compute.cols: "32..256:32"            # VALUES text, as in --set
//     memory.dram.bandwidth: { from: 17, to: 68, step: 17, unit: GB/s }
//     memory.ifmap_sram.capacity: { from: 256, to: 2048, factor: 2, unit: KiB }
//     compute.dataflow: { values: [ws, os] }
//   sampling: grid                          # grid (default) | random | latin-hypercube
//   count: 500                              # points to sample (random, latin-hypercube)
//   seed: 7                                 # optional; --seed wins
//   constraints:
//     - compute.rows * compute.cols <= 65536

import { inputError, type SourcePosition } from '../spec/errors.js';
import { nodeTypeName, parseSpecText, type SpecNode } from '../spec/yaml-source.js';
import { didYouMean } from '../spec/errors.js';
import { checkValues, parseRange, parseValuesText, valueFromData, type AxisValue, type ValueSource } from './values.js';

export type SamplingKind = 'grid' | 'random' | 'latin-hypercube';
export const SAMPLING_KINDS: readonly SamplingKind[] = ['grid', 'random', 'latin-hypercube'];

export interface AxisDeclaration {
  path: string;
  values: AxisValue[];
  where: ValueSource;
}

export interface SweepFile {
  axes: AxisDeclaration[];
  sampling?: { kind: SamplingKind; count?: number; where: ValueSource };
  seed?: number;
  constraints: Array<{ text: string; where: ValueSource }>;
}

const TOP_KEYS = ['axes', 'sampling', 'count', 'seed', 'constraints'];
const RANGE_KEYS = ['from', 'to', 'step', 'factor', 'unit'];

export function parseSweepFile(text: string, file: string): SweepFile {
  const { root } = parseSpecText(text, file);
  const at = (node: SpecNode | { position: SourcePosition }, keyPath: string): ValueSource => ({ file, keyPath, position: node.position });
  if (root.kind !== 'map') throw inputError({ ...at(root, ''), message: `found ${nodeTypeName(root)}`, expected: 'a mapping with axes, sampling, count, seed, constraints' });
  for (const [key, { keyPosition }] of root.entries) {
    if (!TOP_KEYS.includes(key)) throw inputError({ file, position: keyPosition, keyPath: key, message: `unknown key '${key}'`, expected: `one of ${TOP_KEYS.join(', ')}`, hint: didYouMean(key, TOP_KEYS) });
  }
  const result: SweepFile = { axes: [], constraints: [] };

  const axesEntry = root.entries.get('axes');
  if (axesEntry) {
    const axesNode = axesEntry.node;
    if (axesNode.kind !== 'map') throw inputError({ ...at(axesNode, 'axes'), message: `found ${nodeTypeName(axesNode)}`, expected: 'a mapping of path: values' });
    for (const [path, { keyPosition, node }] of axesNode.entries) {
      const where: ValueSource = { file, keyPath: `axes.${path}`, position: keyPosition };
      result.axes.push({ path, values: axisValues(node, { ...where, position: node.position }), where });
    }
  }

  const count = root.entries.get('count');
  let countValue: number | undefined;
  if (count) {
    const node = count.node;
    if (node.kind !== 'scalar' || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < 1) {
      throw inputError({ ...at(node, 'count'), message: `found ${nodeTypeName(node)}`, expected: 'a whole number of points ≥ 1' });
    }
    countValue = node.value;
  }
  const sampling = root.entries.get('sampling');
  if (sampling) {
    const node = sampling.node;
    const kind = node.kind === 'scalar' ? String(node.value) : '';
    if (!(SAMPLING_KINDS as readonly string[]).includes(kind)) {
      throw inputError({ ...at(node, 'sampling'), message: `'${kind || nodeTypeName(node)}' is not a sampling`, expected: `one of ${SAMPLING_KINDS.join(', ')}`, hint: didYouMean(kind, SAMPLING_KINDS) });
    }
    if (kind !== 'grid' && countValue === undefined) throw inputError({ ...at(node, 'sampling'), message: `${kind} sampling needs a count`, expected: 'count: N next to sampling' });
    result.sampling = { kind: kind as SamplingKind, count: kind === 'grid' ? undefined : countValue, where: at(node, 'sampling') };
  } else if (countValue !== undefined) {
    throw inputError({ ...at(count!.node, 'count'), message: 'count without a sampling', expected: 'sampling: random or latin-hypercube' });
  }

  const seed = root.entries.get('seed');
  if (seed) {
    const node = seed.node;
    if (node.kind !== 'scalar' || typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < 0 || node.value > 0xffffffff) {
      throw inputError({ ...at(node, 'seed'), message: `found ${nodeTypeName(node)}`, expected: 'a whole number from 0 to 4294967295' });
    }
    result.seed = node.value;
  }

  const constraints = root.entries.get('constraints');
  if (constraints) {
    const node = constraints.node;
    const items = node.kind === 'seq' ? node.items : [node];
    items.forEach((item, i) => {
      if (item.kind !== 'scalar' || typeof item.value !== 'string') {
        throw inputError({ ...at(item, `constraints[${i}]`), message: `found ${nodeTypeName(item)}`, expected: "a constraint such as 'compute.rows * compute.cols <= 65536'" });
      }
      result.constraints.push({ text: item.value, where: at(item, `constraints[${i}]`) });
    });
  }
  return result;
}

function axisValues(node: SpecNode, where: ValueSource): AxisValue[] {
  if (node.kind === 'seq') return checkValues(node.items.map((item, i) => scalarValue(item, { ...where, keyPath: `${where.keyPath}[${i}]`, position: item.position })), where);
  if (node.kind === 'scalar') {
    if (typeof node.value === 'string') return parseValuesText(node.value, where);
    return [scalarValue(node, where)];
  }
  const keys = [...node.entries.keys()];
  if (keys.length === 1 && keys[0] === 'values') return axisValues(node.entries.get('values')!.node, where);
  for (const [key, { keyPosition }] of node.entries) {
    if (!RANGE_KEYS.includes(key)) {
      throw inputError({ ...where, position: keyPosition, keyPath: `${where.keyPath}.${key}`, message: `unknown key '${key}'`, expected: `values, or from, to, step|factor, unit`, hint: didYouMean(key, [...RANGE_KEYS, 'values']) });
    }
  }
  const number = (key: string, required: boolean): number | undefined => {
    const entry = node.entries.get(key);
    if (!entry) {
      if (required) throw inputError({ ...where, message: `missing key '${key}'`, expected: 'from, to and step or factor' });
      return undefined;
    }
    if (entry.node.kind !== 'scalar' || typeof entry.node.value !== 'number') {
      throw inputError({ ...where, position: entry.node.position, keyPath: `${where.keyPath}.${key}`, message: `found ${nodeTypeName(entry.node)}`, expected: 'a number (put the unit under unit:)' });
    }
    return entry.node.value;
  };
  const from = number('from', true)!;
  const to = number('to', true)!;
  const step = number('step', false);
  const factor = number('factor', false);
  if (step !== undefined && factor !== undefined) throw inputError({ ...where, message: 'both step and factor', expected: 'one of them' });
  const unitEntry = node.entries.get('unit');
  const unit = unitEntry?.node.kind === 'scalar' && unitEntry.node.value !== null ? String(unitEntry.node.value) : '';
  const text = `${from}..${to}${factor !== undefined ? `:*${factor}` : step !== undefined ? `:${step}` : ''}${unit}`;
  const values = parseRange(text, where);
  if (!values) throw inputError({ ...where, message: `cannot read the range ${text}`, expected: 'numeric from, to, step or factor and a unit such as GB/s' });
  return checkValues(values, where);
}

function scalarValue(node: SpecNode, where: ValueSource): AxisValue {
  if (node.kind !== 'scalar') throw inputError({ ...where, message: `found ${nodeTypeName(node)}`, expected: 'a number, a quantity with a unit, true/false or a word' });
  return valueFromData(node.value, where);
}
