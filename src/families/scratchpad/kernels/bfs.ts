// Breadth-first search, level-synchronous top-down: each level is the sparse product of the
// frontier (a sparse vector) with A over the (or, and) semiring, with the visited set as mask.
//
// The frontier list is cut into groups of GROUP vertices, spread over cores by the static
// schedule and over threads dynamically. For a frontier vertex u a thread reads A's row pointers
// and adjacency fibre, then for each neighbour v issues an atomic test-and-set on v's visited bit,
// which lives in the scratchpad of core v mod cores (remote atomics over the mesh; the thread needs
// each result). Newly visited vertices are appended to the next frontier with one global fetch-add
// (on core 0) and a posted store. Levels end with a global barrier and a cache flush. Which thread
// discovers a vertex follows the simulated event order; the set of vertices per level does not
// depend on it. The root is a seeded random vertex with at least one out-edge. The search stops
// when the frontier is empty or after the operator's `iterations` levels.

import type { CsrMatrix } from '../../../matrix/csr.js';
import type { ScratchpadConfig } from '../config.js';
import type { Engine, Kernel } from '../engine.js';
import { PARK } from '../engine.js';
import { Barrier, INDEX_BYTES, distribute, grab, layoutMatrix, readFibre, readPointers, type MatrixLayout } from '../kernel-util.js';

export const BFS_GROUP = 8;

const S_GRAB = 0;
const X_GRAB = 1;
const S_FRONT = 2;
const X_FRONT = 3;
const S_PTR = 4;
const X_PTR = 5;
const S_ADJ = 6;
const X_ADJ = 7;
const S_VISIT = 8;
const X_VISIT = 9;
const S_APPEND = 10;
const X_APPEND = 11;

export class BfsKernel implements Kernel {
  readonly A: MatrixLayout;
  levels = 0;
  edges = 0;
  reached = 1;
  private readonly visited: Uint8Array;
  private frontier: Int32Array;
  private frontierSize = 1;
  private nextFrontier: Int32Array;
  private nextSize = 0;
  private readonly frontierAddr: number[];
  private readonly frontierTensor: number;
  private readonly visitedTensor: number;
  private readonly queueTensor: number;
  private lists: Int32Array[];
  private readonly next: Int32Array;
  private readonly barrier: Barrier;
  private done = false;
  private readonly cost: ScratchpadConfig['cost'];
  private readonly schedule: ScratchpadConfig['schedule'];
  private readonly banks: number;

  private readonly state: Int32Array;
  private readonly pos: Int32Array;
  private readonly posEnd: Int32Array;
  private readonly u: Int32Array;
  private readonly p0: Int32Array;
  private readonly p1: Int32Array;
  private readonly fresh: Int32Array;
  private readonly freshAt: Int32Array;

  constructor(
    private readonly engine: Engine,
    config: ScratchpadConfig,
    a: CsrMatrix,
    valueBytes: number,
    root: number,
    /** Stop after this many levels (the operator's `iterations`). */
    private readonly maxLevels = Infinity,
  ) {
    this.cost = config.cost;
    this.schedule = config.schedule;
    this.banks = config.scratchpad.banks;
    this.A = layoutMatrix(engine, 'A', a, valueBytes);
    this.frontierTensor = engine.tensor('frontier');
    this.visitedTensor = engine.tensor('visited');
    this.queueTensor = engine.tensor('work-queue');
    this.frontierAddr = [engine.allocate(a.rows * INDEX_BYTES), engine.allocate(a.rows * INDEX_BYTES)];
    this.visited = new Uint8Array(a.rows);
    this.visited[root] = 1;
    this.frontier = new Int32Array(a.rows);
    this.nextFrontier = new Int32Array(a.rows);
    this.frontier[0] = root;
    this.lists = distribute(Math.ceil(this.frontierSize / BFS_GROUP), engine.cores, this.schedule);
    this.next = new Int32Array(engine.cores);
    this.barrier = new Barrier(engine, engine.threads);
    const n = engine.threads;
    this.state = new Int32Array(n).fill(S_GRAB);
    this.pos = new Int32Array(n);
    this.posEnd = new Int32Array(n);
    this.u = new Int32Array(n);
    this.p0 = new Int32Array(n);
    this.p1 = new Int32Array(n);
    this.fresh = new Int32Array(n);
    this.freshAt = new Int32Array(n);
  }

