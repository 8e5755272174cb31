// The analytical model: per storage level and tensor, reads, fills and updates of one mapping, with
// Timeloop's counting rules (Parashar et al., ISPASS 2019; Timeloop v3 tiling/buffer models):
// - the tile a level holds is the projection of every loop at that level and below;
// - a parent serves its child the child's tile once per iteration of the loops between them,
//   except that loops inside the innermost loop that changes the tile reuse it (deltas between
//   consecutive iterations; a sliding window delivers only the new rows/columns);
// - the compute level has no storage: every MAC reads each operand and updates the output;
// - spatial loops between parent and child multiply the parent's accesses by the number of
//   distinct words the children need (multicast of shared words, spatial reduction of outputs);
// - partial sums: the first read of each output word is elided (reads = updates − partition),
//   and a child's first fill of it too (fills = delivered − partition);
// - cycles: per level, demand = accesses per instance / compute cycles against read, write and
//   shared bandwidth; slowdown = min(1, bandwidth / demand); cycles = ceil(compute / slowdown),
//   the slowest level sets the total (no fill/drain latency, as in Timeloop);
// - energy: per instance, ceil(scalar accesses / block size) vector accesses × energy per action.

import type { Problem } from './problem.js';

export interface StorageLevel {
  name: string;
  /** Words per instance; Infinity when unbounded. */
  capacityWords: number;
  wordBits: number;
  blockSize: number;
  /** Words/cycle per instance; 0 = unlimited. */
  readBandwidth: number;
  writeBandwidth: number;
  sharedBandwidth: number;
  instances: number;
  meshX: number;
  meshY: number;
  multicast: boolean;
  multipleBuffering: number;
  /** Joules per vector access. */
  energy: { read: number; write: number; update: number; metadataRead: number; metadataWrite: number; gatedRead: number; skippedRead: number; leak: number };
  area: number;
  /** Tensors allowed here (undefined = all) and tensors forced to bypass. */
  keep?: readonly string[];
  bypass: readonly string[];
  /** Sparse features (applied by sparse.ts on top of the dense counts). */
  compressed: readonly string[];
  skip: readonly string[];
  gate: readonly string[];
}

export interface ComputeLevel {
  name: string;
  instances: number;
  meshX: number;
  meshY: number;
  wordBits: number;
  zeros: 'dense' | 'gating' | 'skipping';
  energy: { mac: number; gated: number; skipped: number };
  area: number;
}

export interface Hardware {
  levels: StorageLevel[];
  compute: ComputeLevel;
}

/** One loop of a mapping; loops are ordered outermost first and grouped by level. */
export interface Loop {
  dim: number;
  factor: number;
  /** Storage level whose block the loop belongs to (spatial loops fan out below that level). */
  level: number;
  spatial: 'x' | 'y' | undefined;
}

export interface Mapping {
  loops: Loop[];
  /** keep[level][tensor]: the level holds a tile of the tensor. Level 0 keeps everything. */
  keep: boolean[][];
}

export interface TensorLevelStats {
  tile: number;
  partition: number;
  reads: number;
  fills: number;
  updates: number;
  instances: number;
}

export interface Evaluation {
  valid: boolean;
  reason?: string;
  computeCycles: number;
  cycles: number;
  /** Iterations of the (possibly padded) loop nest; equals the problem's MACs for perfect factors. */
  macs: number;
  computeInstancesUsed: number;
  /** [level][tensor]. */
  stats: TensorLevelStats[][];
  slowdown: number[];
  levelCycles: number[];
  /** Joules per level (all instances), compute last. */
  energyByLevel: number[];
  energyJ: number;
}

/** Fan-out from level i to the next level (or compute), split into X and Y. */
export function fanouts(hardware: Hardware): { x: number; y: number }[] {
  const { levels, compute } = hardware;
  return levels.map((level, i) => {
    const below = i + 1 < levels.length ? levels[i + 1] : compute;
    return { x: Math.max(1, Math.floor(below.meshX / level.meshX)), y: Math.max(1, Math.floor(below.meshY / level.meshY)) };
  });
}

