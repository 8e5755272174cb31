// The deterministic point list of a sweep. Pure: file contents come in as text.
//
// Axes come from the sweep file first, then from --set, in the order given. Design points are
//  - grid: the product of all axes, the first axis varying slowest (an odometer);
//  - random: `count` distinct grid points drawn without replacement with the seeded Rng, in grid
//    order (the whole grid when count ≥ its size);
//  - latin-hypercube: `count` points; for each axis a seeded permutation π of 0..count-1 and a
//    uniform u per point give value index floor((π(j) + u) / count · V) of that axis's V values,
//    so every axis is stratified into `count` equal strata (several strata share a value when
//    V < count). In sampling order.
// Constraints are applied to the sampled design points in order; points that violate one are
// dropped (not written) and counted in run.json's skippedByConstraints. Each remaining design
// point runs every workload: point index = design × workloads + workload.

import { createHash } from 'node:crypto';
import { inputError } from '../spec/errors.js';
import { archFromTree } from '../spec/load-arch.js';
import { workloadFromTree, type MaskReader, type MatrixReader } from '../spec/load-workload.js';
import type { ModelReader } from '../llm/load.js';
import type { Quantity } from '../spec/quantity.js';
import { findFamily } from '../families/registry.js';
import type { ArchSpec, Convention, EngineKind, SimulateOptions } from '../core/types.js';
import { Rng, deriveSeed } from '../core/random.js';
import { SWEEP_RUN_SCHEMA, type SweepRun } from './types.js';
import { baseTreeFromText } from './spec-tree.js';
import { resolveAxisTarget, type AxisTarget } from './paths.js';
import { parseValuesText, type AxisValue, type ValueSource } from './values.js';
import { parseSweepFile, type SamplingKind } from './sweep-file.js';
import { baseScope, compileConstraint, evaluateConstraint, quantityOf, sanitizeName, type Constraint } from './constraints.js';

/** A base spec file as the sweep uses it: its text travels to every worker. */
export interface BaseFile {
  /** Name shown in messages and recorded in points (relative to the working directory). */
  file: string;
  /** Absolute path (matrix files are read relative to it). */
  path: string;
  text: string;
  /** Content hash of the resolved spec (ArchSpec.hash / Workload.hash). */
  hash: string;
}

export interface SweepAxis {
  /** The path as the user wrote it; the key of this axis in SweepPoint.params. */
  path: string;
  target: AxisTarget;
  values: AxisValue[];
}

/** Everything a worker needs to evaluate any point of the sweep (plain, serialisable). */
export interface SweepDefinition {
  arch: BaseFile;
  workloads: BaseFile[];
  axes: SweepAxis[];
  sampling: { kind: SamplingKind; count?: number };
  constraints: string[];
  seed: number;
  engine: EngineKind;
  convention: Convention;
  sparsityMode: SimulateOptions['sparsityMode'];
}

export interface SweepPlan {
  definition: SweepDefinition;
  /** Value indices of the kept design points, `axes.length` per point, in point order. */
  designs: Int32Array;
  designCount: number;
  /** Design points sampled before constraints. */
  sampledDesigns: number;
  /** designCount × workloads. */
  totalPoints: number;
  /** (sampledDesigns − designCount) × workloads. */
  skippedByConstraints: number;
  /** Fingerprint of everything that decides the point list and each point's result (not the shard). */
  runId: string;
}

/** One point to evaluate: its index, which workload, and the value index on each axis. */
export interface PointTask {
  index: number;
  workload: number;
  values: number[];
}

export interface PlanInput {
  arch: Omit<BaseFile, 'hash'>;
  workloads: Array<Omit<BaseFile, 'hash'>>;
  /** `PATH=VALUES` texts from --set. */
  sets: string[];
  sweepFile?: { file: string; text: string };
  /** Extra constraints from the command line. */
  constraints?: string[];
  seed?: number;
  engine?: EngineKind;
  convention?: Convention;
  sparsityMode?: SimulateOptions['sparsityMode'];
  readMatrix?: (base: Omit<BaseFile, 'hash'>) => MatrixReader | undefined;
  readMask?: (base: Omit<BaseFile, 'hash'>) => MaskReader | undefined;
  readModel?: (base: Omit<BaseFile, 'hash'>) => ModelReader | undefined;
}

