// Spatial family: a user-declared tree of storage levels (outermost first) above an array of MAC
// units, running GEMM, batched matmul and conv2d as loop nests under a user mapping or one found
// by the mapper, with Timeloop's counting rules (see model.ts).

import { estimateSpatialWork } from './budget.js';
import { count } from '../../report/units.js';
import type { ActionCount, Family, FamilyContext, OperatorSimulation } from '../family.js';
import { operandView } from '../../core/operand-sparsity.js';
import { sparseAccounting, throttle, type OperandDensity } from './sparse.js';
import type { ArchSpec, GemmOperator, LevelTraffic } from '../../core/types.js';
import { inputError } from '../../spec/errors.js';
import { SPATIAL_PARAMS, SPATIAL_STATS } from './params.js';
import { configureSpatial, resolveSpatialSpec, type SpatialConfig } from './config.js';
import { evaluate, mappingProblems, type Evaluation, type Mapping } from './model.js';
import { constraintsFromSpec, defaultKeep, formatLoopNest, formatMappingYaml, mappingFromSpec } from './mapping.js';
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
  const constraints = constraintsFromSpec(config.constraints, hardware, problem, config.file);
  const found = searchMappings(hardware, problem, config.mapper, defaultKeep(hardware, problem), constraints);
  if (!found) throw inputError({ file: config.file, keyPath: 'mapper', message: `operator '${op.name}': the mapper found no mapping that fits the capacities and constraints` });
  return { problem, mapping: found.mapping, evaluation: found.evaluation, evaluated: found.evaluated, valid: found.valid, source: 'mapper' };
}

/** Densities and format costs of the operands (statistical or concrete, from src/sparsity). */
function operandDensities(op: GemmOperator, context: FamilyContext): Record<string, OperandDensity> {
  const out: Record<string, OperandDensity> = {};
  for (const role of ['input', 'weight'] as const) {
    const view = operandView(op, role, context.options, context.masks);
    const words = view.shape.rows * view.shape.cols;
    const compressed = view.format.kind !== 'dense';
    out[role] = {
      density: view.density,
      valueFraction: compressed ? view.storage.storedValues / words : 1,
      metadataBitsPerWord: compressed ? (view.storage.metadataBits + view.storage.pointerBits) / words : 0,
    };
  }
  return out;
}

