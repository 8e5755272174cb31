// The pure core: simulate(arch, workload, options) → Result. No I/O, no globals, no mathjs;
// randomness only from options.seed. Families compute per-operator counts; this layer prices the
// energy actions, scales by operator count and aggregates totals.

import { findFamily } from '../families/registry.js';
import type { OperatorSimulation } from '../families/family.js';
import { ENERGY_TABLES, withOverrides } from './energy-tables.js';
import {
  DEFAULT_OPTIONS,
  RESULT_SCHEMA,
  RESULT_VERSION,
  isGemmLike,
  type ArchSpec,
  type LevelTraffic,
  type OperatorResult,
  type Result,
  type SimulateOptions,
  type TotalResult,
  type Workload,
} from './types.js';
import { inputError } from '../spec/errors.js';
import type { MaskCache } from './operand-sparsity.js';
import { checkBudget } from './budget.js';
import { assertFiniteResult } from './result-check.js';

/**
 * `masks` lets callers that simulate the same workload many times (compare, sweeps) share the
 * concrete masks they generate; a mask depends only on its pattern, shape and seed.
 */
export function simulate(arch: ArchSpec, workload: Workload, options: Partial<SimulateOptions> = {}, masks: MaskCache = new Map()): Result {
  const { budget, ...resolvedOptions }: SimulateOptions = { ...DEFAULT_OPTIONS, ...options };
  const family = findFamily(arch.family);
  if (!family) throw inputError({ file: arch.file, keyPath: 'family', message: `unknown family '${arch.family}'` });
  const config = family.configure(arch);
  const baseTable = ENERGY_TABLES[arch.energy.table];
  if (!baseTable) throw inputError({ file: arch.file, keyPath: 'energy.table', message: `unknown energy table '${arch.energy.table}'` });
  const energy = withOverrides(baseTable, arch.energy.overrides);
  const clockHz = family.clockHz(config);
  const peak = family.peakMacsPerCycle(config);
  checkBudget(family, config, workload, resolvedOptions, budget);

  const peaks: number[] = [];
  const operators: OperatorResult[] = workload.operators.map((op, index) => {
    if (!family.operatorKinds.includes(op.kind)) throw unsupportedOperator(family, arch, workload, index);
    const sim = family.simulateOperator(config, op, { options: resolvedOptions, energy, masks, workloadFile: workload.file, operatorIndex: index });
    peaks.push(sim.peakMacsPerCycle ?? peak);
    return operatorResult(op, sim, clockHz, peaks[index]);
  });

  const result: Result = {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    arch: { name: arch.name, family: arch.family, file: arch.file, hash: arch.hash, clockHz, peakMacsPerCycle: peak },
    workload: { name: workload.name, file: workload.file, hash: workload.hash },
    options: resolvedOptions,
    operators,
    total: totals(operators, peaks, clockHz),
    notes: collectNotes(operators),
  };
  assertFiniteResult(result, workload);
  return result;
}

/** The error for an operator kind the family cannot run (the CLI adds the source position). */
export function unsupportedOperator(family: { id: string; operatorKinds: readonly string[] }, arch: ArchSpec, workload: Workload, index: number, position?: { line: number; column: number }) {
  const op = workload.operators[index];
  return inputError({
    file: workload.file,
    position,
    keyPath: `operators[${index}].kind`,
    message: `the ${family.id} family (${arch.file}) cannot run operator kind '${op.kind}'`,
    expected: `one of ${family.operatorKinds.join(', ')}`,
  });
}

function scaleTraffic(memory: Record<string, LevelTraffic>, factor: number): Record<string, LevelTraffic> {
  const scaled: Record<string, LevelTraffic> = {};
  for (const [level, t] of Object.entries(memory)) {
    const perTensor: LevelTraffic['perTensor'] = {};
    for (const [tensor, v] of Object.entries(t.perTensor)) perTensor[tensor] = { readBytes: v.readBytes * factor, writeBytes: v.writeBytes * factor };
    scaled[level] = { readBytes: t.readBytes * factor, writeBytes: t.writeBytes * factor, perTensor };
  }
  return scaled;
}