/** Largest grid enumerated; beyond it, sample (random or latin-hypercube with a count). */
export const MAX_GRID_POINTS = 20_000_000;
const COMMAND_LINE = '<command line>';

export function buildPlan(input: PlanInput): SweepPlan {
  // Validate the base files once (an invalid base is the user's error: exit 2, no sweep).
  const archTree = baseTreeFromText(input.arch.text, input.arch.file);
  const archSpec = archFromTree(archTree.root, input.arch.file);
  const workloadTrees = input.workloads.map((w) => baseTreeFromText(w.text, w.file));
  const workloadSpecs = input.workloads.map((w, i) => workloadFromTree(workloadTrees[i].root, w.file, input.readMatrix?.(w), input.readMask?.(w), input.readModel?.(w)));
  const seen = new Set<string>();
  for (const w of input.workloads) {
    if (seen.has(w.path)) throw inputError({ file: COMMAND_LINE, keyPath: '--workload', message: `${w.file} is given twice` });
    seen.add(w.path);
  }

  const sweepFile = input.sweepFile ? parseSweepFile(input.sweepFile.text, input.sweepFile.file) : undefined;
  const bases = { arch: { file: input.arch.file, plain: archTree.plain }, workloads: input.workloads.map((w, i) => ({ file: w.file, plain: workloadTrees[i].plain })) };
  const declared: Array<{ path: string; values: AxisValue[]; where: ValueSource }> = [...(sweepFile?.axes ?? [])];
  for (const set of input.sets) {
    const equals = set.indexOf('=');
    const where: ValueSource = { file: COMMAND_LINE, keyPath: `--set ${equals > 0 ? set.slice(0, equals).trim() : set}` };
    if (equals <= 0) throw inputError({ ...where, message: `'${set}' has no PATH=VALUES form`, expected: 'e.g. compute.rows=32,64,128 or memory.dram.bandwidth=17..68:17GB/s' });
    const path = set.slice(0, equals).trim();
    declared.push({ path, values: parseValuesText(set.slice(equals + 1), where), where });
  }
  const axes: SweepAxis[] = [];
  const targets = new Map<string, string>();
  for (const { path, values, where } of declared) {
    const target = resolveAxisTarget(path, bases, where);
    const key = JSON.stringify(target);
    const previous = targets.get(key);
    if (previous !== undefined) throw inputError({ ...where, message: `'${path}' sets the same key as '${previous}'`, expected: 'each path once' });
    if (axes.some((a) => sanitizeName(a.path) === sanitizeName(path))) {
      throw inputError({ ...where, message: `'${path}' has the same constraint name (${sanitizeName(path)}) as another axis` });
    }
    targets.set(key, path);
    axes.push({ path, target, values });
  }

  const constraintSources = [...(sweepFile?.constraints ?? []), ...(input.constraints ?? []).map((text, i) => ({ text, where: { file: COMMAND_LINE, keyPath: `--constraint[${i}]` } as ValueSource }))];
  const constraints = constraintSources.map(({ text, where }) => compileConstraint(text, axes.map((a) => a.path), where));
  const sampling = sweepFile?.sampling ? { kind: sweepFile.sampling.kind, count: sweepFile.sampling.count } : { kind: 'grid' as SamplingKind };
  const seed = input.seed ?? sweepFile?.seed ?? 1;

  const definition: SweepDefinition = {
    arch: { ...input.arch, hash: archSpec.hash },
    workloads: input.workloads.map((w, i) => ({ ...w, hash: workloadSpecs[i].hash })),
    axes,
    sampling,
    constraints: constraints.map((c) => c.text),
    seed,
    engine: input.engine ?? 'event',
    convention: input.convention ?? 'accsim',
    sparsityMode: input.sparsityMode ?? 'statistical',
  };

  const sampled = sampleDesigns(axes.map((a) => a.values.length), sampling, seed);
  const keep = constraintFilter(axes, constraints, archSpec);
  const arity = axes.length;
  const kept: number[] = [];
  let designCount = 0;
  const sampledCount = arity === 0 ? 1 : sampled.length / arity;
  for (let d = 0; d < sampledCount; d++) {
    const values = sampled.subarray(d * arity, (d + 1) * arity);
    if (!keep(values)) continue;
    for (const v of values) kept.push(v);
    designCount++;
  }
  const W = definition.workloads.length;
  const plan: SweepPlan = {
    definition,
    designs: Int32Array.from(kept),
    designCount,
    sampledDesigns: sampledCount,
    totalPoints: designCount * W,
    skippedByConstraints: (sampledCount - designCount) * W,
    runId: '',
  };
  plan.runId = runIdOf(runIdentity(runRecord(plan, { argv: [], toolVersion: '' })));
  return plan;
}

