// Inner-product SpGEMM: C[i,j] = A[i,:]·B[:,j] by index intersection, B stored in CSC.
//
// Mapping (ours): each core takes its rows of A (static schedule) in blocks of R rows
// (spgemm.inner_row_block). For a block it
//   1. BUILD: sets one bit per row in a scratchpad mask table indexed by k (bit r of mask[k] is set
//      when A[i_r, k] != 0): the threads read the block's rows of A and post atomic ORs;
//   2. SWEEP: streams *all* of B past the block: the threads take column chunks of B, read their
//      pointers and row indices, test every index k against mask[k] (a scratchpad load each — the
//      intersection, effectual or not), and for every hit load b_kj and multiply-add it into the
//      accumulators of the rows whose bit is set; the C entries of the chunk are staged in the
//      scratchpad;
//   3. WRITE-BACK: writes the block's rows of C to DRAM.
// Barriers separate the phases. So B is fetched once per block: the redundant fetches
// (spgemm.b_refetch_factor ≈ rows/R) and the intersections (rows/R × nnz(B)) are the price of
// this dataflow; its work is spread evenly over the cores whatever the row skew.
//
// When the indices of B are larger than the cache, the sweeps stream them past the cache: under
// LRU a cyclic sweep over more data than the cache never hits (reuse distance > capacity), so
// bypassing is exact for hit counting and saves per-line simulation work.

import type { CsrMatrix } from '../../../matrix/csr.js';
import type { ScratchpadConfig } from '../config.js';
import type { Engine, Kernel } from '../engine.js';
import { PARK } from '../engine.js';
import { Barrier, INDEX_BYTES, POINTER_BYTES, distribute, grab, layoutMatrix, readFibre, readPointers, type MatrixLayout } from '../kernel-util.js';
import { transpose } from '../sparse.js';

/**
 * Column chunks of B per thread and row block (threads take the next chunk dynamically). Two per
 * thread balance the sweep within ~3% of four per thread at half the simulation events.
 */
const CHUNKS_PER_THREAD = 2;

const PHASE_BUILD = 0;
const PHASE_SWEEP = 1;
const PHASE_WB = 2;

const S_GRAB = 0;
const X_GRAB = 1;
const S_ROWPTR = 2;
const X_ROWPTR = 3;
const S_AIDX = 4;
const X_AIDX = 5;
const S_MASKSET = 6;
const X_MASKSET = 7;
const S_CHPTR = 8;
const X_CHPTR = 9;
const S_CHIDX = 10;
const X_CHIDX = 11;
const S_MASK = 12;
const X_MASK = 13;
const S_VALUES = 14;
const X_VALUES = 15;
const S_WBREAD = 18;
const X_WBREAD = 19;
const S_WBWRITE = 20;
const X_WBWRITE = 21;

interface CoreState {
  rows: Int32Array;
  block: number;
  blocks: number;
  phase: number;
  next: number;
  items: number;
  barrier: Barrier;
  // Per-block data (computed when the block starts).
  blockRows: Int32Array;
  blockOut: Int32Array;
  loads: Float64Array;
  macs: Float64Array;
  outs: Float64Array;
  /** Positions (in CSC order) of the values of B the block loads, one bit each… */
  valueBits: Uint32Array;
  /** …and one bit per nonzero word of valueBits, so sweeps skip empty stretches. */
  valueSummary: Uint32Array;
  mult: Int32Array;
  marker: Uint16Array;
  cIdx: number;
  cVal: number;
  cCursor: number;
}

export interface InnerStats {
  rowBlock: number;
  chunks: number;
  intersections: number;
  macs: number;
  bStreamedPastCache: boolean;
}

