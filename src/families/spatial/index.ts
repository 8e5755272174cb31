// Spatial family: a user-declared tree of storage levels (outermost first) above an array of MAC
// units, running GEMM, batched matmul and conv2d as loop nests under a user mapping or one found
// by the mapper, with Timeloop's counting rules (see model.ts).

import type { ActionCount, Family, OperatorSimulation } from '../family.js';
import type { ArchSpec, GemmOperator, LevelTraffic } from '../../core/types.js';
import { inputError } from '../../spec/errors.js';
import { SPATIAL_PARAMS, SPATIAL_STATS } from './params.js';
import { configureSpatial, resolveSpatialSpec, type SpatialConfig } from './config.js';
import { evaluate, mappingProblems, type Evaluation, type Mapping } from './model.js';
import { defaultKeep, formatLoopNest, formatMappingYaml, mappingFromSpec } from './mapping.js';
import { searchMappings } from './mapper.js';
import { problemOf, totalOperations, type Problem } from './problem.js';

export type { SpatialConfig } from './config.js';

export interface SpatialRun {
  problem: Problem;
  mapping: Mapping;
  evaluation: Evaluation;
  evaluated: number;
  valid: number;
  source: 'user' | 'mapper';
}

/** Chooses the operator's mapping (the user's, or the mapper's best) and evaluates it. */
export function runOperator(config: SpatialConfig, op: GemmOperator): SpatialRun {
  const problem = problemOf(op);
  const { hardware } = config;
  const entries = config.mappings[op.name] ?? config.mapping;
  if (entries) {
    const keyPath = config.mappings[op.name] ? `mappings.${op.name}` : 'mapping';
    const mapping = mappingFromSpec(entries, hardware, problem, config.file, keyPath);
    const problemText = mappingProblems(hardware, problem, mapping, config.mapper.imperfect);
    const position = entries[0]?.position;
    if (problemText) throw inputError({ file: config.file, position, keyPath, message: `operator '${op.name}': ${problemText}` });
    const evaluation = evaluate(hardware, problem, mapping);
    if (!evaluation.valid) throw inputError({ file: config.file, position, keyPath, message: `operator '${op.name}': the mapping does not fit: ${evaluation.reason}` });
    return { problem, mapping, evaluation, evaluated: 0, valid: 0, source: 'user' };
  }
  const found = searchMappings(hardware, problem, config.mapper, defaultKeep(hardware, problem));
  if (!found) throw inputError({ file: config.file, keyPath: 'mapper', message: `operator '${op.name}': the mapper found no mapping that fits the capacities and constraints` });
  return { problem, mapping: found.mapping, evaluation: found.evaluation, evaluated: found.evaluated, valid: found.valid, source: 'mapper' };
}