export function taskOf(plan: SweepPlan, index: number): PointTask {
  const W = plan.definition.workloads.length;
  const arity = plan.definition.axes.length;
  const design = Math.floor(index / W);
  return { index, workload: index % W, values: Array.from(plan.designs.subarray(design * arity, (design + 1) * arity)) };
}

// ---- sampling ---------------------------------------------------------------------------------

/** Value indices of the sampled design points (`sizes.length` per point). */
export function sampleDesigns(sizes: readonly number[], sampling: { kind: SamplingKind; count?: number }, seed: number): Int32Array {
  const arity = sizes.length;
  if (arity === 0) return new Int32Array(0);
  const gridSize = sizes.reduce((a, b) => a * b, 1);
  const decode = (g: number, out: Int32Array, at: number) => {
    for (let a = arity - 1; a >= 0; a--) {
      out[at + a] = g % sizes[a];
      g = Math.floor(g / sizes[a]);
    }
  };
  const rng = new Rng(deriveSeed(seed, `sweep-sampling:${sampling.kind}`));
  if (sampling.kind === 'latin-hypercube') {
    const count = sampling.count ?? 1;
    const out = new Int32Array(count * arity);
    for (let a = 0; a < arity; a++) {
      const permutation = Array.from({ length: count }, (_, i) => i);
      for (let i = count - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [permutation[i], permutation[j]] = [permutation[j], permutation[i]];
      }
      for (let j = 0; j < count; j++) out[j * arity + a] = Math.min(sizes[a] - 1, Math.floor(((permutation[j] + rng.nextFloat()) / count) * sizes[a]));
    }
    return out;
  }
  if (sampling.kind === 'random' && (sampling.count ?? 0) < gridSize) {
    const count = sampling.count ?? 1;
    const chosen = new Set<number>();
    // 53-bit uniform draws so grids beyond 2^32 points are sampled evenly.
    const draw = () => Math.floor(((rng.nextUint32() * 2 ** 21 + (rng.nextUint32() >>> 11)) / 2 ** 53) * gridSize);
    if (count <= gridSize / 2) {
      while (chosen.size < count) chosen.add(draw());
    } else {
      // Dense sample: choose the points to leave out instead (fewer draws).
      const excluded = new Set<number>();
      while (excluded.size < gridSize - count) excluded.add(draw());
      for (let g = 0; g < gridSize; g++) if (!excluded.has(g)) chosen.add(g);
    }
    const sorted = [...chosen].sort((a, b) => a - b);
    const out = new Int32Array(sorted.length * arity);
    sorted.forEach((g, d) => decode(g, out, d * arity));
    return out;
  }
  if (gridSize > MAX_GRID_POINTS) {
    throw inputError({ file: COMMAND_LINE, keyPath: 'axes', message: `the grid has ${gridSize} points, more than ${MAX_GRID_POINTS}`, expected: 'fewer values, or sampling: random / latin-hypercube with a count in a sweep file' });
  }
  const out = new Int32Array(gridSize * arity);
  for (let g = 0; g < gridSize; g++) decode(g, out, g * arity);
  return out;
}

