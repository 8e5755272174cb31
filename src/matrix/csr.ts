// Compressed sparse row storage of a sparse matrix's structure (and optionally its values).
// Shared by the Matrix Market reader, the synthetic generators, sparsity masks and the
// scratchpad family's kernels.

export interface CsrMatrix {
  rows: number;
  cols: number;
  /** rowPtr[r]..rowPtr[r+1] indexes colIdx for row r; length rows + 1. */
  rowPtr: Int32Array;
  /** Column indices, sorted ascending within each row, no duplicates. */
  colIdx: Int32Array;
  /** Optional values aligned with colIdx (absent for pattern matrices). */
  values?: Float64Array;
}

export function nnz(matrix: CsrMatrix): number {
  return matrix.rowPtr[matrix.rows];
}
