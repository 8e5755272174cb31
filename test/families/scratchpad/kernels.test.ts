// The graph kernels do the right amount of work, and the scratchpad capacity limit shows up.
import { describe, it, expect } from 'vitest';
import type { CsrMatrix } from '../../../src/matrix/csr.js';
import type { MatrixSource } from '../../../src/core/types.js';
import { mtx, piuma, run, sparseOp } from './helpers.js';

function levels(m: CsrMatrix, root: number): { levels: number; reached: number; edges: number } {
  const depth = new Int32Array(m.rows).fill(-1);
  depth[root] = 0;
  let frontier = [root];
  let count = 0;
  let reached = 1;
  let edges = 0;
  while (frontier.length > 0) {
    count++;
    const next: number[] = [];
    for (const u of frontier) {
      edges += m.rowPtr[u + 1] - m.rowPtr[u];
      for (let p = m.rowPtr[u]; p < m.rowPtr[u + 1]; p++) {
        const v = m.colIdx[p];
        if (depth[v] < 0) {
          depth[v] = count;
          next.push(v);
          reached++;
        }
      }
    }
    frontier = next;
  }
  return { levels: count, reached, edges };
}

describe('graph kernels', () => {
  const grqc = mtx('ca-GrQc');
  const matrix = (grqc as Extract<MatrixSource, { kind: 'mtx' }>).matrix;

  it('BFS visits the same levels and vertices as a sequential BFS from its root', () => {
    const r = run(piuma(), sparseOp('bfs', grqc, { iterations: 64 }));
    const root = Number(/BFS from vertex (\d+)/.exec(r.notes.join('\n'))![1]);
    const want = levels(matrix, root);
    expect(r.stats['bfs.levels']).toBe(want.levels);
    expect(r.stats['bfs.vertices_reached']).toBe(want.reached);
    expect(r.macs.effectual).toBe(want.edges);
    // Visited flags are spread over the cores' scratchpads: most test-and-sets are remote.
    expect(r.stats['atomics.remote_ops']).toBeGreaterThan(0.5 * want.edges);
  });

  it('PageRank does iterations x nnz multiply-adds and reads the graph once per iteration', () => {
    const nnz = matrix.rowPtr[matrix.rows];
    const one = run(piuma(), sparseOp('pagerank', grqc, { iterations: 1 }));
    const three = run(piuma(), sparseOp('pagerank', grqc, { iterations: 3 }));
    expect(one.macs.effectual).toBe(nnz);
    expect(three.macs.effectual).toBe(3 * nnz);
    const aBytes = (t: typeof one) => t.memory.dram.perTensor['At'].readBytes;
    expect(aBytes(three) / aBytes(one)).toBeGreaterThan(2.9);
    expect(aBytes(three) / aBytes(one)).toBeLessThan(3.1);
    expect(three.cycles).toBeGreaterThan(2.5 * one.cycles);
  });

  it('SpMV streams the matrix once and gathers x', () => {
    const r = run(piuma(), sparseOp('spmv', grqc));
    expect(r.macs.effectual).toBe(matrix.rowPtr[matrix.rows]);
    // Indices and values (4 + 4 B per nonzero) and row pointers requested from the A stream.
    expect(r.memory.cache.perTensor['A'].readBytes).toBeGreaterThanOrEqual(8 * matrix.rowPtr[matrix.rows]);
    expect(r.memory.cache.perTensor['x'].readBytes).toBe(4 * matrix.rowPtr[matrix.rows]);
  });
});

describe('scratchpad capacity', () => {
  it('a small scratchpad cuts row-wise SpGEMM into many windows whose barriers dominate', () => {
    const op = sparseOp('spgemm', mtx('ca-GrQc'), { dataflow: 'row-wise' });
    const full = run(piuma(), op);
    const small = run(piuma({ 'scratchpad.capacity': 16 * 1024 }), op);
    expect(small.stats['hash.windows']).toBeGreaterThan(10 * full.stats['hash.windows']);
    expect(small.cycles).toBeGreaterThan(1.5 * full.cycles);
    expect(small.bottleneck).toBe('scratchpad-capacity');
    expect(full.bottleneck).not.toBe('scratchpad-capacity');
    // Same products, same output: capacity changes the schedule, not the work.
    expect(small.stats['spgemm.partial_products']).toBe(full.stats['spgemm.partial_products']);
  });
});
