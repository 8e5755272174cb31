// Each kernel-efficiency mechanism of the tensor-core family, with a case that fails without it.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../src/core/simulate.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { ctaFootprint, ctasPerSm, clockDerate, operatorWallSeconds } from '../../../src/families/tensor-core/efficiency.js';
import { loadSparseComputeDenseStep, warpGrid, type GpuCore } from '../../../src/families/tensor-core/kernels.js';
import type { ArchSpec } from '../../../src/core/types.js';
import { loadArch } from '../../helpers.js';

const a100 = loadArch('a100.yaml');
const h100 = loadArch('h100.yaml');
const withValues = (arch: ArchSpec, values: Record<string, number | string>): ArchSpec => ({ ...arch, values: { ...arch.values, ...values } });
const gemm = (m: number, n: number, k: number, sparsity = '') =>
  loadWorkloadText(`name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: ${m}, n: ${n}, k: ${k}${sparsity} }\n`, 'g.yaml');
const twoFour = ', sparsity: { weight: { pattern: { kind: nm, n: 2, m: 4 }, format: nm } }';
const unstructured = (density: number, format: string) => `, sparsity: { weight: { pattern: { kind: uniform, density: ${density} }, format: ${format} } }`;
const op = (arch: ArchSpec, w = gemm(8192, 8192, 8192)) => simulate(arch, w).operators[0];

