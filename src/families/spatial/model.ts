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
import { projectedSize } from './problem.js';

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
}

export interface ComputeLevel {
  name: string;
  instances: number;
  meshX: number;
  meshY: number;
  wordBits: number;
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
  const { levels, compute } = hardware;
  const nLevels = levels.length;
  const nDims = problem.dims.length;
  const loops = mapping.loops;
  const nLoops = loops.length;
  // inner[p][d]: product of dim d's factors over loops at positions ≥ p (the box below loop p−1).
  const inner: Float64Array[] = [];
  for (let p = 0; p <= nLoops; p++) inner.push(new Float64Array(nDims));
  inner[nLoops].fill(1);
  for (let p = nLoops - 1; p >= 0; p--) {
    inner[p].set(inner[p + 1]);
    inner[p][loops[p].dim] *= loops[p].factor;
  }
  // First loop position of each level (levels are contiguous, outermost first).
  const start = new Array<number>(nLevels + 1).fill(nLoops);
  for (let i = nLevels - 1; i >= 0; i--) {
    start[i] = start[i + 1];
    for (let p = 0; p < nLoops; p++) if (loops[p].level >= i) { start[i] = Math.min(start[i], p); break; }
  }
  let computeCycles = 1;
  let macs = 1;
  let computeInstancesUsed = 1;
  const usedInstances = new Array<number>(nLevels + 1).fill(1); // instances of level i used
  for (const loop of loops) {
    macs *= loop.factor;
    if (loop.spatial) {
      computeInstancesUsed *= loop.factor;
      for (let i = loop.level + 1; i <= nLevels; i++) usedInstances[i] *= loop.factor;
    } else computeCycles *= loop.factor;
  }
  const stats: TensorLevelStats[][] = levels.map(() => problem.tensors.map(() => ({ tile: 0, partition: 0, reads: 0, fills: 0, updates: 0, instances: 0 })));
  const childBounds = new Float64Array(nDims);
  const spatialBounds = new Float64Array(nDims);
  const partitionBounds = new Float64Array(nDims);

  for (let t = 0; t < problem.tensors.length; t++) {
    const tensor = problem.tensors[t];
    const relevant = new Uint8Array(nDims);
    for (const rank of tensor.ranks) for (const term of rank) relevant[term.dim] = 1;
    let parent = -1;
    for (let level = 0; level <= nLevels; level++) {
      const isCompute = level === nLevels;
      if (!isCompute && !mapping.keep[level][t]) continue;
      if (!isCompute) {
        const s = stats[level][t];
        s.tile = projectedSize(tensor, inner[start[level]]);
        s.instances = usedInstances[level];
        // The partition: every word this instance is ever responsible for (all loops except the
        // spatial ones above it, which split the tensor between instances).
        partitionBounds.fill(1);
        for (const loop of loops) if (!(loop.spatial && loop.level < level)) partitionBounds[loop.dim] *= loop.factor;
        s.partition = projectedSize(tensor, partitionBounds);
      }
      if (parent >= 0) {
        const from = start[parent];
        const to = isCompute ? nLoops : start[level];
        // Per-child stream of words delivered (temporal loops in the range).
        let stream: number;
        if (isCompute) {
          stream = 1;
          for (let p = from; p < to; p++) if (!loops[p].spatial) stream *= loops[p].factor;
        } else {
          childBounds.set(inner[to]);
          const childTile = projectedSize(tensor, childBounds);
          let j = -1;
          for (let p = to - 1; p >= from; p--) {
            if (!loops[p].spatial && loops[p].factor > 1 && relevant[loops[p].dim]) { j = p; break; }
          }
          if (j < 0) stream = childTile;
          else {
            let outer = 1;
            for (let p = from; p < j; p++) if (!loops[p].spatial) outer *= loops[p].factor;
            stream = outer * (childTile + (loops[j].factor - 1) * slidingDelta(tensor, childBounds, loops[j].dim, inner[j + 1][loops[j].dim]));
          }
        }
        // The parent's whole block runs once per iteration of the temporal loops above it.
        for (let p = 0; p < from; p++) if (!loops[p].spatial) stream *= loops[p].factor;
        // Distinct words over the children reached through spatial loops in the range.
        let spread = 1;
        if (!levels[parent].multicast) {
          for (let p = from; p < to; p++) if (loops[p].spatial) spread *= loops[p].factor;
        } else {
          if (isCompute) childBounds.fill(1);
          spatialBounds.set(childBounds);
          let any = false;
          for (let p = from; p < to; p++) if (loops[p].spatial) { spatialBounds[loops[p].dim] *= loops[p].factor; any = true; }
          if (any) spread = projectedSize(tensor, spatialBounds) / projectedSize(tensor, childBounds);
        }
        const ps = stats[parent][t];
        if (tensor.readWrite) ps.updates = stream * spread;
        else ps.reads = stream * spread;
        if (!isCompute) {
          const cs = stats[level][t];
          cs.fills = tensor.readWrite ? Math.max(0, stream - cs.partition) : stream;
        }
      }
      parent = level;
    }
    // First-read elision for partial sums: reads = updates − partition at every level holding them.
    if (tensor.readWrite) {
      for (let level = 0; level < nLevels; level++) {
        if (!mapping.keep[level][t]) continue;
        const s = stats[level][t];
        s.reads = Math.max(0, s.updates - s.partition);
      }
    }
  }

