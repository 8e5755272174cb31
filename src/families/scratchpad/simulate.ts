// One operator on the scratchpad machine: resolve the matrices, run the kernel on the event
// engine and turn the engine's counters into an OperatorSimulation.

import { things } from '../../report/units.js';
import type { CsrMatrix } from '../../matrix/csr.js';
import type { LevelTraffic, MatrixSource, Operator, SparseOperator } from '../../core/types.js';
import { DATATYPE_BITS } from '../../core/types.js';
import type { ActionCount, FamilyContext, OperatorSimulation } from '../family.js';
import { energyOf, macEnergyJ, sramEnergyPerByteJ } from '../../core/energy-tables.js';
import { Rng, deriveSeed } from '../../core/random.js';
import { inputError } from '../../spec/errors.js';
import { resolveMatrix } from '../../matrix/generators.js';
import type { ScratchpadConfig } from './config.js';
import { coreIssueRate } from './config.js';
import { Engine, type Kernel } from './engine.js';
import { matrixBytes } from './kernel-util.js';
import { RowwiseKernel } from './kernels/rowwise.js';
import { InnerKernel } from './kernels/inner.js';
import { OuterKernel } from './kernels/outer.js';
import { SpmvKernel } from './kernels/spmv.js';
import { BfsKernel } from './kernels/bfs.js';
import { outputRowCounts, rowPartialProducts, sum, transpose } from './sparse.js';

export type SpgemmDataflow = 'inner' | 'outer' | 'row-wise';
export const SPGEMM_DATAFLOWS: readonly SpgemmDataflow[] = ['inner', 'outer', 'row-wise'];

/** Fraction of cycles a bound must reach to be named the bottleneck. */
const BOTTLENECK_SHARE = 0.7;
/** Idle thread-time share (no work: barriers, end of work) above which imbalance is named. */
const IDLE_SHARE = 0.3;

// Memo caches. They never change a result: a matrix is a pure function of its source and seed.
// Generated matrices are keyed by their parameters (operators of one workload usually repeat a
// source, e.g. one per dataflow) in a small LRU; derived structures are keyed by the matrices.
const GENERATED_KEEP = 4;
const generated = new Map<string, CsrMatrix>();
const productCache = new WeakMap<CsrMatrix, WeakMap<CsrMatrix, { pp: Float64Array; out: Int32Array }>>();
const transposeCache = new WeakMap<CsrMatrix, CsrMatrix>();

/**
 * The operand's matrix. Synthetic ones are seeded from the run's seed, the operand role and the
 * generator parameters — not the operator's name — so that operators naming the same source (one
 * per dataflow, say) see the same matrix, while A and B of one product are independent.
 */
export function operandSeed(source: MatrixSource, role: 'a' | 'b', seed: number): number {
  return deriveSeed(seed, `${role}|${sourceKey(source)}`);
}

function sourceKey(source: MatrixSource): string {
  return source.kind === 'mtx' ? `mtx:${source.file}` : JSON.stringify(source);
}

export function operandMatrix(source: MatrixSource, role: 'a' | 'b', seed: number): CsrMatrix {
  if (source.kind === 'mtx') return source.matrix;
  const derived = operandSeed(source, role, seed);
  const cacheKey = `${role}|${sourceKey(source)}|${derived}`;
  let m = generated.get(cacheKey);
  if (m) {
    generated.delete(cacheKey);
  } else {
    m = resolveMatrix(source, derived);
    if (generated.size >= GENERATED_KEEP) generated.delete(generated.keys().next().value as string);
  }
  generated.set(cacheKey, m);
  return m;
}

function productStructure(a: CsrMatrix, b: CsrMatrix): { pp: Float64Array; out: Int32Array } {
  let inner = productCache.get(a);
  if (!inner) productCache.set(a, (inner = new WeakMap()));
  let found = inner.get(b);
  if (!found) inner.set(b, (found = { pp: rowPartialProducts(a, b), out: outputRowCounts(a, b) }));
  return found;
}

