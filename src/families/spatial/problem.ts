// Workloads as loop nests: each GEMM-like operator becomes a set of named loop dimensions and
// tensors whose coordinates are projections of them (a rank is a sum of coefficient × dimension
// terms, so conv2d's input row is P·stride + R). The same form holds imported Timeloop problems.

import type { GemmOperator } from '../../core/types.js';

export interface ProjectionTerm {
  dim: number;
  coefficient: number;
}

export interface TensorSpec {
  name: string;
  /** One entry per rank (coordinate) of the tensor; each a sum of terms. */
  ranks: ProjectionTerm[][];
  /** Outputs are read-modify-written (partial sums); inputs and weights are read-only. */
  readWrite: boolean;
}

export interface Problem {
  dims: string[];
  bounds: number[];
  tensors: TensorSpec[];
}

export const TENSOR_NAMES = ['input', 'weight', 'output'] as const;

const term = (dim: number, coefficient = 1): ProjectionTerm => ({ dim, coefficient });

/**
 * GEMM output[M×N] = input[M×K]·weight[K×N]; batched matmul adds B to every tensor; conv2d has the
 * seven loops N K C P Q R S (batch, filters, channels, output rows/cols, kernel rows/cols). Groups
 * (operator.batch for conv and gemm) become a G loop shared by all three tensors.
 */
export function problemOf(op: GemmOperator): Problem {
  if (op.kind === 'conv2d' && op.conv) {
    const c = op.conv;
    const dims = ['N', 'K', 'C', 'P', 'Q', 'R', 'S'];
    const bounds = [c.batch, op.n, op.k / (c.kernelHeight * c.kernelWidth), c.outHeight, c.outWidth, c.kernelHeight, c.kernelWidth];
    const [N, K, C, P, Q, R, S] = dims.map((_, i) => i);
    return withGroups(op.batch, {
      dims,
      bounds,
      tensors: [
        { name: 'input', ranks: [[term(N)], [term(C)], [term(P, c.stride), term(R)], [term(Q, c.stride), term(S)]], readWrite: false },
        { name: 'weight', ranks: [[term(K)], [term(C)], [term(R)], [term(S)]], readWrite: false },
        { name: 'output', ranks: [[term(N)], [term(K)], [term(P)], [term(Q)]], readWrite: true },
      ],
    });
  }
  const gemm: Problem = {
    dims: ['M', 'N', 'K'],
    bounds: [op.m, op.n, op.k],
    tensors: [
      { name: 'input', ranks: [[term(0)], [term(2)]], readWrite: false },
      { name: 'weight', ranks: [[term(2)], [term(1)]], readWrite: false },
      { name: 'output', ranks: [[term(0)], [term(1)]], readWrite: true },
    ],
  };
  if (op.kind === 'batched_matmul') return withBatchDim('B', op.batch, gemm);
  return withGroups(op.batch, gemm);
}

function withGroups(groups: number, problem: Problem): Problem {
  return groups > 1 ? withBatchDim('G', groups, problem) : problem;
}

/** Adds an outer dimension that indexes every tensor (independent problems). */
function withBatchDim(name: string, bound: number, problem: Problem): Problem {
  const shift = (ranks: ProjectionTerm[][]) => ranks.map((rank) => rank.map((t) => term(t.dim + 1, t.coefficient)));
  return {
    dims: [name, ...problem.dims],
    bounds: [bound, ...problem.bounds],
    tensors: problem.tensors.map((t) => ({ ...t, ranks: [[term(0)], ...shift(t.ranks)] })),
  };
}

export function totalOperations(problem: Problem): number {
  return problem.bounds.reduce((a, b) => a * b, 1);
}

/** Words of a tensor covered by a box of loop bounds (per rank: 1 + Σ coefficient·(bound − 1)). */
export function projectedSize(tensor: TensorSpec, bounds: ArrayLike<number>): number {
  let size = 1;
  for (const rank of tensor.ranks) {
    let extent = 1;
    for (const t of rank) extent += t.coefficient * (bounds[t.dim] - 1);
    size *= extent;
  }
  return size;
}
