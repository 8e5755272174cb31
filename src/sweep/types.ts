// On-disk formats of a sweep run, shared by the sweep runner, `accsim merge` and the reporters.
// results/<run>/run.json describes the run; results/<run>/points.jsonl holds one SweepPoint per
// line, appended as points finish (any order), and is rewritten sorted by index when the run ends.

export const SWEEP_POINT_SCHEMA = 'accsim.sweep-point';
export const SWEEP_RUN_SCHEMA = 'accsim.sweep-run';

/** Scalar metrics of one design point, all SI (seconds, joules, bytes) or plain counts. */
export interface PointMetrics {
  cycles: number;
  seconds: number;
  energyJ: number;
  /** Energy per dense-equivalent MAC, pJ. */
  pJPerMac: number;
  utilization: number;
  macs: number;
  /** Bytes read + written at the outermost memory level (DRAM/HBM). */
  dramBytes: number;
  stallCycles: number;
  peakMacsPerCycle: number;
  /** Sum of on-chip buffer capacities in bytes (an area proxy together with peakMacsPerCycle). */
  onChipBytes: number;
  /** Silicon area (mm²) from the family's area model; absent when the family has none. */
  areaMm2?: number;
  /** Dense-equivalent MACs per second per mm² (throughput per area); absent without an area model. */
  perfPerArea?: number;
  /** FPGA families: DSP slices and (estimated) LUTs used / the device's; absent for other families. */
  dspFraction?: number;
  lutFraction?: number;
  bottleneck: string;
  /** LLM workloads (a `serving` block): tokens/s over all devices and J/token, so batch sweeps can plot them. */
  tokensPerSecond?: number;
  joulesPerToken?: number;
}

export interface SweepPoint {
  schema: typeof SWEEP_POINT_SCHEMA;
  version: 1;
  /** Position in the run's deterministic point list (0-based). */
  index: number;
  /** Swept parameter values by path, as given (numbers SI-resolved where they had units). */
  params: Record<string, number | string | boolean>;
  /** Which workload file the point ran (a sweep may cover several). */
  workload: string;
  status: 'ok' | 'error';
  metrics?: PointMetrics;
  error?: string;
}

export interface SweepRun {
  schema: typeof SWEEP_RUN_SCHEMA;
  version: 1;
  toolVersion: string;
  createdAt: string;
  arguments: string[];
  arch: { file: string; hash: string };
  workloads: Array<{ file: string; hash: string }>;
  seed: number;
  engine: 'event' | 'analytical';
  /** The swept axes in order; the point list is their product (grid) or a seeded sample. */
  axes: Array<{
    path: string;
    values: Array<number | string | boolean>;
    /** The values as written into the spec (e.g. `17 GB/s`), present when any differs from `values`. */
    written?: Array<number | string | boolean>;
  }>;
  sampling: { kind: 'grid' | 'random' | 'latin-hypercube'; count?: number };
  constraints: string[];
  totalPoints: number;
  /** Present when the run is one shard of a larger sweep (`--shard i/N`). */
  shard?: { index: number; count: number };
  /** Fingerprint (16 hex) of everything that decides the point list and each point (not the shard). */
  runId?: string;
  convention?: 'accsim' | 'scalesim' | 'timeloop';
  sparsityMode?: 'statistical' | 'concrete';
  /** Sampled points (design points × workloads) dropped by constraints; never written. */
  skippedByConstraints?: number;
  /** Set when points.jsonl holds every point of the run (or shard), sorted by index. */
  completedAt?: string;
  /** Points by status in the completed points.jsonl. */
  counts?: { ok: number; error: number };
  /** On a run made by `accsim merge`: the merged directories. */
  mergedFrom?: string[];
}