  plan(tid: number, now: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    const a = this.A.m;
    for (;;) {
      switch (this.state[tid]) {
        case S_GRAB: {
          if (this.done) return PARK;
          const list = this.lists[core];
          if (this.next[core] < list.length) {
            const group = list[this.next[core]++];
            this.pos[tid] = group * BFS_GROUP;
            this.posEnd[tid] = Math.min(this.frontierSize, (group + 1) * BFS_GROUP);
            this.state[tid] = X_GRAB;
            return this.cost.loop;
          }
          if (this.barrier.arrive(tid)) {
            this.levels++;
            if (this.nextSize === 0 || this.levels >= this.maxLevels) {
              this.done = true;
              return PARK;
            }
            // Swap frontiers.
            const current = this.frontier;
            this.frontier = this.nextFrontier;
            this.nextFrontier = current;
            this.frontierSize = this.nextSize;
            this.nextSize = 0;
            this.frontierAddr.reverse();
            this.lists = distribute(Math.ceil(this.frontierSize / BFS_GROUP), e.cores, this.schedule);
            this.next.fill(0);
            e.flushCaches();
            this.barrier.release(now + e.barrierLatency(true));
          }
          return PARK;
        }
        case S_FRONT:
          this.state[tid] = X_FRONT;
          return 1;
        case S_PTR: {
          if (this.pos[tid] >= this.posEnd[tid]) {
            this.state[tid] = S_GRAB;
            continue;
          }
          this.u[tid] = this.frontier[this.pos[tid]];
          this.state[tid] = X_PTR;
          return this.cost.loop;
        }
        case S_ADJ: {
          const u = this.u[tid];
          this.p0[tid] = a.rowPtr[u];
          this.p1[tid] = a.rowPtr[u + 1];
          if (this.p0[tid] === this.p1[tid]) {
            this.pos[tid]++;
            this.state[tid] = S_PTR;
            continue;
          }
          this.state[tid] = X_ADJ;
          return this.cost.loop;
        }
        case S_VISIT: {
          // Test-and-set in event order: the first thread to reach v discovers it.
          let fresh = 0;
          this.freshAt[tid] = this.nextSize;
          for (let p = this.p0[tid]; p < this.p1[tid]; p++) {
            const v = a.colIdx[p];
            if (this.visited[v] === 0) {
              this.visited[v] = 1;
              this.nextFrontier[this.nextSize++] = v;
              fresh++;
            }
          }
          this.fresh[tid] = fresh;
          this.reached += fresh;
          const deg = this.p1[tid] - this.p0[tid];
          this.edges += deg;
          this.state[tid] = X_VISIT;
          this.engine.interleaveNext = true;
          return deg * this.cost.intersect + 2 * fresh;
        }
        case S_APPEND:
          if (this.fresh[tid] === 0) {
            this.pos[tid]++;
            this.state[tid] = S_PTR;
            continue;
          }
          this.state[tid] = X_APPEND;
          return 2;
        default:
          throw new Error(`bfs: bad state ${this.state[tid]} in plan`);
      }
    }
  }

  execute(tid: number, t: number): number {
    const e = this.engine;
    const core = e.threadCore[tid];
    switch (this.state[tid]) {
      case X_GRAB:
        this.state[tid] = S_FRONT;
        return grab(e, core, this.queueTensor, t);
      case X_FRONT: {
        this.state[tid] = S_PTR;
        const count = this.posEnd[tid] - this.pos[tid];
        return e.readRange(core, this.frontierTensor, this.frontierAddr[0] + this.pos[tid] * INDEX_BYTES, count * INDEX_BYTES, t, true, false);
      }
      case X_PTR:
        this.state[tid] = S_ADJ;
        return readPointers(e, core, this.A, this.u[tid], 2, t);
      case X_ADJ:
        this.state[tid] = S_VISIT;
        return readFibre(e, core, this.A, this.p0[tid], this.p1[tid], t, false);
      case X_VISIT: {
        const colIdx = this.A.m.colIdx;
        const cores = e.cores;
        let done = t;
        let chainCycles = 0;
        for (let home = 0; home < cores; home++) {
          let ops = 0;
          for (let p = this.p0[tid]; p < this.p1[tid]; p++) {
            const v = colIdx[p];
            if (v % cores !== home) continue;
            e.bankAcc[Math.floor(v / cores / 64) % this.banks]++;
            ops++;
          }
          if (ops === 0) continue;
          done = Math.max(done, e.atomics(home, core, this.visitedTensor, ops, ops, t));
          chainCycles += Math.ceil(ops / e.mlp) * (e.atomicLatency + 2 * e.hops(home, core) * e.hopLatency);
        }
        this.state[tid] = S_APPEND;
        return Math.max(done, e.latencyFloor(t, chainCycles));
      }
      case X_APPEND: {
        const fresh = this.fresh[tid];
        e.bankAcc[0]++;
        const done = e.atomics(0, core, this.queueTensor, 1, 1, t);
        e.write(this.frontierTensor, this.frontierAddr[1] + this.freshAt[tid] * INDEX_BYTES, fresh * INDEX_BYTES, t);
        this.pos[tid]++;
        this.state[tid] = S_PTR;
        return done;
      }
      default:
        throw new Error(`bfs: bad state ${this.state[tid]} in execute`);
    }
  }
}
