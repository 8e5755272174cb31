// Row-wise (Gustavson) SpGEMM with atomic hashing into the scratchpad — modelled on SMASH V1
// (Shivdikar, arXiv 2105.14156: window distribution, hashing, write-back); the details are ours.
//
// Each core owns the rows the static schedule gives it and a hash table in its scratchpad
// (slots = the largest power of two whose entries — 8-byte key (row, column) + value — fit in
// hash.scratchpad_fraction of the scratchpad).
//  - Window distribution: the core's rows are cut, in order, into windows whose partial products
//    fit load_factor × slots (partial products bound the distinct outputs). A window's nonzeros
//    of A are cut into pieces of at most PIECE_PRODUCTS partial products (one nonzero at least),
//    so a heavy row is shared by several threads: the atomics make that safe. Piece boundaries
//    come from per-row partial-product counts, as for the outer product's buckets (not charged);
//    pieces are queued heaviest first (LPT list scheduling) to shorten the window's tail.
//  - Hashing: threads take pieces from an atomic counter. For each a_ik of the piece a thread reads
//    B's row pointers and the fibre B[k,:]; for each b_kj it hashes (i, j) and probes linearly:
//    every probe is an atomic CAS on a slot whose result the thread needs (a dependent chain); a
//    new key also links its slot into row i's list (an atomic swap on the row's list head, whose
//    result is needed); then one posted atomic add accumulates a_ik·b_kj.
//  - Write-back (after a barrier): threads take the window's rows, walk each row's slot list
//    (dependent scratchpad loads), take space in the core's C region with a fetch-add, write C[i,:]
//    (unsorted) to DRAM and clear the slots; a barrier ends the window.
//  - A row whose partial products alone exceed a window is split into column ranges with at most
//    load_factor × slots distinct outputs each (split points as a symbolic pass gives them, not
//    charged); every part re-reads A[i,:] and the part of each B fibre it needs (binary search).
// Probe counts come from a real hash of the real (row, column) keys, inserted in simulated event
// order, with the real table occupancy of the window.

import type { CsrMatrix } from '../../../matrix/csr.js';
import type { ScratchpadConfig } from '../config.js';
import type { Engine, Kernel } from '../engine.js';
import { PARK } from '../engine.js';
import { Barrier, INDEX_BYTES, distribute, grab, heaviestFirst, layoutMatrix, permute, readFibre, readPointers, type MatrixLayout } from '../kernel-util.js';

/** Target partial products per work piece (a piece holds at least one nonzero of A). */
export const PIECE_PRODUCTS = 512;

const PHASE_HASH = 0;
const PHASE_WRITEBACK = 1;

const S_GRAB = 0;
const X_GRAB = 1;
const S_AFIB = 2;
const X_AFIB = 3;
const S_BPTR = 4;
const X_BPTR = 5;
const S_BFIB = 6;
const X_BFIB = 7;
const S_HASH = 8;
const X_HASH = 9;
const S_WBREAD = 10;
const X_WBREAD = 11;
const S_WBWRITE = 12;
const X_WBWRITE = 13;

