// The spatial family's architecture files are structured: a list of storage levels, a compute
// level, mapper settings and optional user mappings. This module resolves that tree (with the
// same positioned errors as declared parameters) into flat values for the ArchSpec, and rebuilds
// the typed configuration from them.

import type { ArchSpec } from '../../core/types.js';
import { didYouMean, inputError, InputError, type SourcePosition } from '../../spec/errors.js';
import type { ParamDecl, ParamValue } from '../../spec/params.js';
import { expectMap, expectString, expectStringList, resolveDeclared, resolveParam, type MapNode, type ResolveContext } from '../../spec/resolve.js';
import type { SpecNode } from '../../spec/yaml-source.js';
import { COMPUTE_PARAMS, LEVEL_PARAMS, LEVEL_SPECIAL_KEYS, MAPPER_PARAMS, POWER_PARAMS, SPATIAL_PARAMS } from './params.js';
import type { ComputeLevel, Hardware, StorageLevel } from './model.js';
import { TENSOR_NAMES } from './problem.js';

export interface MappingEntrySpec {
  target: string;
  /** Temporal factors in the order written; permutation (outermost first) orders them. */
  temporal: [string, number][];
  permutation?: string[];
  spatial: [string, number][];
  spatialX?: string[];
  /** Spatial factors placed on Y explicitly (a dimension may be split over both X and Y). */
  spatialY: [string, number][];
  keep?: string[];
  bypass?: string[];
  position: SourcePosition;
}

export interface MapperConfig {
  objective: 'edp' | 'energy' | 'cycles' | 'weighted';
  weights: { energy: number; cycles: number };
  search: 'auto' | 'exhaustive' | 'random' | 'local';
  evaluations: number;
  seed: number;
  minUtilization: number;
  imperfect: boolean;
}

export interface SpatialConfig {
  name: string;
  file: string;
  clockHz: number;
  hardware: Hardware;
  mapper: MapperConfig;
  mapping?: MappingEntrySpec[];
  mappings: Record<string, MappingEntrySpec[]>;
  /** Mapper constraints: entries like mapping entries whose factors (0 = the rest of the bound),
   * permutation (innermost loops, outermost first) and keep/bypass are fixed. */
  constraints: MappingEntrySpec[];
}

const TOP_KEYS = ['clock', 'storage', 'compute', 'mapper', 'power', 'mapping', 'mappings', 'constraints'];
const CLOCK = SPATIAL_PARAMS.find((d) => d.key === 'clock')!;
const emptyMap = (position: SourcePosition): MapNode => ({ kind: 'map', position, entries: new Map() });

