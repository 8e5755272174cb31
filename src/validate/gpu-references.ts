// Published GPU measurements that `accsim validate` checks, one case per entry, each with its
// provenance tag and source. Copied here so the repository stands alone; the numbers are the
// sources' own (nothing here is fitted). Shapes follow accsim's GEMM convention: m = tokens
// (activation rows), n = output features (weight rows), k = reduction.

export type ProvenanceTag = '[M]' | '[S]' | '[T]' | '[M][~]';

export interface GemmShape {
  m: number;
  n: number;
  k: number;
  outputDtype?: 'fp16' | 'fp32';
}

/** One measured kernel time: A100-SXM4-80GB or H100 SXM5 80GB (the bundled presets). */
export interface KernelTimeCase {
  id: string;
  arch: 'a100' | 'h100';
  dtype?: 'fp16' | 'fp32';
  description: string;
  shape: GemmShape;
  /** 'dense' or 2:4 structured sparse weights. */
  weights: 'dense' | '2:4';
  seconds: number;
  tag: ProvenanceTag;
  source: string;
}

export const KERNEL_TIMES: readonly KernelTimeCase[] = [
  {
    arch: 'a100',
    id: 'linear-3072x3072x10240-dense',
    description: 'nn.Linear(10240, 3072) on a 3072 × 10240 FP16 input, cuBLAS',
    shape: { m: 3072, n: 3072, k: 10240 },
    weights: 'dense',
    seconds: 0.87e-3,
    tag: '[M]',
    source: 'PyTorch tutorial "Accelerating BERT with semi-structured (2:4) sparsity" (pytorch/tutorials prototype_source/semi_structured_sparse.rst): "Dense: 0.870ms" on A100 80GB',
  },
  {
    arch: 'a100',
    id: 'linear-3072x3072x10240-2:4',
    description: 'the same nn.Linear with 2:4 weights (CUTLASS sparse kernel)',
    shape: { m: 3072, n: 3072, k: 10240 },
    weights: '2:4',
    seconds: 0.63e-3,
    tag: '[M]',
    source: 'same tutorial: "Sparse: 0.630ms | Speedup: 1.382x" on A100 80GB',
  },
  {
    arch: 'a100',
    id: 'cutlass-3456x4096x8192-dense',
    description: 'CUTLASS profiler cutlass_tensorop_s16816gemm_f16_256x128_32x3 (FP32 output)',
    shape: { m: 3456, n: 4096, k: 8192, outputDtype: 'fp32' },
    weights: 'dense',
    seconds: 0.98647e-3,
    tag: '[M]',
    source: 'NVIDIA/cutlass media/docs/profiler.md, "Example Tensor Core GEMM Operations": Runtime 0.98647 ms, 235138 GFLOP/s (A100; NVIDIA/cutlass issue 106: the shape used for the A100 peak estimate)',
  },
  {
    arch: 'a100',
    id: 'cutlass-4096-dense',
    description: 'CUTLASS FP16 GEMM 4096³',
    shape: { m: 4096, n: 4096, k: 4096 },
    weights: 'dense',
    seconds: 0.607959e-3,
    tag: '[M]',
    source: 'NVIDIA/CUDALibrarySamples issue 57 (A100, CUDA 11.5): "The cutlass gemm of the same size is profiled at 0.607959 ms"',
  },
  {
    arch: 'a100',
    id: 'cusparselt-4096-2:4',
    description: 'cuSPARSELt 2:4 FP16 matmul 4096³ (library sample)',
    shape: { m: 4096, n: 4096, k: 4096 },
    weights: '2:4',
    seconds: 0.545792e-3,
    tag: '[M]',
    source: 'NVIDIA/CUDALibrarySamples issue 57 (A100, CUDA 11.5): "The cuSparselt example of size m=n=k=4096 measures at 0.545792 ms"',
  },
  {
    arch: 'a100',
    id: 'cutlass-16384-dense-issue408',
    description: 'CUTLASS profiler, best FP16 tensor-op GEMM 16384³ (default clocks, CUDA 11.3)',
    shape: { m: 16384, n: 16384, k: 16384 },
    weights: 'dense',
    seconds: (2 * 16384 ** 3) / 302.3e12,
    tag: '[M]',
    source: 'NVIDIA/cutlass issue 408 (A100 SXM4, user rjfnobre): "dense GEMM: 302300 GFLOPS" for N,M,K=16384, float16',
  },
  {
    arch: 'a100',
    id: 'cutlass-16384-2:4-issue408-unlocked',
    description: 'CUTLASS profiler cutlass_tensorop_s16832spgemm_f16_256x128_64x3 2:4 16384³ (default clocks)',
    shape: { m: 16384, n: 16384, k: 16384 },
    weights: '2:4',
    seconds: (2 * 16384 ** 3) / 473.938e12,
    tag: '[M]',
    source: 'NVIDIA/cutlass issue 408 (A100 SXM4, user rjfnobre, without the maintainer\'s clock lock): "resulted in a performance of 473938 GFLOPS"; the maintainer\'s locked-1410 MHz run of the same kernel (483.6 TFLOPS) calibrates kernel.smem_staging_efficiency and is not a row',
  },
  {
    arch: 'a100',
    id: 'gemv-1x4096x4096-dense',
    description: 'single-token decode GEMV, 1 × 4096 input, 4096 × 4096 weight',
    shape: { m: 1, n: 4096, k: 4096 },
    weights: 'dense',
    seconds: 0.022e-3,
    tag: '[M]',
    source: 'pytorch/pytorch issue 111339 (maintainer, A100): "Dense: 0.022ms"',
  },
  {
    arch: 'a100',
    id: 'cutlass-sgemm-3456x4096x4096',
    dtype: 'fp32',
    description: 'CUTLASS profiler cutlass_simt_sgemm_128x128_8x2 (FP32 on CUDA cores)',
    shape: { m: 3456, n: 4096, k: 4096, outputDtype: 'fp32' },
    weights: 'dense',
    seconds: 6.73655e-3,
    tag: '[M]',
    source: 'NVIDIA/cutlass media/docs/profiler.md, "Example CUDA Core GEMM Operation": Runtime 6.73655 ms, 17218.4 GFLOP/s (A100)',
  },
  {
    arch: 'h100',
    id: 'torch-matmul-4096-h100',
    description: 'torch.matmul FP16 4096³ (cuBLAS, PyTorch 2.7 + CUDA 12.8)',
    shape: { m: 4096, n: 4096, k: 4096 },
    weights: 'dense',
    seconds: (2 * 4096 ** 3) / 760.04e12,
    tag: '[M]',
    source: 'zzc0721/torch-performance-test-data issue 79, "NVIDIA H100 80GB HBM3": FP16 4096x4096 760.04 TFLOPS (community benchmark in a cloud container)',
  },
  {
    arch: 'h100',
    id: 'torch-matmul-8192-h100',
    description: 'torch.matmul FP16 8192³ (cuBLAS, PyTorch 2.7 + CUDA 12.8)',
    shape: { m: 8192, n: 8192, k: 8192 },
    weights: 'dense',
    seconds: (2 * 8192 ** 3) / 736.19e12,
    tag: '[M]',
    source: 'zzc0721/torch-performance-test-data issue 79, "NVIDIA H100 80GB HBM3": FP16 8192x8192 736.19 TFLOPS (community benchmark in a cloud container)',
  },
];

