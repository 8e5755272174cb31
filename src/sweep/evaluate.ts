// Evaluates one sweep point: derive the variant specs (immer), validate them exactly as the loaders
// validate a user's file, simulate, and reduce the Result to PointMetrics. Shared by the in-process
// runner, the worker threads and the queue workers, so a point's JSONL line depends only on the
// sweep definition and the point index — never on which process computed it.

import { archFromTree } from '../spec/load-arch.js';
import { workloadFromTree, type MaskReader, type MatrixReader } from '../spec/load-workload.js';
import { InputError } from '../spec/errors.js';
import { readMaskRelative, readMatrixRelative, readModelRelative } from '../io/files.js';
import type { ModelReader } from '../llm/load.js';
import { simulate } from '../core/simulate.js';
import { findFamily } from '../families/registry.js';
import type { ArchSpec, Result, SimulateOptions, Workload } from '../core/types.js';
import { SWEEP_POINT_SCHEMA, type PointMetrics, type SweepPoint } from './types.js';
import { baseTreeFromText, treeOfVariant, type BaseTree } from './spec-tree.js';
import { applyAssignments, type Assignment } from './paths.js';
import { fastArchVariants } from './arch-variants.js';
import type { BaseFile, PointTask, SweepDefinition } from './plan.js';

export interface EvaluatedPoint {
  index: number;
  /** The point's JSONL line, without the newline. */
  line: string;
  ok: boolean;
}

export interface EvaluatorOptions {
  /** Testing aid: busy-free sleep per point so crash/kill tests can catch a sweep mid-way. */
  pointDelayMs?: number;
}

export type Evaluator = (task: PointTask) => EvaluatedPoint;

/** Matrix files are read relative to the base workload's real path, whatever the point's label. */
function matrixReaderFor(base: BaseFile): MatrixReader {
  return (path, from) => readMatrixRelative(path, { ...from, file: base.path });
}

/** Model configurations likewise (LLM model workloads). */
function maskReaderFor(base: BaseFile): MaskReader {
  return (path, kind, from) => readMaskRelative(path, kind, { ...from, file: base.path });
}

function modelReaderFor(base: BaseFile): ModelReader {
  return (path, from) => readModelRelative(path, { ...from, file: base.path });
}

export function createEvaluator(definition: SweepDefinition, options: EvaluatorOptions = {}): Evaluator {
  const archBase = baseTreeFromText(definition.arch.text, definition.arch.file);
  const workloadBases = definition.workloads.map((w) => baseTreeFromText(w.text, w.file));
  const archAxes = definition.axes.map((a, i) => ({ axis: a, i })).filter(({ axis }) => axis.target.target === 'arch');
  const workloadAxes = definition.axes.map((a, i) => ({ axis: a, i })).filter(({ axis }) => axis.target.target === 'workload');
  // Without axes on a side, every point shares the base spec: validate it once.
  const sharedArch = archAxes.length === 0 ? archFromTree(archBase.root, definition.arch.file) : undefined;
  // Only the swept keys re-resolved per point when they allow it (see arch-variants.ts).
  const fastArch = archAxes.length > 0 ? fastArchVariants(archBase.root, definition.arch.file, archAxes) : undefined;
  const archOf = (task: PointTask, file: string): ArchSpec => {
    if (fastArch) {
      try {
        return fastArch.build(fastArch.axes.map((axis) => ({ axis, value: definition.axes[axis.axis].values[task.values[axis.axis]].spec })), file);
      } catch {
        // The full path below reports the error exactly as for a user-written file.
      }
    }
    return archFromTree(variant(archBase, archAxes, task), file);
  };
  const sharedWorkloads = workloadAxes.length === 0 ? definition.workloads.map((w, i) => workloadFromTree(workloadBases[i].root, w.file, matrixReaderFor(w), maskReaderFor(w), modelReaderFor(w))) : undefined;
  const simulateOptions: SimulateOptions = { engine: definition.engine, convention: definition.convention, seed: definition.seed, sparsityMode: definition.sparsityMode };
  const sleeper = options.pointDelayMs ? new Int32Array(new SharedArrayBuffer(4)) : undefined;

  const variant = (base: BaseTree, axes: typeof archAxes, task: PointTask) => {
    const assignments: Assignment[] = axes.map(({ axis, i }) => ({ target: axis.target, value: axis.values[task.values[i]].spec }));
    return treeOfVariant(base, applyAssignments(base.plain, assignments));
  };

  return (task) => {
    if (sleeper) Atomics.wait(sleeper, 0, 0, options.pointDelayMs);
    const workloadFile = definition.workloads[task.workload];
    const params: SweepPoint['params'] = {};
    definition.axes.forEach((axis, i) => {
      params[axis.path] = axis.values[task.values[i]].param;
    });
    const label = (file: string) => `${file} [point ${task.index}]`;
    let point: SweepPoint;
    try {
      const arch: ArchSpec = sharedArch ?? archOf(task, label(definition.arch.file));
      const workload: Workload =
        sharedWorkloads?.[task.workload] ?? workloadFromTree(variant(workloadBases[task.workload], workloadAxes, task), label(workloadFile.file), matrixReaderFor(workloadFile), maskReaderFor(workloadFile), modelReaderFor(workloadFile));
      const result = simulate(arch, workload, simulateOptions);
      point = { schema: SWEEP_POINT_SCHEMA, version: 1, index: task.index, params, workload: workloadFile.file, status: 'ok', metrics: pointMetrics(result, arch) };
    } catch (error) {
      // An invalid combination (or a model failure) is recorded, and the sweep goes on.
      const message = error instanceof InputError ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
      point = { schema: SWEEP_POINT_SCHEMA, version: 1, index: task.index, params, workload: workloadFile.file, status: 'error', error: message };
    }
    return { index: task.index, line: JSON.stringify(point), ok: point.status === 'ok' };
  };
}