/** Checks the mapping's structure (factors cover the bounds, spatial fits the fan-out). */
export function mappingProblems(hardware: Hardware, problem: Problem, mapping: Mapping, allowImperfect: boolean): string | undefined {
  const product = problem.bounds.map(() => 1);
  for (const loop of mapping.loops) product[loop.dim] *= loop.factor;
  for (let d = 0; d < problem.dims.length; d++) {
    if (allowImperfect ? product[d] < problem.bounds[d] : product[d] !== problem.bounds[d]) {
      return `factors of ${problem.dims[d]} multiply to ${product[d]}, the bound is ${problem.bounds[d]}${allowImperfect ? ' (imperfect factors must cover it)' : ''}`;
    }
  }
  const fan = fanouts(hardware);
  for (let i = 0; i < hardware.levels.length; i++) {
    let x = 1;
    let y = 1;
    for (const loop of mapping.loops) {
      if (loop.level !== i) continue;
      if (loop.spatial === 'x') x *= loop.factor;
      if (loop.spatial === 'y') y *= loop.factor;
    }
    if (x > fan[i].x || y > fan[i].y) return `spatial factors below ${hardware.levels[i].name} are ${x}×${y} (X×Y), the fan-out is ${fan[i].x}×${fan[i].y}`;
  }
  return undefined;
}

/** Evaluates one mapping. Structural validity is checked by mappingProblems; capacity here. */
export function evaluate(hardware: Hardware, problem: Problem, mapping: Mapping): Evaluation {
  const evaluator = new Evaluator(hardware, problem, mapping.loops.length);
  evaluator.run(mapping);
  return evaluator.evaluation();
}

/**
 * The model with its scratch buffers, so the mapper can evaluate millions of mappings without
 * allocating: run() fills the flat per-(level, tensor) counters, evaluation() copies them out.
 */
export class Evaluator {
  readonly nLevels: number;
  readonly nTensors: number;
  valid = false;
  reason: string | undefined;
  computeCycles = 0;
  cycles = 0;
  macs = 0;
  computeInstancesUsed = 0;
  energyJ = 0;
  /** How far an invalid mapping overflows the capacities: Σ log(needed / capacity) (0 when it fits). */
  overflow = 0;
  readonly tile: Float64Array;
  readonly partition: Float64Array;
  readonly reads: Float64Array;
  readonly fills: Float64Array;
  readonly updates: Float64Array;
  readonly instances: Float64Array;
  readonly slowdown: Float64Array;
  readonly levelCycles: Float64Array;
  readonly energyByLevel: Float64Array;
  private inner: Float64Array;
  private readonly scratch: Float64Array;
  private readonly scratch2: Float64Array;
  private readonly start: Int32Array;
  private readonly used: Float64Array;
  private readonly relevant: Uint8Array[];

  constructor(
    private readonly hardware: Hardware,
    private readonly problem: Problem,
    maxLoops = 64,
  ) {
    this.nLevels = hardware.levels.length;
    this.nTensors = problem.tensors.length;
    const cells = this.nLevels * this.nTensors;
    this.tile = new Float64Array(cells);
    this.partition = new Float64Array(cells);
    this.reads = new Float64Array(cells);
    this.fills = new Float64Array(cells);
    this.updates = new Float64Array(cells);
    this.instances = new Float64Array(cells);
    this.slowdown = new Float64Array(this.nLevels);
    this.levelCycles = new Float64Array(this.nLevels);
    this.energyByLevel = new Float64Array(this.nLevels + 1);
    const nDims = problem.dims.length;
    this.inner = new Float64Array((maxLoops + 1) * nDims);
    this.scratch = new Float64Array(nDims);
    this.scratch2 = new Float64Array(nDims);
    this.start = new Int32Array(this.nLevels + 1);
    this.used = new Float64Array(this.nLevels + 1);
    this.relevant = problem.tensors.map((tensor) => {
      const r = new Uint8Array(nDims);
      for (const rank of tensor.ranks) for (const term of rank) r[term.dim] = 1;
      return r;
    });
  }

  /** Words of tensor t covered by the bounds at `bounds[offset + d]`. */
  private project(t: number, bounds: Float64Array, offset: number): number {
    let size = 1;
    for (const rank of this.problem.tensors[t].ranks) {
      let extent = 1;
      for (const term of rank) extent += term.coefficient * (bounds[offset + term.dim] - 1);
      size *= extent;
    }
    return size;
  }

  /**
   * Words a child receives when loop `dim` advances by one step with the child tile `bounds`: on
   * the ranks the dimension indexes, the new window overlaps the old one unless the shift
   * (coefficient × step) is at least the window's extent.
   */
  private slidingDelta(t: number, bounds: Float64Array, dim: number, step: number): number {
    let size = 1;
    for (const rank of this.problem.tensors[t].ranks) {
      let extent = 1;
      let shift = 0;
      for (const term of rank) {
        extent += term.coefficient * (bounds[term.dim] - 1);
        if (term.dim === dim) shift += term.coefficient * step;
      }
      size *= shift > 0 ? Math.min(extent, shift) : extent;
    }
    return size;
  }