function cachedTranspose(m: CsrMatrix): CsrMatrix {
  let t = transposeCache.get(m);
  if (!t) transposeCache.set(m, (t = transpose(m).matrix));
  return t;
}

export function operatorDataflow(op: SparseOperator, context?: FamilyContext): SpgemmDataflow {
  const dataflow: SpgemmDataflow = op.dataflow ?? 'row-wise';
  if (!SPGEMM_DATAFLOWS.includes(dataflow)) {
    throw inputError({
      file: context?.workloadFile ?? '',
      keyPath: context ? `operators[${context.operatorIndex}].dataflow` : 'dataflow',
      message: `unknown SpGEMM dataflow '${String(dataflow)}'`,
      expected: "'inner', 'outer' or 'row-wise'",
    });
  }
  return dataflow;
}

export function simulateScratchpad(config: ScratchpadConfig, op: Operator, context: FamilyContext): OperatorSimulation {
  const file = context.workloadFile;
  const at = (field: string): string => `operators[${context.operatorIndex}].${field}`;
  if (op.kind !== 'spgemm' && op.kind !== 'spmv' && op.kind !== 'pagerank' && op.kind !== 'bfs') {
    throw inputError({ file, keyPath: at('kind'), message: `the scratchpad family does not run '${op.kind}' operators`, expected: "'spgemm', 'spmv', 'pagerank' or 'bfs'" });
  }
  const seed = context.options.seed;
  const a = operandMatrix(op.a, 'a', seed);
  const valueBytes = Math.max(1, Math.ceil(DATATYPE_BITS[op.dtype] / 8));
  const engine = new Engine(config);
  const notes: string[] = [];
  const stats: Record<string, number> = {};
  let kernel: Kernel;
  let macs = 0;
  /** SpGEMM and SpMV `iterations` are identical repetitions: simulated once, then scaled. */
  let repeat = 1;
  /** Row-wise only: windows per core (the hash table's capacity cuts the rows into windows). */
  let windowsPerCore = 0;
  let finish: () => void;

  if (op.kind === 'spgemm') {
    const b = op.b ? operandMatrix(op.b, 'b', seed) : a;
    if (a.cols !== b.rows) {
      throw inputError({ file, keyPath: at('b'), message: `cannot multiply A (${a.rows} x ${a.cols}) by B (${b.rows} x ${b.cols})`, expected: `B with ${a.cols} rows` });
    }
    const dataflow = operatorDataflow(op, context);
    repeat = Math.max(1, op.iterations);
    const { pp, out } = productStructure(a, b);
    const partialProducts = sum(pp);
    macs = partialProducts;
    stats['spgemm.partial_products'] = partialProducts;
    stats['spgemm.output_nnz'] = sum(out);
    stats['spgemm.b_bytes'] = matrixBytes(b, valueBytes);
    notes.push(`SpGEMM dataflow: ${dataflow}. C rows are written unsorted; operand format conversions (CSC of A or B) are not charged.`);
    if (dataflow === 'row-wise') {
      const rowwise = new RowwiseKernel(engine, config, a, b, valueBytes, pp, out);
      kernel = rowwise;
      finish = () => {
        const s = rowwise.stats;
        stats['hash.inserts'] = s.inserts;
        stats['hash.probes'] = s.probes;
        stats['hash.collisions'] = s.collisions;
        stats['hash.probes_per_insert'] = s.inserts > 0 ? s.probes / s.inserts : 0;
        stats['hash.windows'] = s.windows;
        stats['hash.split_rows'] = s.splitRows;
        windowsPerCore = s.windows / config.cores;
        notes.push(
          `Row-wise: ${things(s.slots, 'hash slots')} per core (load factor ${config.hash.loadFactor}), ${things(s.windows, 'windows')} over ${config.cores} cores, ${things(s.pieces, 'work pieces')}, ${things(s.splitRows, 'rows')} split by columns; window and piece boundaries come from per-row partial-product counts (not charged).`,
        );
      };
    } else if (dataflow === 'inner') {
      const inner = new InnerKernel(engine, config, a, b, valueBytes, out);
      kernel = inner;
      finish = () => {
        stats['spgemm.intersections'] = inner.stats.intersections;
        notes.push(`Inner product: ${inner.stats.rowBlock} rows of A per pass over B, ${inner.stats.chunks} column chunks per pass${inner.stats.bStreamedPastCache ? ', B streamed past the cache (larger than it)' : ''}.`);
        if (inner.stats.rowBlock < config.innerRowBlock) notes.push(`Inner product: row block reduced from ${config.innerRowBlock} to ${inner.stats.rowBlock} so the mask table fits half the scratchpad.`);
      };
    } else {
      const outer = new OuterKernel(engine, config, a, b, valueBytes, pp, out);
      kernel = outer;
      finish = () => {
        stats['spgemm.partial_bytes'] = outer.stats.partialBytes;
        notes.push('Outer product: bucket sizes come from a symbolic count of partial products per row (not charged); partial-product buckets are not write-combined across chunks.');
      };
    }
  } else if (op.kind === 'spmv') {
    repeat = Math.max(1, op.iterations);
    const spmv = new SpmvKernel(engine, config, a, valueBytes, 1, false);
    kernel = spmv;
    finish = () => {
      macs = spmv.macs;
    };
  } else if (op.kind === 'pagerank') {
    if (a.rows !== a.cols) throw inputError({ file, keyPath: at('a'), message: `PageRank needs a square adjacency matrix, got ${a.rows} x ${a.cols}` });
    const iterations = Math.max(1, op.iterations);
    const pagerank = new SpmvKernel(engine, config, cachedTranspose(a), valueBytes, iterations, true);
    kernel = pagerank;
    notes.push(`PageRank: ${iterations} pull iterations (SpMV on Aᵀ with x = rank/outdeg); no convergence test.`);
    finish = () => {
      macs = pagerank.macs;
    };
  } else {
    if (a.rows !== a.cols) throw inputError({ file, keyPath: at('a'), message: `BFS needs a square adjacency matrix, got ${a.rows} x ${a.cols}` });
    const root = chooseRoot(a, deriveSeed(seed, `bfs-root|${sourceKey(op.a)}`));
    const bfs = new BfsKernel(engine, config, a, valueBytes, root, Math.max(1, op.iterations));
    kernel = bfs;
    finish = () => {
      macs = bfs.edges;
      stats['bfs.levels'] = bfs.levels;
      stats['bfs.vertices_reached'] = bfs.reached;
      notes.push(`BFS from vertex ${root}: ${bfs.levels} levels, ${things(bfs.reached, 'vertices')} reached, ${things(bfs.edges, 'edges')} examined (counted as MACs of the (or, and) semiring).`);
    };
  }

  engine.run(kernel);
  engine.finalize();
  finish();
  const result = assemble(config, op, context, engine, macs, stats, notes, windowsPerCore);
  return repeat === 1 ? result : repeated(result, repeat);
}

