// Sweep paths: which key of the architecture or workload file an axis sets, and how a variant is
// derived from the base file's plain data (immer `produce`, so unchanged subtrees are shared).
//
// Syntax: `[arch:|workload:]key(.key|[index]|[name])*`
//   compute.rows, memory.dram.bandwidth, clock, parameters.side       (architecture keys)
//   parameters.batch, operators[2].m, operators[qkv].count, dtype     (workload keys; [name] selects
//   operators[0].sparsity.weight.pattern.density                       an operator by its name)
//   energy.overrides.mac.int8          (everything after `energy.overrides.` is one entry name)
// A path into a missing `operators[i].sparsity.<operand>.pattern` creates {kind: unstructured}.
// Aliases (workload): weights.density, inputs.density, weights.format, inputs.format set that
// field on every GEMM-like operator's sparsity.weight / sparsity.input, creating
// {pattern: {kind: unstructured, density}} (for density) or {pattern: {kind: dense}} (for format)
// when the operator has none. Format aliases are applied after every other axis, so sweeping
// weights.density and weights.format together gives {pattern: {unstructured, density}, format}.
//
// A path is valid when the base file has that key, or when it is a declared parameter the file
// leaves at its default (a family parameter, an operator parameter, a sparsity field of a
// GEMM-like operator). Without a prefix the path must be valid in exactly one of the
// architecture and the workloads; a workload path must be valid in every workload of the sweep.

import { Immer } from 'immer';

// Variants are read once (turned into a positioned tree) and dropped, never mutated: immer's
// auto-freeze of every result would only cost time on each sweep point.
const { produce } = new Immer({ autoFreeze: false });
import { didYouMean, inputError } from '../spec/errors.js';
import { findFamily } from '../families/registry.js';
import { ENERGY_TABLES } from '../core/energy-tables.js';
import { OPERATOR_PARAMS } from '../spec/load-workload.js';
import type { PlainValue } from './spec-tree.js';
import type { ScalarValue, ValueSource } from './values.js';

export type Target = 'arch' | 'workload';
export type Segment = string | number;

export interface SparsityAlias {
  operand: 'weight' | 'input';
  field: 'density' | 'format';
}

/** Where an axis writes its value (serialisable: it travels to worker threads and queue workers). */
export interface AxisTarget {
  target: Target;
  /** Key path; a string segment applied to a list selects the item whose `name` equals it. */
  segments: Segment[];
  alias?: SparsityAlias;
}

export const ALIASES: Readonly<Record<string, SparsityAlias>> = {
  'weights.density': { operand: 'weight', field: 'density' },
  'inputs.density': { operand: 'input', field: 'density' },
  'weights.format': { operand: 'weight', field: 'format' },
  'inputs.format': { operand: 'input', field: 'format' },
};

const GEMM_KINDS = new Set(['gemm', 'conv2d', 'batched_matmul']);
/** Keys that describe a file rather than parameterise it; not offered as sweep paths. */
const NOT_SWEPT = new Set(['name', 'description', 'sources']);

type PlainObject = { [key: string]: PlainValue };
const isObject = (value: unknown): value is PlainObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Splits `operators[2].sparsity.weight.pattern.density` into segments; returns the prefix too. */
export function parsePath(text: string, where: ValueSource): { target?: Target; segments: Segment[] } {
  let rest = text.trim();
  let target: Target | undefined;
  const prefix = /^(arch|workload):/.exec(rest);
  if (prefix) {
    target = prefix[1] as Target;
    rest = rest.slice(prefix[0].length);
  }
  const segments: Segment[] = [];
  const token = /([^.[\]\s]+)|\.([^.[\]\s]+)|\[([^\]]+)\]/y;
  let position = 0;
  while (position < rest.length) {
    token.lastIndex = position;
    const match = token.exec(rest);
    if (!match || (match[1] !== undefined && position > 0)) {
      throw inputError({ ...where, message: `'${text}' is not a valid path`, expected: 'dotted keys with [index] or [name], e.g. compute.rows or operators[2].m' });
    }
    const bracket = match[3]?.trim();
    if (bracket !== undefined) segments.push(/^\d+$/.test(bracket) ? Number(bracket) : bracket);
    else segments.push((match[1] ?? match[2])!);
    position = token.lastIndex;
  }
  if (segments.length === 0) throw inputError({ ...where, message: 'empty path', expected: 'e.g. compute.rows' });
  // Energy entries have dots in their names (mac.int8): the rest of the path is one key.
  if (segments.length > 3 && segments[0] === 'energy' && segments[1] === 'overrides') {
    segments.splice(2, segments.length - 2, segments.slice(2).join('.'));
  }
  return { target, segments };
}

/** Canonical text of a path: keys joined with dots, list positions as [i]. */
export function formatSegments(segments: readonly Segment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text;
}