  run(mapping: Mapping): boolean {
    const { levels, compute } = this.hardware;
    const { nLevels, nTensors } = this;
    const nDims = this.problem.dims.length;
    const loops = mapping.loops;
    const nLoops = loops.length;
    if (this.inner.length < (nLoops + 1) * nDims) this.inner = new Float64Array((nLoops + 1) * nDims);
    const inner = this.inner;
    // inner[p·D + d]: product of dim d's factors over loops at positions ≥ p.
    for (let d = 0; d < nDims; d++) inner[nLoops * nDims + d] = 1;
    for (let p = nLoops - 1; p >= 0; p--) {
      for (let d = 0; d < nDims; d++) inner[p * nDims + d] = inner[(p + 1) * nDims + d];
      inner[p * nDims + loops[p].dim] *= loops[p].factor;
    }
    const start = this.start;
    start[nLevels] = nLoops;
    for (let i = nLevels - 1; i >= 0; i--) {
      start[i] = start[i + 1];
      for (let p = 0; p < nLoops; p++) if (loops[p].level >= i) { start[i] = Math.min(start[i], p); break; }
    }
    let computeCycles = 1;
    let macs = 1;
    let computeInstancesUsed = 1;
    const used = this.used.fill(1);
    for (const loop of loops) {
      macs *= loop.factor;
      if (loop.spatial) {
        computeInstancesUsed *= loop.factor;
        for (let i = loop.level + 1; i <= nLevels; i++) used[i] *= loop.factor;
      } else computeCycles *= loop.factor;
    }
    this.computeCycles = computeCycles;
    this.macs = macs;
    this.computeInstancesUsed = computeInstancesUsed;
    this.tile.fill(0);
    this.partition.fill(0);
    this.reads.fill(0);
    this.fills.fill(0);
    this.updates.fill(0);
    this.instances.fill(0);
    const childBounds = this.scratch;
    const spatialBounds = this.scratch2;

    for (let t = 0; t < nTensors; t++) {
      const tensor = this.problem.tensors[t];
      const relevant = this.relevant[t];
      let parent = -1;
      for (let level = 0; level <= nLevels; level++) {
        const isCompute = level === nLevels;
        if (!isCompute && !mapping.keep[level][t]) continue;
        const cell = level * nTensors + t;
        if (!isCompute) {
          this.tile[cell] = this.project(t, inner, start[level] * nDims);
          this.instances[cell] = used[level];
          // The partition: every word this instance is ever responsible for (all loops except the
          // spatial ones above it, which split the tensor between instances).
          spatialBounds.fill(1);
          for (const loop of loops) if (!(loop.spatial && loop.level < level)) spatialBounds[loop.dim] *= loop.factor;
          this.partition[cell] = this.project(t, spatialBounds, 0);
        }
        if (parent >= 0) {
          const from = start[parent];
          const to = isCompute ? nLoops : start[level];
          // Per-child stream of words delivered (temporal loops in the range).
          let stream: number;
          if (isCompute) {
            childBounds.fill(1);
            stream = 1;
            for (let p = from; p < to; p++) if (!loops[p].spatial) stream *= loops[p].factor;
          } else {
            for (let d = 0; d < nDims; d++) childBounds[d] = inner[to * nDims + d];
            const childTile = this.project(t, childBounds, 0);
            let j = -1;
            for (let p = to - 1; p >= from; p--) {
              if (!loops[p].spatial && loops[p].factor > 1 && relevant[loops[p].dim]) { j = p; break; }
            }
            if (j < 0) stream = childTile;
            else {
              let outer = 1;
              for (let p = from; p < j; p++) if (!loops[p].spatial) outer *= loops[p].factor;
              const dim = loops[j].dim;
              stream = outer * (childTile + (loops[j].factor - 1) * this.slidingDelta(t, childBounds, dim, inner[(j + 1) * nDims + dim]));
            }
          }
          // The parent's whole block runs once per iteration of the temporal loops above it.
          for (let p = 0; p < from; p++) if (!loops[p].spatial) stream *= loops[p].factor;
          // Distinct words over the children reached through spatial loops in the range.
          let spread = 1;
          if (!levels[parent].multicast) {
            for (let p = from; p < to; p++) if (loops[p].spatial) spread *= loops[p].factor;
          } else {
            spatialBounds.set(childBounds);
            let any = false;
            for (let p = from; p < to; p++) if (loops[p].spatial) { spatialBounds[loops[p].dim] *= loops[p].factor; any = true; }
            if (any) spread = this.project(t, spatialBounds, 0) / this.project(t, childBounds, 0);
          }
          const parentCell = parent * nTensors + t;
          if (tensor.readWrite) this.updates[parentCell] = stream * spread;
          else this.reads[parentCell] = stream * spread;
          if (!isCompute) this.fills[cell] = tensor.readWrite ? Math.max(0, stream - this.partition[cell]) : stream;
        }
        parent = level;
      }
      // First-read elision for partial sums: reads = updates − partition at every level holding them.
      if (tensor.readWrite) {
        for (let level = 0; level < nLevels; level++) {
          const cell = level * nTensors + t;
          if (mapping.keep[level][t]) this.reads[cell] = Math.max(0, this.updates[cell] - this.partition[cell]);
        }
      }
    }

    this.valid = false;
    this.cycles = Infinity;
    this.energyJ = Infinity;
    this.overflow = 0;
    this.reason = undefined;
    for (let level = 0; level < nLevels; level++) {
      const l = levels[level];
      if (!Number.isFinite(l.capacityWords)) continue;
      let words = 0;
      for (let t = 0; t < nTensors; t++) if (mapping.keep[level][t]) words += this.tile[level * nTensors + t];
      if (words * l.multipleBuffering > l.capacityWords) {
        this.reason ??= `${l.name} needs ${words * l.multipleBuffering} words per instance, its capacity is ${l.capacityWords}`;
        this.overflow += Math.log((words * l.multipleBuffering) / l.capacityWords);
      }
    }
    if (computeInstancesUsed > compute.instances) {
      this.reason ??= `the mapping uses ${computeInstancesUsed} MAC units, there are ${compute.instances}`;
      this.overflow += Math.log(computeInstancesUsed / compute.instances);
    }
    if (this.reason) return false;

    // Bandwidth throttling and energy.
    let cycles = computeCycles;
    let energyJ = 0;
    for (let level = 0; level < nLevels; level++) {
      const l = levels[level];
      let reads = 0;
      let writes = 0;
      let energy = 0;
      const bs = l.blockSize;
      for (let t = 0; t < nTensors; t++) {
        if (!mapping.keep[level][t]) continue;
        const cell = level * nTensors + t;
        reads += this.reads[cell];
        writes += this.fills[cell] + this.updates[cell];
        energy += this.instances[cell] * (Math.ceil(this.reads[cell] / bs) * l.energy.read + Math.ceil(this.fills[cell] / bs) * l.energy.write + Math.ceil(this.updates[cell] / bs) * l.energy.update);
      }
      energy += l.energy.leak * l.instances * computeCycles;
      this.energyByLevel[level] = energy;
      energyJ += energy;
      let factor = 1;
      const readDemand = reads / computeCycles;
      const writeDemand = writes / computeCycles;
      if (l.readBandwidth > 0 && l.readBandwidth < readDemand) factor = Math.min(factor, l.readBandwidth / readDemand);
      if (l.writeBandwidth > 0 && l.writeBandwidth < writeDemand) factor = Math.min(factor, l.writeBandwidth / writeDemand);
      if (l.sharedBandwidth > 0 && l.sharedBandwidth < readDemand + writeDemand) factor = Math.min(factor, l.sharedBandwidth / (readDemand + writeDemand));
      this.slowdown[level] = factor;
      this.levelCycles[level] = Math.ceil(computeCycles / factor);
      cycles = Math.max(cycles, this.levelCycles[level]);
    }
    this.energyByLevel[nLevels] = macs * compute.energy.mac;
    energyJ += this.energyByLevel[nLevels];
    this.cycles = cycles;
    this.energyJ = energyJ;
    this.valid = true;
    return true;
  }

