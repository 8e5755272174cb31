// LLM serving on top of the families: a request (prefill, one decode step, or a whole generation)
// becomes per-device operator lists, simulated by the ordinary core; this layer adds the
// tensor-parallel collectives, the memory-capacity check and the serving metrics.

import type { ArchSpec, OperatorResult, Result, SimulateOptions, Workload, Operator } from '../core/types.js';
import { DATATYPE_BITS, DEFAULT_OPTIONS } from '../core/types.js';
import type { MaskCache } from '../core/operand-sparsity.js';
import { totals } from '../core/simulate.js';
import { inputError } from '../spec/errors.js';
import { capacityReport, deviceMemory, residency, shortfallMessage } from './capacity.js';
import { collectiveResult } from './collectives.js';
import { servingPosition } from './positions.js';
import { extraRow } from './rows.js';
import { CONTEXT_DEPENDENT, transformerStep, type StepShape } from './transformer.js';
import type { ModelWorkload, PhaseMetrics, ServingMetrics, ServingSpec } from './types.js';

export type OperatorSimulator = (arch: ArchSpec, workload: Workload, options: Partial<SimulateOptions>, masks: MaskCache) => Result;

/** Longest run of decode steps one evaluation point may stand for (see decodeSchedule). */
export const MAX_SEGMENT_STEPS = 32;
/** Largest relative distance of a sample from the chord for a run to count as affine (see decodeSchedule). */
export const AFFINE_TOLERANCE = 1e-3;

export function simulateServing(arch: ArchSpec, workload: Workload, options: Partial<SimulateOptions>, masks: MaskCache, run: OperatorSimulator): Result {
  const resolved: SimulateOptions = { ...DEFAULT_OPTIONS, ...options };
  const spec = workload.serving!;
  const model = workload.model;
  const tp = workload.parallel?.tensor ?? 1;
  const pp = workload.parallel?.pipeline ?? 1;
  const devices = tp * pp;
  let decodePoints: ServingMetrics['decodePoints'] = [];
  let operators: readonly Operator[] = workload.operators;
  if (model && spec.phase === 'generation') {
    const plan = generationOperators(arch, workload, model, spec, resolved, masks, run);
    operators = plan.operators;
    decodePoints = plan.decodePoints;
  } else if (spec.phase === 'decode') {
    decodePoints = [{ context: spec.context, steps: 1 }];
  }
  const base = run(arch, { ...workload, operators: [...operators] }, resolved, masks);
  const clockHz = base.arch.clockHz;
  const extra: OperatorResult[] = [];
  const notes: string[] = [];

  if (model && devices > 1) extra.push(...parallelCommunication(model, spec, workload, base, clockHz));

  // Memory capacity: the resident state at the request's largest point.
  const memory = deviceMemory(arch);
  let capacity: ServingMetrics['capacity'];
  if (memory) {
    const steps = residentStep(workload, spec);
    // The input embedding sits on the first stage, split like the LM head across tensor-parallel devices; counted on every device (conservative).
    const embedding = model ? (model.config.vocab * model.config.hidden * DATATYPE_BITS[model.choices.dtype]) / 8 / tp : 0;
    capacity = capacityReport(memory, residency(steps, resolved, embedding, pp), spec.batch, resolved.allowSpill === true && model !== undefined);
    // Hand-written workloads may list only some layers (and no embeddings): an overflow is reported, not refused.
    if (!capacity.fits && !model) {
      notes.push(`capacity: ${shortfallMessage(capacity, devices)} (not refused: hand-written operator list)`);
    } else if (!capacity.fits && !resolved.allowSpill) {
      throw inputError({ file: workload.file, position: servingPosition(spec), keyPath: 'serving', message: `${workload.name} on ${arch.name}: ${shortfallMessage(capacity, devices)}`, hint: 'use more devices (parallel.tensor / parallel.pipeline), a smaller batch or a compressed format, or pass --allow-spill' });
    }
    if (capacity.spilledBytes > 0 && model) extra.push(spillResult(capacity.spilledBytes, forwardPasses(spec), memory.hostBandwidth, memory.level, clockHz));
    if (!model) notes.push('capacity: weights and KV cache from the listed operators only (embeddings and unlisted layers are not counted)');
  } else {
    notes.push(`capacity: the ${arch.family} family preset declares no device-memory capacity; not checked`);
  }

  const allOperators = [...base.operators, ...extra.map((row) => withStaticEnergy(row, arch))];
  const total = totals(allOperators, allOperators.map(() => base.arch.peakMacsPerCycle), clockHz);
  // Collective and spill rows do no MACs; keep the simulated operators' utilisation weighting.
  total.utilization = total.cycles > 0 ? (base.total.utilization * base.total.cycles) / total.cycles : 0;
  const result: Result = { ...base, operators: allOperators, total, notes: [...base.notes, ...extra.flatMap((op) => op.notes).filter((n, i, all) => all.indexOf(n) === i), ...notes] };
  result.serving = servingMetrics(result, spec, tp, pp, decodePoints, workload, resolved, capacity);
  return result;
}

