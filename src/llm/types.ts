// Plain-data types of the LLM-serving layer (src/llm): what a workload declares about the request
// it models, how the model is spread over devices, and the serving metrics a Result carries.

import type { ModelConfig } from './model-config.js';
import type { PrecisionChoices } from './transformer.js';

/** Top-level workload keys of the LLM layer (a constant here, in a module with no runtime imports, so the workload loader can use it at load time). */
export const LLM_WORKLOAD_KEYS = ['serving', 'model', 'weights', 'kv_cache', 'parallel'];

/** The request a prefill, decode or generation workload stands for. */
export interface ServingSpec {
  phase: 'prefill' | 'decode' | 'generation';
  /** Sequences served together. */
  batch: number;
  /** Prompt tokens per sequence (prefill and generation). */
  prompt: number;
  /** KV-cache length a decode step attends to (decode), incl. the new token. */
  context: number;
  /** Output tokens per sequence (generation; the first comes from the prefill). */
  output: number;
}

/** A point-to-point link of each device into the collective ring (NVLink, PCIe, an FPGA network). */
export interface InterconnectSpec {
  name: string;
  /** Per-device injection bandwidth, one direction (B/s). */
  bandwidth: number;
  /** Per-message latency α of the alpha-beta model (s). */
  latency: number;
  energyPerBit: number;
  source: string;
}

export interface ParallelSpec {
  /** Megatron tensor parallelism: heads and FFN width split across devices, two all-reduces per layer. */
  tensor: number;
  /** Pipeline stages (layers split across devices; micro-batches keep the stages busy). */
  pipeline: number;
  interconnect: InterconnectSpec;
}

/** A workload generated from a model configuration. */
export interface ModelWorkload {
  config: ModelConfig;
  choices: PrecisionChoices;
}

export interface PhaseMetrics {
  phase: 'prefill' | 'decode';
  seconds: number;
  /** Energy of all devices (J). */
  energyJ: number;
  /** Tokens this phase produces (prefill: the first token of each sequence). */
  tokens: number;
}

export interface CapacityReport {
  /** The memory that must hold the resident state, e.g. `hbm`. */
  level: string;
  capacityBytes: number;
  /** Per device. */
  weightBytes: number;
  kvCacheBytes: number;
  activationBytes: number;
  residentBytes: number;
  fits: boolean;
  /** Bytes that did not fit and were streamed from host memory (--allow-spill). */
  spilledBytes: number;
  /** Largest batch whose resident state fits (weights fixed; KV cache and activations scale with the batch). */
  maxBatch: number;
}

export interface ServingMetrics {
  phase: ServingSpec['phase'];
  batch: number;
  promptTokens: number;
  /** KV length at the (last) decode step. */
  contextTokens: number;
  outputTokens: number;
  devices: number;
  tensorParallel: number;
  pipelineParallel: number;
  /** Tokens the metrics count: batch (decode step), batch × prompt (prefill), batch × output (generation). */
  tokens: number;
  seconds: number;
  tokensPerSecond: number;
  tokensPerDeviceSecond: number;
  /** Time to first token (prefill and generation); absent for a decode step. */
  ttftSeconds?: number;
  /** Time per output token after the first (decode step time; generation decode time / (output − 1)); absent for prefill. */
  tpotSeconds?: number;
  /** All devices' energy per token, static power included where the family models it. */
  joulesPerToken: number;
  /** Dense-equivalent FLOP/s (2 per MAC) achieved per device, in TFLOPS. */
  achievedTflopsPerDevice: number;
  /** Σ over operators of their tightest lower bound / simulated time: how close to the roofline. */
  rooflineFraction: number;
  phases: PhaseMetrics[];
  /** KV-cache bytes per device at the first and the last decode step. */
  kvCacheBytes: { first: number; last: number };
  /** Decode KV lengths at which the cost was evaluated, with how many decode steps each stands for. */
  decodePoints: { context: number; steps: number }[];
  capacity?: CapacityReport;
}