export function hashKey(row: number, col: number): number {
  let h = Math.imul(col ^ Math.imul(row, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash-table slots for a scratchpad: the largest power of two whose entries fit the given bytes. */
export function tableSlots(tableBytes: number, entryBytes: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(2, tableBytes / entryBytes)));
}

interface Window {
  /** Rows (indices into A) of the window, in order. */
  rows: Int32Array;
  /** Column range for a split row (lo < 0: whole row). */
  lo: number;
  hi: number;
  /** Pieces: row, first and end nonzero of A. */
  pieceRow: Int32Array;
  /** Row's position in the window (keys are local row · cols + column + 1). */
  pieceLocal: Int32Array;
  /** Keys fit in 31 bits (else the Float64 table is used). */
  compact: boolean;
  pieceP0: Int32Array;
  pieceP1: Int32Array;
}

interface CoreState {
  windows: Window[];
  current: number;
  phase: number;
  next: number;
  barrier: Barrier;
  /**
   * Key of each slot, local row · cols + column + 1 (0 = free). One 32-bit array keeps the host
   * cache footprint small; windows whose keys need more bits use `wide` (global row keys).
   */
  table: Int32Array;
  wide: Float64Array | undefined;
  /** Slots filled in the current window (cleared when the window ends). */
  filled: Int32Array;
  filledCount: number;
  cIdx: number;
  cVal: number;
  cCursor: number;
}

export interface RowwiseStats {
  inserts: number;
  probes: number;
  collisions: number;
  windows: number;
  splitRows: number;
  slots: number;
  pieces: number;
}

export class RowwiseKernel implements Kernel {
  readonly stats: RowwiseStats = { inserts: 0, probes: 0, collisions: 0, windows: 0, splitRows: 0, slots: 0, pieces: 0 };
  private readonly A: MatrixLayout;
  private readonly B: MatrixLayout;
  private readonly cTensor: number;
  private readonly hashTensor: number;
  private readonly queueTensor: number;
  private readonly rowInfo: number;
  private readonly coreState: CoreState[] = [];
  private readonly slots: number;
  private readonly banks: number;
  private readonly valueBytes: number;
  private readonly cost: ScratchpadConfig['cost'];
  /** Distinct outputs of each row in the current window (of its core). */
  private readonly rowDistinct: Int32Array;

  // Per-thread registers.
  private readonly state: Int32Array;
  private readonly row: Int32Array;
  private readonly local: Int32Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly p: Int32Array;
  private readonly pEnd: Int32Array;
  private readonly k: Int32Array;
  private readonly q0: Int32Array;
  private readonly q1: Int32Array;
  private readonly ops: Float64Array;
  private readonly chain: Float64Array;
  private readonly probeBanks: Int32Array;

  constructor(
    private readonly engine: Engine,
    config: ScratchpadConfig,
    a: CsrMatrix,
    b: CsrMatrix,
    valueBytes: number,
    rowPartialProducts: Float64Array,
    outputRowCounts: Int32Array,
  ) {
    this.valueBytes = valueBytes;
    this.cost = config.cost;
    this.banks = config.scratchpad.banks;
    this.A = layoutMatrix(engine, 'A', a, valueBytes);
    this.B = layoutMatrix(engine, 'B', b, valueBytes);
    this.cTensor = engine.tensor('C');
    this.hashTensor = engine.tensor('hash-table');
    this.queueTensor = engine.tensor('work-queue');
    this.rowInfo = engine.allocate(a.rows * 8);
    this.rowDistinct = new Int32Array(a.rows);
    const entryBytes = 8 + valueBytes;
    this.slots = tableSlots(config.scratchpad.capacityBytes * config.hash.scratchpadFraction, entryBytes);
    this.stats.slots = this.slots;
    const windowCap = Math.max(1, Math.floor(config.hash.loadFactor * this.slots));

    const lists = distribute(a.rows, engine.cores, config.schedule);
    const marker = new Int32Array(b.cols).fill(-1);
    for (let c = 0; c < engine.cores; c++) {
      const rows = lists[c];
      const windows: Window[] = [];
      let start = 0;
      let load = 0;
      let outputs = 0;
      const close = (end: number): void => {
        if (end > start) windows.push(this.makeWindow(a, b, rows.subarray(start, end), -1, -1));
      };
      for (let r = 0; r < rows.length; r++) {
        const i = rows[r];
        const pp = rowPartialProducts[i];
        outputs += outputRowCounts[i];
        if (pp > windowCap) {
          close(r);
          const bounds = splitRow(a, b, i, windowCap, marker);
          if (bounds.length > 2) this.stats.splitRows++;
          for (let s = 0; s + 1 < bounds.length; s++) {
            windows.push(this.makeWindow(a, b, rows.subarray(r, r + 1), bounds.length > 2 ? bounds[s] : -1, bounds[s + 1]));
          }
          start = r + 1;
          load = 0;
          continue;
        }
        if (load + pp > windowCap) {
          close(r);
          start = r;
          load = 0;
        }
        load += pp;
      }
      close(rows.length);
      this.stats.windows += windows.length;
      for (const w of windows) this.stats.pieces += w.pieceRow.length;
      this.coreState.push({
        windows,
        current: 0,
        phase: PHASE_HASH,
        next: 0,
        barrier: new Barrier(engine, engine.threadsPerCore),
        table: new Int32Array(this.slots),
        wide: windows.some((w) => !w.compact) ? new Float64Array(this.slots) : undefined,
        filled: new Int32Array(windowCap + 1),
        filledCount: 0,
        cIdx: engine.allocate(outputs * INDEX_BYTES),
        cVal: engine.allocate(outputs * valueBytes),
        cCursor: 0,
      });
    }

    const n = engine.threads;
    this.state = new Int32Array(n).fill(S_GRAB);
    this.row = new Int32Array(n);
    this.local = new Int32Array(n);
    this.lo = new Int32Array(n);
    this.hi = new Int32Array(n);
    this.p = new Int32Array(n);
    this.pEnd = new Int32Array(n);
    this.k = new Int32Array(n);
    this.q0 = new Int32Array(n);
    this.q1 = new Int32Array(n);
    this.ops = new Float64Array(n);
    this.chain = new Float64Array(n);
    this.probeBanks = new Int32Array(n * this.banks);
  }

  /** A window's pieces: runs of a row's nonzeros with at most PIECE_PRODUCTS partial products. */
  private makeWindow(a: CsrMatrix, b: CsrMatrix, rows: Int32Array, lo: number, hi: number): Window {
    const pieceRow: number[] = [];
    const pieceLocal: number[] = [];
    const pieceP0: number[] = [];
    const pieceP1: number[] = [];
    const pieceLoad: number[] = [];
    for (let local = 0; local < rows.length; local++) {
      const i = rows[local];
      let p0 = a.rowPtr[i];
      let load = 0;
      for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
        const k = a.colIdx[p];
        const len = b.rowPtr[k + 1] - b.rowPtr[k];
        if (load > 0 && load + len > PIECE_PRODUCTS) {
          pieceLocal.push(local);
          pieceRow.push(i);
          pieceP0.push(p0);
          pieceP1.push(p);
          pieceLoad.push(load);
          p0 = p;
          load = 0;
        }
        load += len;
      }
      if (a.rowPtr[i + 1] > p0) {
        pieceLocal.push(local);
        pieceRow.push(i);
        pieceP0.push(p0);
        pieceP1.push(a.rowPtr[i + 1]);
        pieceLoad.push(load);
      }
    }
    const order = heaviestFirst(pieceLoad);
    return {
      rows,
      lo,
      hi,
      pieceRow: permute(pieceRow, order),
      pieceLocal: permute(pieceLocal, order),
      pieceP0: permute(pieceP0, order),
      pieceP1: permute(pieceP1, order),
      compact: rows.length * b.cols < 2 ** 31 - 2,
    };
  }

  plan(tid: number, now: number): number {
    const core = this.engine.threadCore[tid];
    const cs = this.coreState[core];
    const cost = this.cost;
    for (;;) {
      switch (this.state[tid]) {
        case S_GRAB: {
          if (cs.current >= cs.windows.length) return PARK;
          const w = cs.windows[cs.current];
          const items = cs.phase === PHASE_HASH ? w.pieceRow.length : w.rows.length;
          if (cs.next < items) {
            const item = cs.next++;
            if (cs.phase === PHASE_HASH) {
              this.row[tid] = w.pieceRow[item];
              this.local[tid] = w.pieceLocal[item];
              this.p[tid] = w.pieceP0[item];
              this.pEnd[tid] = w.pieceP1[item];
              this.lo[tid] = w.lo;
              this.hi[tid] = w.hi;
            } else {
              this.row[tid] = w.rows[item];
            }
            this.state[tid] = X_GRAB;
            return cost.loop;
          }
          // Phase drained: wait for the core's other threads.
          if (cs.barrier.arrive(tid)) {
            if (cs.phase === PHASE_HASH) {
              cs.phase = PHASE_WRITEBACK;
            } else {
              for (const i of w.rows) this.rowDistinct[i] = 0;
              cs.phase = PHASE_HASH;
              cs.current++;
              if (w.compact) for (let f = 0; f < cs.filledCount; f++) cs.table[cs.filled[f]] = 0;
              else if (cs.wide) for (let f = 0; f < cs.filledCount; f++) cs.wide[cs.filled[f]] = 0;
              cs.filledCount = 0;
              if (cs.current >= cs.windows.length) return PARK;
            }
            cs.next = 0;
            cs.barrier.release(now + this.engine.barrierLatency(false));
          }
          return PARK;
        }
        case S_AFIB:
          this.state[tid] = X_AFIB;
          return cost.loop;
        case S_BPTR: {
          if (this.p[tid] >= this.pEnd[tid]) {
            this.state[tid] = S_GRAB;
            continue;
          }
          this.k[tid] = this.A.m.colIdx[this.p[tid]];
          this.state[tid] = X_BPTR;
          return cost.loop;
        }
        case S_BFIB: {
          const k = this.k[tid];
          const bm = this.B.m;
          let q0 = bm.rowPtr[k];
          let q1 = bm.rowPtr[k + 1];
          let search = 0;
          if (this.lo[tid] >= 0 && q1 > q0) {
            search = 2 * Math.ceil(Math.log2(q1 - q0 + 1)) * cost.probe;
            const from = lowerBound(bm.colIdx, q0, q1, this.lo[tid]);
            q1 = lowerBound(bm.colIdx, from, q1, this.hi[tid]);
            q0 = from;
          }
          if (q0 >= q1) {
            // Nothing of this fibre in the part's columns (the search cost is neglected).
            this.p[tid]++;
            this.state[tid] = S_BPTR;
            continue;
          }
          this.q0[tid] = q0;
          this.q1[tid] = q1;
          this.state[tid] = X_BFIB;
          return cost.loop + search;
        }
        case S_HASH: {
          const instructions = this.insertFibre(tid, core);
          this.state[tid] = X_HASH;
          this.engine.interleaveNext = true;
          return instructions;
        }
        case S_WBREAD: {
          const d = this.rowDistinct[this.row[tid]];
          if (d === 0) {
            this.state[tid] = S_GRAB;
            continue;
          }
          this.state[tid] = X_WBREAD;
          this.engine.interleaveNext = true;
          return cost.loop + 3 * d;
        }
        case S_WBWRITE:
          this.state[tid] = X_WBWRITE;
          return 0;
        default:
          throw new Error(`rowwise: bad state ${this.state[tid]} in plan`);
      }
    }
  }

  execute(tid: number, t: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    const cs = this.coreState[core];
    switch (this.state[tid]) {
      case X_GRAB:
        this.state[tid] = cs.phase === PHASE_HASH ? S_AFIB : S_WBREAD;
        return grab(e, core, this.queueTensor, t);
      case X_AFIB:
        this.state[tid] = S_BPTR;
        return readFibre(e, core, this.A, this.p[tid], this.pEnd[tid], t, true);
      case X_BPTR:
        this.state[tid] = S_BFIB;
        return readPointers(e, core, this.B, this.k[tid], 2, t);
      case X_BFIB:
        this.state[tid] = S_HASH;
        return readFibre(e, core, this.B, this.q0[tid], this.q1[tid], t, true);
      case X_HASH: {
        const base = tid * this.banks;
        for (let b = 0; b < this.banks; b++) {
          e.bankAcc[b] += this.probeBanks[base + b];
          this.probeBanks[base + b] = 0;
        }
        this.p[tid]++;
        this.state[tid] = S_BPTR;
        return e.atomics(core, core, this.hashTensor, this.ops[tid], this.chain[tid], t);
      }
      case X_WBREAD: {
        // Walk the row's slot list: a dependent load of each entry (key, value, next link).
        const d = this.rowDistinct[this.row[tid]];
        for (let b = 0; b < this.banks; b++) e.bankAcc[b] += (2 * d) / this.banks;
        const readDone = e.spad(core, core, this.hashTensor, 2 * d, 0, d, t);
        e.bankAcc[1 % this.banks] += 1;
        const cursorDone = e.atomics(core, core, this.queueTensor, 1, 1, t);
        this.state[tid] = S_WBWRITE;
        return Math.max(readDone, cursorDone);
      }
      case X_WBWRITE: {
        const d = this.rowDistinct[this.row[tid]];
        const offset = cs.cCursor;
        cs.cCursor += d;
        e.write(this.cTensor, cs.cIdx + offset * INDEX_BYTES, d * INDEX_BYTES, t, 3 * core);
        e.write(this.cTensor, cs.cVal + offset * this.valueBytes, d * this.valueBytes, t, 3 * core + 1);
        e.write(this.cTensor, this.rowInfo + this.row[tid] * 8, 8, t);
        // Clear the row's slots (posted stores).
        for (let b = 0; b < this.banks; b++) e.bankAcc[b] += d / this.banks;
        e.spad(core, core, this.hashTensor, 0, d, 0, t);
        this.state[tid] = S_GRAB;
        return t;
      }
      default:
        throw new Error(`rowwise: bad state ${this.state[tid]} in execute`);
    }
  }

  /** Inserts the current fibre's partial products into the core's table; returns instructions. */
  private insertFibre(tid: number, core: number): number {
    const cs = this.coreState[core];
    const compact = cs.windows[cs.current].compact;
    const table: Int32Array | Float64Array = compact ? cs.table : (cs.wide as Float64Array);
    const mask = this.slots - 1;
    const banks = this.banks;
    // Slots interleave over the banks: bank = slot mod banks (a mask when banks is a power of 2).
    const bankMask = (banks & (banks - 1)) === 0 ? banks - 1 : -1;
    const cols = this.B.m.cols;
    const colIdx = this.B.m.colIdx;
    const probeBanks = this.probeBanks;
    const i = this.row[tid];
    const base = tid * banks;
    const q0 = this.q0[tid];
    const q1 = this.q1[tid];
    // Row part of the hash, hoisted out of the loop (same function as hashKey).
    const rowMix = Math.imul(i, 0x9e3779b1);
    const rowKey = (compact ? this.local[tid] : i) * cols + 1;
    let probes = 0;
    let fresh = 0;
    let collisions = 0;
    const filled = cs.filled;
    let filledCount = cs.filledCount;
    for (let q = q0; q < q1; q++) {
      const j = colIdx[q];
      const want = rowKey + j;
      let h = Math.imul(j ^ rowMix, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h = ((h ^ (h >>> 16)) >>> 0) & mask;
      let first = true;
      for (;;) {
        probes++;
        probeBanks[base + (bankMask >= 0 ? h & bankMask : h % banks)]++;
        const key = table[h];
        if (key === 0) {
          table[h] = want;
          filled[filledCount++] = h;
          fresh++;
          break;
        }
        if (key === want) break;
        if (first) {
          collisions++;
          first = false;
        }
        h = (h + 1) & mask;
      }
      probeBanks[base + (bankMask >= 0 ? h & bankMask : h % banks)]++; // posted atomic add of the product
    }
    cs.filledCount = filledCount;
    // New keys link their slot into the row's list: one atomic swap each on the row's head.
    this.probeBanks[base + (i % banks)] += fresh;
    const len = q1 - q0;
    this.rowDistinct[i] += fresh;
    this.stats.inserts += len;
    this.stats.probes += probes;
    this.stats.collisions += collisions;
    this.ops[tid] = probes + fresh + len;
    this.chain[tid] = probes + fresh;
    return len * (this.cost.hash + this.cost.mac) + probes * this.cost.probe + 2 * fresh;
  }
}

/** First position in colIdx[from, to) with value >= target. */
function lowerBound(colIdx: Int32Array, from: number, to: number, target: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (colIdx[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Column boundaries [0, c1, ..., cols] splitting row i of A·B into ranges with at most `cap`
 * distinct output columns each.
 */
function splitRow(a: CsrMatrix, b: CsrMatrix, i: number, cap: number, marker: Int32Array): number[] {
  const columns: number[] = [];
  for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
    const k = a.colIdx[p];
    for (let q = b.rowPtr[k]; q < b.rowPtr[k + 1]; q++) {
      const j = b.colIdx[q];
      if (marker[j] !== i) {
        marker[j] = i;
        columns.push(j);
      }
    }
  }
  columns.sort((x, y) => x - y);
  const bounds = [0];
  for (let s = cap; s < columns.length; s += cap) bounds.push(columns[s]);
  bounds.push(b.cols);
  return bounds;
}
