// Hugging Face-style model configurations (`config.json`): the architecture hyperparameters of a
// decoder-only transformer, validated with positions like any spec file (JSON is parsed by the
// same positioned YAML parser). Only the keys that change the cost are interpreted; the usual
// bookkeeping keys of a Hugging Face config are accepted and ignored, anything else is an error
// with a did-you-mean (a misspelt `num_hiden_layers` must not silently fall back to a default).

import { inputError } from '../spec/errors.js';
import type { ParamDecl } from '../spec/params.js';
import { expectMap, expectStringList, resolveDeclared, type ResolveContext } from '../spec/resolve.js';
import type { SpecNode } from '../spec/yaml-source.js';

/** Architecture families: LLaMA-like (RMSNorm, RoPE, gated SiLU FFN) or OPT-like (LayerNorm, learned positions, ReLU FFN). */
export type ModelType = 'llama' | 'mistral' | 'mixtral' | 'qwen2' | 'opt';
const MODEL_TYPES: readonly ModelType[] = ['llama', 'mistral', 'mixtral', 'qwen2', 'opt'];

export interface ModelConfig {
  file: string;
  type: ModelType;
  hidden: number;
  layers: number;
  heads: number;
  /** Key/value heads: < heads is grouped-query attention (GQA), 1 is multi-query. */
  kvHeads: number;
  headDim: number;
  /** FFN width of one expert (intermediate_size, or ffn_dim for OPT). */
  intermediate: number;
  vocab: number;
  /** Routed experts per MoE layer (1 = dense FFN) and experts each token is routed to. */
  experts: number;
  expertsPerToken: number;
  /** Sliding-window attention span in tokens; 0 = full attention. */
  slidingWindow: number;
  /** Longest context the model supports (positions); generation beyond it is an error. */
  maxPositions: number;
  /** Gated FFN (gate and up projections, SiLU × up) vs a plain two-layer FFN. */
  gatedFfn: boolean;
  norm: 'rmsnorm' | 'layernorm';
  activation: 'silu' | 'gelu' | 'relu';
  /** Rotary position embedding applied to Q and K (LLaMA family); OPT learns absolute positions. */
  rope: boolean;
  sources: string[];
}

const int = (key: string, description: string, extra: Partial<ParamDecl> = {}): ParamDecl => ({ key, type: 'integer', min: 1, description, ...extra }) as ParamDecl;

/** The interpreted keys, with Hugging Face's names. 0 marks "derive from the others". */
export const MODEL_CONFIG_PARAMS: readonly ParamDecl[] = [
  { key: 'model_type', type: 'enum', choices: MODEL_TYPES, default: 'llama', description: 'Architecture family (sets norm, FFN form and positions)' },
  int('hidden_size', 'Model width d_model'),
  int('num_hidden_layers', 'Transformer layers'),
  int('num_attention_heads', 'Query heads'),
  { key: 'num_key_value_heads', type: 'integer', min: 0, default: 0, description: 'Key/value heads for GQA (0 or absent = num_attention_heads)' },
  { key: 'head_dim', type: 'integer', min: 0, default: 0, description: 'Per-head width (0 or absent = hidden_size / num_attention_heads)' },
  { key: 'intermediate_size', type: 'integer', min: 0, default: 0, description: 'FFN width (LLaMA-like; per expert for MoE)' },
  { key: 'ffn_dim', type: 'integer', min: 0, default: 0, description: "FFN width (OPT's name for intermediate_size)" },
  int('vocab_size', 'Vocabulary (LM-head output features)'),
  int('num_local_experts', 'Routed FFN experts per layer (1 = dense FFN)', { default: 1 }),
  int('num_experts_per_tok', 'Experts each token is routed to (top-k)', { default: 1 }),
  { key: 'sliding_window', type: 'integer', min: 0, default: 0, description: 'Sliding-window attention span (0 or null = full attention)' },
  int('max_position_embeddings', 'Longest supported context', { default: 4096 }),
  { key: 'hidden_act', type: 'enum', choices: ['silu', 'gelu', 'relu'], default: '', description: 'FFN activation (LLaMA-like; default silu)' },
  { key: 'activation_function', type: 'enum', choices: ['silu', 'gelu', 'relu'], default: '', description: "FFN activation (OPT's name; default relu)" },
  { key: 'rope_theta', type: 'quantity', dimension: 'dimensionless', positive: true, default: '10000', description: 'RoPE base (accepted; does not change the cost)' },
];