/** Resolves a whole spatial architecture file into flat values (the family's resolveSpec hook). */
export function resolveSpatialSpec(map: MapNode, context: ResolveContext, reserved: readonly string[]): Record<string, ParamValue> {
  for (const [key, { keyPosition }] of map.entries) {
    if (!reserved.includes(key) && !TOP_KEYS.includes(key)) {
      throw inputError({ file: context.file, position: keyPosition, keyPath: key, message: `unknown key '${key}'`, expected: `one of ${[...TOP_KEYS, ...reserved].join(', ')}`, hint: didYouMean(key, [...TOP_KEYS, ...reserved]) });
    }
  }
  const values: Record<string, ParamValue> = {};
  const clock = map.entries.get('clock');
  values.clock = clock ? resolveParam(CLOCK, clock.node, context, 'clock') : 1e9;
  const storage = map.entries.get('storage');
  if (!storage) throw inputError({ file: context.file, position: map.position, keyPath: 'storage', message: 'missing required key', expected: 'a list of storage levels, outermost first' });
  if (storage.node.kind !== 'seq' || storage.node.items.length === 0) {
    throw inputError({ file: context.file, position: storage.node.position, keyPath: 'storage', message: 'expected a non-empty list', expected: 'a list of storage levels (name, capacity, word_bits, block_size, energy, ...), outermost first' });
  }
  const names: string[] = [];
  storage.node.items.forEach((item, index) => {
    const path = `storage[${index}]`;
    const level = expectMap(item, context, path, 'a storage level mapping');
    const nameEntry = level.entries.get('name');
    if (!nameEntry) throw inputError({ file: context.file, position: level.position, keyPath: `${path}.name`, message: 'missing required key', expected: 'the level name' });
    const name = expectString(nameEntry.node, context, `${path}.name`);
    if (!/^[A-Za-z_][\w-]*$/.test(name) || names.includes(name)) {
      throw inputError({ file: context.file, position: nameEntry.node.position, keyPath: `${path}.name`, message: names.includes(name) ? `duplicate level name '${name}'` : `'${name}' is not a valid level name`, expected: 'a unique name of letters, digits, _ and -' });
    }
    names.push(name);
    const prefix = `storage[${name}]`;
    const resolved = resolveDeclared(level, LEVEL_PARAMS, context, path, LEVEL_SPECIAL_KEYS);
    for (const [key, value] of Object.entries(resolved)) values[`${prefix}.${key}`] = value;
    const capacity = level.entries.get('capacity');
    values[`${prefix}.capacity`] = capacity ? resolveCapacity(capacity.node, context, `${path}.capacity`, resolved.word_bits as number) : Infinity;
    for (const key of ['keep', 'bypass', 'compressed', 'skip', 'gate'] as const) {
      const entry = level.entries.get(key);
      if (!entry) continue;
      const list = expectStringList(entry.node, context, `${path}.${key}`);
      list.forEach((tensor, i) => checkTensor(tensor, entry.node.kind === 'seq' ? entry.node.items[i].position : entry.node.position, context, `${path}.${key}`));
      values[`${prefix}.${key}`] = list.join(',');
    }
  });
  values['storage.order'] = names.join(',');
  const section = (key: string, decls: readonly ParamDecl[]) => {
    const entry = map.entries.get(key);
    const node = entry ? expectMap(entry.node, context, key, `a mapping with keys ${[...new Set(decls.map((d) => d.key.split('.')[0]))].join(', ')}`) : emptyMap(map.position);
    for (const [k, v] of Object.entries(resolveDeclared(node, decls, context, key))) values[`${key}.${k}`] = v;
  };
  section('compute', COMPUTE_PARAMS);
  section('mapper', MAPPER_PARAMS);
  section('power', POWER_PARAMS);
  const mapping = map.entries.get('mapping');
  if (mapping) values.mapping = JSON.stringify(resolveMapping(mapping.node, context, 'mapping', names));
  const constraints = map.entries.get('constraints');
  if (constraints) values.constraints = JSON.stringify(resolveMapping(constraints.node, context, 'constraints', names, true));
  const mappings = map.entries.get('mappings');
  if (mappings) {
    const byOperator = expectMap(mappings.node, context, 'mappings', 'a mapping of operator name: mapping list');
    const resolved: Record<string, MappingEntrySpec[]> = {};
    for (const [op, { node }] of byOperator.entries) resolved[op] = resolveMapping(node, context, `mappings.${op}`, names);
    values.mappings = JSON.stringify(resolved);
  }
  return values;
}

function checkTensor(tensor: string, position: SourcePosition, context: ResolveContext, keyPath: string): void {
  if (!(TENSOR_NAMES as readonly string[]).includes(tensor)) {
    throw inputError({ file: context.file, position, keyPath, message: `unknown tensor '${tensor}'`, expected: `one of ${TENSOR_NAMES.join(', ')}`, hint: didYouMean(tensor, TENSOR_NAMES) });
  }
}

function resolveCapacity(node: SpecNode, context: ResolveContext, keyPath: string, wordBits: number): number {
  if (node.kind === 'scalar' && node.value === 'unbounded') return Infinity;
  try {
    return resolveParam({ key: 'capacity', type: 'integer', min: 1, description: 'words' }, node, context, keyPath) as number;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    try {
      const bytes = resolveParam({ key: 'capacity', type: 'quantity', dimension: 'bytes', positive: true, description: 'bytes' }, node, context, keyPath) as number;
      return Math.floor((bytes * 8) / wordBits);
    } catch {
      throw inputError({ file: context.file, position: node.position, keyPath, message: `'${node.kind === 'scalar' ? String(node.value) : node.kind}' is not a capacity`, expected: "words (1024), bytes (8 KiB) or 'unbounded'" });
    }
  }
}

const MAPPING_KEYS = ['target', 'temporal', 'permutation', 'spatial', 'spatial_x', 'spatial_y', 'keep', 'bypass'];