/** Stats that count events or bytes (they add up over repetitions); the others are ratios or structure. */
const EXTENSIVE_STATS = [
  'dram.accesses',
  'dram.useful_bytes',
  'dram.wasted_bytes',
  'scratchpad.accesses',
  'atomics.ops',
  'atomics.remote_ops',
  'hash.inserts',
  'hash.probes',
  'hash.collisions',
  'spgemm.partial_bytes',
  'spgemm.b_fetch_bytes',
  'spgemm.intersections',
  'instructions',
];

/**
 * `n` back-to-back repetitions of a simulated kernel, separated by a barrier and a cache flush:
 * each repetition is the same simulation, so times, traffic, energy and counts scale by n.
 */
function repeated(result: OperatorSimulation, n: number): OperatorSimulation {
  const scaleLevel = (level: LevelTraffic): LevelTraffic => ({
    readBytes: level.readBytes * n,
    writeBytes: level.writeBytes * n,
    perTensor: Object.fromEntries(Object.entries(level.perTensor).map(([k, t]) => [k, { readBytes: t.readBytes * n, writeBytes: t.writeBytes * n }])),
  });
  const stats = { ...result.stats };
  for (const key of EXTENSIVE_STATS) if (stats[key] !== undefined) stats[key] *= n;
  return {
    ...result,
    cycles: result.cycles * n,
    computeCycles: result.computeCycles * n,
    stallCycles: result.stallCycles * n,
    macs: { dense: result.macs.dense * n, issued: result.macs.issued * n, effectual: result.macs.effectual * n },
    memory: Object.fromEntries(Object.entries(result.memory).map(([k, level]) => [k, scaleLevel(level)])),
    actions: result.actions.map((a) => ({ ...a, count: a.count * n })),
    bounds: Object.fromEntries(Object.entries(result.bounds).map(([k, v]) => [k, v * n])),
    stats,
    notes: [...result.notes, `${n} iterations: one simulated and scaled (identical repetitions separated by a barrier and a cache flush); spgemm.partial_products and spgemm.output_nnz are per iteration.`],
  };
}

