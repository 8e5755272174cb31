// What keeps a tiled tensor-core kernel below its MMA peak, as counted mechanisms any kernel of
// this family can call (dense, 2:4, load-as-sparse, and the sparse kernels of other modules):
//   - occupancy: CTAs per SM from shared-memory, register and thread use;
//   - the K-loop prologue: the cp.async/TMA pipeline must fill (one memory latency plus the
//     first stage) before the first MMA can issue;
//   - the output epilogue: the FP32 accumulators go through shared memory (write, read back)
//     to make the global stores coalesced;
//   - the sustained tensor clock: under tensor load the power limit holds the SM clock below
//     boost, so every on-SM cycle is longer;
//   - host side: per-kernel launch latency, or a framework's per-operator dispatch in eager mode.
// Wave quantisation lives with the CTA plan (index.ts).

export interface SmLimits {
  smemBytes: number;
  registersPerSm: number;
  maxCtasPerSm: number;
  /** Resident threads per SM: 2048 on Ampere and Hopper [T]. */
  maxThreadsPerSm: number;
}

export interface CtaFootprint {
  threads: number;
  registersPerThread: number;
  smemBytes: number;
}

/** Warp tile of a tensor-op CTA: 64 × 64 outputs per warp (CUTLASS sm80 default), at least 4 warps. */
const WARP_TILE_OUTPUTS = 64 * 64;
const MIN_WARPS = 4;
const MAX_REGISTERS_PER_THREAD = 255;

/**
 * Threads, registers and shared memory of one CTA that computes a tileN × tileM output tile
 * with `stages` pipeline stages of `stageBytes` each. Each thread holds its share of the FP32
 * accumulators in registers, plus `overheadRegisters` for fragments and addresses.
 */
export function ctaFootprint(tileN: number, tileM: number, stages: number, stageBytes: number, overheadRegisters: number): CtaFootprint {
  const warps = Math.max(MIN_WARPS, Math.ceil((tileN * tileM) / WARP_TILE_OUTPUTS));
  const threads = warps * 32;
  const accumulators = Math.ceil((tileN * tileM) / threads);
  return { threads, registersPerThread: Math.min(MAX_REGISTERS_PER_THREAD, accumulators + overheadRegisters), smemBytes: stages * stageBytes };
}

/** Co-resident CTAs per SM: the tightest of shared memory, registers, threads and the CTA limit (≥ 1). */
export function ctasPerSm(limits: SmLimits, cta: CtaFootprint): number {
  const bySmem = cta.smemBytes > 0 ? Math.floor(limits.smemBytes / cta.smemBytes) : limits.maxCtasPerSm;
  const byRegisters = Math.floor(limits.registersPerSm / (cta.threads * cta.registersPerThread));
  const byThreads = Math.floor(limits.maxThreadsPerSm / cta.threads);
  return Math.max(1, Math.min(limits.maxCtasPerSm, bySmem, byRegisters, byThreads));
}

/**
 * K-loop prologue: before its first MMA a CTA waits one global-memory latency for its first
 * stage (the transfer itself is part of the kernel's load stream; later stages overlap).
 */
export function prologueCycles(memoryLatencyCycles: number): number {
  return memoryLatencyCycles;
}

/**
 * Output epilogue: the tileN × tileM FP32 accumulators are written to shared memory and read
 * back in store order (2 passes over 4 B per output) before the coalesced global store.
 */
export function epilogueCycles(tileN: number, tileM: number, smemBytesPerCycle: number): number {
  return (2 * tileN * tileM * 4) / smemBytesPerCycle;
}

/**
 * The share of a CTA's fixed phases (prologue + epilogue) that no other CTA hides: with c
 * co-resident CTAs, one CTA's fill and write-back overlap the others' main loops [A: even
 * interleaving], so 1/c of them stays exposed.
 */
export function exposedFixedCycles(fixedCycles: number, coResidentCtas: number): number {
  return fixedCycles / Math.max(1, coResidentCtas);
}

/**
 * Cycles (at the boost clock) per on-SM cycle: 1 + (clock / sustained − 1) × tensor busy
 * fraction. The power limit bites in proportion to tensor-core activity [A: power linear in
 * the MMA pipe's busy fraction], so a memory-bound kernel keeps the boost clock and a
 * compute-bound GEMM runs at the sustained clock.
 */
export function clockDerate(boostHz: number, sustainedHz: number, tensorBusyFraction: number): number {
  if (!(sustainedHz > 0) || sustainedHz >= boostHz) return 1;
  return 1 + (boostHz / sustainedHz - 1) * Math.min(1, Math.max(0, tensorBusyFraction));
}

export type ExecutionMode = 'graph' | 'eager';

export interface HostCost {
  mode: ExecutionMode;
  launchSeconds: number;
  frameworkSeconds: number;
}

/**
 * Wall time of one operator that runs `kernels` kernels taking `gpuSeconds` on the GPU.
 * graph: kernels are queued back to back; each pays the launch latency on the GPU timeline.
 * eager: the framework also spends `frameworkSeconds` of host time per operator; host and GPU
 * run asynchronously, so in steady state the operator takes the longer of the two.
 */
export function operatorWallSeconds(host: HostCost, kernels: number, gpuSeconds: number): number {
  const onGpu = gpuSeconds + kernels * host.launchSeconds;
  return host.mode === 'eager' ? Math.max(onGpu, host.frameworkSeconds) : onGpu;
}
