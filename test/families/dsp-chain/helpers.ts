// Test helpers for the dsp-chain family that work whether or not the family is in the global
// registry yet: specs are built from the family's own declarations and results come from the
// core's simulate() when the family is registered, otherwise from an equivalent local roll-up of
// the family's operator simulations (count scaling, Σ actions) — nothing is registered globally.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../../src/core/simulate.js';
import { ENERGY_TABLES, withOverrides } from '../../../src/core/energy-tables.js';
import { DEFAULT_OPTIONS, type ArchSpec, type Result, type SimulateOptions, type Workload } from '../../../src/core/types.js';
import { findFamily } from '../../../src/families/registry.js';
import { dspChainFamily } from '../../../src/families/dsp-chain/index.js';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { expectMap, expectString, resolveDeclared, resolveNamedParameters, resolveParam, type ResolveContext } from '../../../src/spec/resolve.js';
import { parseSpecText } from '../../../src/spec/yaml-source.js';
import { ROOT } from '../../helpers.js';

export const registered = (): boolean => findFamily('dsp-chain') !== undefined;

/** An ArchSpec from YAML text, validated against the dsp-chain declarations (and configure). */
export function dspArch(text: string, file = 'test-arch.yaml'): ArchSpec {
  if (registered()) return loadArchText(text, file);
  const { root } = parseSpecText(text, file);
  const context: ResolveContext = { file, scope: new Map() };
  const map = expectMap(root, context, '', 'an architecture mapping');
  const name = map.entries.has('name') ? expectString(map.entries.get('name')!.node, context, 'name') : file;
  if (map.entries.has('parameters')) resolveNamedParameters(map.entries.get('parameters')!.node, context);
  const values = resolveDeclared(map, dspChainFamily.params, context, '', ['family', 'name', 'description', 'sources', 'parameters', 'energy']);
  let energy: ArchSpec['energy'] = { table: 'horowitz-45nm', overrides: {} };
  const energyEntry = map.entries.get('energy');
  if (energyEntry) {
    const energyMap = expectMap(energyEntry.node, context, 'energy', 'energy');
    const table = energyMap.entries.has('table') ? expectString(energyMap.entries.get('table')!.node, context, 'energy.table') : 'horowitz-45nm';
    const overrides: Record<string, number> = {};
    const overridesEntry = energyMap.entries.get('overrides');
    if (overridesEntry) {
      for (const [key, { node }] of expectMap(overridesEntry.node, context, 'energy.overrides', 'overrides').entries) {
        overrides[key] = resolveParam({ key, type: 'quantity', dimension: 'energy', min: 0, description: '' }, node, context, `energy.overrides.${key}`) as number;
      }
    }
    energy = { table, overrides };
  }
  const spec: ArchSpec = { family: 'dsp-chain', name, file, sources: [], values, energy, hash: 'test' };
  dspChainFamily.configure(spec);
  return spec;
}

export const presetText = (name: string): string => readFileSync(join(ROOT, 'arch', name), 'utf8');
export const workloadText = (name: string): string => readFileSync(join(ROOT, 'workloads', name), 'utf8');
export const preset = (name: string, edit: (text: string) => string = (t) => t): ArchSpec => dspArch(edit(presetText(name)), name);
export const workload = (name: string, edit: (text: string) => string = (t) => t): Workload => loadWorkloadText(edit(workloadText(name)), name);