function simulateSpatial(config: SpatialConfig, op: GemmOperator): OperatorSimulation {
  const run = runOperator(config, op);
  const { problem, mapping, evaluation: e } = run;
  const { levels, compute } = config.hardware;
  const memory: Record<string, LevelTraffic> = {};
  const actions: ActionCount[] = [];
  const stats: Record<string, number> = {};
  const bounds: Record<string, number> = { compute: e.computeCycles };
  let outerWords = 0;
  levels.forEach((level, i) => {
    const traffic: LevelTraffic = { readBytes: 0, writeBytes: 0, perTensor: {} };
    const bytesPerWord = level.wordBits / 8;
    problem.tensors.forEach((tensor, t) => {
      if (!mapping.keep[i][t]) return;
      const s = e.stats[i][t];
      const readBytes = s.reads * s.instances * bytesPerWord;
      const writeBytes = (s.fills + s.updates) * s.instances * bytesPerWord;
      traffic.perTensor[tensor.name] = { readBytes, writeBytes };
      traffic.readBytes += readBytes;
      traffic.writeBytes += writeBytes;
      for (const [key, value] of [['reads', s.reads], ['fills', s.fills], ['updates', s.updates], ['tile', s.tile], ['instances', s.instances]] as const) stats[`${level.name}.${tensor.name}.${key}`] = value;
      if (i === 0) outerWords += (s.reads + s.fills + s.updates) * s.instances;
      const vector = (words: number) => Math.ceil(words / level.blockSize) * s.instances;
      actions.push({ component: level.name, action: `${tensor.name}.read`, count: vector(s.reads), energyPerActionJ: level.energy.read });
      actions.push({ component: level.name, action: `${tensor.name}.fill`, count: vector(s.fills), energyPerActionJ: level.energy.write });
      actions.push({ component: level.name, action: `${tensor.name}.update`, count: vector(s.updates), energyPerActionJ: level.energy.update });
    });
    if (level.energy.leak > 0) actions.push({ component: level.name, action: 'leak', count: level.instances * e.computeCycles, energyPerActionJ: level.energy.leak });
    memory[level.name] = traffic;
    stats[`${level.name}.slowdown`] = e.slowdown[i];
    stats[`${level.name}.cycles`] = e.levelCycles[i];
    bounds[level.name] = e.levelCycles[i];
  });
  actions.push({ component: compute.name, action: 'mac', count: e.macs, energyPerActionJ: compute.energy.mac });
  const macs = totalOperations(problem);
  stats.dram_accesses_per_mac = outerWords / macs;
  stats['mapper.evaluated'] = run.evaluated;
  stats['mapper.valid'] = run.valid;
  let bottleneck = 'compute';
  levels.forEach((level, i) => {
    if (e.levelCycles[i] > (bounds[bottleneck] ?? 0) && e.levelCycles[i] > e.computeCycles) bottleneck = level.name;
  });
  const notes = [
    `${run.source === 'mapper' ? `mapper (${config.mapper.objective}, seed ${config.mapper.seed}, ${run.evaluated} mappings evaluated, ${run.valid} valid)` : 'user mapping'}; loop nest (tile words per tensor):`,
    ...formatLoopNest(config.hardware, problem, mapping, e.stats.map((row) => row.map((s) => s.tile))),
    `mapping: ${formatMappingYaml(config.hardware, problem, mapping)}`,
  ];
  if (e.macs > macs) notes.push(`imperfect factors: ${e.macs} loop iterations for ${macs} MACs (padding counted as work)`);
  return {
    cycles: e.cycles,
    computeCycles: e.computeCycles,
    stallCycles: e.cycles - e.computeCycles,
    macs: { dense: macs, issued: e.macs, effectual: macs },
    memory,
    actions,
    bounds,
    bottleneck,
    stats,
    notes,
  };
}

export const spatialFamily: Family<SpatialConfig> = {
  id: 'spatial',
  title: 'Spatial accelerator (storage hierarchy + loop-nest mapping, Timeloop-compatible)',
  description:
    'Any tree of storage levels (capacity, word width, block size, read/write/shared bandwidth, instances and X×Y mesh, keep/bypass, ' +
    'multicast, per-action energies) above an array of MAC units. GEMM, batched matmul and conv2d run as loop nests under a user mapping ' +
    '(per level: temporal factors and permutation, spatial factors on X/Y, keep/bypass) or the mapper\'s best one; counts follow Timeloop v3.',
  params: SPATIAL_PARAMS,
  stats: SPATIAL_STATS,
  operatorKinds: ['gemm', 'batched_matmul', 'conv2d'],
  resolveSpec: resolveSpatialSpec,
  configure(arch: ArchSpec): SpatialConfig {
    return configureSpatial(arch);
  },
  clockHz(config) {
    return config.clockHz;
  },
  peakMacsPerCycle(config) {
    return config.hardware.compute.instances;
  },
  simulateOperator(config, op) {
    if (op.kind !== 'gemm' && op.kind !== 'batched_matmul' && op.kind !== 'conv2d') throw new Error(`spatial family: unsupported operator kind ${op.kind}`);
    return simulateSpatial(config, op);
  },
};
