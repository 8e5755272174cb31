// GEMM kernels on a tensor-core GPU, as per-step costs of one CTA on one SM. A GEMM is
// out[N × M] = W[N × K] · X[K × M] (weights as nn.Linear rows, M = tokens). Every kernel tiles N
// by `tileN`, M by `tileM` (padded to the MMA's 8-wide token dimension) and K by `kStep`; a CTA
// runs its K range in steps whose global→shared loads overlap the previous step's compute
// (cp.async multi-stage pipelining), which the tile pipeline engine models.

export type KernelId = 'cublas' | 'cusparselt' | 'sparse-marlin' | 'flash-llm' | 'lscd' | 'block-sparse' | 'sputnik' | 'dstc';

/** Kernels on the 2:4 sparse MMA (mma.sp): half the MMA issues for the same dense-equivalent work. */
export const isStructuredSparse = (kernel: KernelId): boolean => kernel === 'cusparselt' || kernel === 'sparse-marlin';

export const KERNEL_DESCRIPTIONS: Record<KernelId, string> = {
  cublas: 'cuBLAS-like dense tensor-core GEMM',
  cusparselt: 'cuSPARSELt-like 2:4 structured-sparse MMA (2× MMA rate on the weight operand)',
  'sparse-marlin': 'Sparse-Marlin-like W4A16 + 2:4 decode kernel (Frantar et al., MARLIN, 2024): INT4 2:4 weights dequantised in registers onto the sparse MMA; skinny-token tiles, no padding or extra kernels',
  'flash-llm': 'Flash-LLM load-as-sparse, compute-as-dense: Tiled-CSL from HBM, extraction to a dense tile in shared memory, dense MMA',
  lscd: 'load-as-sparse, compute-as-dense with this storage format: format bytes from HBM, decode to a dense tile, dense MMA',
  'block-sparse': 'blocked-ELL / block-CSR on tensor cores: MMA only on stored blocks',
  sputnik: 'Sputnik-like CUDA-core SpMM over CSR: one FMA per nonzero and token, X rows gathered by column index',
  dstc: 'DSTC-like dual-side sparse tensor core: bitmap × bitmap outer products on condensed operands, scatter-accumulate',
};

export interface GpuCore {
  macsPerSmCycle: number;
  sparseMmaSpeedup: number;
  cudaCoreFmaPerSm: number;
  issuePerSm: number;
  smemBytesPerCycle: number;
  smemEfficiency: number;
  decodeInstructionsPerNonzero: number;
  /** Times each staged operand byte is read from shared memory by the MMA path per step (when warpTile is 0). */
  operandReads: number;
  /**
   * Side of the square warp tile of an mma.sync kernel (CUTLASS sm80: 64 × 64 outputs per warp).
   * Each weight (A) fragment is then read by every warp along the token dimension and each
   * activation (B) fragment by every warp along the weight rows; 0 = read `operandReads` times.
   */
  warpTile: number;
  /** Achieved fraction of the shared-memory bandwidth for the regular staging (cp.async fill + ldmatrix). */
  stagingEfficiency: number;
}

export interface StepShape {
  tileN: number;
  tileM: number;
  kStep: number;
  operandBytes: number;
}

export interface StepCost {
  mma: number;
  smem: number;
  decode: number;
  /** Shared-memory bytes per step written by the global→shared copies (and decode scatters). */
  smemWriteBytes: number;
  /** Shared-memory bytes per step read by the MMA path (ldmatrix / wgmma operand reads). */
  smemReadBytes: number;
  /** Per-step compute cycles on one SM: how the parts combine depends on the kernel. */
  total: number;
}

/**
 * Warps of an mma.sync CTA along the weight rows (N) and the tokens (M). The CTA has
 * max(4, tileN·tileM / w²) warps for a w × w warp tile, in the most square grid of powers of two
 * with more warps along the longer side (CUTLASS sm80: 2 × 2 warps up to 128 × 128 tiles, 4 × 2
 * for 256 × 128), and no warp narrower than the MMA's 8 tokens.
 */
export function warpGrid(tileN: number, tileM: number, warpTile: number): { alongN: number; alongM: number } {
  const warps = Math.max(4, Math.ceil((tileN * tileM) / (warpTile * warpTile)));
  const shortSide = 2 ** Math.floor(Math.log2(Math.sqrt(warps)));
  const alongM = Math.max(1, Math.min(tileM >= tileN ? warps / shortSide : shortSide, Math.floor(tileM / 8)));
  return { alongN: warps / alongM, alongM };
}

