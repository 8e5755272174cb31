// The tile pipeline shared by the dense families: each tile is loaded from DRAM into an on-chip
// buffer, computed on the array, and its outputs are stored back to DRAM. Two engines:
//
// - `simulatePipeline` is a discrete-event simulation. Loads and stores share one DRAM port
//   (served in order of readiness; on a tie the store goes first because it frees an output
//   buffer). A load may run ahead of compute by `inputBuffers` tiles and compute may run ahead of
//   stores by `outputBuffers` tiles (2 = double buffering). Fill, drain, bandwidth stalls and
//   bubbles between unequal tiles all come out of the event order.
// - `analyticalPipeline` is the closed-form bound max(first load + Σ compute + last store,
//   Σ DRAM time). It is exact when compute hides every transfer (compute-bound) and when the DRAM
//   port never idles (bandwidth-bound with compute shorter than a store); between those regimes
//   the event engine adds the bubbles the bound cannot see, so event ≥ analytical always.
//
// Runs of identical tiles are batched: the event rules are a deterministic max-plus recurrence
// that is invariant under shifting all times and under renumbering identical tiles, so once the
// pipeline's state relative to a store (the in-flight tiles' times minus that store's end) equals
// its state p stores earlier, the next p stores repeat the last p shifted by the same number of
// cycles, and so on until tiles of another run come into view. Bandwidth-bound layers often
// settle into such a cycle with p > 1 (store periods alternating between two values), so the
// engine keeps the numeric signatures of the last HISTORY stores, indexed by a hash, and skips
// whole periods arithmetically as soon as one repeats.

export interface TileRun {
  /** Number of consecutive identical tiles. */
  count: number;
  loadBytes: number;
  computeCycles: number;
  storeBytes: number;
}

export interface PipelineSpec {
  runs: readonly TileRun[];
  /** DRAM bytes per cycle; Infinity means transfers never stall (SCALE-Sim's CALC mode). */
  dramBytesPerCycle: number;
  inputBuffers: number;
  outputBuffers: number;
}

export interface PipelineTiming {
  cycles: number;
  computeCycles: number;
  dramBusyCycles: number;
  stallCycles: number;
  /** Tiles simulated one by one (the rest were batched); for the benchmark's curiosity. */
  simulatedTiles: number;
}

function transferCycles(bytes: number, bytesPerCycle: number): number {
  // Whole cycles: a transfer occupies the port for ceil(bytes / bytes-per-cycle) cycles.
  return bytes === 0 || bytesPerCycle === Infinity ? 0 : Math.ceil(bytes / bytesPerCycle - 1e-9);
}

interface Totals {
  tiles: number;
  compute: number;
  dram: number;
}

function totals(spec: PipelineSpec): Totals {
  let tiles = 0;
  let compute = 0;
  let dram = 0;
  for (const run of spec.runs) {
    tiles += run.count;
    compute += run.count * run.computeCycles;
    dram += run.count * (transferCycles(run.loadBytes, spec.dramBytesPerCycle) + transferCycles(run.storeBytes, spec.dramBytesPerCycle));
  }
  return { tiles, compute, dram };
}

export function analyticalPipeline(spec: PipelineSpec): PipelineTiming {
  const { compute, dram } = totals(spec);
  const nonEmpty = spec.runs.filter((run) => run.count > 0);
  if (nonEmpty.length === 0) return { cycles: 0, computeCycles: 0, dramBusyCycles: 0, stallCycles: 0, simulatedTiles: 0 };
  const firstLoad = transferCycles(nonEmpty[0].loadBytes, spec.dramBytesPerCycle);
  const lastStore = transferCycles(nonEmpty[nonEmpty.length - 1].storeBytes, spec.dramBytesPerCycle);
  const cycles = Math.max(firstLoad + compute + lastStore, dram);
  return { cycles, computeCycles: compute, dramBusyCycles: dram, stallCycles: cycles - compute, simulatedTiles: 0 };
}

