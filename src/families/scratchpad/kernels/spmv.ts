// SpMV y = M·x, row-wise (pull), and PageRank as repeated SpMV on Aᵀ.
//
// Rows are handled in groups of GROUP consecutive rows (one atomic grab and one pointer read per
// group); groups go to cores by the static schedule and to threads dynamically. For each row a
// thread reads its fibre (indices and values) and gathers x[j] for every index — the random,
// fine-grained accesses where an 8-byte DRAM access wastes little and a 64-byte line wastes most
// of the line unless a neighbour is used before eviction. y is written with posted stores.
//
// PageRank (pull form): r' = (1 - d)/n + d · Aᵀ (r / outdeg). Each iteration is one SpMV over Aᵀ
// with x = r / outdeg; the row step also reads outdeg[v] and writes both r'[v] and
// x'[v] = r'[v] / outdeg[v] for the next iteration. Between iterations: a global barrier and a
// cache flush (the caches are not coherent). The convergence test is not modelled.

import type { CsrMatrix } from '../../../matrix/csr.js';
import type { ScratchpadConfig } from '../config.js';
import type { Engine, Kernel } from '../engine.js';
import { PARK } from '../engine.js';
import { Barrier, POINTER_BYTES, distribute, grab, layoutMatrix, readFibre, readPointers, type MatrixLayout } from '../kernel-util.js';

export const GROUP = 8;

const S_GRAB = 0;
const X_GRAB = 1;
const S_PTRS = 2;
const X_PTRS = 3;
const S_FIBRE = 4;
const X_FIBRE = 5;
const S_GATHER = 6;
const X_GATHER = 7;
const S_WRITE = 8;
const X_WRITE = 9;

/** Extra instructions per row of the PageRank update (damping, divide, stores). */
const PAGERANK_ROW_INSTRUCTIONS = 4;

export class SpmvKernel implements Kernel {
  readonly M: MatrixLayout;
  private readonly xTensor: number;
  private readonly yTensor: number;
  private readonly degTensor: number;
  private readonly queueTensor: number;
  private readonly x: number[];
  private readonly y: number;
  private readonly deg: number;
  private readonly lists: Int32Array[];
  private readonly next: Int32Array;
  private readonly barrier: Barrier;
  private iteration = 0;
  private readonly valueBytes: number;
  private readonly cost: ScratchpadConfig['cost'];
  macs = 0;

  private readonly state: Int32Array;
  private readonly row: Int32Array;
  private readonly rowEnd: Int32Array;
  private readonly p0: Int32Array;
  private readonly p1: Int32Array;
  private readonly groupStart: Int32Array;

  constructor(
    private readonly engine: Engine,
    config: ScratchpadConfig,
    m: CsrMatrix,
    valueBytes: number,
    private readonly iterations: number,
    private readonly pagerank: boolean,
  ) {
    this.valueBytes = valueBytes;
    this.cost = config.cost;
    this.M = layoutMatrix(engine, pagerank ? 'At' : 'A', m, valueBytes);
    this.xTensor = engine.tensor(pagerank ? 'rank/outdeg' : 'x');
    this.yTensor = engine.tensor(pagerank ? 'rank' : 'y');
    this.degTensor = engine.tensor('outdeg');
    this.queueTensor = engine.tensor('work-queue');
    this.x = [engine.allocate(m.cols * valueBytes), engine.allocate(m.cols * valueBytes)];
    this.y = engine.allocate(m.rows * valueBytes);
    this.deg = engine.allocate(m.rows * 4);
    this.lists = distribute(Math.ceil(m.rows / GROUP), engine.cores, config.schedule);
    this.next = new Int32Array(engine.cores);
    this.barrier = new Barrier(engine, engine.threads);
    const n = engine.threads;
    this.state = new Int32Array(n).fill(S_GRAB);
    this.row = new Int32Array(n);
    this.rowEnd = new Int32Array(n);
    this.p0 = new Int32Array(n);
    this.p1 = new Int32Array(n);
    this.groupStart = new Int32Array(n);
  }