/** Forward passes in the request: every pass reads all weights once. */
function forwardPasses(spec: ServingSpec): number {
  return spec.phase === 'generation' ? spec.output : 1;
}

/** The operators of the step with the most resident state: the last decode step (largest KV cache), or the single step. */
function residentStep(workload: Workload, spec: ServingSpec): readonly Operator[] {
  const model = workload.model;
  if (!model || spec.phase === 'decode') return workload.operators;
  // Weights and the KV cache at its longest (a prefill leaves `prompt` entries): one decode step there.
  const decode = transformerStep(model.config, { phase: 'decode', batch: spec.batch, tokens: 1, context: lastDecodeContext(spec) }, model.choices);
  // Activations peak in the prefill (count 0: its weights are the decode step's, counted once).
  const prefill = transformerStep(model.config, { phase: 'prefill', batch: spec.batch, tokens: spec.prompt, context: spec.prompt }, model.choices).map((op) => ({ ...op, count: 0 }));
  return [...decode, ...prefill];
}

function lastDecodeContext(spec: ServingSpec): number {
  return spec.phase === 'generation' ? spec.prompt + spec.output - 1 : spec.phase === 'decode' ? spec.context : spec.prompt;
}

/**
 * Prefill, then decode steps i = 1 … output−1 at KV length c = prompt + i. Operators that do not
 * depend on c run (output−1) times; attention over the cache is evaluated at a few lengths only.
 */
function generationOperators(arch: ArchSpec, workload: Workload, model: ModelWorkload, spec: ServingSpec, options: SimulateOptions, masks: MaskCache, run: OperatorSimulator) {
  const { config, choices } = model;
  const step = (shape: Omit<StepShape, 'batch'>, prefix: string) => transformerStep(config, { ...shape, batch: spec.batch }, choices, prefix);
  const operators: Operator[] = step({ phase: 'prefill', tokens: spec.prompt, context: spec.prompt }, 'prefill.');
  const decodeSteps = spec.output - 1;
  if (decodeSteps === 0) return { operators, decodePoints: [] };
  const isContextDependent = (op: Operator) => (CONTEXT_DEPENDENT as readonly string[]).includes(op.name.slice('decode.'.length));
  const fixed = step({ phase: 'decode', tokens: 1, context: spec.prompt + 1 }, 'decode.').filter((op) => !isContextDependent(op));
  operators.push(...fixed.map((op) => ({ ...op, count: op.count * decodeSteps })));
  const attentionAt = (context: number) =>
    step({ phase: 'decode', tokens: 1, context }, 'decode.')
      .filter(isContextDependent)
      .map((op) => ({ ...op, name: `${op.name}@${context}` }));
  const cost = (context: number): number[] => {
    const r = run(arch, { ...workload, operators: attentionAt(context) }, options, masks);
    return r.operators.flatMap((op) => [op.cycles, op.energy.totalJ, ...Object.values(op.memory).flatMap((t) => [t.readBytes, t.writeBytes])]);
  };
  const decodePoints = decodeSchedule(spec.prompt + 1, spec.prompt + decodeSteps, cost);
  for (const point of decodePoints) operators.push(...attentionAt(point.context).map((op) => ({ ...op, count: op.count * point.steps })));
  return { operators, decodePoints };
}

/**
 * Which KV lengths to simulate, and how many decode steps each stands for, so that the summed cost
 * equals the per-token sum Σ_{c=first}^{last} f(c) without simulating every token.
 *
 * Why it is exact: on a run of integers a … b where the cost f is affine, the run has an odd
 * number n of points around the integer midpoint m = (a+b)/2 and the deviations f(c) − f(m) cancel
 * pairwise (c and a+b−c), so Σ f(c) = n · f(m): one simulation with `count` n. A run with an even
 * number of points gives its first point its own evaluation. The families' attention cost is
 * affine in the KV length (bytes and MACs grow linearly) except where a tile count or wave count
 * steps, plus a residue from rounding each kernel to whole cycles (< 0.1 %). A run is accepted only
 * when five samples (ends, quarters, midpoint) lie within AFFINE_TOLERANCE of the chord in every
 * operator's cycles, energy and traffic — a tile or wave step inside the run breaks that — and is at
 * most MAX_SEGMENT_STEPS long; otherwise it is halved, down to single tokens. So the sum is exact
 * for piecewise-affine costs and within the rounding residue otherwise;
 * test/llm/generation.test.ts checks it against the per-token sum.
 */
