// Work estimate of the scratchpad family (src/core/budget.ts). Its kernels are simulated event by
// event on concrete matrices, so the work follows the matrices: generating them (R-MAT draws one
// random quadrant per edge per level), the kernel events (SpGEMM: one per partial product, plus
// the inner-product dataflow's index intersections, rows/R × nnz(B); SpMV and PageRank: one per
// nonzero and row (PageRank: per iteration; SpGEMM and SpMV repetitions are simulated once); BFS: every edge and vertex once) and their memory (CSR arrays,
// coordinate buffers while generating, per-row structures).
//
// Partial products Σ_k nnz(A[:,k]) · nnz(B[k,:]) are counted exactly for .mtx operands and in
// expectation for generated ones: uniform and banded matrices spread nonzeros evenly; for R-MAT
// the column and row marginals factor over the bits of the index, so
// Σ_k P(col = k) P(row = k) = Π_bits [(a + c)(a + b) + (b + d)(c + d)].

import type { CsrMatrix } from '../../matrix/csr.js';
import type { MatrixSource, Operator, SimulateOptions } from '../../core/types.js';
import { short, type WorkEstimate } from '../../core/budget.js';
import type { ScratchpadConfig } from './config.js';

// Work units per kernel event, measured on the bench machine (1 unit ≈ 1 ns): a SpGEMM partial
// product or index intersection ~50 ns; an SpMV/PageRank/BFS nonzero ~400 ns (each is a fine-grained
// DRAM access through the cache and thread model); an R-MAT edge ~100 ns per level of its
// quadrant recursion plus ~300 ns to sort it into CSR; a uniform nonzero ~150 ns.
const WORK_PER_PRODUCT = 50;
const WORK_PER_GRAPH_EVENT = 400;
const WORK_PER_RMAT_LEVEL = 100;
const WORK_PER_GENERATED_NONZERO = 150;
/** Bytes per stored nonzero while a matrix exists (index, value, transposes and caches of it). */
const BYTES_PER_NONZERO = 48;

interface SourceSize {
  rows: number;
  cols: number;
  nnz: number;
  generateWork: number;
}

function sizeOf(source: MatrixSource): SourceSize {
  switch (source.kind) {
    case 'mtx':
      return { rows: source.matrix.rows, cols: source.matrix.cols, nnz: source.matrix.rowPtr[source.matrix.rows], generateWork: 0 };
    case 'rmat': {
      const n = 2 ** source.scale;
      const edges = Math.round(source.edgeFactor * n);
      return { rows: n, cols: n, nnz: edges, generateWork: edges * (source.scale * WORK_PER_RMAT_LEVEL + 2 * WORK_PER_GENERATED_NONZERO) };
    }
    case 'uniform': {
      const nnz = source.rows * source.cols * source.density;
      return { rows: source.rows, cols: source.cols, nnz, generateWork: source.rows + WORK_PER_GENERATED_NONZERO * nnz };
    }
    case 'banded': {
      const nnz = source.rows * Math.min(source.rows, 2 * source.halfBandwidth + 1);
      return { rows: source.rows, cols: source.rows, nnz, generateWork: source.rows + 20 * nnz };
    }
  }
}

/** Σ_k nnz(A[:,k]) · nnz(B[k,:]), exact when both are matrix files, else its expectation. */
function partialProducts(a: MatrixSource, b: MatrixSource, sa: SourceSize, sb: SourceSize): number {
  if (a.kind === 'mtx' && b.kind === 'mtx') return exactPartialProducts(a.matrix, b.matrix);
  if (a.kind === 'rmat' && b.kind === 'rmat' && a.scale === b.scale) {
    const bd = 1 - a.a - a.b - a.c;
    const bdB = 1 - b.a - b.b - b.c;
    const perBit = (a.a + a.c) * (b.a + b.b) + (a.b + bd) * (b.c + bdB);
    return sa.nnz * sb.nnz * perBit ** a.scale;
  }
  const inner = Math.max(1, Math.min(sa.cols, sb.rows));
  // Mixed sources: the even-spread expectation, with a factor for the skew of a real matrix.
  const skew = a.kind === 'uniform' || a.kind === 'banded' ? (b.kind === 'uniform' || b.kind === 'banded' ? 1 : 8) : 8;
  return (sa.nnz * sb.nnz * skew) / inner;
}

function exactPartialProducts(a: CsrMatrix, b: CsrMatrix): number {
  const colCount = new Float64Array(a.cols);
  for (let p = 0; p < a.rowPtr[a.rows]; p++) colCount[a.colIdx[p]]++;
  let total = 0;
  for (let k = 0; k < Math.min(a.cols, b.rows); k++) total += colCount[k] * (b.rowPtr[k + 1] - b.rowPtr[k]);
  return total;
}

export function estimateScratchpadWork(config: ScratchpadConfig, op: Operator, _options: SimulateOptions): WorkEstimate {
  if (op.kind !== 'spgemm' && op.kind !== 'spmv' && op.kind !== 'pagerank' && op.kind !== 'bfs') {
    return { work: 1, memoryBytes: 0, quantity: 'nothing to simulate' };
  }
  const sa = sizeOf(op.a);
  const b = op.b ?? op.a;
  const sb = op.b ? sizeOf(op.b) : sa;
  const generate = sa.generateWork + (op.b ? sb.generateWork : 0);
  let events: number; // in work units
  let what: string;
  let outputNnz = 0;
  if (op.kind === 'spgemm') {
    const products = partialProducts(op.a, b, sa, sb);
    const intersections = op.dataflow === 'inner' ? Math.ceil(sa.rows / Math.max(1, config.innerRowBlock)) * sb.nnz : 0;
    // Identical repetitions (`iterations`) are simulated once and scaled.
    events = (products + intersections + sa.rows) * WORK_PER_PRODUCT;
    outputNnz = Math.min(products, sa.rows * sb.cols);
    what = `${short(products)} partial products${intersections ? ` and ${short(intersections)} index intersections` : ''}`;
  } else if (op.kind === 'bfs') {
    events = (sa.nnz + sa.rows + op.iterations * config.cores) * WORK_PER_GRAPH_EVENT;
    what = `${short(sa.nnz)} edges and ${short(sa.rows)} vertices`;
  } else if (op.kind === 'spmv') {
    events = (sa.nnz + sa.rows) * WORK_PER_GRAPH_EVENT;
    what = `${short(sa.nnz)} nonzeros`;
  } else {
    events = op.iterations * (sa.nnz + sa.rows) * WORK_PER_GRAPH_EVENT;
    what = `${short(sa.nnz)} nonzeros × ${op.iterations} iterations`;
  }
  return {
    work: events + generate,
    memoryBytes: BYTES_PER_NONZERO * (sa.nnz + (op.b ? sb.nnz : 0) + outputNnz) + 32 * (sa.rows + sb.rows + sa.cols + sb.cols),
    quantity: `kernel events for ${what}`,
  };
}