function resolveMapping(node: SpecNode, context: ResolveContext, keyPath: string, levels: string[], allowRest = false): MappingEntrySpec[] {
  if (node.kind !== 'seq') throw inputError({ file: context.file, position: node.position, keyPath, message: 'expected a list', expected: 'a list of entries {target, temporal, permutation, spatial, spatial_x, keep, bypass}' });
  return node.items.map((item, index) => {
    const path = `${keyPath}[${index}]`;
    const entry = expectMap(item, context, path, 'a mapping entry {target, temporal, permutation, spatial, spatial_x, keep, bypass}');
    for (const [key, { keyPosition }] of entry.entries) {
      if (!MAPPING_KEYS.includes(key)) throw inputError({ file: context.file, position: keyPosition, keyPath: `${path}.${key}`, message: `unknown key '${key}'`, expected: `one of ${MAPPING_KEYS.join(', ')}`, hint: didYouMean(key, MAPPING_KEYS) });
    }
    const targetEntry = entry.entries.get('target');
    if (!targetEntry) throw inputError({ file: context.file, position: entry.position, keyPath: `${path}.target`, message: 'missing required key', expected: `one of ${levels.join(', ')}` });
    const target = expectString(targetEntry.node, context, `${path}.target`);
    if (!levels.includes(target)) throw inputError({ file: context.file, position: targetEntry.node.position, keyPath: `${path}.target`, message: `unknown storage level '${target}'`, expected: `one of ${levels.join(', ')}`, hint: didYouMean(target, levels) });
    const list = (key: string): string[] | undefined => {
      const e = entry.entries.get(key);
      if (!e) return undefined;
      if (e.node.kind === 'scalar' && typeof e.node.value === 'string' && !/[\s,]/.test(e.node.value) && key === 'permutation') return [...e.node.value];
      const items = e.node.kind === 'scalar' && typeof e.node.value === 'string' ? e.node.value.split(/[\s,]+/).filter(Boolean) : expectStringList(e.node, context, `${path}.${key}`);
      if (key === 'keep' || key === 'bypass') items.forEach((t) => checkTensor(t, e.node.position, context, `${path}.${key}`));
      return items;
    };
    return {
      target,
      temporal: factors(entry.entries.get('temporal')?.node, context, `${path}.temporal`, allowRest),
      permutation: list('permutation'),
      spatial: factors(entry.entries.get('spatial')?.node, context, `${path}.spatial`, allowRest),
      spatialX: list('spatial_x'),
      spatialY: factors(entry.entries.get('spatial_y')?.node, context, `${path}.spatial_y`, allowRest),
      keep: list('keep'),
      bypass: list('bypass'),
      position: entry.position,
    };
  });
}

/** `{M: 16, N: 4}` or `"M16 N4"` / `"M=16 N=4"`; in constraints 0 means "the rest of the bound". */
function factors(node: SpecNode | undefined, context: ResolveContext, keyPath: string, allowRest = false): [string, number][] {
  if (!node) return [];
  const decl: ParamDecl = { key: 'factor', type: 'integer', min: allowRest ? 0 : 1, description: 'loop factor' };
  if (node.kind === 'map') return [...node.entries].map(([dim, { node: child }]) => [dim, resolveParam(decl, child, context, `${keyPath}.${dim}`) as number]);
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    return node.value.split(/[\s,]+/).filter(Boolean).map((token) => {
      const match = /^([A-Za-z_]\w*?)=?(\d+)$/.exec(token);
      if (!match || Number(match[2]) < (allowRest ? 0 : 1)) throw inputError({ file: context.file, position: node.position, keyPath, message: `'${token}' is not a loop factor`, expected: 'dimension and factor, e.g. M16 or M=16' });
      return [match[1], Number(match[2])] as [string, number];
    });
  }
  throw inputError({ file: context.file, position: node.position, keyPath, message: 'expected loop factors', expected: "a mapping {M: 16} or a string 'M16 N4'" });
}