function operatorResult(op: Workload['operators'][number], sim: OperatorSimulation, clockHz: number, peak: number): OperatorResult {
  const n = op.count;
  const actions = sim.actions
    .filter((a) => a.count > 0)
    .map((a) => ({ ...a, count: a.count * n, energyJ: a.count * n * a.energyPerActionJ }));
  const components: Record<string, number> = {};
  for (const a of actions) components[a.component] = (components[a.component] ?? 0) + a.energyJ;
  const totalJ = actions.reduce((sum, a) => sum + a.energyJ, 0);
  const cycles = sim.cycles * n;
  const macs = { dense: sim.macs.dense * n, issued: sim.macs.issued * n, effectual: sim.macs.effectual * n };
  const bounds: Record<string, number> = {};
  for (const [key, value] of Object.entries(sim.bounds)) bounds[key] = value * n;
  const shape = isGemmLike(op) ? { m: op.m, n: op.n, k: op.k, batch: op.batch } : { m: 0, n: 0, k: 0, batch: 1 };
  return {
    name: op.name,
    kind: op.kind,
    count: n,
    shape,
    dtype: op.dtype,
    cycles,
    computeCycles: sim.computeCycles * n,
    stallCycles: sim.stallCycles * n,
    seconds: cycles / clockHz,
    utilization: cycles > 0 ? macs.effectual / (peak * cycles) : 0,
    macs,
    memory: scaleTraffic(sim.memory, n),
    energy: { components, totalJ, actions },
    pJPerMac: {
      dense: macs.dense > 0 ? (totalJ / macs.dense) * 1e12 : 0,
      effectual: macs.effectual > 0 ? (totalJ / macs.effectual) * 1e12 : 0,
    },
    bounds,
    bottleneck: sim.bottleneck,
    stats: sim.stats,
    notes: sim.notes,
  };
}

function totals(operators: OperatorResult[], peaks: number[], clockHz: number): TotalResult {
  const memory: Record<string, LevelTraffic> = {};
  const components: Record<string, number> = {};
  let cycles = 0;
  let computeCycles = 0;
  let stallCycles = 0;
  let totalJ = 0;
  // Σ peak × cycles over operators, so mixed datatypes (different peaks) weigh correctly.
  let peakMacSlots = 0;
  const macs = { dense: 0, issued: 0, effectual: 0 };
  const cyclesByBottleneck = new Map<string, number>();
  operators.forEach((op, index) => {
    cycles += op.cycles;
    peakMacSlots += peaks[index] * op.cycles;
    computeCycles += op.computeCycles;
    stallCycles += op.stallCycles;
    totalJ += op.energy.totalJ;
    macs.dense += op.macs.dense;
    macs.issued += op.macs.issued;
    macs.effectual += op.macs.effectual;
    cyclesByBottleneck.set(op.bottleneck, (cyclesByBottleneck.get(op.bottleneck) ?? 0) + op.cycles);
    for (const [c, j] of Object.entries(op.energy.components)) components[c] = (components[c] ?? 0) + j;
    for (const [level, t] of Object.entries(op.memory)) {
      const into = (memory[level] ??= { readBytes: 0, writeBytes: 0, perTensor: {} });
      into.readBytes += t.readBytes;
      into.writeBytes += t.writeBytes;
      for (const [tensor, v] of Object.entries(t.perTensor)) {
        const slot = (into.perTensor[tensor] ??= { readBytes: 0, writeBytes: 0 });
        slot.readBytes += v.readBytes;
        slot.writeBytes += v.writeBytes;
      }
    }
  });
  // The whole workload's bottleneck: the one that accounts for the most cycles.
  let bottleneck = 'none';
  let most = -1;
  for (const [name, c] of cyclesByBottleneck) {
    if (c > most) {
      most = c;
      bottleneck = name;
    }
  }
  return {
    cycles,
    computeCycles,
    stallCycles,
    seconds: cycles / clockHz,
    utilization: peakMacSlots > 0 ? macs.effectual / peakMacSlots : 0,
    macs,
    memory,
    energy: { components, totalJ },
    pJPerMac: { dense: macs.dense > 0 ? (totalJ / macs.dense) * 1e12 : 0, effectual: macs.effectual > 0 ? (totalJ / macs.effectual) * 1e12 : 0 },
    bottleneck,
  };
}

function collectNotes(operators: OperatorResult[]): string[] {
  const seen = new Set<string>();
  for (const op of operators) for (const note of op.notes) seen.add(note);
  return [...seen];
}
