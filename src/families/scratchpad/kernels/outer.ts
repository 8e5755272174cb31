// Outer-product SpGEMM (OuterSPACE-style, mapped by us onto the scratchpad machine):
// C = Σ_k A[:,k] ⊗ B[k,:], A stored in CSC and B in CSR (format conversion not charged).
// Work items of both phases are queued heaviest first (LPT list scheduling).
//
// Phase 1, MULTIPLY: the columns k are distributed to cores (static schedule, dynamic inside a
// core); a heavy column is cut into pieces of rows with at most PIECE_PRODUCTS partial products so
// that several threads share it. For a piece of column k a thread reads its part of A[:,k] and
// B[k,:], takes space in the partial-product bucket of every row i of the piece (a fetch-add on
// cursor[i], kept in the scratchpad of core i mod cores: remote atomics), multiplies, and writes
// row i's chunk of nnz(B[k,:]) partial products (4-byte index + value) to DRAM.
// Phase 2, MERGE (after a global barrier and a cache flush — the caches are not coherent): the
// rows are distributed to cores; a thread streams row i's bucket back from DRAM, merges its m_i
// sorted chunks with a heap (ceil(log2 m_i) levels per element; the heap lives in the scratchpad
// when it has more than 8 chunks), sums duplicates and writes C[i,:]. A row with more than
// MERGE_PIECE partial products is merged in P = ceil(pp / MERGE_PIECE) column ranges by different
// threads; we take idealised split points (equal shares of the partial products and outputs; each
// piece pays a binary search per chunk) and read each piece's share of the bucket as one
// contiguous range (the real pieces read m_i sub-ranges: the same bytes).
// The price of this dataflow: every partial product crosses the DRAM interface twice (written,
// then read back), plus the merge's heap work; A is read once and B once per piece of a column.

import type { CsrMatrix } from '../../../matrix/csr.js';
import type { ScratchpadConfig } from '../config.js';
import type { Engine, Kernel } from '../engine.js';
import { PARK } from '../engine.js';
import { Barrier, INDEX_BYTES, POINTER_BYTES, distribute, ensure, grab, heaviestFirst, layoutMatrix, permute, readFibre, type MatrixLayout } from '../kernel-util.js';
import { transpose } from '../sparse.js';
import { PIECE_PRODUCTS } from './rowwise.js';

const S_GRAB = 0;
const X_GRAB = 1;
const S_PTRS = 2;
const X_PTRS = 3;
const S_FIBRES = 4;
const X_FIBRES = 5;
const S_CURSORS = 6;
const X_CURSORS = 7;
const S_MULTIPLY = 8;
const X_MULTIPLY = 9;
const S_BUCKET = 10;
const X_BUCKET = 11;
const S_READ = 12;
const X_READ = 13;
const S_MERGE = 14;
const X_MERGE = 15;
const S_WRITE = 16;
const X_WRITE = 17;

/** Chunk heads kept in registers; larger heaps live in the scratchpad. */
const REGISTER_HEAP = 8;
/** Partial products above which a row's merge is split over threads. */
export const MERGE_PIECE = 1024;

export interface OuterStats {
  partialProducts: number;
  partialBytes: number;
  mergeLevels: number;
}

export class OuterKernel implements Kernel {
  readonly stats: OuterStats = { partialProducts: 0, partialBytes: 0, mergeLevels: 0 };
  private readonly Ac: MatrixLayout;
  private readonly B: MatrixLayout;
  private readonly partialTensor: number;
  private readonly cursorTensor: number;
  private readonly heapTensor: number;
  private readonly cTensor: number;
  private readonly queueTensor: number;
  private readonly bucketPtr: number;
  private readonly partialBase: number;
  private readonly bucketStart: Float64Array;
  private readonly bucketFill: Float64Array;
  private readonly chunks: Int32Array;
  private readonly entryBytes: number;
  private readonly valueBytes: number;
  private readonly rowInfo: number;
  private readonly cost: ScratchpadConfig['cost'];
  private readonly banks: number;
  private readonly cores: number;
  private readonly multiplyLists: { k: Int32Array; p0: Int32Array; p1: Int32Array }[];
  private readonly mergeLists: { row: Int32Array; part: Int32Array; parts: Int32Array }[];
  private readonly next: Int32Array;
  private phase = 1;
  private readonly globalBarrier: Barrier;
  private readonly cRegion: { idx: number; val: number; cursor: number }[] = [];

