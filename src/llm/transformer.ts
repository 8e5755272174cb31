// One forward step of a decoder-only transformer as accsim operators: what a prefill (P new tokens
// per sequence) or a decode step (one new token attending to a KV cache of `context` entries)
// computes on ONE device, after Megatron-style tensor parallelism has split the heads and the FFN
// width across `tensorParallel` devices. The operator list for LLaMA-like models is, name for name,
// the hand-written workloads/llama2-7b-decode-b1.yaml, so either route gives the same result.

import type { Datatype, ElementwiseOperator, GemmOperator, OperandSparsity, Operator, OperatorPhase } from '../core/types.js';
import type { ModelConfig } from './model-config.js';

export interface StepShape {
  phase: Extract<OperatorPhase, 'prefill' | 'decode'>;
  /** Sequences processed together. */
  batch: number;
  /** New tokens per sequence in this step (the prompt for prefill, 1 for decode). */
  tokens: number;
  /** KV entries each new token attends to (prompt length for prefill; cache length incl. the new token for decode). */
  context: number;
}

export interface PrecisionChoices {
  dtype: Datatype;
  /** Sparsity and storage format of the linear layers' weights (not the LM head or the MoE router). */
  weightSparsity?: OperandSparsity;
  /** KV-cache datatype (quantised KV) and sparsity/format (e.g. Mustafar's bitmap KV), applied to decode attention. */
  kvDtype?: Datatype;
  kvSparsity?: OperandSparsity;
  tensorParallel: number;
  /** Pipeline stages (GPipe-style, one micro-batch per stage in flight); 1 = none. */
  pipelineParallel?: number;
}

/** Expert load model for MoE FFNs, stated: every token picks `k` of `E` experts uniformly and
 * independently of the other tokens (no load-balancing skew). With T tokens, the expected number of
 * distinct experts that receive work is E·(1 − (1 − k/E)^T); each of those weights is read once per
 * step, and the T·k token-expert pairs are spread evenly over them. Rounded to whole experts/tokens. */
export function activeExperts(experts: number, topK: number, tokens: number): { active: number; tokensPerExpert: number } {
  if (experts === 1) return { active: 1, tokensPerExpert: tokens };
  const expected = experts * (1 - Math.pow(1 - topK / experts, tokens));
  const active = Math.min(experts, Math.max(topK, Math.round(expected)));
  return { active, tokensPerExpert: Math.ceil((tokens * topK) / active) };
}

/** Heads and widths one device holds under tensor parallelism (KV heads are replicated when fewer than devices). */
export function perDeviceShape(model: ModelConfig, tensorParallel: number): { heads: number; kvHeads: number; intermediate: number; vocab: number } {
  return {
    heads: model.heads / tensorParallel,
    kvHeads: Math.max(1, model.kvHeads / tensorParallel),
    intermediate: model.intermediate / tensorParallel,
    vocab: Math.ceil(model.vocab / tensorParallel),
  };
}

/** Attention span after sliding-window truncation. */
export function attendedContext(model: ModelConfig, context: number): number {
  return model.slidingWindow > 0 ? Math.min(context, model.slidingWindow) : context;
}

/** The operators whose cost depends on the KV-cache length (attention over the cache). */
export const CONTEXT_DEPENDENT = ['scores', 'softmax', 'context'] as const;

/**
 * The step's operators, each with `count` = layers (per-layer operators) or 1 (LM head).
 * `prefix` goes before every operator name (e.g. `decode.`), so several steps can share a workload.
 *
 * Pipeline parallelism over S stages: each device holds layers/S layers and the batch is split into
 * S micro-batches that keep every stage busy (steady state). Per step a device therefore runs S
 * micro-batches × layers/S layers = `layers` instances of micro-batch size, re-reading its weights
 * for every micro-batch, as a decode pipeline does; the LM head (last stage, the bottleneck) runs
 * once per micro-batch.
 */
