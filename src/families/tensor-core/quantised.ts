// Weight-only quantised GEMMs on a tensor-core GPU (W4A16, W8A16): the weights are stored in a
// narrower integer type with group-wise scales (operand-sparsity.ts counts their bits) and are
// dequantised to the MAC datatype in registers before the MMA — the scheme of Marlin (Frantar et
// al., 2024) and, with 2:4 weights on the sparse MMA, Sparse-Marlin. The kernel timing is that of
// the kernel the weight format selects, on the quantised bytes; what this file adds is the name of
// the scheme and its stated approximations.

import type { GemmOperator } from '../../core/types.js';
import { DATATYPE_BITS } from '../../core/types.js';
import type { OperandView } from '../../core/operand-sparsity.js';

export function quantisedWeightNote(op: GemmOperator, weight: OperandView, kernel: string): string | undefined {
  const stored = op.weightDtype;
  if (!stored || stored === op.dtype) return undefined;
  const quant = op.weightQuant;
  const scales = quant ? ` + ${quant.scaleBits + quant.zeroPointBits}-bit scale${quant.zeroPointBits ? ' and zero point' : ''} per ${quant.groupSize} along K` : '';
  const bitsPerWeight = (weight.storage.totalBits / (weight.shape.rows * weight.shape.cols)).toFixed(3);
  const scheme = kernel === 'sparse-marlin' ? 'Sparse-Marlin-like: 2:4 weights on the sparse MMA' : kernel === 'cublas' ? 'Marlin-like' : `with the ${kernel} kernel`;
  return (
    `${op.name}: W${DATATYPE_BITS[stored]}A${DATATYPE_BITS[op.dtype]} weights (${stored}${scales}: ${bitsPerWeight} bits per weight element as stored) ` +
    `dequantised to ${op.dtype} in registers (${scheme}); dequantisation instructions are not costed and shared-memory staging counts weight tiles at ${op.dtype} width (first approximation)`
  );
}
