import { describe, expect, it } from 'vitest';
import { simulate, simulateOperators } from '../../src/core/simulate.js';
import { loadWorkloadText } from '../../src/spec/load-workload.js';
import { InputError } from '../../src/spec/errors.js';
import { readModelRelative } from '../../src/io/files.js';
import { decodeSchedule } from '../../src/llm/serving.js';
import { transformerStep, CONTEXT_DEPENDENT } from '../../src/llm/transformer.js';
import { render } from '../../src/report/reporters.js';
import { join } from 'node:path';
import { ROOT, loadArch, loadWorkload } from '../helpers.js';

const a100 = loadArch('a100.yaml');
const u280 = loadArch('u280-flightllm.yaml');
/** A model workload written inline, next to the shipped configs (so `model:` paths resolve). */
const modelWorkload = (text: string) => loadWorkloadText(text, join(ROOT, 'workloads', 'llm', 'test.yaml'), undefined, undefined, readModelRelative);
const strip = (r: ReturnType<typeof simulate>) => ({ operators: r.operators, total: r.total, notes: r.notes });

describe('model configurations', () => {
  it('a config-generated LLaMA-2-7B decode step gives the same results as the hand-written workload', () => {
    const generated = loadWorkload('llm/llama2-7b-decode-b1-model.yaml');
    const written = loadWorkload('llama2-7b-decode-b1.yaml');
    for (const arch of [a100, u280]) {
      const a = simulate(arch, generated);
      const b = simulate(arch, written);
      expect(a.operators.map((op) => op.name)).toEqual(b.operators.map((op) => op.name));
      // Notes differ only in the capacity note for hand-written workloads (embeddings not listed).
      expect({ ...strip(a), notes: [] }).toEqual({ ...strip(b), notes: [] });
      expect(a.serving!.tokensPerSecond).toBeCloseTo(b.serving!.tokensPerSecond, 9);
    }
  });

  it('reports a misspelt config key at its position with a did-you-mean', () => {
    const text = `name: x\nmodel: { hidden_size: 64, num_hiden_layers: 2, num_attention_heads: 4, vocab_size: 100 }\nserving: { phase: decode, context: 8 }\n`;
    try {
      modelWorkload(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const issue = (error as InputError).issues[0];
      expect(issue.position).toEqual({ line: 2, column: 27 });
      expect(issue.hint).toContain('num_hidden_layers');
    }
  });

  it('GQA shrinks the KV projection and the KV cache read by decode attention', () => {
    const mixtral = modelWorkload(`name: m\nmodel: models/mixtral-8x7b.json\ndtype: fp16\nserving: { phase: decode, batch: 1, context: 64 }\n`);
    const qkv = mixtral.operators.find((op) => op.name === 'qkv')!;
    const scores = mixtral.operators.find((op) => op.name === 'scores')!;
    expect(qkv.kind === 'gemm' && qkv.n).toBe((32 + 2 * 8) * 128);
    // 8 KV heads, each shared by 4 query heads packed into the rows.
    expect(scores.kind === 'batched_matmul' && [scores.batch, scores.m]).toEqual([8, 4]);
    // Batch 1 top-2 routing activates exactly 2 experts per layer.
    expect(mixtral.operators.find((op) => op.name === 'expert_gate_up')!.count).toBe(32 * 2);
  });
});

describe('sliding-window attention', () => {
  it('truncates the KV length decode attention reads to the window', () => {
    const mistral = modelWorkload(`name: m\nmodel: models/mistral-7b.json\ndtype: fp16\nserving: { phase: decode, batch: 1, context: 8000 }\n`);
    const scores = mistral.operators.find((op) => op.name === 'scores')!;
    expect(scores.kind === 'batched_matmul' && scores.n).toBe(4096);
  });
});

describe('serving metrics', () => {
  it('a FlightLLM decode step prints tokens/s and J/token derived from its time and energy', () => {
    const r = simulate(u280, loadWorkload('llama2-7b-fpga-decode-int8.yaml'));
    expect(r.serving!.tokensPerSecond).toBeCloseTo(1 / r.total.seconds, 9);
    expect(r.serving!.joulesPerToken).toBeCloseTo(r.total.energy.totalJ, 12);
    const table = render(r, 'table');
    expect(table).toMatch(/tokens\/s 4\d\.\d tok\/s/);
    expect(table).toMatch(/mJ\/token/);
    const csv = render(r, 'csv').trim().split('\n');
    expect(csv[0]).toContain('tokens_per_s');
    expect(csv[csv.length - 1].split(',').length).toBe(csv[0].split(',').length);
  });

  it('static power is charged as power × time on the A100', () => {
    const r = simulate(a100, loadWorkload('llama2-7b-decode-b1.yaml'));
    expect(r.total.energy.components.static).toBeCloseTo(60 * r.total.seconds, 9);
  });
});

describe('generation', () => {
  const text = (kv = '') => `name: g\nmodel: models/llama2-7b.json\ndtype: fp16\nserving: { phase: generation, batch: 2, prompt: 64, output: 40 }\n${kv}`;

  it('prints TTFT, TPOT and a per-phase breakdown; the KV cache grows every decode step', () => {
    const w = modelWorkload(text());
    const r = simulate(a100, w);
    const s = r.serving!;
    expect(s.phases.map((p) => p.phase)).toEqual(['prefill', 'decode']);
    expect(s.ttftSeconds).toBeCloseTo(s.phases[0].seconds, 12);
    expect(s.tpotSeconds).toBeCloseTo(s.phases[1].seconds / 39, 12);
    // 2 sequences × 2 (K, V) × 32 layers × 4096 × 2 B per cached token.
    const perToken = 2 * 2 * 32 * 4096 * 2;
    expect(s.kvCacheBytes.first).toBe(perToken * 65);
    expect(s.kvCacheBytes.last).toBe(perToken * 103);
    // Decode steps are evaluated at KV lengths 65 … 103, covering all 39 steps once.
    expect(s.decodePoints.reduce((n, p) => n + p.steps, 0)).toBe(39);
    // KV bytes read from HBM by decode attention: Σ over steps of the cache at that step.
    const kvRead = r.operators.filter((op) => /^decode\.(scores|context)@/.test(op.name)).reduce((sum, op) => sum + op.memory.hbm.perTensor.weight.readBytes, 0);
    let expected = 0;
    for (let c = 65; c <= 103; c++) expected += perToken * c;
    expect(kvRead).toBeCloseTo(expected, -3);
  });

  it('the sampled decode cost matches the per-token sum', () => {
    const w = modelWorkload(text());
    const cfg = w.model!;
    const attention = (c: number) => transformerStep(cfg.config, { phase: 'decode', batch: 2, tokens: 1, context: c }, cfg.choices).filter((op) => (CONTEXT_DEPENDENT as readonly string[]).includes(op.name));
    const cost = (c: number) => simulateOperators(a100, { ...w, operators: attention(c) }).total;
    let perToken = 0;
    for (let c = 65; c <= 103; c++) perToken += cost(c).cycles;
    const sampled = decodeSchedule(65, 103, (c) => [cost(c).cycles]).reduce((sum, p) => sum + p.steps * cost(p.context).cycles, 0);
    expect(Math.abs(sampled - perToken) / perToken).toBeLessThan(1e-3);
    expect(decodeSchedule(65, 103, (c) => [cost(c).cycles]).length).toBeLessThan(39);
  });

  it('a bitmap KV cache (Mustafar) at 50 % reads fewer KV bytes than a dense one', () => {
    const dense = simulate(a100, modelWorkload(text()));
    const sparse = simulate(a100, modelWorkload(text('kv_cache: { pattern: { kind: unstructured, density: 0.5 }, format: bitmap }\n')));
    expect(sparse.serving!.kvCacheBytes.last).toBeLessThan(0.7 * dense.serving!.kvCacheBytes.last);
  });
});

describe('capacity and tensor parallelism', () => {
  it('refuses OPT-175B FP16 decode on one A100-80GB, naming the shortfall', () => {
    const w = loadWorkload('llm/opt-175b-decode-fp16-1gpu.yaml');
    expect(() => simulate(a100, w)).toThrow(/does not fit: .*weights 350\.\d\d GB.*hbm holds 80\.00 GB: short by/);
    const spilled = simulate(a100, w, { allowSpill: true });
    expect(spilled.operators.some((op) => op.name === 'host_spill')).toBe(true);
    expect(spilled.serving!.capacity!.spilledBytes).toBeGreaterThan(290e9);
  });

  it('reports the largest batch that fits', () => {
    const r = simulate(a100, loadWorkload('llama2-7b-decode-b1.yaml'));
    const c = r.serving!.capacity!;
    expect(c.maxBatch).toBe(Math.floor((c.capacityBytes - c.weightBytes) / (c.kvCacheBytes + c.activationBytes)));
  });

  it('tensor parallelism over 2 devices with a zero-cost interconnect halves the per-device weight traffic', () => {
    const run = (tp: number) =>
      simulate(a100, modelWorkload(`name: t\nmodel: models/opt-30b.json\ndtype: fp16\nserving: { phase: decode, batch: 4, context: 256 }\nparallel: { tensor: ${tp}, interconnect: ideal }\n`));
    const weightReads = (r: ReturnType<typeof simulate>) =>
      r.operators.filter((op) => ['qkv', 'attn_out', 'fc1', 'fc2', 'lm_head'].includes(op.name)).reduce((sum, op) => sum + op.memory.hbm.perTensor.weight.readBytes, 0);
    const one = run(1);
    const two = run(2);
    expect(weightReads(two) / weightReads(one)).toBeCloseTo(0.5, 6);
    expect(two.operators.find((op) => op.name === 'allreduce')!.seconds).toBe(0);
    expect(two.serving!.devices).toBe(2);
    expect(two.serving!.tokensPerDeviceSecond).toBeCloseTo(two.serving!.tokensPerSecond / 2, 9);
  });

  it('runs OPT-175B on 4 A100s with Tiled-CSL at 80 % sparsity, with an NVLink all-reduce per layer', () => {
    const r = simulate(a100, loadWorkload('llm/opt-175b-flash-llm-4gpu.yaml'));
    expect(r.serving!.capacity!.fits).toBe(true);
    const allreduce = r.operators.find((op) => op.name === 'decode.allreduce')!;
    expect(allreduce.count).toBe(2 * 96 * 511);
    expect(allreduce.seconds).toBeGreaterThan(0);
    expect(r.serving!.tokensPerDeviceSecond).toBeGreaterThan(0);
  });
});

describe('pipeline parallelism', () => {
  const run = (pp: number) =>
    simulate(a100, modelWorkload(`name: p\nmodel: models/opt-30b.json\ndtype: fp16\nserving: { phase: generation, batch: 4, prompt: 32, output: 8 }\nparallel: { pipeline: ${pp}, interconnect: nvlink3 }\n`));

  it('splits the layers (and their KV cache) across stages and sends activations between them', () => {
    const one = run(1);
    const two = run(2);
    expect(two.serving!.devices).toBe(2);
    expect(two.serving!.kvCacheBytes.last).toBe(one.serving!.kvCacheBytes.last / 2);
    const layerWeights = (r: ReturnType<typeof simulate>) => r.serving!.capacity!.weightBytes;
    expect(layerWeights(two)).toBeLessThan(0.6 * layerWeights(one));
    // Two micro-batches per step, each crossing one stage boundary.
    expect(two.operators.find((op) => op.name === 'decode.pipeline_send')!.count).toBe(2 * 7);
    expect(two.operators.find((op) => op.name === 'prefill.pipeline_bubble')!.seconds).toBeGreaterThan(0);
  });

  it('rejects a stage count that does not divide the layers, at its position', () => {
    expect(() => modelWorkload(`name: p\nmodel: models/opt-30b.json\nserving: { phase: decode, batch: 4, context: 8 }\nparallel: { pipeline: 5, interconnect: nvlink3 }\n`)).toThrow(/test\.yaml:4:23: error: parallel\.pipeline: 5 stages do not divide the 48 layers/);
  });
});

describe('config.json errors', () => {
  it('positions a bad value in a JSON config at its line and column', async () => {
    const { parseSpecText } = await import('../../src/spec/yaml-source.js');
    const { modelConfigFromTree } = await import('../../src/llm/model-config.js');
    const json = '{\n  "hidden_size": 4096,\n  "num_hidden_layers": 32,\n  "num_attention_heads": 32,\n  "num_key_value_heads": 5,\n  "vocab_size": 32000\n}\n';
    expect(() => modelConfigFromTree(parseSpecText(json, 'config.json').root, 'config.json')).toThrow(/^config\.json:5:26: error: num_key_value_heads: 5 key\/value heads do not divide 32 query heads/);
  });
});

describe('compare on model workloads', () => {
  it('puts the compared format into the model, so generation steps use it too', async () => {
    const { withWeightSparsity } = await import('../../src/core/compare.js');
    const w = modelWorkload(`name: g\nmodel: models/opt-30b.json\ndtype: fp16\nserving: { phase: generation, batch: 2, prompt: 16, output: 4 }\n`);
    const sparse = withWeightSparsity(w, { pattern: { kind: 'uniform', density: 0.2 }, format: 'tiled-csl' });
    const dense = simulate(a100, w);
    const csl = simulate(a100, sparse);
    expect(csl.serving!.capacity!.weightBytes).toBeLessThan(0.5 * dense.serving!.capacity!.weightBytes);
    const fc1 = csl.operators.find((op) => op.name === 'decode.fc1')!;
    expect(fc1.memory.hbm.perTensor.weight.readBytes).toBeLessThan(0.5 * dense.operators.find((op) => op.name === 'decode.fc1')!.memory.hbm.perTensor.weight.readBytes);
  });
});