/**
 * Operand staging through shared memory: the global→shared copy writes the A (weight, tileN × k)
 * and B (activation, k × tileM) tiles once; the MMA path reads them again. With mma.sync and
 * ldmatrix (Ampere) every warp loads the fragments of its own rows and columns, so each A byte is
 * read by all warps along M and each B byte by all warps along N (warpGrid). Without a warp tile
 * (warpTile 0: Hopper's wgmma reads shared-memory operands per warpgroup) each byte is read
 * `operandReads` times. Fill and reads share the shared-memory port, which the regular staging
 * keeps busy at `stagingEfficiency` of its peak.
 */
function staging(core: GpuCore, tileN: number, tileM: number, aBytes: number, bBytes: number): { cycles: number; write: number; read: number } {
  const grid = core.warpTile > 0 ? warpGrid(tileN, tileM, core.warpTile) : { alongN: core.operandReads, alongM: core.operandReads };
  const write = aBytes + bBytes;
  const read = aBytes * grid.alongM + bBytes * grid.alongN;
  return { cycles: (write + read) / (core.smemBytesPerCycle * core.stagingEfficiency), write, read };
}

export function denseStep(core: GpuCore, s: StepShape): StepCost {
  const mma = (s.tileN * s.tileM * s.kStep) / core.macsPerSmCycle;
  const st = staging(core, s.tileN, s.tileM, s.tileN * s.kStep * s.operandBytes, s.kStep * s.tileM * s.operandBytes);
  // Tensor cores and the shared-memory pipe work concurrently: the slower one sets the pace.
  return { mma, smem: st.cycles, decode: 0, total: Math.max(mma, st.cycles), smemWriteBytes: st.write, smemReadBytes: st.read };
}

/**
 * 2:4: the MMA covers twice the K per cycle, and the weight tile is half the values plus 2-bit
 * indices; the activation (B) tile is unchanged, so its shared-memory staging does not shrink.
 */
export function structuredSparseStep(core: GpuCore, s: StepShape): StepCost {
  const mma = (s.tileN * s.tileM * s.kStep) / (core.macsPerSmCycle * core.sparseMmaSpeedup);
  const aBytes = s.tileN * (s.kStep / 2) * s.operandBytes + (s.tileN * (s.kStep / 2) * 2) / 8;
  const st = staging(core, s.tileN, s.tileM, aBytes, s.kStep * s.tileM * s.operandBytes);
  return { mma, smem: st.cycles, decode: 0, total: Math.max(mma, st.cycles), smemWriteBytes: st.write, smemReadBytes: st.read };
}

/**
 * Load-as-sparse, compute-as-dense (Flash-LLM and its generalisation to other formats): per step
 * cp.async stages the stored (compressed) weight tile and the activation tile in shared memory;
 * the CTA zero-fills a dense weight tile, reads each stored word, decodes it and scatters the
 * value into the dense tile, then ldmatrix feeds the dense MMA. The decode is irregular
 * shared-memory traffic and integer work, both at `smemEfficiency` of peak. Flash-LLM's
 * double-buffered pipeline extracts tile i+1 while the tensor cores run tile i, so extraction
 * overlaps the MMA: the step takes the slowest of the tensor cores, the shared-memory pipe
 * (regular staging plus the irregular scatter, which share it) and the instruction issue.
 */
export function loadSparseComputeDenseStep(core: GpuCore, s: StepShape, storedValuesPerStep: number, storedBytesPerStep: number): StepCost {
  const denseTileBytes = s.tileN * s.kStep * s.operandBytes;
  const activationBytes = s.kStep * s.tileM * s.operandBytes;
  const mma = (s.tileN * s.tileM * s.kStep) / core.macsPerSmCycle;
  const smemWriteBytes = storedBytesPerStep + activationBytes;
  const smemReadBytes = (denseTileBytes + activationBytes) * core.operandReads;
  const smem = (smemWriteBytes + smemReadBytes) / core.smemBytesPerCycle;
  const irregularBytes = denseTileBytes + storedBytesPerStep + storedValuesPerStep * s.operandBytes;
  const scatter = irregularBytes / (core.smemBytesPerCycle * core.smemEfficiency);
  const issue = (storedValuesPerStep * core.decodeInstructionsPerNonzero) / (core.issuePerSm * core.smemEfficiency);
  return { mma, smem, decode: scatter + issue, total: Math.max(mma, smem + scatter, issue), smemWriteBytes, smemReadBytes };
}