/** Bookkeeping keys of Hugging Face configs that do not change the cost model. Keys starting with `_` are comments/citations. */
const IGNORED_KEYS = [
  'architectures', 'bos_token_id', 'eos_token_id', 'pad_token_id', 'torch_dtype', 'transformers_version', 'use_cache',
  'initializer_range', 'rms_norm_eps', 'layer_norm_eps', 'attention_dropout', 'dropout', 'activation_dropout', 'tie_word_embeddings',
  'rope_scaling', 'pretraining_tp', 'attention_bias', 'output_router_logits', 'router_aux_loss_coef', 'router_jitter_noise',
  'do_layer_norm_before', 'enable_bias', 'layerdrop', 'init_std', 'word_embed_proj_dim', 'prefix', 'use_sliding_window',
  'max_window_layers', 'mlp_bias', 'model_name', 'sources',
];

/** Validates a parsed config tree (a JSON/YAML mapping) into a ModelConfig. */
export function modelConfigFromTree(root: SpecNode, file: string): ModelConfig {
  const context: ResolveContext = { file, scope: new Map() };
  const map = expectMap(root, context, '', 'a Hugging Face-style config mapping (hidden_size, num_hidden_layers, ...)');
  const skip = [...map.entries.keys()].filter((key) => key.startsWith('_') || IGNORED_KEYS.includes(key));
  // JSON null means "absent" in Hugging Face configs (e.g. "sliding_window": null).
  for (const [key, { node }] of map.entries) if (node.kind === 'scalar' && node.value === null) skip.push(key);
  const v = resolveDeclared(map, MODEL_CONFIG_PARAMS, context, '', skip);
  const type = v.model_type as ModelType;
  const at = (key: string) => ({ file, position: map.entries.get(key)?.node.position ?? map.position, keyPath: key });
  const hidden = v.hidden_size as number;
  const heads = v.num_attention_heads as number;
  const kvHeads = (v.num_key_value_heads as number) || heads;
  if (heads % kvHeads !== 0) throw inputError({ ...at('num_key_value_heads'), message: `${kvHeads} key/value heads do not divide ${heads} query heads`, expected: 'a divisor of num_attention_heads' });
  const headDim = (v.head_dim as number) || hidden / heads;
  if (!Number.isInteger(headDim)) throw inputError({ ...at('num_attention_heads'), message: `hidden_size ${hidden} is not a multiple of ${heads} heads`, hint: 'give head_dim explicitly' });
  const isOpt = type === 'opt';
  const intermediate = (isOpt ? (v.ffn_dim as number) || (v.intermediate_size as number) : (v.intermediate_size as number) || (v.ffn_dim as number)) || 4 * hidden;
  const experts = v.num_local_experts as number;
  const expertsPerToken = v.num_experts_per_tok as number;
  if (expertsPerToken > experts) throw inputError({ ...at('num_experts_per_tok'), message: `top-${expertsPerToken} routing needs at least ${expertsPerToken} experts, found num_local_experts ${experts}` });
  const activation = ((v.activation_function as string) || (v.hidden_act as string) || (isOpt ? 'relu' : 'silu')) as ModelConfig['activation'];
  const sourcesEntry = map.entries.get('sources') ?? map.entries.get('_sources');
  const sources = sourcesEntry ? expectStringList(sourcesEntry.node, context, 'sources') : [];
  return {
    file,
    type,
    hidden,
    layers: v.num_hidden_layers as number,
    heads,
    kvHeads,
    headDim,
    intermediate,
    vocab: v.vocab_size as number,
    experts,
    expertsPerToken,
    slidingWindow: v.sliding_window as number,
    maxPositions: v.max_position_embeddings as number,
    gatedFfn: !isOpt,
    norm: isOpt ? 'layernorm' : 'rmsnorm',
    activation,
    rope: !isOpt,
    sources,
  };
}

/** Parameters (weights) of the model in elements, for capacity checks and reports. */
export function parameterCount(model: ModelConfig): number {
  const { hidden, heads, kvHeads, headDim, intermediate, vocab, experts, layers } = model;
  const attention = hidden * (heads + 2 * kvHeads) * headDim + heads * headDim * hidden;
  const ffnPerExpert = (model.gatedFfn ? 3 : 2) * hidden * intermediate;
  const router = experts > 1 ? hidden * experts : 0;
  // Input embedding and LM head are counted separately (untied, as in LLaMA-2 and OPT's projection).
  return layers * (attention + experts * ffnPerExpert + router) + 2 * vocab * hidden;
}
