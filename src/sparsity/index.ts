// The sparsity language shared by every architecture family: masks, patterns, operand
// statistics, storage formats and zero-handling policies.

export * from './mask.js';
export * from './patterns.js';
export * from './stats.js';
export * from './formats.js';
export * from './zero-handling.js';
export * from './capabilities.js';
export {
  describeParamType,
  resolveParams,
  type SparsityParamDecl,
  type SparsityParamType,
  type SparsityParamValue,
  type ResolvedParams,
} from './params.js';
export { zeroRunOverflow, type ScanOrder } from './runs.js';
export { bitsFor, bitsForValue } from './math.js';
