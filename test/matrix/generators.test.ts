import { describe, it, expect } from 'vitest';
import { banded, resolveMatrix, rmat, uniformRandom } from '../../src/matrix/generators.js';
import type { CsrMatrix } from '../../src/matrix/csr.js';

function sortedUnique(m: CsrMatrix): boolean {
  for (let r = 0; r < m.rows; r++) for (let p = m.rowPtr[r] + 1; p < m.rowPtr[r + 1]; p++) if (m.colIdx[p] <= m.colIdx[p - 1]) return false;
  return true;
}

describe('rmat', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = rmat({ scale: 10, edgeFactor: 8 }, 7);
    const b = rmat({ scale: 10, edgeFactor: 8 }, 7);
    const c = rmat({ scale: 10, edgeFactor: 8 }, 8);
    expect(Array.from(a.colIdx)).toEqual(Array.from(b.colIdx));
    expect(Array.from(a.rowPtr)).toEqual(Array.from(b.rowPtr));
    expect(Array.from(a.colIdx)).not.toEqual(Array.from(c.colIdx));
  });

  it('removes duplicates: nnz <= edgeFactor * 2^scale, sorted rows', () => {
    const m = rmat({ scale: 12, edgeFactor: 8 }, 1);
    expect(m.rows).toBe(4096);
    expect(m.cols).toBe(4096);
    expect(m.rowPtr[m.rows]).toBeLessThanOrEqual(8 * 4096);
    expect(m.rowPtr[m.rows]).toBeGreaterThan(0.7 * 8 * 4096);
    expect(sortedUnique(m)).toBe(true);
  });

  it('is power-law skewed: the busiest row holds far more than the mean', () => {
    const m = rmat({ scale: 12, edgeFactor: 8 }, 1);
    let max = 0;
    for (let r = 0; r < m.rows; r++) max = Math.max(max, m.rowPtr[r + 1] - m.rowPtr[r]);
    expect(max).toBeGreaterThan(20 * (m.rowPtr[m.rows] / m.rows));
  });

  it('permutes labels by default (Graph500); unpermuted hubs sit at low indices', () => {
    const plain = rmat({ scale: 10, edgeFactor: 8, permute: false }, 3);
    const degree0 = plain.rowPtr[1] - plain.rowPtr[0];
    let max = 0;
    for (let r = 0; r < plain.rows; r++) max = Math.max(max, plain.rowPtr[r + 1] - plain.rowPtr[r]);
    expect(degree0).toBe(max); // vertex 0 (all bits zero) is the hub without relabelling
    const permuted = rmat({ scale: 10, edgeFactor: 8 }, 3);
    expect(permuted.rowPtr[permuted.rows]).toBe(plain.rowPtr[plain.rows]);
  });
});

describe('uniformRandom', () => {
  it('has the expected density within 3 standard deviations', () => {
    const m = uniformRandom({ rows: 500, cols: 800, density: 0.01 }, 5);
    const expected = 500 * 800 * 0.01;
    const sd = Math.sqrt(expected * 0.99);
    expect(Math.abs(m.rowPtr[m.rows] - expected)).toBeLessThan(3 * sd);
    expect(sortedUnique(m)).toBe(true);
    expect(m.colIdx.every((c) => c >= 0 && c < 800)).toBe(true);
  });

  it('handles density 0 and 1', () => {
    expect(uniformRandom({ rows: 3, cols: 4, density: 0 }, 1).rowPtr[3]).toBe(0);
    expect(uniformRandom({ rows: 3, cols: 4, density: 1 }, 1).rowPtr[3]).toBe(12);
  });
});

describe('banded', () => {
  it('has the band structure', () => {
    const m = banded({ rows: 5, halfBandwidth: 1 });
    expect(Array.from(m.rowPtr)).toEqual([0, 2, 5, 8, 11, 13]);
    expect(Array.from(m.colIdx)).toEqual([0, 1, 0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4]);
  });
});

describe('resolveMatrix', () => {
  it('returns parsed .mtx matrices as they are and generates the rest', () => {
    const parsed = banded({ rows: 3, halfBandwidth: 0 });
    expect(resolveMatrix({ kind: 'mtx', file: 'x.mtx', matrix: parsed }, 1)).toBe(parsed);
    expect(resolveMatrix({ kind: 'banded', rows: 4, halfBandwidth: 1 }, 1).rowPtr[4]).toBe(10);
    expect(resolveMatrix({ kind: 'uniform', rows: 10, cols: 10, density: 1 }, 1).rowPtr[10]).toBe(100);
    const r = resolveMatrix({ kind: 'rmat', scale: 6, edgeFactor: 4, a: 0.57, b: 0.19, c: 0.19 }, 9);
    expect(r.rows).toBe(64);
    expect(Array.from(r.colIdx)).toEqual(Array.from(rmat({ scale: 6, edgeFactor: 4 }, 9).colIdx));
  });
});