describe('tensor-core efficiency mechanisms', () => {
  it('sustained tensor clock: a compute-bound GEMM slows by boost/sustained, a memory-bound GEMV does not', () => {
    const boost = withValues(a100, { 'compute.sustained_tensor_clock': 0 });
    const ratio = op(a100).seconds / op(boost).seconds;
    expect(ratio).toBeGreaterThan(1.15);
    expect(ratio).toBeLessThan(1410 / 1155 + 0.01);
    const gemv = gemm(1, 4096, 4096);
    expect(op(a100, gemv).seconds / op(boost, gemv).seconds).toBeLessThan(1.01);
    expect(clockDerate(1410e6, 1155e6, 0)).toBe(1);
  });

  it('occupancy: CTAs per SM from shared memory, registers and threads', () => {
    const limits = { smemBytes: 164 * 1024, registersPerSm: 65536, maxCtasPerSm: 32, maxThreadsPerSm: 2048 };
    // 128×128 CTA: 4 warps, 128 accumulators + 64 registers per thread → 2 CTAs by registers.
    expect(ctasPerSm(limits, ctaFootprint(128, 128, 3, 16384, 64))).toBe(2);
    // 256×128: 8 warps × 192 registers → 1 CTA.
    expect(ctasPerSm(limits, ctaFootprint(256, 128, 3, 24576, 64))).toBe(1);
    // Shared memory binds when stages are large.
    expect(ctasPerSm(limits, ctaFootprint(128, 16, 4, 60 * 1024, 16))).toBe(1);
    expect(op(a100).stats.ctasPerSm).toBe(2);
  });

  it('prologue and epilogue: a longer memory latency and fewer co-resident CTAs cost time', () => {
    const slow = withValues(a100, { 'memory.hbm.latency': 5e-6 });
    expect(op(slow).seconds).toBeGreaterThan(op(a100).seconds * 1.01);
    expect(op(a100).stats.epilogueCycles).toBeGreaterThan(0);
  });

  it('Flash-LLM extraction overlaps the MMA (max, not sum)', () => {
    const core: GpuCore = { macsPerSmCycle: 1024, sparseMmaSpeedup: 2, cudaCoreFmaPerSm: 64, issuePerSm: 128, smemBytesPerCycle: 128, smemEfficiency: 0.5, decodeInstructionsPerNonzero: 8, operandReads: 2, warpTile: 0, stagingEfficiency: 1 };
    const step = loadSparseComputeDenseStep(core, { tileN: 128, tileM: 64, kStep: 64, operandBytes: 2 }, 1638, 6552);
    expect(step.total).toBeLessThan(step.mma + step.decode);
    expect(step.total).toBeGreaterThanOrEqual(Math.max(step.mma, step.smem));
  });

  it('Sputnik (CUDA-core FP16 SpMM) is slower than cuBLAS at N = 8 and 70 % sparsity, faster at 95 %', () => {
    const dense = op(a100, gemm(8, 21504, 7168)).seconds;
    expect(op(a100, gemm(8, 21504, 7168, unstructured(0.3, 'csr'))).seconds).toBeGreaterThan(dense);
    expect(op(a100, gemm(8, 21504, 7168, unstructured(0.05, 'csr'))).seconds).toBeLessThan(dense);
  });

  it("Sputnik's row swizzle balances a concrete mask whose rows differ: waves hold row groups of similar length", () => {
    // Whole rows kept at random: 4-row groups hold 0–4 full rows. In index order every wave would
    // wait for a 4-full-row group (≈ 2× the mean); longest-first order keeps each wave's groups alike.
    const w = gemm(8, 8192, 4096, `, sparsity: { weight: { pattern: { kind: row, density: 0.5 }, format: csr } }`);
    const concrete = simulate(a100, w, { sparsityMode: 'concrete' }).operators[0];
    const statistical = simulate(a100, w).operators[0];
    expect(concrete.stats.tileImbalance).toBeGreaterThan(1.5);
    expect(concrete.seconds / statistical.seconds).toBeLessThan(1.2);
  });

  it('2:4 on a GEMV: padded to 32 tokens, no split-K, plus pad/slice kernels → no more than 1.15×', () => {
    const dense = op(a100, gemm(1, 4096, 4096));
    const sparse = op(a100, gemm(1, 4096, 4096, twoFour));
    expect(sparse.stats.tileM).toBe(32);
    expect(sparse.stats.splitK).toBe(1);
    expect(dense.seconds / sparse.seconds).toBeLessThanOrEqual(1.15);
  });

  it('H100: 2:4 on a large GEMM is not slower than dense (TMA multicast halves the activation L2 reads)', () => {
    const dense = op(h100);
    const sparse = op(h100, gemm(8192, 8192, 8192, twoFour));
    expect(sparse.seconds).toBeLessThan(dense.seconds);
    const noMulticast = withValues(h100, { 'kernel.cluster_multicast': 1 });
    expect(op(noMulticast, gemm(8192, 8192, 8192, twoFour)).memory.l2.readBytes).toBeGreaterThan(sparse.memory.l2.readBytes);
  });

  it('shared memory: the cp.async fills are counted as writes', () => {
    const smem = op(a100).memory.smem;
    expect(smem.writeBytes).toBeGreaterThan(0);
    expect(smem.readBytes / smem.writeBytes).toBeCloseTo(2, 5); // ldmatrix reads each staged byte twice on Ampere
  });

  it('warp grid: 64 × 64 warp tiles, 2 × 2 warps up to 128 × 128, 4 × 2 at 256 × 128, no warp narrower than 8 tokens', () => {
    expect(warpGrid(128, 128, 64)).toEqual({ alongN: 2, alongM: 2 });
    expect(warpGrid(256, 128, 64)).toEqual({ alongN: 4, alongM: 2 });
    expect(warpGrid(128, 256, 64)).toEqual({ alongN: 2, alongM: 4 });
    expect(warpGrid(128, 8, 64)).toEqual({ alongN: 4, alongM: 1 });
  });

  it('2:4 on a large GEMM: the dense operand is read by every warp along N at twice the rate, so shared memory caps the gain well below 2×', () => {
    const w = (s = '') => gemm(3072, 3072, 10240, s);
    const speedup = (arch: ArchSpec) => op(arch, w()).seconds / op(arch, w(twoFour)).seconds;
    const sparse = op(a100, w(twoFour));
    expect(sparse.bottleneck).toBe('smem-bandwidth');
    expect(sparse.stats.tileN).toBe(256); // CUTLASS's 256×128×64 sparse kernel
    expect(speedup(a100)).toBeLessThan(1.75);
    expect(speedup(a100)).toBeGreaterThan(1.2);
    // At the shared-memory peak the gain would be larger: the staging efficiency is what caps it.
    expect(speedup(withValues(a100, { 'kernel.smem_staging_efficiency': 1 }))).toBeGreaterThan(speedup(a100) * 1.1);
  });

  it('staging efficiency reproduces its calibration run: CUTLASS 256×128×64 2:4 at 16384³ with the clock locked at 1410 MHz (cutlass issue 408: 18.19 ms)', () => {
    const locked = withValues(a100, { 'compute.sustained_tensor_clock': 1410e6 });
    const t = op(locked, gemm(16384, 16384, 16384, twoFour)).seconds;
    expect(Math.abs(t / 18.19e-3 - 1)).toBeLessThan(0.03);
  });

  it("host: 'eager' takes max(GPU, framework overhead); 'graph' adds the launch latency", () => {
    const tiny = gemm(1, 256, 256);
    const graph = op(a100, tiny);
    const eager = op(withValues(a100, { 'host.execution_mode': 'eager', 'host.framework_overhead': 20e-6 }), tiny);
    expect(eager.seconds).toBeCloseTo(20e-6, 7);
    expect(eager.bottleneck).toBe('host-overhead');
    expect(graph.seconds).toBeLessThan(eager.seconds);
    expect(operatorWallSeconds({ mode: 'graph', launchSeconds: 3e-6, frameworkSeconds: 1e-5 }, 2, 1e-6)).toBeCloseTo(7e-6, 12);
  });
});