/** simulate() through the registry when possible; otherwise the same roll-up done locally. */
export function run(arch: ArchSpec, w: Workload, options: Partial<SimulateOptions> = {}): Result {
  if (registered()) return simulate(arch, w, options);
  const resolved: SimulateOptions = { ...DEFAULT_OPTIONS, ...options };
  const config = dspChainFamily.configure(arch);
  const energy = withOverrides(ENERGY_TABLES[arch.energy.table], arch.energy.overrides);
  const clockHz = dspChainFamily.clockHz(config);
  const masks = new Map();
  const operators = w.operators.map((op, index) => {
    const sim = dspChainFamily.simulateOperator(config, op, { options: resolved, energy, masks, workloadFile: w.file, operatorIndex: index });
    const n = op.count;
    const actions = sim.actions.filter((a) => a.count > 0).map((a) => ({ ...a, count: a.count * n, energyJ: a.count * n * a.energyPerActionJ }));
    const components: Record<string, number> = {};
    for (const a of actions) components[a.component] = (components[a.component] ?? 0) + a.energyJ;
    const totalJ = actions.reduce((s, a) => s + a.energyJ, 0);
    const memory: Result['operators'][number]['memory'] = {};
    for (const [level, t] of Object.entries(sim.memory)) {
      const perTensor: Record<string, { readBytes: number; writeBytes: number }> = {};
      for (const [k, v] of Object.entries(t.perTensor)) perTensor[k] = { readBytes: v.readBytes * n, writeBytes: v.writeBytes * n };
      memory[level] = { readBytes: t.readBytes * n, writeBytes: t.writeBytes * n, perTensor };
    }
    const bounds: Record<string, number> = {};
    for (const [k, v] of Object.entries(sim.bounds)) bounds[k] = v * n;
    const macs = { dense: sim.macs.dense * n, issued: sim.macs.issued * n, effectual: sim.macs.effectual * n };
    const peak = sim.peakMacsPerCycle ?? dspChainFamily.peakMacsPerCycle(config);
    return {
      name: op.name,
      kind: op.kind,
      count: n,
      shape: { m: 0, n: 0, k: 0, batch: 1 },
      dtype: op.dtype,
      cycles: sim.cycles * n,
      computeCycles: sim.computeCycles * n,
      stallCycles: sim.stallCycles * n,
      seconds: (sim.cycles * n) / clockHz,
      utilization: sim.cycles > 0 ? macs.effectual / (peak * sim.cycles * n) : 0,
      macs,
      memory,
      energy: { components, totalJ, actions },
      pJPerMac: { dense: macs.dense > 0 ? (totalJ / macs.dense) * 1e12 : 0, effectual: macs.effectual > 0 ? (totalJ / macs.effectual) * 1e12 : 0 },
      bounds,
      bottleneck: sim.bottleneck,
      stats: sim.stats,
      notes: sim.notes,
    };
  });
  const total = {
    cycles: operators.reduce((s, o) => s + o.cycles, 0),
    computeCycles: operators.reduce((s, o) => s + o.computeCycles, 0),
    stallCycles: operators.reduce((s, o) => s + o.stallCycles, 0),
    seconds: operators.reduce((s, o) => s + o.cycles, 0) / clockHz,
    utilization: 0,
    macs: {
      dense: operators.reduce((s, o) => s + o.macs.dense, 0),
      issued: operators.reduce((s, o) => s + o.macs.issued, 0),
      effectual: operators.reduce((s, o) => s + o.macs.effectual, 0),
    },
    memory: {} as Result['total']['memory'],
    energy: { components: {} as Record<string, number>, totalJ: operators.reduce((s, o) => s + o.energy.totalJ, 0) },
    pJPerMac: { dense: 0, effectual: 0 },
    bottleneck: 'none',
  };
  const byBottleneck = new Map<string, number>();
  for (const o of operators) {
    byBottleneck.set(o.bottleneck, (byBottleneck.get(o.bottleneck) ?? 0) + o.cycles);
    for (const [c, j] of Object.entries(o.energy.components)) total.energy.components[c] = (total.energy.components[c] ?? 0) + j;
    for (const [level, t] of Object.entries(o.memory)) {
      const into = (total.memory[level] ??= { readBytes: 0, writeBytes: 0, perTensor: {} });
      into.readBytes += t.readBytes;
      into.writeBytes += t.writeBytes;
      for (const [k, v] of Object.entries(t.perTensor)) {
        const slot = (into.perTensor[k] ??= { readBytes: 0, writeBytes: 0 });
        slot.readBytes += v.readBytes;
        slot.writeBytes += v.writeBytes;
      }
    }
  }
  total.bottleneck = [...byBottleneck].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'none';
  return {
    schema: 'accsim.result',
    version: 1,
    arch: { name: arch.name, family: arch.family, file: arch.file, hash: arch.hash, clockHz, peakMacsPerCycle: dspChainFamily.peakMacsPerCycle(config) },
    workload: { name: w.name, file: w.file, hash: w.hash },
    options: resolved,
    operators,
    total,
    notes: [...new Set(operators.flatMap((o) => o.notes))],
  } as Result;
}

/** Tokens per second of a one-token decode workload: 1 / seconds of the step. */
export const tokensPerSecond = (result: Result): number => 1 / result.total.seconds;

/** Seconds per operator phase (the workload's operators, in order, carry the phase). */
export function secondsByPhase(result: Result, w: Workload): Record<string, number> {
  const out: Record<string, number> = {};
  result.operators.forEach((op, i) => {
    const source = w.operators[i];
    const phase = 'phase' in source ? source.phase : 'inference';
    out[phase] = (out[phase] ?? 0) + op.seconds;
  });
  return out;
}