/** Level names treated as the outermost (off-chip) memory; otherwise the first level listed. */
const OFF_CHIP = ['dram', 'hbm', 'ddr', 'lpddr', 'offchip', 'off_chip'];

/**
 * Scalar metrics of a Result. `macs` and `pJPerMac` are per dense-equivalent MAC; `dramBytes` is
 * read + written at the off-chip level; `onChipBytes` sums the architecture's resolved capacity
 * parameters (keys ending in `capacity`) except off-chip ones — an area proxy.
 */
export function pointMetrics(result: Result, arch: ArchSpec): PointMetrics {
  const total = result.total;
  const levels = Object.keys(total.memory);
  const outer = levels.find((level) => OFF_CHIP.includes(level.toLowerCase())) ?? levels[0];
  const dram = outer ? total.memory[outer] : undefined;
  let onChipBytes = 0;
  for (const [key, value] of Object.entries(arch.values)) {
    if (typeof value === 'number' && /capacity$/.test(key) && !OFF_CHIP.some((level) => key.toLowerCase().split('.').includes(level))) onChipBytes += value;
  }
  return {
    cycles: total.cycles,
    seconds: total.seconds,
    energyJ: total.energy.totalJ,
    pJPerMac: total.pJPerMac.dense,
    utilization: total.utilization,
    macs: total.macs.dense,
    dramBytes: dram ? dram.readBytes + dram.writeBytes : 0,
    stallCycles: total.stallCycles,
    peakMacsPerCycle: result.arch.peakMacsPerCycle,
    onChipBytes,
    ...areaMetrics(result, arch),
    ...resourceMetrics(arch),
    bottleneck: total.bottleneck,
    ...(result.serving ? { tokensPerSecond: result.serving.tokensPerSecond, joulesPerToken: result.serving.joulesPerToken } : {}),
  };
}

/** Fractions of the device's DSPs and LUTs a design uses (FPGA families, which have no areaMm2). */
function resourceMetrics(arch: ArchSpec): Pick<PointMetrics, 'dspFraction' | 'lutFraction'> {
  const resources = findFamily(arch.family)?.resources?.(arch);
  if (!resources) return {};
  const fraction = (r: { used: number; available: number } | undefined) => (r && r.available > 0 ? { value: r.used / r.available } : undefined);
  const dsp = fraction(resources.dsp);
  const lut = fraction(resources.lut);
  return { ...(dsp ? { dspFraction: dsp.value } : {}), ...(lut ? { lutFraction: lut.value } : {}) };
}

/** areaMm2 and perfPerArea from the family's area model (src/families/<family>/area.ts), if it has one. */
function areaMetrics(result: Result, arch: ArchSpec): Pick<PointMetrics, 'areaMm2' | 'perfPerArea'> {
  const area = findFamily(arch.family)?.area?.(arch.values);
  if (!area || !(area.totalMm2 > 0)) return {};
  return { areaMm2: area.totalMm2, perfPerArea: result.total.seconds > 0 ? result.total.macs.dense / result.total.seconds / area.totalMm2 : 0 };
}
