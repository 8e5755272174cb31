// The one interface every architecture family implements. A family is a folder under
// src/families/ plus one line in registry.ts.

import type { ParamDecl, ParamValues, StatDecl } from '../spec/params.js';
import type { AreaBreakdown } from '../core/area-tables.js';
import type { ArchSpec, Datatype, EngineKind, LevelTraffic, Operator, SimulateOptions } from '../core/types.js';
import type { EnergyTable } from '../core/energy-tables.js';
import type { MaskCache } from '../core/operand-sparsity.js';
import type { MapNode, ResolveContext } from '../spec/resolve.js';
import type { ParamValue } from '../spec/params.js';
import type { WorkEstimate } from '../core/budget.js';

/** An energy-account line before pricing: the family says what happened and what it costs. */
export interface ActionCount {
  component: string;
  action: string;
  count: number;
  energyPerActionJ: number;
}

/** What a family reports for one instance of one operator (the core scales by `count`). */
export interface OperatorSimulation {
  cycles: number;
  computeCycles: number;
  stallCycles: number;
  macs: { dense: number; issued: number; effectual: number };
  memory: Record<string, LevelTraffic>;
  actions: ActionCount[];
  /** Lower bounds in cycles, e.g. { compute, dram }; cycles ≥ each of them. */
  bounds: Record<string, number>;
  bottleneck: string;
  /** Peak MACs/cycle for this operator's datatype, when it differs from the family's nominal peak. */
  peakMacsPerCycle?: number;
  stats: Record<string, number>;
  notes: string[];
}

export interface FamilyContext {
  options: SimulateOptions;
  energy: EnergyTable;
  /** Masks generated during this simulate call (concrete sparsity), shared between operators. */
  masks: MaskCache;
  /** The workload file and the operator's index in it, for error messages. */
  workloadFile: string;
  operatorIndex: number;
}

export interface Family<Config = unknown> {
  id: string;
  title: string;
  description: string;
  /** Declared parameters (dotted keys); drive validation, `describe` and sweeps. */
  params: readonly ParamDecl[];
  /** Family-specific statistics it puts in `OperatorResult.stats`. */
  stats: readonly StatDecl[];
  /** Operator kinds this family can simulate. */
  operatorKinds: readonly Operator['kind'][];
  /** Engines the family implements (default both); another request runs the first and says so. */
  engines?: readonly EngineKind[];
  /** Silicon area from the resolved parameters (src/core/area-tables.ts), when the family has a model
   * (undefined when the preset gives no figure, e.g. an unknown die area). */
  area?(values: ParamValues): AreaBreakdown | undefined;
  /** Device resources a design uses against what the device has (FPGA families), for `describe` and the
   * sweep metrics dspFraction / lutFraction (keys `dsp` and `lut`); `label` is the device's name for it. */
  resources?(arch: ArchSpec): Record<string, { label: string; used: number; available: number; note?: string }>;
  /** Cross-field checks and conversion to the family's typed configuration. Throws InputError. */
  /** Families with structured files (lists of levels, mappings) resolve the whole file themselves;
   * `reserved` are the top-level keys the loader handles. Default: the flat `params` declarations. */
  resolveSpec?(map: MapNode, context: ResolveContext, reserved: readonly string[]): Record<string, ParamValue>;
  configure(arch: ArchSpec): Config;
  clockHz(config: Config): number;
  peakMacsPerCycle(config: Config): number;
  /** Peak MACs/cycle for one datatype, where the family's rate depends on it (header, roofline). */
  peakMacsPerCycleFor?(config: Config, dtype: Datatype): number;
  simulateOperator(config: Config, op: Operator, context: FamilyContext): OperatorSimulation;
  /**
   * Work and memory one operator will take, estimated from the resolved spec without simulating
   * (src/core/budget.ts checks it against the budget first). Each family's lives in its budget.ts.
   */
  estimateWork?(config: Config, op: Operator, options: SimulateOptions): WorkEstimate;
}
