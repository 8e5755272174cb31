// The mapper: searches loop factorisations (every prime factor of every bound goes to one level's
// temporal loops or to its X/Y fan-out), loop orders per level and keep/bypass choices, and keeps
// the best mapping by the objective. Exhaustive when the space is small, otherwise seeded random
// restarts of simulated annealing (move one prime factor, swap two loops, flip one bypass). Only the
// seed decides the result: evaluations are counted, never timed, so any machine and any thread
// count gives the same mapping.

import { Rng } from '../../core/random.js';
import type { MapperConfig } from './config.js';
import { Evaluator, fanouts, type Evaluation, type Hardware, type Loop, type Mapping } from './model.js';
import type { Problem } from './problem.js';

interface Slot {
  level: number;
  kind: 't' | 'x' | 'y';
  limit: number;
}

interface Genome {
  /** Slot of each prime factor. */
  assign: Int32Array;
  /** Per level, the order of dimensions, outermost first. */
  perm: number[][];
  keep: boolean[][];
}

/** What the user fixed: factors per level and slot (0 = the rest of the bound), the innermost loop
 * order per level (outermost first), and keep/bypass choices. */
export interface MapperConstraints {
  fixed: { level: number; kind: 't' | 'x' | 'y'; dim: number; factor: number }[];
  innerOrder: (number[] | undefined)[];
  keep: (boolean | undefined)[][];
}

export interface MapperResult {
  mapping: Mapping;
  evaluation: Evaluation;
  evaluated: number;
  valid: number;
  search: 'exhaustive' | 'local' | 'random';
}

export function objectiveOf(config: MapperConfig, e: Pick<Evaluation, 'valid' | 'energyJ' | 'cycles'>): number {
  if (!e.valid) return Infinity;
  const pJ = e.energyJ * 1e12;
  switch (config.objective) {
    case 'energy':
      return pJ;
    case 'cycles':
      return e.cycles;
    case 'weighted':
      return config.weights.energy * pJ + config.weights.cycles * e.cycles;
    case 'edp':
      return pJ * e.cycles;
  }
}

function primeFactors(n: number): number[] {
  const out: number[] = [];
  for (let p = 2; p * p <= n; p++) while (n % p === 0) { out.push(p); n /= p; }
  if (n > 1) out.push(n);
  return out;
}