  /** The last run() as a plain object. */
  evaluation(): Evaluation {
    if (!this.valid) return invalid(this.reason ?? 'not evaluated', this.computeCycles, this.macs);
    const stats: TensorLevelStats[][] = [];
    for (let level = 0; level < this.nLevels; level++) {
      const row: TensorLevelStats[] = [];
      for (let t = 0; t < this.nTensors; t++) {
        const cell = level * this.nTensors + t;
        row.push({ tile: this.tile[cell], partition: this.partition[cell], reads: this.reads[cell], fills: this.fills[cell], updates: this.updates[cell], instances: this.instances[cell] });
      }
      stats.push(row);
    }
    return {
      valid: true,
      computeCycles: this.computeCycles,
      cycles: this.cycles,
      macs: this.macs,
      computeInstancesUsed: this.computeInstancesUsed,
      stats,
      slowdown: [...this.slowdown],
      levelCycles: [...this.levelCycles],
      energyByLevel: [...this.energyByLevel],
      energyJ: this.energyJ,
    };
  }
}

function invalid(reason: string, computeCycles: number, macs: number): Evaluation {
  return { valid: false, reason, computeCycles, cycles: Infinity, macs, computeInstancesUsed: 0, stats: [], slowdown: [], levelCycles: [], energyByLevel: [], energyJ: Infinity };
}