  private readonly state: Int32Array;
  private readonly item: Int32Array;
  private readonly p0: Int32Array;
  private readonly p1: Int32Array;
  private readonly q0: Int32Array;
  private readonly q1: Int32Array;
  private readonly part: Int32Array;
  private readonly parts: Int32Array;
  private chunkAddr: Float64Array[];

  constructor(
    private readonly engine: Engine,
    config: ScratchpadConfig,
    a: CsrMatrix,
    b: CsrMatrix,
    valueBytes: number,
    private readonly rowPartialProducts: Float64Array,
    private readonly outputRowCounts: Int32Array,
  ) {
    this.cost = config.cost;
    this.banks = config.scratchpad.banks;
    this.cores = engine.cores;
    this.valueBytes = valueBytes;
    this.entryBytes = INDEX_BYTES + valueBytes;
    const at = transpose(a);
    this.Ac = layoutMatrix(engine, 'A', at.matrix, valueBytes);
    this.B = layoutMatrix(engine, 'B', b, valueBytes);
    this.partialTensor = engine.tensor('partials');
    this.cursorTensor = engine.tensor('bucket-cursors');
    this.heapTensor = engine.tensor('merge-heap');
    this.cTensor = engine.tensor('C');
    this.queueTensor = engine.tensor('work-queue');
    // Buckets: row i's partial products at bucketStart[i] (entries), sized by its partial products.
    this.bucketStart = new Float64Array(a.rows + 1);
    for (let i = 0; i < a.rows; i++) this.bucketStart[i + 1] = this.bucketStart[i] + rowPartialProducts[i];
    this.bucketFill = new Float64Array(a.rows);
    this.partialBase = engine.allocate(this.bucketStart[a.rows] * this.entryBytes);
    this.bucketPtr = engine.allocate((a.rows + 1) * 8);
    this.rowInfo = engine.allocate(a.rows * 8);
    // Chunks per row (m_i): nonzeros of A[i,:] whose B row is not empty.
    this.chunks = new Int32Array(a.rows);
    for (let i = 0; i < a.rows; i++) {
      let m = 0;
      for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
        const k = a.colIdx[p];
        if (b.rowPtr[k + 1] > b.rowPtr[k]) m++;
      }
      this.chunks[i] = m;
    }
    this.multiplyLists = distribute(a.cols, engine.cores, config.schedule).map((columns) => {
      const ks: number[] = [];
      const p0s: number[] = [];
      const p1s: number[] = [];
      const work: number[] = [];
      const colPtr = at.matrix.rowPtr;
      for (const k of columns) {
        const outK = b.rowPtr[k + 1] - b.rowPtr[k];
        if (outK === 0 || colPtr[k + 1] === colPtr[k]) continue;
        const step = Math.max(1, Math.floor(PIECE_PRODUCTS / outK));
        for (let p = colPtr[k]; p < colPtr[k + 1]; p += step) {
          ks.push(k);
          p0s.push(p);
          p1s.push(Math.min(colPtr[k + 1], p + step));
          work.push((Math.min(colPtr[k + 1], p + step) - p) * outK);
        }
      }
      const order = heaviestFirst(work);
      return { k: permute(ks, order), p0: permute(p0s, order), p1: permute(p1s, order) };
    });
    this.mergeLists = distribute(a.rows, engine.cores, config.schedule).map((rows) => {
      const row: number[] = [];
      const part: number[] = [];
      const parts: number[] = [];
      const work: number[] = [];
      for (const i of rows) {
        const count = Math.max(1, Math.ceil(rowPartialProducts[i] / MERGE_PIECE));
        for (let q = 0; q < count; q++) {
          row.push(i);
          part.push(q);
          parts.push(count);
          work.push((rowPartialProducts[i] / count) * (1 + mergeLevels(this.chunks[i])));
        }
      }
      const order = heaviestFirst(work);
      return { row: permute(row, order), part: permute(part, order), parts: permute(parts, order) };
    });
    for (let c = 0; c < engine.cores; c++) {
      let outputs = 0;
      for (const i of distribute(a.rows, engine.cores, config.schedule)[c]) outputs += outputRowCounts[i];
      this.cRegion.push({ idx: engine.allocate(outputs * INDEX_BYTES), val: engine.allocate(outputs * valueBytes), cursor: 0 });
    }
    this.next = new Int32Array(engine.cores);
    this.globalBarrier = new Barrier(engine, engine.threads);
    const n = engine.threads;
    this.state = new Int32Array(n).fill(S_GRAB);
    this.item = new Int32Array(n);
    this.p0 = new Int32Array(n);
    this.p1 = new Int32Array(n);
    this.q0 = new Int32Array(n);
    this.q1 = new Int32Array(n);
    this.part = new Int32Array(n);
    this.parts = new Int32Array(n);
    this.chunkAddr = [];
    for (let t = 0; t < n; t++) this.chunkAddr.push(new Float64Array(16));
  }

  plan(tid: number, now: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    const cost = this.cost;
    for (;;) {
      switch (this.state[tid]) {
        case S_GRAB: {
          if (this.phase > 2) return PARK;
          const items = this.phase === 1 ? this.multiplyLists[core].k.length : this.mergeLists[core].row.length;
          if (this.next[core] < items) {
            const item = this.next[core]++;
            if (this.phase === 1) {
              const pieces = this.multiplyLists[core];
              this.item[tid] = pieces.k[item];
              this.p0[tid] = pieces.p0[item];
              this.p1[tid] = pieces.p1[item];
            } else {
              const pieces = this.mergeLists[core];
              this.item[tid] = pieces.row[item];
              this.part[tid] = pieces.part[item];
              this.parts[tid] = pieces.parts[item];
            }
            this.state[tid] = X_GRAB;
            return cost.loop;
          }
          if (this.globalBarrier.arrive(tid)) {
            this.phase++;
            this.next.fill(0);
            if (this.phase === 2) {
              e.flushCaches();
              this.globalBarrier.release(now + e.barrierLatency(true));
            }
          }
          return PARK;
        }
        // ---- multiply phase ----
        case S_PTRS:
          this.state[tid] = X_PTRS;
          return 2;
        case S_FIBRES: {
          const k = this.item[tid];
          this.q0[tid] = this.B.m.rowPtr[k];
          this.q1[tid] = this.B.m.rowPtr[k + 1];
          this.state[tid] = X_FIBRES;
          return cost.loop;
        }
        case S_CURSORS: {
          // Fetch-adds on the buckets of the column's rows, in event order.
          const inK = this.p1[tid] - this.p0[tid];
          const outK = this.q1[tid] - this.q0[tid];
          let addr = this.chunkAddr[tid];
          if (addr.length < inK) addr = this.chunkAddr[tid] = ensure(addr, inK);
          const rowIdx = this.Ac.m.colIdx;
          for (let p = this.p0[tid]; p < this.p1[tid]; p++) {
            const i = rowIdx[p];
            addr[p - this.p0[tid]] = this.partialBase + (this.bucketStart[i] + this.bucketFill[i]) * this.entryBytes;
            this.bucketFill[i] += outK;
          }
          this.state[tid] = X_CURSORS;
          this.engine.interleaveNext = true;
          return cost.loop * inK;
        }
        case S_MULTIPLY: {
          const inK = this.p1[tid] - this.p0[tid];
          const outK = this.q1[tid] - this.q0[tid];
          this.state[tid] = X_MULTIPLY;
          return inK * outK * cost.mac + inK * cost.loop;
        }
        // ---- merge phase ----
        case S_BUCKET:
          this.state[tid] = X_BUCKET;
          return 2;
        case S_READ: {
          const i = this.item[tid];
          if (this.rowPartialProducts[i] === 0) {
            this.state[tid] = S_GRAB;
            continue;
          }
          this.state[tid] = X_READ;
          if (this.parts[tid] === 1) return cost.loop;
          // Find the piece's column range in each chunk.
          const perChunk = this.rowPartialProducts[i] / Math.max(1, this.chunks[i]);
          return cost.loop + 2 * this.chunks[i] * Math.ceil(Math.log2(perChunk + 1)) * cost.probe;
        }
        case S_MERGE: {
          const i = this.item[tid];
          const pp = this.share(this.rowPartialProducts[i], tid);
          const levels = mergeLevels(this.chunks[i]);
          this.stats.mergeLevels += pp * levels;
          this.state[tid] = X_MERGE;
          this.engine.interleaveNext = true;
          return pp * (levels * cost.merge + cost.mac) + this.share(this.outputRowCounts[i], tid);
        }
        case S_WRITE:
          this.state[tid] = X_WRITE;
          return 0;
        default:
          throw new Error(`outer: bad state ${this.state[tid]} in plan`);
      }
    }
  }

  execute(tid: number, t: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    switch (this.state[tid]) {
      case X_GRAB:
        this.state[tid] = this.phase === 1 ? S_PTRS : S_BUCKET;
        return grab(e, core, this.queueTensor, t);
      case X_PTRS: {
        const k = this.item[tid];
        this.state[tid] = S_FIBRES;
        const d1 = e.readRange(core, this.Ac.tensor, this.Ac.ptr + k * POINTER_BYTES, 2 * POINTER_BYTES, t, true, false);
        const d2 = e.readRange(core, this.B.tensor, this.B.ptr + k * POINTER_BYTES, 2 * POINTER_BYTES, t, true, false);
        return Math.max(d1, d2);
      }
      case X_FIBRES: {
        this.state[tid] = S_CURSORS;
        const d1 = readFibre(e, core, this.Ac, this.p0[tid], this.p1[tid], t, true);
        const d2 = readFibre(e, core, this.B, this.q0[tid], this.q1[tid], t, true);
        return Math.max(d1, d2);
      }
      case X_CURSORS: {
        // Group the fetch-adds by home core; the thread needs every result (mlp in flight).
        const rowIdx = this.Ac.m.colIdx;
        let done = t;
        let chainCycles = 0;
        const cores = this.cores;
        for (let home = 0; home < cores; home++) {
          let ops = 0;
          for (let p = this.p0[tid]; p < this.p1[tid]; p++) {
            const i = rowIdx[p];
            if (i % cores !== home) continue;
            e.bankAcc[Math.floor(i / cores) % this.banks]++;
            ops++;
          }
          if (ops === 0) continue;
          done = Math.max(done, e.atomics(home, core, this.cursorTensor, ops, ops, t));
          chainCycles += Math.ceil(ops / e.mlp) * (e.atomicLatency + 2 * e.hops(home, core) * e.hopLatency);
        }
        this.state[tid] = S_MULTIPLY;
        return Math.max(done, e.latencyFloor(t, chainCycles));
      }
      case X_MULTIPLY: {
        const inK = this.p1[tid] - this.p0[tid];
        const bytes = (this.q1[tid] - this.q0[tid]) * this.entryBytes;
        const addr = this.chunkAddr[tid];
        for (let r = 0; r < inK; r++) e.write(this.partialTensor, addr[r], bytes, t);
        this.stats.partialProducts += inK * (this.q1[tid] - this.q0[tid]);
        this.stats.partialBytes += inK * bytes;
        this.state[tid] = S_GRAB;
        return t;
      }
      case X_BUCKET:
        this.state[tid] = S_READ;
        return e.readRange(core, this.partialTensor, this.bucketPtr + this.item[tid] * 8, 16, t, true, false);
      case X_READ: {
        const i = this.item[tid];
        const before = this.share(this.rowPartialProducts[i], tid, true);
        const start = this.partialBase + (this.bucketStart[i] + before) * this.entryBytes;
        const bytes = this.share(this.rowPartialProducts[i], tid) * this.entryBytes;
        this.state[tid] = S_MERGE;
        // Read once, no reuse: streamed past the cache.
        return e.readRange(core, this.partialTensor, start, bytes, t, false, e.dmaGatherEnabled);
      }
      case X_MERGE: {
        const i = this.item[tid];
        this.state[tid] = S_WRITE;
        const m = this.chunks[i];
        if (m <= REGISTER_HEAP) return t;
        const accesses = this.share(this.rowPartialProducts[i], tid) * mergeLevels(m);
        for (let b = 0; b < this.banks; b++) e.bankAcc[b] += accesses / this.banks;
        return e.spad(core, core, this.heapTensor, accesses, 0, accesses, t);
      }
      case X_WRITE: {
        const i = this.item[tid];
        const d = this.share(this.outputRowCounts[i], tid);
        const region = this.cRegion[core];
        const offset = region.cursor;
        region.cursor += d;
        e.write(this.cTensor, region.idx + offset * INDEX_BYTES, d * INDEX_BYTES, t, 3 * core);
        e.write(this.cTensor, region.val + offset * this.valueBytes, d * this.valueBytes, t, 3 * core + 1);
        if (this.part[tid] === 0) e.write(this.cTensor, this.rowInfo + i * 8, 8, t);
        this.state[tid] = S_GRAB;
        return t;
      }
      default:
        throw new Error(`outer: bad state ${this.state[tid]} in execute`);
    }
  }

  /** The current piece's integer share of `total` (or the shares of the pieces before it). */
  private share(total: number, tid: number, before = false): number {
    const parts = this.parts[tid];
    const part = this.part[tid];
    const start = Math.floor((total * part) / parts);
    return before ? start : Math.floor((total * (part + 1)) / parts) - start;
  }
}

/** Heap levels per merged element for m sorted chunks. */
export function mergeLevels(m: number): number {
  return m <= 1 ? 0 : Math.ceil(Math.log2(m));
}