export function searchMappings(hardware: Hardware, problem: Problem, config: MapperConfig, baseKeep: boolean[][], constraints?: MapperConstraints): MapperResult | undefined {
  const nLevels = hardware.levels.length;
  const nDims = problem.dims.length;
  const fan = fanouts(hardware);
  const slots: Slot[] = [];
  for (let i = 0; i < nLevels; i++) {
    slots.push({ level: i, kind: 't', limit: Infinity });
    if (fan[i].x > 1) slots.push({ level: i, kind: 'x', limit: fan[i].x });
    if (fan[i].y > 1) slots.push({ level: i, kind: 'y', limit: fan[i].y });
  }
  const primes: { dim: number; p: number }[] = [];
  problem.bounds.forEach((b, dim) => primeFactors(b).forEach((p) => primes.push({ dim, p })));
  // Pin the primes of fixed factors to their slot; a slot with a fixed factor of a dimension is
  // closed to that dimension's other primes.
  const pinned = new Int32Array(primes.length).fill(-1);
  const closed = new Set<string>();
  const slotOf = (level: number, kind: Slot['kind']) => slots.findIndex((s) => s.level === level && s.kind === kind);
  const fixedEntries = [...(constraints?.fixed ?? [])].sort((a, b) => (a.factor === 0 ? 1 : 0) - (b.factor === 0 ? 1 : 0));
  for (const fixed of fixedEntries) {
    const slot = slotOf(fixed.level, fixed.kind);
    closed.add(`${slot}:${fixed.dim}`);
    if (fixed.factor === 0) {
      primes.forEach((p, k) => { if (p.dim === fixed.dim && pinned[k] < 0) pinned[k] = slot; });
      continue;
    }
    for (const p of primeFactors(fixed.factor)) {
      const k = primes.findIndex((q, index) => q.dim === fixed.dim && q.p === p && pinned[index] < 0);
      pinned[k] = slot;
    }
  }
  const allowed = primes.map((p, k) => (pinned[k] >= 0 ? [pinned[k]] : slots.map((_, s) => s).filter((s) => !closed.has(`${s}:${p.dim}`))));
  const free = primes.map((_, k) => k).filter((k) => pinned[k] < 0);
  baseKeep = baseKeep.map((row, i) => row.map((k, t) => constraints?.keep[i][t] ?? k));
  // Levels below the outermost may bypass any tensor they are allowed to keep, unless fixed.
  const flippable: [number, number][] = [];
  for (let i = 1; i < nLevels; i++) for (let t = 0; t < problem.tensors.length; t++) if (baseKeep[i][t] && constraints?.keep[i][t] === undefined) flippable.push([i, t]);
  const innerOrder = constraints?.innerOrder ?? hardware.levels.map(() => undefined);
  const minUsed = config.minUtilization * hardware.compute.instances;

  let evaluated = 0;
  let valid = 0;
  let best: { genome: Genome; score: number } | undefined;
  const slotProduct = new Float64Array(slots.length);
  const factor = new Float64Array(slots.length * nDims);
  const maxLoops = primes.length + nLevels * nDims;
  const evaluator = new Evaluator(hardware, problem, maxLoops);
  // decode() writes into one reused loop list (the mapper allocates nothing per candidate).
  const pool: Loop[] = Array.from({ length: maxLoops }, () => ({ dim: 0, factor: 1, level: 0, spatial: undefined }));
  const scratch: Mapping = { loops: [], keep: [] };

  // Invalid candidates score above every valid one, by how far they miss (so the local search from an
  // invalid start walks towards validity instead of seeing a flat landscape).
  const INVALID = 1e200;
  let missedBy = 0;
  const decode = (g: Genome): Mapping | undefined => {
    missedBy = 0;
    slotProduct.fill(1);
    factor.fill(1);
    for (let k = 0; k < primes.length; k++) {
      const s = g.assign[k];
      slotProduct[s] *= primes[k].p;
      factor[s * nDims + primes[k].dim] *= primes[k].p;
    }
    for (let s = 0; s < slots.length; s++) if (slotProduct[s] > slots[s].limit) missedBy += Math.log(slotProduct[s] / slots[s].limit);
    if (missedBy > 0) return undefined;
    const loops = scratch.loops;
    loops.length = 0;
    const push = (dim: number, f: number, level: number, spatial: Loop['spatial']) => {
      const loop = pool[loops.length];
      loop.dim = dim;
      loop.factor = f;
      loop.level = level;
      loop.spatial = spatial;
      loops.push(loop);
    };
    let used = 1;
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s];
      if (slot.kind === 't') {
        const inner = innerOrder[slot.level];
        for (const d of g.perm[slot.level]) if (factor[s * nDims + d] > 1 && !inner?.includes(d)) push(d, factor[s * nDims + d], slot.level, undefined);
        if (inner) for (const d of inner) if (factor[s * nDims + d] > 1) push(d, factor[s * nDims + d], slot.level, undefined);
      } else {
        for (let d = 0; d < nDims; d++) {
          const f = factor[s * nDims + d];
          if (f > 1) { push(d, f, slot.level, slot.kind); used *= f; }
        }
      }
    }
    if (used < minUsed) {
      missedBy = Math.log(minUsed / used);
      return undefined;
    }
    scratch.keep = g.keep;
    return scratch;
  };

  const score = (g: Genome): number => {
    evaluated++;
    const mapping = decode(g);
    if (!mapping) return INVALID * (2 + missedBy);
    if (!evaluator.run(mapping)) return INVALID * (1 + evaluator.overflow);
    const value = objectiveOf(config, evaluator);
    if (value < Infinity) {
      valid++;
      if (!best || value < best.score) best = { genome: clone(g), score: value };
    }
    return value;
  };

  const identity = () => Array.from({ length: nDims }, (_, d) => d);
  const spaceSize = (() => {
    let size = Math.pow(2, flippable.length);
    for (const k of free) size *= allowed[k].length;
    for (let i = 0; i < nLevels; i++) size *= factorial(nDims);
    return size;
  })();
  const search = config.search === 'auto' ? (spaceSize <= config.evaluations ? 'exhaustive' : 'local') : config.search;

  if (search === 'exhaustive') {
    // An explicit exhaustive search still honours the evaluation budget (mapper.evaluations, which
    // the work estimate charges): past it the walk stops, in its fixed order, so the result stays
    // deterministic and bounded; 'auto' only picks exhaustive when the whole space fits the budget.
    const spent = () => evaluated >= config.evaluations;
    const g: Genome = { assign: Int32Array.from(pinned, (s) => Math.max(0, s)), perm: hardware.levels.map(identity), keep: baseKeep.map((r) => [...r]) };
    const perms = permutations(nDims);
    const walkKeep = (k: number): void => {
      if (spent()) return;
      if (k === flippable.length) { walkPerm(0); return; }
      const [i, t] = flippable[k];
      for (const value of [true, false]) { g.keep[i][t] = value; walkKeep(k + 1); }
      g.keep[i][t] = true;
    };
    const walkPerm = (level: number): void => {
      if (spent()) return;
      if (level === nLevels) { score(g); return; }
      for (const p of perms) { g.perm[level] = p; walkPerm(level + 1); }
    };
    const walkAssign = (index: number): void => {
      if (spent()) return;
      if (index === free.length) { walkKeep(0); return; }
      for (const s of allowed[free[index]]) { g.assign[free[index]] = s; walkAssign(index + 1); }
    };
    walkAssign(0);
  } else {
    const rng = new Rng(config.seed);
    const random = (): Genome => ({
      assign: Int32Array.from(primes, (_, k) => allowed[k][rng.nextInt(allowed[k].length)]),
      perm: hardware.levels.map(() => shuffle(identity(), rng)),
      keep: baseKeep.map((row, i) => row.map((k) => (i === 0 ? true : k && rng.nextInt(2) === 0))),
    });
    // local: simulated annealing on ln(objective), in restarts of a fixed number of steps; the
    // temperature falls from 0.5 (a 2x worse candidate is taken 1 time in 4) to 0.01.
    const restartSteps = search === 'random' ? 1 : Math.max(2000, Math.floor(config.evaluations / 8));
    while (evaluated < config.evaluations) {
      const current = random();
      let currentScore = Math.log(score(current));
      for (let step = 1; step < restartSteps && evaluated < config.evaluations; step++) {
        const temperature = 0.5 * Math.pow(0.02, step / restartSteps);
        const undo = mutate(current, rng, allowed, free, nDims, flippable);
        const value = Math.log(score(current));
        if (value <= currentScore || rng.nextFloat() < Math.exp((currentScore - value) / temperature)) currentScore = value;
        else undo();
      }
    }
  }
  const found = best as { genome: Genome; score: number } | undefined;
  if (!found) return undefined;
  const mapping = decode(found.genome)!;
  evaluator.run(mapping);
  return { mapping: { loops: mapping.loops.map((l) => ({ ...l })), keep: mapping.keep.map((r) => [...r]) }, evaluation: evaluator.evaluation(), evaluated, valid, search };
}

