// Pieces shared by the kernels: DRAM layout of CSR operands, static work distribution to cores,
// per-core work queues and barriers.

import type { CsrMatrix } from '../../matrix/csr.js';
import type { ScratchpadConfig } from './config.js';
import type { Engine } from './engine.js';

export const INDEX_BYTES = 4;
export const POINTER_BYTES = 4;

/** A CSR (or CSC) operand in DRAM: pointer, index and value arrays. */
export interface MatrixLayout {
  m: CsrMatrix;
  tensor: number;
  ptr: number;
  idx: number;
  val: number;
  valueBytes: number;
}

export function layoutMatrix(engine: Engine, name: string, m: CsrMatrix, valueBytes: number): MatrixLayout {
  const nnz = m.rowPtr[m.rows];
  return {
    m,
    tensor: engine.tensor(name),
    ptr: engine.allocate((m.rows + 1) * POINTER_BYTES),
    idx: engine.allocate(nnz * INDEX_BYTES),
    val: engine.allocate(nnz * valueBytes),
    valueBytes,
  };
}

export function matrixBytes(m: CsrMatrix, valueBytes: number): number {
  return (m.rows + 1) * POINTER_BYTES + m.rowPtr[m.rows] * (INDEX_BYTES + valueBytes);
}

/** Reads the two row pointers of rows [r0, r1] (r1 - r0 + 1 pointers). */
export function readPointers(engine: Engine, core: number, layout: MatrixLayout, r0: number, count: number, t: number): number {
  return engine.readRange(core, layout.tensor, layout.ptr + r0 * POINTER_BYTES, count * POINTER_BYTES, t, true, false);
}

/** Reads entries [p0, p1) of a fibre: indices and (optionally) values. */
export function readFibre(engine: Engine, core: number, layout: MatrixLayout, p0: number, p1: number, t: number, withValues: boolean, cached = true): number {
  if (p1 <= p0) return t;
  const dma = engine.dmaGatherEnabled;
  let done = engine.readRange(core, layout.tensor, layout.idx + p0 * INDEX_BYTES, (p1 - p0) * INDEX_BYTES, t, cached, dma);
  if (withValues) done = Math.max(done, engine.readRange(core, layout.tensor, layout.val + p0 * layout.valueBytes, (p1 - p0) * layout.valueBytes, t, cached, dma));
  return done;
}

/** Items 0..count-1 distributed to cores ('round-robin': i mod cores; 'block': contiguous). */
export function distribute(count: number, cores: number, schedule: ScratchpadConfig['schedule']): Int32Array[] {
  const lists: Int32Array[] = [];
  if (schedule === 'block') {
    const per = Math.ceil(count / cores);
    for (let c = 0; c < cores; c++) {
      const start = Math.min(count, c * per);
      const end = Math.min(count, start + per);
      const list = new Int32Array(end - start);
      for (let i = 0; i < list.length; i++) list[i] = start + i;
      lists.push(list);
    }
  } else {
    for (let c = 0; c < cores; c++) {
      const list = new Int32Array(Math.max(0, Math.ceil((count - c) / cores)));
      for (let i = 0; i < list.length; i++) list[i] = c + i * cores;
      lists.push(list);
    }
  }
  return lists;
}

/**
 * A counting barrier over a set of threads. A thread arrives when it finds no work in the current
 * phase; when the last one arrives the owner runs the phase transition and releases them all.
 */
export class Barrier {
  private readonly parked: number[] = [];
  constructor(
    private readonly engine: Engine,
    readonly members: number,
  ) {}

  /** Returns true when `tid` is the last member to arrive. */
  arrive(tid: number): boolean {
    this.parked.push(tid);
    return this.parked.length === this.members;
  }

  release(t: number): void {
    for (const tid of this.engine.byIssueRank(this.parked)) this.engine.wake(tid, t);
    this.parked.length = 0;
  }
}

/** One scratchpad atomic fetch-add on a core's work counter (bank 0): the dynamic-schedule grab. */
export function grab(engine: Engine, core: number, queueTensor: number, t: number): number {
  engine.bankAcc[0] += 1;
  return engine.atomics(core, core, queueTensor, 1, 1, t);
}

/** Growable Float64 buffer (per thread scratch). */
export function ensure(buffer: Float64Array, size: number): Float64Array {
  if (buffer.length >= size) return buffer;
  return new Float64Array(Math.max(size, buffer.length * 2));
}

/**
 * Order of work items, heaviest first (ties keep their original order). Threads take items from a
 * per-core counter in this order — longest-processing-time-first list scheduling — so that each
 * phase does not end with one thread working through a big item while the others wait.
 */
export function heaviestFirst(weights: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: weights.length }, (_, i) => i);
  order.sort((x, y) => weights[y] - weights[x] || x - y);
  return order;
}

export function permute(values: ArrayLike<number>, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]];
  return out;
}