  // Capacity.
  for (let level = 0; level < nLevels; level++) {
    const l = levels[level];
    if (!Number.isFinite(l.capacityWords)) continue;
    let words = 0;
    for (let t = 0; t < problem.tensors.length; t++) if (mapping.keep[level][t]) words += stats[level][t].tile;
    if (words * l.multipleBuffering > l.capacityWords) {
      return invalid(`${l.name} needs ${words * l.multipleBuffering} words per instance, its capacity is ${l.capacityWords}`, computeCycles, macs);
    }
  }
  if (computeInstancesUsed > compute.instances) return invalid(`the mapping uses ${computeInstancesUsed} MAC units, there are ${compute.instances}`, computeCycles, macs);

  // Bandwidth throttling and energy.
  const slowdown = new Array<number>(nLevels).fill(1);
  const levelCycles = new Array<number>(nLevels).fill(computeCycles);
  const energyByLevel = new Array<number>(nLevels + 1).fill(0);
  let cycles = computeCycles;
  for (let level = 0; level < nLevels; level++) {
    const l = levels[level];
    let reads = 0;
    let writes = 0;
    let energy = 0;
    for (let t = 0; t < problem.tensors.length; t++) {
      if (!mapping.keep[level][t]) continue;
      const s = stats[level][t];
      reads += s.reads;
      writes += s.fills + s.updates;
      const bs = l.blockSize;
      energy += s.instances * (Math.ceil(s.reads / bs) * l.energy.read + Math.ceil(s.fills / bs) * l.energy.write + Math.ceil(s.updates / bs) * l.energy.update);
    }
    energyByLevel[level] = energy + l.energy.leak * l.instances * computeCycles;
    let factor = 1;
    const readDemand = reads / computeCycles;
    const writeDemand = writes / computeCycles;
    if (l.readBandwidth > 0 && l.readBandwidth < readDemand) factor = Math.min(factor, l.readBandwidth / readDemand);
    if (l.writeBandwidth > 0 && l.writeBandwidth < writeDemand) factor = Math.min(factor, l.writeBandwidth / writeDemand);
    if (l.sharedBandwidth > 0 && l.sharedBandwidth < readDemand + writeDemand) factor = Math.min(factor, l.sharedBandwidth / (readDemand + writeDemand));
    slowdown[level] = factor;
    levelCycles[level] = Math.ceil(computeCycles / factor);
    cycles = Math.max(cycles, levelCycles[level]);
  }
  energyByLevel[nLevels] = macs * compute.energy.mac;
  const energyJ = energyByLevel.reduce((a, b) => a + b, 0);
  return { valid: true, computeCycles, cycles, macs, computeInstancesUsed, stats, slowdown, levelCycles, energyByLevel, energyJ };
}

/**
 * Words a child receives when loop `dim` advances by one step with the child tile `bounds`: on the
 * ranks the dimension indexes, the new window overlaps the old one unless the shift
 * (coefficient × step) is at least the window's extent.
 */
function slidingDelta(tensor: Problem['tensors'][number], bounds: Float64Array, dim: number, step: number): number {
  let size = 1;
  for (const rank of tensor.ranks) {
    let extent = 1;
    let shift = 0;
    for (const t of rank) {
      extent += t.coefficient * (bounds[t.dim] - 1);
      if (t.dim === dim) shift += t.coefficient * step;
    }
    size *= shift > 0 ? Math.min(extent, shift) : extent;
  }
  return size;
}

function invalid(reason: string, computeCycles: number, macs: number): Evaluation {
  return { valid: false, reason, computeCycles, cycles: Infinity, macs, computeInstancesUsed: 0, stats: [], slowdown: [], levelCycles: [], energyByLevel: [], energyJ: Infinity };
}