export class InnerKernel implements Kernel {
  readonly stats: InnerStats;
  private readonly A: MatrixLayout;
  private readonly Bc: MatrixLayout;
  private readonly cscPos: Int32Array;
  private readonly b: CsrMatrix;
  private readonly cTensor: number;
  private readonly maskTensor: number;
  private readonly stagingTensor: number;
  private readonly queueTensor: number;
  private readonly rowInfo: number;
  private readonly maskBytes: number;
  private readonly rowBlock: number;
  private readonly chunkStart: Int32Array;
  private readonly chunkOf: Uint16Array;
  private readonly chunkBanks: Float64Array;
  private readonly streamCached: boolean;
  private readonly banks: number;
  private readonly valueBytes: number;
  private readonly cost: ScratchpadConfig['cost'];
  private readonly coreState: CoreState[] = [];
  private readonly mult: Int32Array;
  /** Output columns seen in the current row: marker[j] === markerEpoch (renumbered on wrap). */
  private readonly marker: Uint16Array;
  private markerEpoch = 0;
  private readonly distinctK: Int32Array;

  private readonly state: Int32Array;
  private readonly item: Int32Array;
  private readonly p0: Int32Array;
  private readonly p1: Int32Array;

  constructor(
    private readonly engine: Engine,
    config: ScratchpadConfig,
    a: CsrMatrix,
    b: CsrMatrix,
    valueBytes: number,
    outputRowCounts: Int32Array,
  ) {
    this.b = b;
    this.valueBytes = valueBytes;
    this.cost = config.cost;
    this.banks = config.scratchpad.banks;
    const bt = transpose(b);
    this.cscPos = bt.positionOf;
    this.A = layoutMatrix(engine, 'A', a, valueBytes);
    this.Bc = layoutMatrix(engine, 'B', bt.matrix, valueBytes);
    this.cTensor = engine.tensor('C');
    this.maskTensor = engine.tensor('mask-table');
    this.stagingTensor = engine.tensor('c-staging');
    this.queueTensor = engine.tensor('work-queue');
    this.rowInfo = engine.allocate(a.rows * 8);

    // Rows per block: one mask bit each; the table must leave half the scratchpad for staging.
    let rowBlock = config.innerRowBlock;
    const maskWidth = (r: number): number => (r <= 8 ? 1 : r <= 16 ? 2 : r <= 32 ? 4 : 8);
    while (rowBlock > 1 && b.rows * maskWidth(rowBlock) > config.scratchpad.capacityBytes / 2) rowBlock = Math.ceil(rowBlock / 2);
    this.rowBlock = rowBlock;
    this.maskBytes = maskWidth(rowBlock);

    // Column chunks of B balanced by (nnz + 1) per column.
    const tpc = engine.threadsPerCore;
    const chunks = Math.max(1, Math.min(b.cols, CHUNKS_PER_THREAD * tpc, 65535));
    const cscPtr = bt.matrix.rowPtr;
    const nnzB = cscPtr[b.cols];
    const target = (nnzB + b.cols) / chunks;
    const starts: number[] = [0];
    let acc = 0;
    for (let j = 0; j < b.cols; j++) {
      acc += cscPtr[j + 1] - cscPtr[j] + 1;
      if (acc >= target * starts.length && starts.length < chunks && j + 1 < b.cols) starts.push(j + 1);
    }
    starts.push(b.cols);
    this.chunkStart = Int32Array.from(starts);
    const nChunks = starts.length - 1;
    this.chunkOf = new Uint16Array(b.cols);
    this.chunkBanks = new Float64Array(nChunks * this.banks);
    const rowIdxT = bt.matrix.colIdx;
    for (let c = 0; c < nChunks; c++) {
      for (let j = starts[c]; j < starts[c + 1]; j++) {
        this.chunkOf[j] = c;
        for (let q = cscPtr[j]; q < cscPtr[j + 1]; q++) {
          this.chunkBanks[c * this.banks + (Math.floor((rowIdxT[q] * this.maskBytes) / 8) % this.banks)]++;
        }
      }
    }
    const bIndexBytes = (b.cols + 1) * POINTER_BYTES + nnzB * INDEX_BYTES;
    this.streamCached = bIndexBytes <= config.cache.capacityBytes;
    this.stats = { rowBlock, chunks: nChunks, intersections: 0, macs: 0, bStreamedPastCache: !this.streamCached };

    this.mult = new Int32Array(b.rows);
    this.marker = new Uint16Array(b.cols);
    this.distinctK = new Int32Array(b.rows);
    const lists = distribute(a.rows, engine.cores, config.schedule);
    for (let c = 0; c < engine.cores; c++) {
      const rows = lists[c];
      let outputs = 0;
      for (let r = 0; r < rows.length; r++) outputs += outputRowCounts[rows[r]];
      const cs: CoreState = {
        rows,
        block: 0,
        blocks: Math.ceil(rows.length / rowBlock),
        phase: PHASE_BUILD,
        next: 0,
        items: 0,
        barrier: new Barrier(engine, tpc),
        blockRows: new Int32Array(rowBlock),
        blockOut: new Int32Array(rowBlock),
        loads: new Float64Array(nChunks),
        macs: new Float64Array(nChunks),
        outs: new Float64Array(nChunks),
        valueBits: new Uint32Array((nnzB >>> 5) + 1),
        valueSummary: new Uint32Array((nnzB >>> 10) + 1),
        // Shared by all cores: startBlock runs to completion, its rows belong to one block only,
        // and mult is cleared at the end of every block.
        mult: this.mult,
        marker: this.marker,
        cIdx: engine.allocate(outputs * INDEX_BYTES),
        cVal: engine.allocate(outputs * valueBytes),
        cCursor: 0,
      };
      this.coreState.push(cs);
      if (cs.blocks > 0) this.startBlock(cs);
    }

    const n = engine.threads;
    this.state = new Int32Array(n).fill(S_GRAB);
    this.item = new Int32Array(n);
    this.p0 = new Int32Array(n);
    this.p1 = new Int32Array(n);
  }