function clone(g: Genome): Genome {
  return { assign: Int32Array.from(g.assign), perm: g.perm.map((p) => [...p]), keep: g.keep.map((r) => [...r]) };
}

/** Changes the genome in place (one prime factor moved, two loops swapped or one bypass flipped); returns the undo. */
function mutate(g: Genome, rng: Rng, allowed: number[][], free: number[], nDims: number, flippable: [number, number][]): () => void {
  const move = rng.nextInt(flippable.length ? 3 : 2);
  if (move === 0 && free.length) {
    const k = free[rng.nextInt(free.length)];
    const old = g.assign[k];
    g.assign[k] = allowed[k][rng.nextInt(allowed[k].length)];
    return () => { g.assign[k] = old; };
  }
  if (move === 1 && nDims > 1) {
    const perm = g.perm[rng.nextInt(g.perm.length)];
    const a = rng.nextInt(nDims);
    const b = rng.nextInt(nDims);
    const swap = () => { [perm[a], perm[b]] = [perm[b], perm[a]]; };
    swap();
    return swap;
  }
  if (flippable.length) {
    const [i, t] = flippable[rng.nextInt(flippable.length)];
    const flip = () => { g.keep[i][t] = !g.keep[i][t]; };
    flip();
    return flip;
  }
  return () => undefined;
}

function shuffle(values: number[], rng: Rng): number[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  return out;
}