// ---- constraints ------------------------------------------------------------------------------

function constraintFilter(axes: readonly SweepAxis[], constraints: readonly Constraint[], arch: ArchSpec): (values: Int32Array) => boolean {
  if (constraints.length === 0) return () => true;
  const family = findFamily(arch.family);
  const dimensions = new Map<string, Quantity['dimension']>();
  for (const decl of family?.params ?? []) if (decl.type === 'quantity') dimensions.set(decl.key, decl.dimension);
  const base = baseScope(arch.values, dimensions);
  const names = axes.map((a) => sanitizeName(a.path));
  const quantities = axes.map((a) => a.values.map(quantityOf));
  // A constraint depends only on the axes it names: memoise on their value indices, so a grid of
  // millions of points evaluates each constraint once per distinct combination.
  const memo = constraints.map(() => new Map<string, boolean>());
  return (values) =>
    constraints.every((constraint, c) => {
      const key = constraint.axes.map((a) => values[a]).join(',');
      let ok = memo[c].get(key);
      if (ok === undefined) {
        const scope = new Map(base);
        for (const a of constraint.axes) {
          const quantity = quantities[a][values[a]];
          if (quantity) scope.set(names[a], quantity);
          else scope.delete(names[a]);
        }
        ok = evaluateConstraint(constraint, scope);
        memo[c].set(key, ok);
      }
      return ok;
    });
}

// ---- run.json ---------------------------------------------------------------------------------

export function runRecord(plan: SweepPlan, extra: { argv: string[]; toolVersion: string; shard?: { index: number; count: number }; createdAt?: string }): SweepRun {
  const d = plan.definition;
  const run: SweepRun = {
    schema: SWEEP_RUN_SCHEMA,
    version: 1,
    toolVersion: extra.toolVersion,
    createdAt: extra.createdAt ?? new Date().toISOString(),
    arguments: extra.argv,
    arch: { file: d.arch.file, hash: d.arch.hash },
    workloads: d.workloads.map((w) => ({ file: w.file, hash: w.hash })),
    seed: d.seed,
    engine: d.engine,
    axes: d.axes.map((a) => {
      const values = a.values.map((v) => v.param);
      const written = a.values.map((v) => v.spec);
      return written.some((w, i) => w !== values[i]) ? { path: a.path, values, written } : { path: a.path, values };
    }),
    sampling: d.sampling.count === undefined ? { kind: d.sampling.kind } : { kind: d.sampling.kind, count: d.sampling.count },
    constraints: d.constraints,
    totalPoints: plan.totalPoints,
    runId: plan.runId || undefined,
    convention: d.convention,
    sparsityMode: d.sparsityMode,
    skippedByConstraints: plan.skippedByConstraints,
  };
  if (!run.runId) delete run.runId;
  if (extra.shard) run.shard = extra.shard;
  return run;
}

/** The fields that make two runs the same sweep (what --resume and merge compare). */
export function runIdentity(run: SweepRun): Record<string, unknown> {
  return {
    arch: run.arch.hash,
    workloads: run.workloads.map((w) => w.hash),
    axes: run.axes.map((a) => ({ path: a.path, values: a.values, written: a.written })),
    sampling: run.sampling,
    constraints: run.constraints,
    seed: run.seed,
    engine: run.engine,
    convention: run.convention ?? 'accsim',
    sparsityMode: run.sparsityMode ?? 'statistical',
    totalPoints: run.totalPoints,
  };
}

export function runIdOf(identity: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}

/** Names of the identity fields in which two runs differ (empty when they are the same sweep). */
export function identityDifferences(a: SweepRun, b: SweepRun): string[] {
  const x = runIdentity(a);
  const y = runIdentity(b);
  return Object.keys(x).filter((key) => JSON.stringify(x[key]) !== JSON.stringify(y[key]));
}