  /** Per-block bookkeeping from the real structure: per chunk, value loads, MACs and outputs. */
  private startBlock(cs: CoreState): void {
    const a = this.A.m;
    const b = this.b;
    const first = cs.block * this.rowBlock;
    const count = Math.min(this.rowBlock, cs.rows.length - first);
    cs.items = count;
    cs.next = 0;
    cs.phase = PHASE_BUILD;
    cs.loads.fill(0);
    cs.macs.fill(0);
    cs.outs.fill(0);
    // One pass over the block's partial products: MACs and distinct outputs per chunk; the first
    // time a k appears, one value load per (k, j) (the mask[k] test hits once for all rows).
    const distinctK = this.distinctK;
    let distinct = 0;
    const { marker, outs, macs, loads, mult } = cs;
    const chunkOf = this.chunkOf;
    const cscPos = this.cscPos;
    const bits = cs.valueBits;
    const summary = cs.valueSummary;
    const bRowPtr = b.rowPtr;
    const bColIdx = b.colIdx;
    for (let r = 0; r < count; r++) {
      const i = cs.rows[first + r];
      cs.blockRows[r] = i;
      // A fresh marker value per row (a row's columns are counted once: distinct outputs).
      if (++this.markerEpoch === 0x10000) {
        marker.fill(0);
        this.markerEpoch = 1;
      }
      const epoch = this.markerEpoch;
      let out = 0;
      for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
        const k = a.colIdx[p];
        const q0 = bRowPtr[k];
        const q1 = bRowPtr[k + 1];
        if (mult[k]++ === 0) {
          distinctK[distinct++] = k;
          // First time k appears: the value loads, plus the MACs and outputs (one pass).
          for (let q = q0; q < q1; q++) {
            const j = bColIdx[q];
            const c = chunkOf[j];
            loads[c]++;
            const position = cscPos[q];
            const word = position >>> 5;
            bits[word] |= 1 << (position & 31);
            summary[word >>> 5] |= 1 << (word & 31);
            macs[c]++;
            if (marker[j] !== epoch) {
              marker[j] = epoch;
              outs[c]++;
              out++;
            }
          }
          continue;
        }
        for (let q = q0; q < q1; q++) {
          const j = bColIdx[q];
          const c = chunkOf[j];
          macs[c]++;
          if (marker[j] !== epoch) {
            marker[j] = epoch;
            outs[c]++;
            out++;
          }
        }
      }
      cs.blockOut[r] = out;
    }
    for (let d = 0; d < distinct; d++) mult[distinctK[d]] = 0;
  }

  private phaseItems(cs: CoreState): number {
    return cs.phase === PHASE_SWEEP ? this.chunkStart.length - 1 : cs.items;
  }

  plan(tid: number, now: number): number {
    const core = this.engine.threadCore[tid];
    const cs = this.coreState[core];
    const cost = this.cost;
    const a = this.A.m;
    for (;;) {
      switch (this.state[tid]) {
        case S_GRAB: {
          if (cs.block >= cs.blocks) return PARK;
          if (cs.next < this.phaseItems(cs)) {
            this.item[tid] = cs.next++;
            this.state[tid] = X_GRAB;
            return cost.loop;
          }
          if (cs.barrier.arrive(tid)) {
            if (cs.phase === PHASE_BUILD) {
              cs.phase = PHASE_SWEEP;
              cs.next = 0;
            } else if (cs.phase === PHASE_SWEEP) {
              cs.phase = PHASE_WB;
              cs.next = 0;
            } else {
              cs.block++;
              if (cs.block >= cs.blocks) return PARK;
              this.startBlock(cs);
            }
            cs.barrier.release(now + this.engine.barrierLatency(false));
          }
          return PARK;
        }
        case S_ROWPTR:
          this.state[tid] = X_ROWPTR;
          return 1;
        case S_AIDX: {
          const i = cs.blockRows[this.item[tid]];
          this.p0[tid] = a.rowPtr[i];
          this.p1[tid] = a.rowPtr[i + 1];
          if (this.p1[tid] === this.p0[tid]) {
            this.state[tid] = S_GRAB;
            continue;
          }
          this.state[tid] = X_AIDX;
          return cost.loop;
        }
        case S_MASKSET:
          this.state[tid] = X_MASKSET;
          return 2 * (this.p1[tid] - this.p0[tid]);
        case S_CHPTR:
          this.state[tid] = X_CHPTR;
          return 1;
        case S_CHIDX: {
          const c = this.item[tid];
          const ptr = this.Bc.m.rowPtr;
          this.p0[tid] = ptr[this.chunkStart[c]];
          this.p1[tid] = ptr[this.chunkStart[c + 1]];
          this.state[tid] = X_CHIDX;
          return cost.loop * (this.chunkStart[c + 1] - this.chunkStart[c]);
        }
        case S_MASK:
          // Test every index against the mask: a load and a branch per index, interleaved.
          this.state[tid] = X_MASK;
          this.engine.interleaveNext = true;
          return cost.intersect * (this.p1[tid] - this.p0[tid]);
        case S_VALUES: {
          const c = this.item[tid];
          if (cs.loads[c] === 0) {
            this.state[tid] = S_GRAB;
            continue;
          }
          this.state[tid] = X_VALUES;
          return cs.loads[c] + cost.mac * cs.macs[c] + 2 * cs.outs[c];
        }
        case S_WBREAD: {
          const d = cs.blockOut[this.item[tid]];
          if (d === 0) {
            this.state[tid] = S_GRAB;
            continue;
          }
          this.state[tid] = X_WBREAD;
          this.engine.interleaveNext = true;
          return cost.loop + 2 * d;
        }
        case S_WBWRITE:
          this.state[tid] = X_WBWRITE;
          return 0;
        default:
          throw new Error(`inner: bad state ${this.state[tid]} in plan`);
      }
    }
  }

  execute(tid: number, t: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    const cs = this.coreState[core];
    switch (this.state[tid]) {
      case X_GRAB:
        this.state[tid] = cs.phase === PHASE_BUILD ? S_ROWPTR : cs.phase === PHASE_SWEEP ? S_CHPTR : S_WBREAD;
        return grab(e, core, this.queueTensor, t);
      case X_ROWPTR:
        this.state[tid] = S_AIDX;
        return readPointers(e, core, this.A, cs.blockRows[this.item[tid]], 2, t);
      case X_AIDX:
        this.state[tid] = S_MASKSET;
        return readFibre(e, core, this.A, this.p0[tid], this.p1[tid], t, false);
      case X_MASKSET: {
        const colIdx = this.A.m.colIdx;
        for (let p = this.p0[tid]; p < this.p1[tid]; p++) e.bankAcc[Math.floor((colIdx[p] * this.maskBytes) / 8) % this.banks]++;
        this.state[tid] = S_GRAB;
        return e.atomics(core, core, this.maskTensor, this.p1[tid] - this.p0[tid], 0, t);
      }
      case X_CHPTR: {
        const c = this.item[tid];
        const j0 = this.chunkStart[c];
        const count = this.chunkStart[c + 1] - j0 + 1;
        this.state[tid] = S_CHIDX;
        return e.readRange(core, this.Bc.tensor, this.Bc.ptr + j0 * POINTER_BYTES, count * POINTER_BYTES, t, this.streamCached, e.dmaGatherEnabled);
      }
      case X_CHIDX:
        this.state[tid] = S_MASK;
        this.stats.intersections += this.p1[tid] - this.p0[tid];
        return readFibre(e, core, this.Bc, this.p0[tid], this.p1[tid], t, false, this.streamCached);
      case X_MASK: {
        const c = this.item[tid];
        const base = c * this.banks;
        for (let b = 0; b < this.banks; b++) e.bankAcc[b] += this.chunkBanks[base + b];
        const tests = this.p1[tid] - this.p0[tid];
        this.state[tid] = S_VALUES;
        return e.spad(core, core, this.maskTensor, tests, 0, tests, t);
      }
      case X_VALUES: {
        const c = this.item[tid];
        const ptr = this.Bc.m.rowPtr;
        this.stats.macs += cs.macs[c];
        this.state[tid] = S_GRAB;
        const done = e.gatherBitmap(core, this.Bc.tensor, this.Bc.val, this.valueBytes, cs.valueBits, cs.valueSummary, ptr[this.chunkStart[c]], ptr[this.chunkStart[c + 1]], t, e.dmaGatherEnabled);
        // The chunk's C entries (index + value) are staged in the scratchpad: posted stores, queued
        // with the loads (they follow the multiply-adds a few cycles later on the hardware).
        const words = 2 * cs.outs[c];
        if (words > 0) {
          for (let b = 0; b < this.banks; b++) e.bankAcc[b] += words / this.banks;
          e.spad(core, core, this.stagingTensor, 0, words, 0, t);
        }
        return done;
      }
      case X_WBREAD: {
        const d = cs.blockOut[this.item[tid]];
        for (let b = 0; b < this.banks; b++) e.bankAcc[b] += (2 * d) / this.banks;
        const readDone = e.spad(core, core, this.stagingTensor, 2 * d, 0, d, t);
        e.bankAcc[1 % this.banks] += 1;
        const cursorDone = e.atomics(core, core, this.queueTensor, 1, 1, t);
        this.state[tid] = S_WBWRITE;
        return Math.max(readDone, cursorDone);
      }
      case X_WBWRITE: {
        const d = cs.blockOut[this.item[tid]];
        const offset = cs.cCursor;
        cs.cCursor += d;
        e.write(this.cTensor, cs.cIdx + offset * INDEX_BYTES, d * INDEX_BYTES, t, 3 * core);
        e.write(this.cTensor, cs.cVal + offset * this.valueBytes, d * this.valueBytes, t, 3 * core + 1);
        e.write(this.cTensor, this.rowInfo + cs.blockRows[this.item[tid]] * 8, 8, t);
        this.state[tid] = S_GRAB;
        return t;
      }
      default:
        throw new Error(`inner: bad state ${this.state[tid]} in execute`);
    }
  }
}