/** 2:4 on the GEMV above: measured no speedup at all (0.111×); the check is "no speedup". */
export const GEMV_2_4 = {
  shape: { m: 1, n: 4096, k: 4096 },
  measuredSpeedup: 0.022 / 0.196,
  /** The acceptance bound: a 2:4 GEMV must not gain more than this over dense. */
  maxSpeedup: 1.15,
  tag: '[M]' as ProvenanceTag,
  source: 'pytorch/pytorch issue 111339: "Dense: 0.022ms Sparse: 0.196ms | Speedup: 0.111x" (A100); the input is padded to 32 tokens',
};

/** Flash-LLM kernel benchmark shapes (weight rows × K), Flash-LLM kernel_benchmark/benchmark.sh. */
export const FLASH_LLM_SHAPES: ReadonlyArray<[number, number]> = [
  [21504, 7168], [7168, 7168], [28672, 7168], [7168, 28672],
  [27648, 9216], [9216, 9216], [36864, 9216], [9216, 36864],
  [36864, 12288], [12288, 12288], [49152, 12288], [12288, 49152],
];
export const FLASH_LLM_TOKENS = [8, 16, 32];

/**
 * Published averages over the benchmark shapes: these sources give only the average, so the row
 * recomputes the same average over the same shapes (no per-shape values are hidden in it).
 */
export const FLASH_LLM_AVERAGES: ReadonlyArray<{ sparsity: number; baseline: 'cuBLAS' | 'Sputnik'; speedup: number; tag: ProvenanceTag; source: string }> = [
  { sparsity: 0.7, baseline: 'cuBLAS', speedup: 1.4, tag: '[M]', source: 'AlibabaResearch/flash-llm README (Xia et al., VLDB 2024), A100' },
  { sparsity: 0.8, baseline: 'cuBLAS', speedup: 1.7, tag: '[M]', source: 'AlibabaResearch/flash-llm README (Xia et al., VLDB 2024), A100' },
  { sparsity: 0.9, baseline: 'cuBLAS', speedup: 2.1, tag: '[M]', source: 'AlibabaResearch/flash-llm README (Xia et al., VLDB 2024), A100' },
  { sparsity: 0.7, baseline: 'Sputnik', speedup: 3.6, tag: '[M]', source: 'AlibabaResearch/flash-llm README "Performance" (Xia et al., VLDB 2024), A100' },
  { sparsity: 0.8, baseline: 'Sputnik', speedup: 3.0, tag: '[M]', source: 'AlibabaResearch/flash-llm README "Performance" (Xia et al., VLDB 2024), A100' },
  { sparsity: 0.9, baseline: 'Sputnik', speedup: 2.0, tag: '[M]', source: 'AlibabaResearch/flash-llm README "Performance" (Xia et al., VLDB 2024), A100' },
];

/** Sparsity at which Sputnik overtakes cuBLAS at N = 8, read off Flash-LLM's SpMM figure. */
export const SPUTNIK_CROSSOVER = {
  tokens: 8,
  sparsity: 0.87,
  // The figure does not state its shape; we evaluate it on the first benchmark shape [A].
  shape: [21504, 7168] as [number, number],
  tag: '[M][~]' as ProvenanceTag,
  source: 'Flash-LLM repository figure docs/assets/ExistingSpMM.png (A100): Sputnik crosses cuBLAS only near 87 % sparsity, read by eye',
};