  plan(tid: number, now: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    const m = this.M.m;
    for (;;) {
      switch (this.state[tid]) {
        case S_GRAB: {
          if (this.iteration >= this.iterations) return PARK;
          const list = this.lists[core];
          if (this.next[core] < list.length) {
            const group = list[this.next[core]++];
            this.groupStart[tid] = group * GROUP;
            this.row[tid] = group * GROUP;
            this.rowEnd[tid] = Math.min(m.rows, (group + 1) * GROUP);
            this.state[tid] = X_GRAB;
            return this.cost.loop;
          }
          if (this.barrier.arrive(tid)) {
            this.iteration++;
            if (this.iteration < this.iterations) {
              this.next.fill(0);
              e.flushCaches();
              this.barrier.release(now + e.barrierLatency(true));
            }
          }
          return PARK;
        }
        case S_PTRS:
          this.state[tid] = X_PTRS;
          return 1;
        case S_FIBRE: {
          if (this.row[tid] >= this.rowEnd[tid]) {
            this.state[tid] = S_WRITE;
            continue;
          }
          const r = this.row[tid];
          this.p0[tid] = m.rowPtr[r];
          this.p1[tid] = m.rowPtr[r + 1];
          if (this.p0[tid] === this.p1[tid]) {
            this.row[tid]++;
            continue;
          }
          this.state[tid] = X_FIBRE;
          return this.cost.loop;
        }
        case S_GATHER: {
          const len = this.p1[tid] - this.p0[tid];
          this.state[tid] = X_GATHER;
          // Thread-issued gathers alternate loads and multiply-adds; a DMA gather returns first.
          if (!e.dmaGatherEnabled) e.interleaveNext = true;
          return len * this.cost.mac + (this.pagerank ? PAGERANK_ROW_INSTRUCTIONS : 0);
        }
        case S_WRITE:
          this.state[tid] = X_WRITE;
          return this.rowEnd[tid] - this.groupStart[tid];
        default:
          throw new Error(`spmv: bad state ${this.state[tid]} in plan`);
      }
    }
  }

  execute(tid: number, t: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    switch (this.state[tid]) {
      case X_GRAB:
        this.state[tid] = S_PTRS;
        return grab(e, core, this.queueTensor, t);
      case X_PTRS: {
        const r0 = this.groupStart[tid];
        const count = this.rowEnd[tid] - r0;
        this.state[tid] = S_FIBRE;
        let done = readPointers(e, core, this.M, r0, count + 1, t);
        if (this.pagerank) done = Math.max(done, e.readRange(core, this.degTensor, this.deg + r0 * POINTER_BYTES, count * POINTER_BYTES, t, true, false));
        return done;
      }
      case X_FIBRE:
        this.state[tid] = S_GATHER;
        return readFibre(e, core, this.M, this.p0[tid], this.p1[tid], t, true);
      case X_GATHER: {
        const p0 = this.p0[tid];
        const len = this.p1[tid] - p0;
        const colIdx = this.M.m.colIdx;
        const vb = this.valueBytes;
        const x = this.x[this.iteration % 2];
        e.ensureGatherCapacity(len);
        for (let q = 0; q < len; q++) e.gatherAddr[q] = x + colIdx[p0 + q] * vb;
        this.macs += len;
        this.row[tid]++;
        this.state[tid] = S_FIBRE;
        return e.gather(core, this.xTensor, len, vb, t, e.dmaGatherEnabled);
      }
      case X_WRITE: {
        const r0 = this.groupStart[tid];
        const bytes = (this.rowEnd[tid] - r0) * this.valueBytes;
        e.write(this.yTensor, this.y + r0 * this.valueBytes, bytes, t, 3 * core + 2);
        if (this.pagerank) e.write(this.xTensor, this.x[(this.iteration + 1) % 2] + r0 * this.valueBytes, bytes, t);
        this.state[tid] = S_GRAB;
        return t;
      }
      default:
        throw new Error(`spmv: bad state ${this.state[tid]} in execute`);
    }
  }
}