/** Replaces [name] selectors by list positions in this file; undefined if a name is not there. */
function canonicalSegments(plain: PlainValue, segments: readonly Segment[]): Segment[] | undefined {
  const out: Segment[] = [];
  let node: PlainValue | undefined = plain;
  for (const segment of segments) {
    if (Array.isArray(node)) {
      const index: number = typeof segment === 'number' ? segment : node.findIndex((item) => isObject(item) && item.name === segment);
      if (index < 0) return undefined;
      out.push(index);
      node = node[index];
    } else {
      out.push(segment);
      node = isObject(node) ? node[String(segment)] : undefined;
    }
  }
  return out;
}

/** Every scalar leaf of the file as a canonical path (minus descriptive keys). */
function leafPaths(plain: PlainValue, prefix: Segment[] = [], out: string[] = []): string[] {
  if (Array.isArray(plain)) plain.forEach((item, i) => leafPaths(item, [...prefix, i], out));
  else if (isObject(plain)) {
    for (const [key, child] of Object.entries(plain)) {
      if (prefix.length === 0 && NOT_SWEPT.has(key)) continue;
      if (prefix.length === 2 && prefix[0] === 'operators' && (key === 'name' || key === 'kind')) continue;
      leafPaths(child, [...prefix, key], out);
    }
  } else if (prefix.length) out.push(formatSegments(prefix));
  return out;
}

/** Paths an architecture file accepts: its own keys, its family's declared parameters, energy entries. */
export function archPaths(plain: PlainValue): string[] {
  const paths = new Set(leafPaths(plain));
  const family = isObject(plain) && typeof plain.family === 'string' ? findFamily(plain.family) : undefined;
  for (const decl of family?.params ?? []) paths.add(decl.key);
  const energy = isObject(plain) && isObject(plain.energy) ? plain.energy : undefined;
  const tableId = typeof energy?.table === 'string' ? energy.table : 'horowitz-45nm';
  paths.add('energy.table');
  for (const entry of Object.keys(ENERGY_TABLES[tableId]?.entries ?? {})) paths.add(`energy.overrides.${entry}`);
  paths.delete('family');
  return [...paths];
}

/** Paths a workload file accepts: its own keys and each operator's declared parameters. */
export function workloadPaths(plain: PlainValue): string[] {
  const paths = new Set(leafPaths(plain));
  paths.add('dtype');
  const operators = isObject(plain) && Array.isArray(plain.operators) ? plain.operators : [];
  operators.forEach((op, i) => {
    if (!isObject(op) || typeof op.kind !== 'string') return;
    for (const decl of OPERATOR_PARAMS[op.kind as keyof typeof OPERATOR_PARAMS] ?? []) paths.add(`operators[${i}].${decl.key}`);
    if (GEMM_KINDS.has(op.kind)) {
      for (const operand of ['weight', 'input']) {
        paths.add(`operators[${i}].sparsity.${operand}.pattern.density`);
        paths.add(`operators[${i}].sparsity.${operand}.format`);
      }
    }
  });
  return [...paths];
}

const SPARSITY_FIELD = /^operators\[(\d+)\]\.sparsity\.(weight|input)\.(pattern\.[A-Za-z_][\w-]*|format|format_params\.[A-Za-z_][\w-]*)$/;

function workloadAccepts(plain: PlainValue, canonical: string, known: Set<string>): boolean {
  if (known.has(canonical)) return true;
  // Pattern and format parameters are open-ended (each pattern kind declares its own): any field
  // under sparsity.<operand>.pattern / format_params of a GEMM-like operator is accepted here and
  // checked by the sparsity model when the point runs.
  const match = SPARSITY_FIELD.exec(canonical);
  if (!match) return false;
  const operators = isObject(plain) && Array.isArray(plain.operators) ? plain.operators : [];
  const op = operators[Number(match[1])];
  return isObject(op) && typeof op.kind === 'string' && GEMM_KINDS.has(op.kind);
}

export interface PathBases {
  arch: { file: string; plain: PlainValue };
  workloads: Array<{ file: string; plain: PlainValue }>;
}

