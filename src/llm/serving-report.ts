// Serving metrics as text lines (terminal/Markdown) and as CSV columns on the TOTAL row.

import type { Result } from '../core/types.js';
import { bytes, engineering, joules, percent, seconds } from '../report/units.js';

export function servingLines(result: Result): string[] {
  const s = result.serving;
  if (!s) return [];
  const request =
    s.phase === 'generation' ? `batch ${s.batch}, prompt ${s.promptTokens} tokens, output ${s.outputTokens} tokens` : s.phase === 'prefill' ? `batch ${s.batch}, prompt ${s.promptTokens} tokens` : `batch ${s.batch}, KV length ${s.contextTokens} tokens`;
  const lines = [
    `Serving (${s.phase}: ${request}; ${s.devices} device${s.devices > 1 ? `s: tensor-parallel ${s.tensorParallel} × pipeline ${s.pipelineParallel}` : ''}):`,
    `  tokens/s ${engineering(s.tokensPerSecond, 'tok/s')} total, ${engineering(s.tokensPerDeviceSecond, 'tok/s')} per device (${s.tokens} tokens in ${seconds(s.seconds)})`,
    `  TTFT ${s.ttftSeconds === undefined ? 'n/a' : seconds(s.ttftSeconds)}, TPOT ${s.tpotSeconds === undefined ? 'n/a' : seconds(s.tpotSeconds)}, ${joules(s.joulesPerToken)}/token`,
    `  achieved ${engineering(s.achievedTflopsPerDevice * 1e12, 'FLOP/s')} per device (dense-equivalent), ${percent(s.rooflineFraction)} of the roofline bound`,
  ];
  if (s.phase !== 'prefill') lines.push(`  KV cache per device ${bytes(s.kvCacheBytes.first)} at the first decode step, ${bytes(s.kvCacheBytes.last)} at the last`);
  if (s.phases.length > 1) for (const p of s.phases) lines.push(`  phase ${p.phase}: ${seconds(p.seconds)}, ${joules(p.energyJ)}, ${p.tokens} tokens`);
  if (s.decodePoints.length > 1) lines.push(`  decode cost evaluated at ${s.decodePoints.length} KV lengths (KV length × steps: ${s.decodePoints.slice(0, 6).map((p) => `${p.context}×${p.steps}`).join(', ')}${s.decodePoints.length > 6 ? ', …' : ''})`);
  const c = s.capacity;
  if (c) lines.push(`  memory ${c.level}: ${bytes(c.residentBytes)} resident of ${bytes(c.capacityBytes)} (weights ${bytes(c.weightBytes)}, KV ${bytes(c.kvCacheBytes)}, activations ${bytes(c.activationBytes)}); largest batch that fits ${c.maxBatch}${c.spilledBytes > 0 ? `; ${bytes(c.spilledBytes)} spilled to host` : ''}`);
  return lines;
}

/** CSV columns (header with unit, value) filled on the TOTAL row. */
export function servingColumns(result: Result): { header: string; value: number | string }[] {
  const s = result.serving;
  if (!s) return [];
  return [
    { header: 'serving_phase', value: s.phase },
    { header: 'batch', value: s.batch },
    { header: 'prompt_tokens', value: s.promptTokens },
    { header: 'context_tokens', value: s.contextTokens },
    { header: 'output_tokens', value: s.outputTokens },
    { header: 'devices', value: s.devices },
    { header: 'tensor_parallel', value: s.tensorParallel },
    { header: 'pipeline_parallel', value: s.pipelineParallel },
    { header: 'tokens_per_s', value: s.tokensPerSecond },
    { header: 'tokens_per_device_s', value: s.tokensPerDeviceSecond },
    { header: 'ttft_s', value: s.ttftSeconds ?? '' },
    { header: 'tpot_s', value: s.tpotSeconds ?? '' },
    { header: 'J_per_token', value: s.joulesPerToken },
    { header: 'achieved_TFLOPS_per_device', value: s.achievedTflopsPerDevice },
    { header: 'roofline_fraction', value: s.rooflineFraction },
  ];
}