/** MMA only on the stored (nonzero) blocks: `storedFraction` of the dense tile's work. */
export function blockSparseStep(core: GpuCore, s: StepShape, storedFraction: number): StepCost {
  const dense = denseStep(core, s);
  const mma = dense.mma * storedFraction;
  const shrink = 0.5 + 0.5 * storedFraction; // A shrinks with the stored blocks, B does not
  const smem = dense.smem * shrink;
  return { mma, smem, decode: 0, total: Math.max(mma, smem), smemWriteBytes: dense.smemWriteBytes * shrink, smemReadBytes: dense.smemReadBytes * shrink };
}

/**
 * Sputnik's FP16 SpMM (Gale et al., SC 2020) on CUDA cores: a thread block row covers
 * `tileColumns` output columns with one thread per half2, so every stored nonzero costs each of
 * those tileColumns / 2 threads `instructionsPerNonzero` instructions (lanes past the token count
 * still issue, predicated off), plus a gather of the dense row segment through L1 in whole 32 B
 * sectors. FMAs run in FP32 on CUDA cores. The three pipes overlap; the slowest sets the pace.
 */
export function sputnikStep(core: GpuCore, s: StepShape, nonzerosPerStep: number, instructionsPerNonzero: number): StepCost {
  const fma = (nonzerosPerStep * s.tileM) / core.cudaCoreFmaPerSm;
  const gatherBytes = nonzerosPerStep * Math.max(32, Math.ceil((s.tileM * s.operandBytes) / 32) * 32);
  const gather = gatherBytes / (core.smemBytesPerCycle * core.smemEfficiency);
  const issue = (nonzerosPerStep * (s.tileM / 2) * instructionsPerNonzero) / (core.issuePerSm * core.smemEfficiency);
  // The gather reads the L1/shared-memory array into registers: no staging writes.
  return { mma: fma, smem: gather, decode: issue, total: Math.max(fma, gather, issue), smemWriteBytes: 0, smemReadBytes: gatherBytes };
}

/** Sputnik's token tile: `small` columns up to `small` tokens, twice that up to 2 × small, else 4 ×. */
export function sputnikTileColumns(tokens: number, small: number): number {
  if (tokens <= small) return small;
  if (tokens <= 2 * small) return 2 * small;
  return 4 * small;
}

/**
 * Dual-side sparse outer products: only pairs of nonzeros multiply (effectual MACs), at the
 * tensor-core rate on condensed vectors, accumulating in the tensor core's own accumulator
 * buffer (assumed to keep pace with the MMA [A]). Before that both bitmaps of the step are
 * popcounted and condensed (one 32-bit popcount instruction per 32 elements, irregular).
 */
export function dualSideStep(core: GpuCore, s: StepShape, effectualMacsPerStep: number, storedBytesPerStep: number): StepCost {
  const mma = effectualMacsPerStep / core.macsPerSmCycle;
  // Condensed operands are staged as one stream read `operandReads` times (no mma.sync warp grid).
  const st = staging({ ...core, warpTile: 0 }, s.tileN, s.tileM, storedBytesPerStep, 0);
  const decode = (s.tileN * s.kStep + s.kStep * s.tileM) / 32 / (core.issuePerSm * core.smemEfficiency);
  return { mma, smem: st.cycles, decode, total: decode + Math.max(mma, st.cycles), smemWriteBytes: st.write, smemReadBytes: st.read };
}

/** CTA tile candidates (tileN × tileM) of a cuBLAS-like heuristic; sparse kernels have fewer. */
export const DENSE_TILES: ReadonlyArray<[number, number]> = [
  [256, 128],
  [128, 256],
  [128, 128],
  [128, 64],
  [64, 64],
  [128, 32],
  [128, 16],
  [128, 8],
];
// cuSPARSELt/CUTLASS 2:4 exposes fewer tuned shapes than cuBLAS (pytorch/ao torchao/sparsity/README.md: 2:4 matmuls gain "up to 1.7x", whole models 1.1-1.3x)
// and none skinnier than its minimum token tile (kernel.cusparselt_min_tokens) [A: which].
// 256 × 128: CUTLASS's largest sm80 sparse kernel, cutlass_tensorop_s16832spgemm_f16_256x128_64x3
// (NVIDIA/cutlass issue 408) [M, code].
export const STRUCTURED_SPARSE_TILES: ReadonlyArray<[number, number]> = [
  [256, 128],
  [128, 128],
  [128, 64],
  [128, 32],
];
// Flash-LLM: TILE_M 128 weight rows, TILE_K 64, token tile 8..64 (csrc/TilingConfig.h) [M, code].
export const FLASH_LLM_TILES: ReadonlyArray<[number, number]> = [
  [128, 8],
  [128, 16],
  [128, 32],
  [128, 64],
];