export function transformerStep(model: ModelConfig, step: StepShape, choices: PrecisionChoices, prefix = ''): Operator[] {
  const stages = choices.pipelineParallel ?? 1;
  const { phase, tokens } = step;
  const batch = step.batch / stages;
  const { dtype } = choices;
  const layers = model.layers;
  const shard = perDeviceShape(model, choices.tensorParallel);
  const rows = batch * tokens;
  const hd = model.headDim;
  const context = attendedContext(model, step.context);
  const group = shard.heads / shard.kvHeads;
  const gemm = (name: string, m: number, n: number, k: number, count: number, sparse: boolean): GemmOperator => {
    const op: GemmOperator = { kind: 'gemm', name: prefix + name, count, batch: 1, m, n, k, dtype, outputDtype: dtype, phase, weightKind: 'parameters' };
    if (sparse && choices.weightSparsity) op.sparsity = { weight: choices.weightSparsity };
    return op;
  };
  const elementwise = (name: string, fn: ElementwiseOperator['function'], elements: number, count = layers): ElementwiseOperator => ({
    kind: 'elementwise',
    name: prefix + name,
    count,
    function: fn,
    elements,
    dtype,
    phase,
  });
  // Attention: one GEMM per (sequence, KV head); GQA packs the `group` query heads sharing a KV
  // head into the rows, so each K/V byte is read once per group, as GQA kernels do. At decode the
  // weight operand is the KV cache; at prefill K and V are this pass's activations.
  const attention = (name: string, n: number, k: number): GemmOperator => {
    const op: GemmOperator = {
      kind: 'batched_matmul',
      name: prefix + name,
      count: layers,
      batch: batch * shard.kvHeads,
      m: group * tokens,
      n,
      k,
      dtype: phase === 'decode' ? (choices.kvDtype ?? dtype) : dtype,
      outputDtype: dtype,
      phase,
      weightKind: phase === 'decode' ? 'kv-cache' : 'activations',
    };
    if (phase === 'decode' && choices.kvSparsity) op.sparsity = { weight: choices.kvSparsity };
    return op;
  };
  const ops: Operator[] = [
    elementwise('attn_norm', model.norm, rows * model.hidden),
    gemm('qkv', rows, (shard.heads + 2 * shard.kvHeads) * hd, model.hidden, layers, true),
  ];
  if (model.rope) ops.push(elementwise('rope', 'rope', rows * (shard.heads + shard.kvHeads) * hd));
  ops.push(
    attention('scores', context, hd),
    elementwise('softmax', 'softmax', batch * shard.heads * tokens * context),
    attention('context', hd, context),
    gemm('attn_out', rows, model.hidden, shard.heads * hd, layers, true),
    elementwise('residual', 'add', rows * model.hidden, 2 * layers),
    elementwise('ffn_norm', model.norm, rows * model.hidden),
  );
  const { active, tokensPerExpert } = activeExperts(model.experts, model.expertsPerToken, rows);
  const ffnCount = layers * active;
  if (model.experts > 1) ops.push(gemm('router', rows, model.experts, model.hidden, layers, false));
  if (model.gatedFfn) {
    ops.push(
      gemm(model.experts > 1 ? 'expert_gate_up' : 'gate_up', tokensPerExpert, 2 * shard.intermediate, model.hidden, ffnCount, true),
      elementwise('silu_mul', model.activation, tokensPerExpert * shard.intermediate, ffnCount),
      gemm(model.experts > 1 ? 'expert_down' : 'down', tokensPerExpert, model.hidden, shard.intermediate, ffnCount, true),
    );
  } else {
    ops.push(
      gemm('fc1', tokensPerExpert, shard.intermediate, model.hidden, ffnCount, true),
      elementwise('act', model.activation, tokensPerExpert * shard.intermediate, ffnCount),
      gemm('fc2', tokensPerExpert, model.hidden, shard.intermediate, ffnCount, true),
    );
  }
  // Only the last position of each sequence needs logits (prefill and decode alike).
  ops.push(gemm('lm_head', batch, shard.vocab, model.hidden, stages, false));
  return ops;
}
