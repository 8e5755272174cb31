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
  type Datatype,
  type EnergyAction,
  type LevelTraffic,
  type OperatorResult,
  type Result,
  type SimulateOptions,
  type TotalResult,
  type Workload,
} from './types.js';
import { inputError } from '../spec/errors.js';
import type { MaskCache } from './operand-sparsity.js';
import { simulateServing } from '../llm/serving.js';
import { checkBudget } from './budget.js';
import { assertFiniteResult } from './result-check.js';

/**
 * `masks` lets callers that simulate the same workload many times (compare, sweeps) share the
 * concrete masks they generate; a mask depends only on its pattern, shape and seed.
 */
/** Called after each operator (the CLI draws progress on stderr from it; the core does no I/O). */
export type OperatorProgress = (done: number, total: number, name: string) => void;

export function simulate(arch: ArchSpec, workload: Workload, options: Partial<SimulateOptions> = {}, masks: MaskCache = new Map(), onOperator?: OperatorProgress): Result {
  if (!workload.serving) return simulateOperators(arch, workload, options, masks, onOperator);
  // LLM workloads (a `serving` block) go through src/llm: generation, collectives, capacity, serving metrics.
  const result = simulateServing(arch, workload, options, masks, simulateOperators);
  assertFiniteResult(result, workload);
  return result;
}

/** Simulates the workload's operators as listed, one after the other, on one device. */
export function simulateOperators(arch: ArchSpec, workload: Workload, options: Partial<SimulateOptions> = {}, masks: MaskCache = new Map(), onOperator?: OperatorProgress): Result {
  const { budget, ...requested }: SimulateOptions = { ...DEFAULT_OPTIONS, ...options };
  const family = findFamily(arch.family);
  if (!family) throw inputError({ file: arch.file, keyPath: 'family', message: `unknown family '${arch.family}'` });
  // The Result records the engine that ran, not the one asked for.
  const engineNote = family.engines && !family.engines.includes(requested.engine) ? `engine: ${requested.engine} was requested; the ${family.id} family has only the ${family.engines[0]} engine, which ran` : undefined;
  const resolvedOptions: SimulateOptions = engineNote ? { ...requested, engine: family.engines![0] } : requested;
  const config = family.configure(arch);
  const baseTable = ENERGY_TABLES[arch.energy.table];
  if (!baseTable) throw inputError({ file: arch.file, keyPath: 'energy.table', message: `unknown energy table '${arch.energy.table}'` });
  const energy = withOverrides(baseTable, arch.energy.overrides);
  const clockHz = family.clockHz(config);
  const nominalPeak = family.peakMacsPerCycle(config);
  const peakFor = (dtype: Datatype) => (family.peakMacsPerCycleFor ? family.peakMacsPerCycleFor(config, dtype) : nominalPeak);
  checkBudget(family, config, workload, resolvedOptions, budget);

  const peaks: number[] = [];
  const operators: OperatorResult[] = workload.operators.map((op, index) => {
    if (!family.operatorKinds.includes(op.kind)) throw unsupportedOperator(family, arch, workload, index);
    const sim = family.simulateOperator(config, op, { options: resolvedOptions, energy, masks, workloadFile: workload.file, operatorIndex: index });
    peaks.push(sim.peakMacsPerCycle ?? peakFor(op.dtype));
    onOperator?.(index + 1, workload.operators.length, op.name);
    return operatorResult(op, withStaticPower(sim, arch, clockHz), clockHz, peaks[index]);
  });
  // The header peak is the workload's datatype: the one carrying the most dense MACs.
  const byDtype: Partial<Record<Datatype, number>> = {};
  const macsByDtype = new Map<Datatype, number>();
  operators.forEach((op, index) => {
    byDtype[op.dtype] = peaks[index];
    macsByDtype.set(op.dtype, (macsByDtype.get(op.dtype) ?? 0) + op.macs.dense);
  });
  let peak = nominalPeak;
  let most = -1;
  for (const [dtype, macs] of macsByDtype) if (macs > most) [most, peak] = [macs, byDtype[dtype]!];

  const result: Result = {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    arch: { name: arch.name, family: arch.family, file: arch.file, hash: arch.hash, clockHz, peakMacsPerCycle: peak, peakMacsPerCycleByDtype: byDtype },
    workload: { name: workload.name, file: workload.file, hash: workload.hash },
    options: resolvedOptions,
    operators,
    total: totals(operators, peaks, clockHz),
    notes: engineNote ? [engineNote, ...collectNotes(operators)] : collectNotes(operators),
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

/**
 * Static/idle power (`power.static`, declared per family) is energy = power × time. A family that
 * charges it itself (its actions carry a `static` component, as dsp-chain does) is left alone.
 */
function withStaticPower(sim: OperatorSimulation, arch: ArchSpec, clockHz: number): OperatorSimulation {
  const watts = arch.values['power.static'];
  if (typeof watts !== 'number' || watts <= 0 || sim.actions.some((a) => a.component === 'static')) return sim;
  const source = String(arch.values['power.source'] ?? '');
  const action = { component: 'static', action: `static power (${watts} W × time)`, count: sim.cycles / clockHz, energyPerActionJ: watts };
  return { ...sim, actions: [...sim.actions, action], notes: [...sim.notes, `static power ${watts} W charged for the whole run (${source})`] };
}

// Per-operator and total traffic loop with for…in rather than Object.entries: the same key order
// on these plain records, without an entries array per level and tensor on every sweep point.
function scaleTraffic(memory: Record<string, LevelTraffic>, factor: number): Record<string, LevelTraffic> {
  const scaled: Record<string, LevelTraffic> = {};
  for (const level in memory) {
    const t = memory[level];
    const perTensor: LevelTraffic['perTensor'] = {};
    for (const tensor in t.perTensor) {
      const v = t.perTensor[tensor];
      perTensor[tensor] = { readBytes: v.readBytes * factor, writeBytes: v.writeBytes * factor };
    }
    scaled[level] = { readBytes: t.readBytes * factor, writeBytes: t.writeBytes * factor, perTensor };
  }
  return scaled;
}

function operatorResult(op: Workload['operators'][number], sim: OperatorSimulation, clockHz: number, peak: number): OperatorResult {
  const n = op.count;
  // One loop, and actions built field by field (no object spread): this runs for every operator
  // of every sweep point. The key order is the spread's, so the JSON is unchanged.
  const actions: EnergyAction[] = [];
  const components: Record<string, number> = {};
  let totalJ = 0;
  for (const a of sim.actions) {
    if (!(a.count > 0)) continue;
    const count = a.count * n;
    const energyJ = count * a.energyPerActionJ;
    actions.push({ component: a.component, action: a.action, count, energyPerActionJ: a.energyPerActionJ, energyJ });
    components[a.component] = (components[a.component] ?? 0) + energyJ;
    totalJ += energyJ;
  }
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
    peakMacsPerCycle: peak,
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

export function totals(operators: OperatorResult[], peaks: number[], clockHz: number): TotalResult {
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
    for (const c in op.energy.components) components[c] = (components[c] ?? 0) + op.energy.components[c];
    for (const level in op.memory) {
      const t = op.memory[level];
      const into = (memory[level] ??= { readBytes: 0, writeBytes: 0, perTensor: {} });
      into.readBytes += t.readBytes;
      into.writeBytes += t.writeBytes;
      for (const tensor in t.perTensor) {
        const v = t.perTensor[tensor];
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