function chooseRoot(a: CsrMatrix, seed: number): number {
  if (a.rows === 0) return 0;
  const start = new Rng(seed).nextInt(a.rows);
  for (let s = 0; s < a.rows; s++) {
    const v = (start + s) % a.rows;
    if (a.rowPtr[v + 1] > a.rowPtr[v]) return v;
  }
  return start;
}

function assemble(
  config: ScratchpadConfig,
  op: SparseOperator,
  context: FamilyContext,
  engine: Engine,
  macs: number,
  stats: Record<string, number>,
  notes: string[],
  windowsPerCore: number,
): OperatorSimulation {
  const makespan = engine.makespan();
  const cycles = Math.ceil(makespan);
  const span = Math.max(makespan, 1e-9);

  // --- traffic ------------------------------------------------------------------------------
  const dram: LevelTraffic = { readBytes: 0, writeBytes: 0, perTensor: {} };
  const cache: LevelTraffic = { readBytes: 0, writeBytes: 0, perTensor: {} };
  const scratchpad: LevelTraffic = { readBytes: 0, writeBytes: 0, perTensor: {} };
  let useful = 0;
  engine.tensors.forEach((t, id) => {
    const name = engine.tensorNames[id];
    if (t.dramRead + t.dramWrite > 0) {
      dram.readBytes += t.dramRead;
      dram.writeBytes += t.dramWrite;
      dram.perTensor[name] = { readBytes: t.dramRead, writeBytes: t.dramWrite };
    }
    if (t.cacheRead > 0) {
      cache.readBytes += t.cacheRead;
      cache.perTensor[name] = { readBytes: t.cacheRead, writeBytes: 0 };
    }
    if (t.spadRead + t.spadWrite > 0) {
      scratchpad.readBytes += t.spadRead;
      scratchpad.writeBytes += t.spadWrite;
      scratchpad.perTensor[name] = { readBytes: t.spadRead, writeBytes: t.spadWrite };
    }
    useful += Math.min(t.dramUsefulRead, t.dramRead) + Math.min(t.dramUsefulWrite, t.dramWrite);
  });
  const transferred = dram.readBytes + dram.writeBytes;
  const wasted = Math.max(0, transferred - useful);
  if (op.kind === 'spgemm') {
    const bId = engine.tensorNames.indexOf('B');
    const fetched = bId >= 0 ? engine.tensors[bId].requested : 0;
    stats['spgemm.b_fetch_bytes'] = fetched;
    stats['spgemm.b_refetch_factor'] = stats['spgemm.b_bytes'] > 0 ? fetched / stats['spgemm.b_bytes'] : 0;
  }

  // --- bounds -------------------------------------------------------------------------------
  const totalInstructions = sum(engine.coreInstructions);
  const issueRate = coreIssueRate(config) * config.cores;
  const issueBound = totalInstructions / issueRate;
  const busiestCore = Math.max(...Array.from(engine.coreInstructions)) / coreIssueRate(config);
  const dramBound = sum(engine.chanBusy) / engine.channels;
  const busiestChannel = Math.max(...Array.from(engine.chanBusy));
  const atomicBound = Math.max(...Array.from(engine.atomBusy));
  const bankBound = Math.max(...Array.from(engine.bankBusy));
  const dmaBound = Math.max(...Array.from(engine.dmaBusy));
  const latencyBound = Math.max(...Array.from(engine.threadCritical));
  const bounds: Record<string, number> = {
    issue: issueBound,
    'issue.busiest-core': busiestCore,
    dram: dramBound,
    'dram.busiest-channel': busiestChannel,
    atomics: atomicBound,
    'scratchpad.busiest-bank': bankBound,
    dma: dmaBound,
    latency: latencyBound,
  };

  // --- bottleneck ---------------------------------------------------------------------------
  const resources: Array<[string, number]> = [
    ['issue', issueBound],
    ['dram-bandwidth', Math.max(dramBound, busiestChannel)],
    ['atomics', atomicBound],
    ['scratchpad-banks', bankBound],
    ['dma', dmaBound],
  ];
  resources.sort((x, y) => y[1] - x[1]);
  const idleFraction = engine.idleCycles / (engine.threads * span);
  let bottleneck: string;
  if (resources[0][1] >= BOTTLENECK_SHARE * span) {
    bottleneck = resources[0][0];
  } else if (windowsPerCore > 2 && engine.barrierIdleCycles / (engine.threads * span) >= IDLE_SHARE) {
    // Threads wait at the barriers of the many windows the hash table's size imposes.
    bottleneck = 'scratchpad-capacity';
  } else if (idleFraction >= IDLE_SHARE || (busiestCore >= BOTTLENECK_SHARE * span && busiestCore >= 1.25 * issueBound)) {
    bottleneck = 'load-imbalance';
  } else {
    // Threads have work, no resource is saturated: they are waiting on their own round trips.
    bottleneck = 'latency';
  }

  // --- stats --------------------------------------------------------------------------------
  const busy = Array.from(engine.threadBusy);
  const meanBusy = sum(busy) / busy.length;
  const meanCore = totalInstructions / config.cores;
  Object.assign(stats, {
    'dram.accesses': engine.dramAccesses,
    'dram.useful_bytes': Math.min(useful, transferred),
    'dram.wasted_bytes': wasted,
    'dram.wasted_fraction': transferred > 0 ? wasted / transferred : 0,
    'dram.mean_queue_cycles': engine.dramAccesses > 0 ? engine.dramQueueWait / engine.dramAccesses : 0,
    'cache.hit_rate': engine.cacheLookups > 0 ? engine.cacheHits / engine.cacheLookups : 0,
    'scratchpad.accesses': engine.spadAccesses,
    'atomics.ops': engine.atomicOps,
    'atomics.remote_ops': engine.remoteAtomicOps,
    'threads.count': engine.threads,
    'threads.issue_utilization': totalInstructions / (issueRate * span),
    'threads.idle_fraction': idleFraction,
    'imbalance.core': meanCore > 0 ? Math.max(...Array.from(engine.coreInstructions)) / meanCore : 1,
    'imbalance.thread': meanBusy > 0 ? Math.max(...busy) / meanBusy : 1,
    'utilization.dram': dramBound / span,
    'utilization.issue': totalInstructions / (issueRate * span),
    'utilization.atomics': atomicBound / span,
    'utilization.scratchpad': bankBound / span,
    'utilization.dma': dmaBound / span,
    instructions: totalInstructions,
    events: engine.events,
  });
  for (const key of STAT_KEYS_DEFAULT_ZERO) if (stats[key] === undefined) stats[key] = 0;

  // --- energy -------------------------------------------------------------------------------
  const table = context.energy;
  const dramPerByte = 8 * energyOf(table, 'dram.ddr.bit');
  const spadPerByte = sramEnergyPerByteJ(table, config.scratchpad.capacityBytes);
  const cachePerByte = sramEnergyPerByteJ(table, config.cache.capacityBytes);
  const atomicOps = engine.atomicOps;
  const plainSpadAccesses = Math.max(0, engine.spadAccesses - atomicOps);
  const actions: ActionCount[] = [
    { component: 'dram', action: 'read byte', count: dram.readBytes, energyPerActionJ: dramPerByte },
    { component: 'dram', action: 'write byte', count: dram.writeBytes, energyPerActionJ: dramPerByte },
    { component: 'cache', action: 'read byte', count: cache.readBytes, energyPerActionJ: cachePerByte },
    { component: 'scratchpad', action: '8-byte access', count: plainSpadAccesses, energyPerActionJ: 8 * spadPerByte },
    { component: 'atomics', action: 'read-modify-write (8 B read + 8 B write)', count: atomicOps, energyPerActionJ: 16 * spadPerByte },
    { component: 'compute', action: `mac.${op.dtype}`, count: macs, energyPerActionJ: macEnergyJ(table, op.dtype) },
  ];

  // --- notes --------------------------------------------------------------------------------
  notes.push(
    `Clock ${(config.clockHz / 1e9).toFixed(3)} GHz and DRAM ${(config.dram.bandwidthBytesPerSecond / 1e9).toFixed(1)} GB/s as configured; for PIUMA both are [A] assumptions (not public).`,
    'Event simulation: a fibre\'s requests enter their queues as one batch at the step\'s issue time (exact for busy times and bandwidth bounds; latency shifts between threads by at most one batch).',
    `Bottleneck rule: a resource whose busy time is >= ${BOTTLENECK_SHARE} of the cycles; otherwise scratchpad-capacity (row-wise: > 2 windows per core and >= ${IDLE_SHARE} of thread-time waiting at their barriers), otherwise load-imbalance (>= ${IDLE_SHARE} of thread-time without work, or the busiest core's issue >= ${BOTTLENECK_SHARE} of the cycles and 1.25x the mean core's), otherwise latency (threads wait on their own round trips).`,
    'MACs: dense = issued = effectual = multiply-adds actually performed (partial products for SpGEMM, nonzeros for SpMV/PageRank, edges examined for BFS).',
    'Energy: atomic = 8-byte SRAM read + write of the scratchpad [A]; instruction issue, register file and network energy are not modelled.',
  );
  if (op.count !== 1) notes.push(`Simulated one instance; the operator counts ${op.count}.`);

  return {
    cycles,
    computeCycles: Math.min(cycles, issueBound),
    stallCycles: Math.max(0, cycles - Math.min(cycles, issueBound)),
    macs: { dense: macs, issued: macs, effectual: macs },
    memory: { dram, cache, scratchpad },
    actions,
    bounds,
    bottleneck,
    stats,
    notes,
  };
}

const STAT_KEYS_DEFAULT_ZERO = [
  'hash.inserts',
  'hash.probes',
  'hash.collisions',
  'hash.probes_per_insert',
  'hash.windows',
  'hash.split_rows',
  'spgemm.partial_products',
  'spgemm.output_nnz',
  'spgemm.partial_bytes',
  'spgemm.b_fetch_bytes',
  'spgemm.b_bytes',
  'spgemm.b_refetch_factor',
  'spgemm.intersections',
  'bfs.levels',
  'bfs.vertices_reached',
];