export function decodeSchedule(first: number, last: number, cost: (context: number) => number[]): { context: number; steps: number }[] {
  const memo = new Map<number, number[]>();
  const f = (c: number) => {
    let v = memo.get(c);
    if (!v) memo.set(c, (v = cost(c)));
    return v;
  };
  const points: { context: number; steps: number }[] = [];
  const collinear = (xs: number[]) => {
    const ys = xs.map(f);
    const [x0, x1] = [xs[0], xs[xs.length - 1]];
    return ys[0].every((_, j) => {
      const y0 = ys[0][j];
      const y1 = ys[ys.length - 1][j];
      return xs.every((x, i) => Math.abs(ys[i][j] - (y0 + ((y1 - y0) * (x - x0)) / (x1 - x0))) <= AFFINE_TOLERANCE * Math.max(1e-30, Math.abs(y0), Math.abs(y1)));
    });
  };
  const cover = (a: number, b: number): void => {
    const n = b - a + 1;
    if (n <= 0) return;
    if (n <= 2) {
      for (let c = a; c <= b; c++) points.push({ context: c, steps: 1 });
      return;
    }
    if (n % 2 === 0) {
      points.push({ context: a, steps: 1 });
      return cover(a + 1, b);
    }
    const m = (a + b) / 2;
    const q1 = Math.floor((a + m) / 2);
    const q3 = Math.ceil((m + b) / 2);
    if (n <= MAX_SEGMENT_STEPS + 1 && collinear([a, q1, m, q3, b])) {
      points.push({ context: m, steps: n });
      return;
    }
    cover(a, m);
    cover(m + 1, b);
  };
  cover(first, last);
  return points;
}

/**
 * Communication of the parallel layout, per device. Tensor parallelism (Megatron): an all-reduce of
 * the activations after attention and after the FFN of every layer instance, and an all-gather of
 * the vocabulary-split logits. Pipeline parallelism: each micro-batch's activations cross one stage
 * boundary per device per step, and the prefill pays the pipeline fill, (S−1) micro-batch stage
 * times = (S−1)/S of a device's prefill time (decode steps keep all S micro-batches in flight).
 */
function parallelCommunication(model: ModelWorkload, spec: ServingSpec, workload: Workload, base: Result, clockHz: number): OperatorResult[] {
  const { tensor: tp, pipeline: pp, interconnect: link } = workload.parallel!;
  const { config, choices } = model;
  const elementBytes = DATATYPE_BITS[choices.dtype] / 8;
  const microBatch = spec.batch / pp;
  const phases: { phase: 'prefill' | 'decode'; tokens: number; steps: number }[] = [];
  if (spec.phase === 'prefill' || spec.phase === 'generation') phases.push({ phase: 'prefill', tokens: spec.prompt, steps: 1 });
  if (spec.phase === 'decode') phases.push({ phase: 'decode', tokens: 1, steps: 1 });
  if (spec.phase === 'generation' && spec.output > 1) phases.push({ phase: 'decode', tokens: 1, steps: spec.output - 1 });
  const prefix = (phase: string) => (spec.phase === 'generation' ? `${phase}.` : '');
  const rows: OperatorResult[] = [];
  for (const { phase, tokens, steps } of phases) {
    const activationBytes = microBatch * tokens * config.hidden * elementBytes;
    if (tp > 1) {
      rows.push(collectiveResult(`${prefix(phase)}allreduce`, 'all-reduce', 2 * config.layers * steps, activationBytes, tp, link, clockHz));
      rows.push(collectiveResult(`${prefix(phase)}logits_gather`, 'all-gather', pp * steps, microBatch * config.vocab * elementBytes, tp, link, clockHz));
    }
    if (pp > 1) rows.push(collectiveResult(`${prefix(phase)}pipeline_send`, 'send', pp * steps, activationBytes, pp, link, clockHz));
  }
  if (pp > 1 && phases[0].phase === 'prefill') {
    const prefillSeconds = base.operators.filter((op) => phaseOf(op, spec) === 'prefill').reduce((sum, op) => sum + op.seconds, 0);
    rows.push(
      extraRow({
        name: `${prefix('prefill')}pipeline_bubble`,
        kind: 'bubble',
        count: 1,
        seconds: ((pp - 1) / pp) * prefillSeconds,
        clockHz,
        level: 'pipeline',
        bottleneck: 'pipeline-fill',
        note: `pipeline fill: ${pp - 1} of ${pp} stages idle for one micro-batch stage time each during the prefill (only static power is charged for it)`,
      }),
    );
  }
  return rows;
}