/** Ring buffer of per-tile times; only the last few tiles are ever looked at. */
const WINDOW = 64;
/** Steady states of period up to HISTORY - 1 stores are recognised. */
const HISTORY = 64;
/** Longest signature: dramFree, three times per in-flight tile, and two tile-count offsets. */
const SIGNATURE_MAX = 3 * WINDOW + 3;

/** Numeric hash of a signature (collisions are resolved by comparing the values). */
function hashSignature(values: Float64Array, from: number, length: number): number {
  let h = length | 0;
  for (let i = from; i < from + length; i++) {
    const v = values[i];
    h = Math.imul(h ^ (v >>> 0), 0x9e3779b1);
    h = Math.imul(h ^ ((v / 4294967296) >>> 0), 0x85ebca6b) ^ (h >>> 15);
  }
  return h;
}

export function simulatePipeline(spec: PipelineSpec): PipelineTiming {
  const { compute, dram, tiles } = totals(spec);
  if (tiles === 0) return { cycles: 0, computeCycles: 0, dramBusyCycles: 0, stallCycles: 0, simulatedTiles: 0 };
  const inDepth = Math.max(1, spec.inputBuffers);
  const outDepth = Math.max(1, spec.outputBuffers);
  if (inDepth + outDepth + 2 >= WINDOW) throw new Error('pipeline buffer depth too large');

  // Tile index → run index, via cumulative run starts.
  const runStart: number[] = [];
  {
    let start = 0;
    for (const run of spec.runs) {
      runStart.push(start);
      start += run.count;
    }
  }
  let runCursor = 0;
  const runOf = (tile: number): TileRun => {
    while (runCursor + 1 < spec.runs.length && tile >= runStart[runCursor + 1]) runCursor++;
    while (runCursor > 0 && tile < runStart[runCursor]) runCursor--;
    return spec.runs[runCursor];
  };
  const runIndexOf = (tile: number): number => {
    runOf(tile);
    return runCursor;
  };

  const loadEnd = new Float64Array(WINDOW);
  const computeEnd = new Float64Array(WINDOW);
  const storeEnd = new Float64Array(WINDOW);
  const at = (i: number): number => ((i % WINDOW) + WINDOW) % WINDOW;

  let nextLoad = 0;
  let nextStore = 0;
  let computed = 0; // tiles whose compute end is known
  let dramFree = 0;
  let simulatedTiles = 0;

  // Signatures of the latest stores of the current run: slot = store index mod HISTORY.
  const signatures = new Float64Array(HISTORY * SIGNATURE_MAX);
  const signatureLength = new Int32Array(HISTORY);
  const signatureStore = new Float64Array(HISTORY).fill(-1); // store index held by the slot
  const signatureEnd = new Float64Array(HISTORY); // that store's end time
  const latestByHash = new Map<number, number>(); // hash -> latest store index with that hash
  let historyRun = -1;
  const forgetHistory = (): void => {
    if (historyRun === -1) return;
    latestByHash.clear();
    signatureStore.fill(-1);
    historyRun = -1;
  };

  const bandwidth = spec.dramBytesPerCycle;

  const settleComputes = (): void => {
    // Compute i needs its load done and the output buffer of tile i - outDepth drained.
    while (computed < nextLoad && computed - outDepth < nextStore) {
      const i = computed;
      const start = Math.max(loadEnd[at(i)], i > 0 ? computeEnd[at(i - 1)] : 0, i - outDepth >= 0 ? storeEnd[at(i - outDepth)] : 0);
      computeEnd[at(i)] = start + runOf(i).computeCycles;
      computed++;
    }
  };

  while (nextStore < tiles) {
    settleComputes();
    const loadReady =
      nextLoad < tiles && (nextLoad - inDepth < computed) ? (nextLoad - inDepth >= 0 ? computeEnd[at(nextLoad - inDepth)] : 0) : Infinity;
    const storeReady = nextStore < computed ? computeEnd[at(nextStore)] : Infinity;
    const loadStart = Math.max(loadReady, dramFree);
    const storeStart = Math.max(storeReady, dramFree);
    if (storeStart <= loadStart && storeReady !== Infinity) {
      const end = storeStart + transferCycles(runOf(nextStore).storeBytes, bandwidth);
      storeEnd[at(nextStore)] = end;
      dramFree = end;
      nextStore++;
      simulatedTiles++;
      // Batching: compare the pipeline state relative to this store with the previous one.
      const skipped = tryFastForward(end);
      if (skipped) continue;
    } else if (loadReady !== Infinity) {
      const end = loadStart + transferCycles(runOf(nextLoad).loadBytes, bandwidth);
      loadEnd[at(nextLoad)] = end;
      dramFree = end;
      nextLoad++;
    } else {
      throw new Error('pipeline deadlock (internal error)');
    }
  }

  function tryFastForward(lastStoreEnd: number): boolean {
    const s = nextStore - 1;
    // All tiles in flight must belong to the same run for the state to be comparable.
    const run = runIndexOf(s);
    const lookahead = nextLoad + inDepth + outDepth + 1;
    const runEnd = runStart[run] + spec.runs[run].count;
    const lo = s - outDepth - 1;
    if (lo < runStart[run] || lookahead >= runEnd) {
      forgetHistory();
      return false;
    }
    if (run !== historyRun) {
      forgetHistory();
      historyRun = run;
    }
    if (latestByHash.size > 4 * HISTORY) latestByHash.clear(); // bound memory on aperiodic runs
    // Signature: the state relative to this store, written into this store's slot.
    const slot = s % HISTORY;
    const base = slot * SIGNATURE_MAX;
    let n = 0;
    signatures[base + n++] = dramFree - lastStoreEnd;
    for (let i = lo; i < nextLoad; i++) {
      signatures[base + n++] = loadEnd[at(i)] - lastStoreEnd;
      if (i < computed) signatures[base + n++] = computeEnd[at(i)] - lastStoreEnd;
      if (i <= s) signatures[base + n++] = storeEnd[at(i)] - lastStoreEnd;
    }
    signatures[base + n++] = nextLoad - s;
    signatures[base + n++] = computed - s;
    signatureLength[slot] = n;
    signatureStore[slot] = s;
    signatureEnd[slot] = lastStoreEnd;
    const hash = hashSignature(signatures, base, n);
    const earlier = latestByHash.get(hash);
    latestByHash.set(hash, s);
    if (earlier === undefined || s - earlier >= HISTORY) return false;
    const earlierSlot = earlier % HISTORY;
    if (signatureStore[earlierSlot] !== earlier || signatureLength[earlierSlot] !== n) return false;
    const earlierBase = earlierSlot * SIGNATURE_MAX;
    for (let k = 0; k < n; k++) if (signatures[earlierBase + k] !== signatures[base + k]) return false;
    const periodTiles = s - earlier;
    const periodCycles = lastStoreEnd - signatureEnd[earlierSlot];
    // Skip whole periods while keeping the lookahead inside the run.
    const periods = Math.floor((runEnd - lookahead) / periodTiles);
    if (periods <= 0 || periodCycles <= 0) return false;
    const skip = periods * periodTiles;
    const shift = periods * periodCycles;
    // Copy the in-flight window forward by `skip` tiles, shifting its times.
    const saved: Array<[number, number, number]> = [];
    for (let i = lo; i < nextLoad; i++) saved.push([loadEnd[at(i)], computeEnd[at(i)], storeEnd[at(i)]]);
    for (let k = 0; k < saved.length; k++) {
      const i = lo + k + skip;
      loadEnd[at(i)] = saved[k][0] + shift;
      computeEnd[at(i)] = saved[k][1] + shift;
      storeEnd[at(i)] = saved[k][2] + shift;
    }
    nextLoad += skip;
    nextStore += skip;
    computed += skip;
    dramFree += shift;
    forgetHistory();
    return true;
  }

  const cycles = storeEnd[at(tiles - 1)];
  return { cycles, computeCycles: compute, dramBusyCycles: dram, stallCycles: cycles - compute, simulatedTiles };
}
