// Work per element of the element-wise and normalisation operators, shared by every family's
// vector or special-function unit. Counts are arithmetic operations per output element in a
// straightforward implementation (an assumption [A], stated in results): exp, division and rsqrt
// count as one operation each, as on a special-function unit with a native instruction.

import type { ElementwiseFunction } from './types.js';

export const OPS_PER_ELEMENT: Record<ElementwiseFunction, number> = {
  relu: 1, // max(x, 0)
  add: 1,
  mul: 1,
  silu: 4, // x / (1 + exp(-x)): negate, exp, add, divide
  gelu: 8, // tanh approximation: cube, 2 mul-adds, tanh, add, 2 mul
  softmax: 5, // max pass, subtract, exp, sum pass, divide
  layernorm: 7, // mean, centre, square, variance sum, rsqrt, scale, shift
  rmsnorm: 4, // square, sum, rsqrt, scale
  rope: 6, // two multiplies and an add per rotated pair, counted per element
};

/** Input operands read per output element (binary ops read two). */
export const INPUTS_PER_ELEMENT: Record<ElementwiseFunction, number> = {
  relu: 1,
  add: 2,
  mul: 2,
  silu: 1,
  gelu: 1,
  softmax: 1,
  layernorm: 1,
  rmsnorm: 1,
  rope: 1,
};