/** --allow-spill: what does not fit stays in host memory and crosses the host link on every forward pass. */
function spillResult(spilledBytes: number, passes: number, hostBandwidth: number, level: string, clockHz: number): OperatorResult {
  const bytes = spilledBytes * passes;
  return extraRow({
    name: 'host_spill',
    kind: 'spill',
    count: passes,
    seconds: hostBandwidth > 0 ? bytes / hostBandwidth : Infinity,
    clockHz,
    level: 'host',
    traffic: { readBytes: bytes, writeBytes: 0, perTensor: { weight: { readBytes: bytes, writeBytes: 0 } } },
    bottleneck: 'host-link',
    stats: { spilledBytes },
    note: `--allow-spill: ${spilledBytes} B that do not fit in ${level} are read over the host link (${hostBandwidth / 1e9} GB/s) on each of ${passes} forward passes, not overlapped; host-link energy not modelled`,
  });
}

/** Devices draw static power while they wait on links and bubbles too (the core charges it for simulated operators). */
function withStaticEnergy(row: OperatorResult, arch: ArchSpec): OperatorResult {
  const watts = arch.values['power.static'];
  if (typeof watts !== 'number' || watts <= 0 || !Number.isFinite(row.seconds)) return row;
  const action = { component: 'static', action: `static power (${watts} W × time)`, count: row.seconds, energyPerActionJ: watts, energyJ: watts * row.seconds };
  return {
    ...row,
    energy: { components: { ...row.energy.components, static: action.energyJ }, totalJ: row.energy.totalJ + action.energyJ, actions: [...row.energy.actions, action] },
  };
}

function phaseOf(op: OperatorResult, spec: ServingSpec): PhaseMetrics['phase'] {
  if (spec.phase !== 'generation') return spec.phase === 'prefill' ? 'prefill' : 'decode';
  return op.name.startsWith('prefill.') ? 'prefill' : 'decode';
}

function servingMetrics(result: Result, spec: ServingSpec, tp: number, pp: number, decodePoints: ServingMetrics['decodePoints'], workload: Workload, options: SimulateOptions, capacity: ServingMetrics['capacity']): ServingMetrics {
  const devices = tp * pp;
  const phases: PhaseMetrics[] = [];
  for (const op of result.operators) {
    const phase = phaseOf(op, spec);
    let slot = phases.find((p) => p.phase === phase);
    if (!slot) phases.push((slot = { phase, seconds: 0, energyJ: 0, tokens: 0 }));
    slot.seconds += op.seconds;
    slot.energyJ += op.energy.totalJ * devices;
  }
  for (const p of phases) p.tokens = p.phase === 'prefill' ? (spec.phase === 'prefill' ? spec.batch * spec.prompt : spec.batch) : spec.phase === 'generation' ? spec.batch * (spec.output - 1) : spec.batch;
  const tokens = spec.phase === 'decode' ? spec.batch : spec.phase === 'prefill' ? spec.batch * spec.prompt : spec.batch * spec.output;
  const seconds = result.total.seconds;
  const prefill = phases.find((p) => p.phase === 'prefill');
  const decode = phases.find((p) => p.phase === 'decode');
  const boundCycles = result.operators.reduce((sum, op) => sum + Math.max(0, ...Object.values(op.bounds)), 0);
  return {
    phase: spec.phase,
    batch: spec.batch,
    promptTokens: spec.prompt,
    contextTokens: lastDecodeContext(spec),
    outputTokens: spec.phase === 'prefill' ? 1 : spec.phase === 'decode' ? 1 : spec.output,
    devices,
    tensorParallel: tp,
    pipelineParallel: pp,
    tokens,
    seconds,
    tokensPerSecond: seconds > 0 ? tokens / seconds : 0,
    tokensPerDeviceSecond: seconds > 0 ? tokens / seconds / devices : 0,
    ttftSeconds: prefill ? prefill.seconds : undefined,
    tpotSeconds: spec.phase === 'decode' ? seconds : spec.phase === 'generation' && decode && spec.output > 1 ? decode.seconds / (spec.output - 1) : undefined,
    joulesPerToken: (result.total.energy.totalJ * devices) / tokens,
    achievedTflopsPerDevice: seconds > 0 ? (2 * result.total.macs.dense) / seconds / 1e12 : 0,
    rooflineFraction: result.total.cycles > 0 ? boundCycles / result.total.cycles : 0,
    phases,
    kvCacheBytes: kvCacheRange(workload, spec, options),
    decodePoints,
    capacity,
  };
}

function kvCacheRange(workload: Workload, spec: ServingSpec, options: SimulateOptions): { first: number; last: number } {
  const model = workload.model;
  if (!model) {
    const bytes = residency(workload.operators, options).kvCacheBytes;
    return { first: bytes, last: bytes };
  }
  const at = (context: number) => residency(transformerStep(model.config, { phase: 'decode', batch: spec.batch, tokens: 1, context }, model.choices), options).kvCacheBytes;
  const first = spec.phase === 'generation' ? spec.prompt + 1 : lastDecodeContext(spec);
  return { first: spec.phase === 'prefill' ? 0 : at(first), last: spec.phase === 'prefill' ? 0 : at(lastDecodeContext(spec)) };
}
