// Dual-side sparse tensor core (DSTC, Wang et al., ISCA 2021): the GEMM runs as a sum over K of
// outer products of the nonzeros of weight column k and activation column k, so the MACs it
// issues are exactly Σ_k nnz(W[:, k]) · nnz(X[:, k]). In concrete mode that sum is counted from
// the two masks (correlated or structured zeros change it); in statistical mode positions are
// independent between the operands and it is N·M·K·dW·dX.

import { operandTileStats, type OperandView } from '../../core/operand-sparsity.js';

// Memo per pair of views: concrete views are shared through the simulate call's mask cache, so
// the same pair recurs for every tile candidate; it never changes a result.
const memo = new WeakMap<OperandView, WeakMap<OperandView, number>>();

/** Effectual (outer-product) MACs of one GEMM instance ÷ its dense MACs. */
export function outerProductFraction(weight: OperandView, input: OperandView): number {
  const statistical = weight.density * input.density;
  // With one operand dense the sum is rows × nnz of the other: the product of densities, exactly.
  if (weight.mode !== 'concrete' || input.mode !== 'concrete' || weight.pattern.kind === 'dense' || input.pattern.kind === 'dense') return statistical;
  let byInput = memo.get(weight);
  const known = byInput?.get(input);
  if (known !== undefined) return known;
  // Per-column nonzero counts: tiles of one whole column (weight [N × K], input [M × K]).
  const columnCounts = (view: OperandView): Uint32Array | number => {
    if (view.pattern.kind === 'dense') return view.shape.rows;
    return operandTileStats(view, { rows: view.shape.rows, cols: 1 }).counts ?? view.density * view.shape.rows;
  };
  const w = columnCounts(weight);
  const x = columnCounts(input);
  const K = weight.shape.cols;
  let pairs = 0;
  for (let k = 0; k < K; k++) pairs += (typeof w === 'number' ? w : w[k]) * (typeof x === 'number' ? x : x[k]);
  const fraction = pairs / (weight.shape.rows * input.shape.rows * K);
  if (!byInput) memo.set(weight, (byInput = new WeakMap()));
  byInput.set(input, fraction);
  return fraction;
}
