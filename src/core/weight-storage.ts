// Bytes the parameter weights of a workload occupy in their storage format, split into values,
// metadata (indices, bitmaps), pointers (row/tile offsets) and padding — the same per-operand
// storage the families move (operandView), summed over every instance of every GEMM-like operator
// whose weights are parameters.

import { operandView } from './operand-sparsity.js';
import { isGemmLike, type GemmOperator, type SimulateOptions, type Workload } from './types.js';

export interface WeightStorage {
  valueBytes: number;
  metadataBytes: number;
  pointerBytes: number;
  paddingBytes: number;
  totalBytes: number;
}

export function weightStorage(workload: Workload, options: Pick<SimulateOptions, 'sparsityMode' | 'seed'>): WeightStorage {
  const bits = { value: 0, metadata: 0, pointer: 0, padding: 0 };
  for (const op of workload.operators) {
    if (!isGemmLike(op as never) || (op as GemmOperator).weightKind !== 'parameters') continue;
    const gemm = op as GemmOperator;
    const { storage } = operandView(gemm, 'weight', options);
    const instances = gemm.count * gemm.batch;
    bits.value += storage.valueBits * instances;
    bits.metadata += storage.metadataBits * instances;
    bits.pointer += storage.pointerBits * instances;
    bits.padding += storage.paddingBits * instances;
  }
  const bytes = { valueBytes: bits.value / 8, metadataBytes: bits.metadata / 8, pointerBytes: bits.pointer / 8, paddingBytes: bits.padding / 8 };
  return { ...bytes, totalBytes: bytes.valueBytes + bytes.metadataBytes + bytes.pointerBytes + bytes.paddingBytes };
}