function simulateSpatial(config: SpatialConfig, op: GemmOperator, context: FamilyContext): OperatorSimulation {
  const run = runOperator(config, op);
  const { problem, mapping, evaluation: e } = run;
  const { levels, compute } = config.hardware;
  const densities = operandDensities(op, context);
  const effectual = densities.input.density * densities.weight.density;
  const macs = totalOperations(problem);
  // Skipped MACs take no cycle (ideal balance); gated ones still do.
  const computeCycles = compute.zeros === 'skipping' ? Math.ceil(e.computeCycles * effectual) : e.computeCycles;
  const memory: Record<string, LevelTraffic> = {};
  const actions: ActionCount[] = [];
  const stats: Record<string, number> = {};
  const bounds: Record<string, number> = { compute: computeCycles };
  let outerWords = 0;
  let cycles = computeCycles;
  let bottleneck = 'compute';
  levels.forEach((level, i) => {
    const traffic: LevelTraffic = { readBytes: 0, writeBytes: 0, perTensor: {} };
    const bytesPerWord = level.wordBits / 8;
    let reads = 0;
    let writes = 0;
    problem.tensors.forEach((tensor, t) => {
      if (!mapping.keep[i][t]) return;
      const s = e.stats[i][t];
      const a = sparseAccounting(level, tensor.name, s, densities);
      const readBytes = (a.reads + a.metadataReads) * s.instances * bytesPerWord;
      const writeBytes = (a.fills + a.updates + a.metadataFills) * s.instances * bytesPerWord;
      traffic.perTensor[tensor.name] = { readBytes, writeBytes };
      traffic.readBytes += readBytes;
      traffic.writeBytes += writeBytes;
      reads += a.reads + a.gatedReads + a.metadataReads;
      writes += a.fills + a.updates + a.metadataFills;
      const cell: [string, number][] = [['reads', a.reads], ['fills', a.fills], ['updates', a.updates], ['tile', s.tile], ['instances', s.instances]];
      if (a.metadataReads || a.metadataFills) cell.push(['metadata_reads', a.metadataReads], ['metadata_fills', a.metadataFills]);
      if (a.skippedReads || a.gatedReads) cell.push(['skipped_reads', a.skippedReads + a.gatedReads]);
      for (const [key, value] of cell) stats[`${level.name}.${tensor.name}.${key}`] = value;
      if (i === 0) outerWords += (a.reads + a.fills + a.updates + a.metadataReads + a.metadataFills) * s.instances;
      const vector = (words: number) => Math.ceil(words / level.blockSize) * s.instances;
      const price = (action: string, words: number, energy: number) => actions.push({ component: level.name, action: `${tensor.name}.${action}`, count: vector(words), energyPerActionJ: energy });
      price('read', a.reads, level.energy.read);
      price('fill', a.fills, level.energy.write);
      price('update', a.updates, level.energy.update);
      price('metadata_read', a.metadataReads, level.energy.metadataRead);
      price('metadata_fill', a.metadataFills, level.energy.metadataWrite);
      price('skipped_read', a.skippedReads, level.energy.skippedRead);
      price('gated_read', a.gatedReads, level.energy.gatedRead);
    });
    if (level.energy.leak > 0) actions.push({ component: level.name, action: 'leak', count: level.instances * computeCycles, energyPerActionJ: level.energy.leak });
    memory[level.name] = traffic;
    const slowdown = throttle(level, reads, writes, computeCycles);
    const levelCycles = Math.ceil(computeCycles / slowdown);
    stats[`${level.name}.slowdown`] = slowdown;
    stats[`${level.name}.cycles`] = levelCycles;
    bounds[level.name] = levelCycles;
    if (levelCycles > cycles) {
      cycles = levelCycles;
      bottleneck = level.name;
    }
  });
  const zeroMacs = e.macs * (1 - effectual);
  const priced = compute.zeros === 'dense' ? e.macs : e.macs - zeroMacs;
  actions.push({ component: compute.name, action: 'mac', count: priced, energyPerActionJ: compute.energy.mac });
  if (compute.zeros === 'gating') actions.push({ component: compute.name, action: 'gated_mac', count: zeroMacs, energyPerActionJ: compute.energy.gated });
  if (compute.zeros === 'skipping') actions.push({ component: compute.name, action: 'skipped_mac', count: zeroMacs, energyPerActionJ: compute.energy.skipped });
  if (compute.zeros !== 'dense' && zeroMacs > 0) stats['macs.skipped'] = zeroMacs;
  stats.dram_accesses_per_mac = outerWords / macs;
  stats['mapper.evaluated'] = run.evaluated;
  stats['mapper.valid'] = run.valid;
  const notes = [
    `${run.source === 'mapper' ? `mapper (${config.mapper.objective}, seed ${config.mapper.seed}, ${count(run.evaluated, 'mappings')} evaluated, ${count(run.valid, 'valid')})` : 'user mapping'}; loop nest (tile words per tensor):`,
    ...formatLoopNest(config.hardware, problem, mapping, e.stats.map((row) => row.map((s) => s.tile))),
    `mapping: ${formatMappingYaml(config.hardware, problem, mapping)}`,
  ];
  if (e.macs > macs) notes.push(`imperfect factors: ${e.macs} loop iterations for ${macs} MACs (padding counted as work)`);
  if (effectual < 1) notes.push(`sparse features priced statistically (independent uniform zeros; input density ${densities.input.density.toPrecision(3)}, weight density ${densities.weight.density.toPrecision(3)}); the mapper searched on dense counts${compute.zeros === 'skipping' ? '; skipped MACs assume ideal load balance' : ''}`);
  return {
    cycles,
    computeCycles,
    stallCycles: cycles - computeCycles,
    macs: { dense: macs, issued: compute.zeros === 'skipping' ? macs * effectual : e.macs, effectual: macs * effectual },
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
  estimateWork: estimateSpatialWork,
  configure(arch: ArchSpec): SpatialConfig {
    return configureSpatial(arch);
  },
  clockHz(config) {
    return config.clockHz;
  },
  peakMacsPerCycle(config) {
    return config.hardware.compute.instances;
  },
  simulateOperator(config, op, context) {
    if (op.kind !== 'gemm' && op.kind !== 'batched_matmul' && op.kind !== 'conv2d') throw new Error(`spatial family: unsupported operator kind ${op.kind}`);
    return simulateSpatial(config, op, context);
  },
};
