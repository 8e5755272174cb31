// Structural helpers on CSR matrices used by the kernels: transposition (CSC of A and B),
// partial-product counts and the exact structure sizes of C = A·B.

import type { CsrMatrix } from '../../matrix/csr.js';

/** CSR of the transpose (equivalently the CSC of `m`), plus where each entry of `m` went. */
export interface Transposed {
  matrix: CsrMatrix;
  /** position in the transpose of entry p of `m` (CSR order). */
  positionOf: Int32Array;
}

export function transpose(m: CsrMatrix): Transposed {
  const nnz = m.rowPtr[m.rows];
  const rowPtr = new Int32Array(m.cols + 1);
  for (let p = 0; p < nnz; p++) rowPtr[m.colIdx[p] + 1]++;
  for (let c = 0; c < m.cols; c++) rowPtr[c + 1] += rowPtr[c];
  const cursor = rowPtr.slice(0, m.cols);
  const colIdx = new Int32Array(nnz);
  const positionOf = new Int32Array(nnz);
  const values = m.values ? new Float64Array(nnz) : undefined;
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.rowPtr[r]; p < m.rowPtr[r + 1]; p++) {
      const q = cursor[m.colIdx[p]]++;
      colIdx[q] = r;
      positionOf[p] = q;
      if (values && m.values) values[q] = m.values[p];
    }
  }
  const matrix: CsrMatrix = { rows: m.cols, cols: m.rows, rowPtr, colIdx };
  if (values) matrix.values = values;
  return { matrix, positionOf };
}

/** Partial products of each row of A·B: Σ_{k ∈ A[i,:]} nnz(B[k,:]). */
export function rowPartialProducts(a: CsrMatrix, b: CsrMatrix): Float64Array {
  const result = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let sum = 0;
    for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
      const k = a.colIdx[p];
      sum += b.rowPtr[k + 1] - b.rowPtr[k];
    }
    result[i] = sum;
  }
  return result;
}

/** Nonzeros of each row of C = A·B (symbolic SpGEMM with a dense marker; O(partial products)). */
export function outputRowCounts(a: CsrMatrix, b: CsrMatrix): Int32Array {
  const counts = new Int32Array(a.rows);
  const marker = new Int32Array(b.cols).fill(-1);
  for (let i = 0; i < a.rows; i++) {
    let count = 0;
    for (let p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
      const k = a.colIdx[p];
      for (let q = b.rowPtr[k]; q < b.rowPtr[k + 1]; q++) {
        const j = b.colIdx[q];
        if (marker[j] !== i) {
          marker[j] = i;
          count++;
        }
      }
    }
    counts[i] = count;
  }
  return counts;
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