/** Typed configuration from the flat values resolveSpatialSpec produced. */
export function configureSpatial(arch: ArchSpec): SpatialConfig {
  const v = arch.values;
  const num = (key: string): number => v[key] as number;
  const names = String(v['storage.order']).split(',');
  let instancesAbove = 1;
  let meshXAbove = 1;
  const mesh = (instances: number, meshX: number, keyPath: string) => {
    const x = meshX || instances;
    if (instances % x !== 0) throw inputError({ file: arch.file, keyPath, message: `mesh_x ${x} does not divide instances ${instances}` });
    return { meshX: x, meshY: instances / x };
  };
  const levels: StorageLevel[] = names.map((name) => {
    const p = `storage[${name}].`;
    const instances = num(`${p}instances`);
    if (instances % instancesAbove !== 0) throw inputError({ file: arch.file, keyPath: `${p}instances`, message: `${instances} instances are not a multiple of the ${instancesAbove} instances of the level above` });
    const { meshX, meshY } = mesh(instances, num(`${p}mesh_x`), `${p}mesh_x`);
    if (meshX % meshXAbove !== 0) throw inputError({ file: arch.file, keyPath: `${p}mesh_x`, message: `mesh_x ${meshX} is not a multiple of mesh_x ${meshXAbove} above` });
    instancesAbove = instances;
    meshXAbove = meshX;
    const list = (key: string) => (v[p + key] === undefined ? undefined : String(v[p + key]).split(',').filter(Boolean));
    return {
      name,
      capacityWords: num(`${p}capacity`),
      wordBits: num(`${p}word_bits`),
      blockSize: num(`${p}block_size`),
      readBandwidth: num(`${p}read_bandwidth`),
      writeBandwidth: num(`${p}write_bandwidth`),
      sharedBandwidth: num(`${p}shared_bandwidth`),
      instances,
      meshX,
      meshY,
      multicast: v[`${p}multicast`] as boolean,
      multipleBuffering: num(`${p}multiple_buffering`),
      energy: {
        read: num(`${p}energy.read`),
        write: num(`${p}energy.write`),
        update: num(`${p}energy.update`),
        metadataRead: num(`${p}energy.metadata_read`),
        metadataWrite: num(`${p}energy.metadata_write`),
        gatedRead: num(`${p}energy.gated_read`),
        skippedRead: num(`${p}energy.skipped_read`),
        leak: num(`${p}energy.leak`),
      },
      area: num(`${p}area`),
      keep: list('keep'),
      bypass: list('bypass') ?? [],
      compressed: list('compressed') ?? [],
      skip: list('skip') ?? [],
      gate: list('gate') ?? [],
    };
  });
  const computeInstances = num('compute.instances');
  if (computeInstances % instancesAbove !== 0) throw inputError({ file: arch.file, keyPath: 'compute.instances', message: `${computeInstances} MAC units are not a multiple of the ${instancesAbove} instances of the innermost storage level` });
  const computeMesh = mesh(computeInstances, num('compute.mesh_x'), 'compute.mesh_x');
  const compute: ComputeLevel = {
    name: String(v['compute.name']),
    instances: computeInstances,
    ...computeMesh,
    wordBits: num('compute.word_bits'),
    zeros: v['compute.zeros'] as ComputeLevel['zeros'],
    energy: { mac: num('compute.energy.mac'), gated: num('compute.energy.gated'), skipped: num('compute.energy.skipped') },
    area: num('compute.area'),
  };
  if (levels[0].keep && levels[0].keep.length < TENSOR_NAMES.length) throw inputError({ file: arch.file, keyPath: `storage[${levels[0].name}].keep`, message: 'the outermost level must keep every tensor' });
  return {
    name: arch.name,
    file: arch.file,
    clockHz: num('clock'),
    hardware: { levels, compute },
    mapper: {
      objective: v['mapper.objective'] as MapperConfig['objective'],
      weights: { energy: num('mapper.weights.energy'), cycles: num('mapper.weights.cycles') },
      search: v['mapper.search'] as MapperConfig['search'],
      evaluations: num('mapper.evaluations'),
      seed: num('mapper.seed'),
      minUtilization: num('mapper.min_utilization'),
      imperfect: v['mapper.imperfect'] as boolean,
    },
    mapping: v.mapping === undefined ? undefined : (JSON.parse(String(v.mapping)) as MappingEntrySpec[]),
    mappings: v.mappings === undefined ? {} : (JSON.parse(String(v.mappings)) as Record<string, MappingEntrySpec[]>),
    constraints: v.constraints === undefined ? [] : (JSON.parse(String(v.constraints)) as MappingEntrySpec[]),
  };
}