/** Resolves an axis path against the base files; an unknown path is an InputError with a did-you-mean. */
export function resolveAxisTarget(text: string, bases: PathBases, where: ValueSource): AxisTarget {
  const trimmed = text.trim();
  const withoutPrefix = trimmed.replace(/^workload:/, '');
  const alias = ALIASES[withoutPrefix];
  if (alias && !trimmed.startsWith('arch:')) {
    for (const workload of bases.workloads) {
      const operators = isObject(workload.plain) && Array.isArray(workload.plain.operators) ? workload.plain.operators : [];
      if (!operators.some((op) => isObject(op) && typeof op.kind === 'string' && GEMM_KINDS.has(op.kind))) {
        throw inputError({ ...where, message: `'${withoutPrefix}' sets GEMM-like operators' sparsity, but ${workload.file} has none` });
      }
    }
    return { target: 'workload', segments: [], alias };
  }
  const { target, segments } = parsePath(trimmed, where);

  const archKnown = new Set(archPaths(bases.arch.plain));
  const archCanonical = canonicalSegments(bases.arch.plain, segments);
  const inArch = target !== 'workload' && archCanonical !== undefined && archKnown.has(formatSegments(archCanonical));

  const missingIn: string[] = [];
  if (target !== 'arch') {
    for (const workload of bases.workloads) {
      const canonical = canonicalSegments(workload.plain, segments);
      const known = new Set(workloadPaths(workload.plain));
      if (!canonical || !workloadAccepts(workload.plain, formatSegments(canonical), known)) missingIn.push(workload.file);
    }
  }
  const inWorkloads = target !== 'arch' && bases.workloads.length > 0 && missingIn.length === 0;

  if (inArch && inWorkloads) {
    throw inputError({ ...where, message: `'${trimmed}' is both an architecture and a workload key`, hint: `write arch:${trimmed} or workload:${trimmed}` });
  }
  if (inArch) return { target: 'arch', segments };
  if (inWorkloads) return { target: 'workload', segments };
  if (target !== 'arch' && missingIn.length < bases.workloads.length && missingIn.length > 0) {
    throw inputError({ ...where, message: `'${trimmed}' is not a key of ${missingIn.join(', ')}`, expected: 'a path valid in every workload of the sweep' });
  }
  const candidates = [
    ...(target !== 'workload' ? archPaths(bases.arch.plain) : []),
    ...(target !== 'arch' ? [...new Set(bases.workloads.flatMap((w) => workloadPaths(w.plain)))] : []),
    ...(target !== 'arch' ? Object.keys(ALIASES) : []),
  ];
  const files = [target !== 'workload' ? bases.arch.file : undefined, ...(target !== 'arch' ? bases.workloads.map((w) => w.file) : [])].filter(Boolean);
  const bare = formatSegments(segments);
  throw inputError({
    ...where,
    message: `unknown sweep path '${trimmed}' (not a key of ${files.join(' or ')})`,
    expected: 'a key of the architecture or workload file, e.g. compute.rows, memory.dram.bandwidth, parameters.batch, operators[0].m',
    hint: didYouMean(bare, candidates),
  });
}

/** A value written at a path. */
export interface Assignment {
  target: AxisTarget;
  value: ScalarValue;
}

/**
 * The variant of `base` with `assignments` applied. Pure: `base` is untouched and every subtree
 * no assignment reaches is shared with it (immer structural sharing).
 */
export function applyAssignments(base: PlainValue, assignments: readonly Assignment[]): PlainValue {
  if (assignments.length === 0) return base;
  const ordered = [
    ...assignments.filter((a) => a.target.alias?.field !== 'format'),
    ...assignments.filter((a) => a.target.alias?.field === 'format'),
  ];
  return produce(base as PlainObject, (draft) => {
    for (const { target, value } of ordered) {
      if (target.alias) applyAlias(draft, target.alias, value);
      else setAt(draft, target.segments, value);
    }
  }) as PlainValue;
}

function setAt(root: PlainObject, segments: readonly Segment[], value: ScalarValue): void {
  let container: PlainValue = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (Array.isArray(container)) {
      const index: number = typeof segment === 'number' ? segment : container.findIndex((item) => isObject(item) && item.name === segment);
      if (index < 0 || index >= container.length) throw new Error(`no list item ${String(segment)} at ${formatSegments(segments.slice(0, i))}`);
      if (last) container[index] = value;
      else container = container[index];
    } else if (isObject(container)) {
      const key = String(segment);
      if (last) container[key] = value;
      else {
        // Declared parameters left at their default have no key yet: create the mapping. A new
        // operand pattern (…sparsity.weight.pattern.density on a dense operator) starts as
        // {kind: unstructured}, as the weights.density alias does.
        if (container[key] === undefined || container[key] === null) {
          const newPattern = key === 'pattern' && i >= 2 && segments[i - 2] === 'sparsity' && (segments[i - 1] === 'weight' || segments[i - 1] === 'input');
          container[key] = newPattern ? { kind: 'unstructured' } : {};
        }
        container = container[key];
      }
    } else {
      throw new Error(`${formatSegments(segments.slice(0, i))} is not a mapping or list`);
    }
  }
}

function applyAlias(root: PlainObject, alias: SparsityAlias, value: ScalarValue): void {
  const operators = Array.isArray(root.operators) ? root.operators : [];
  for (const op of operators) {
    if (!isObject(op) || typeof op.kind !== 'string' || !GEMM_KINDS.has(op.kind)) continue;
    if (!isObject(op.sparsity)) op.sparsity = {};
    const sparsity = op.sparsity as PlainObject;
    const operand = sparsity[alias.operand];
    if (alias.field === 'density') {
      if (isObject(operand) && isObject(operand.pattern)) (operand.pattern as PlainObject).density = value;
      else if (isObject(operand)) operand.pattern = { kind: 'unstructured', density: value };
      else sparsity[alias.operand] = { pattern: { kind: 'unstructured', density: value } };
    } else if (isObject(operand)) {
      operand.format = value;
    } else {
      sparsity[alias.operand] = { pattern: { kind: 'dense' }, format: value };
    }
  }
}
