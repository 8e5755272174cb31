// `accsim compare`: one workload, several targets × storage formats for the weights (× weight
// densities) → a table of time, bytes, energy, speedup and energy ratio versus dense on the same
// target, what the format changed there (or why it changed nothing), and the break-even density
// of each format. Pure: derives workload variants with immer and calls simulate; no I/O.

import { produce } from 'immer';
import { simulate } from './simulate.js';
import { isGemmLike, type ArchSpec, type GemmOperator, type OperandSparsity, type Result, type SimulateOptions, type Workload } from './types.js';
import { parseFormatName } from '../sparsity/index.js';
import { modelWorkloadOperators } from '../llm/model-workload.js';
import type { MaskCache } from './operand-sparsity.js';

export interface CompareRequest {
  archs: ArchSpec[];
  workload: Workload;
  /** Format names as `parseFormatName` accepts them ('dense', 'csr', '2:4', 'tiled-csl', ...). */
  formats: string[];
  /** Weight density for formats that do not fix it (unstructured or block patterns). */
  density: number;
  /** Several weight densities (a density curve); overrides `density` when given. N:M formats run once, at their own density. */
  densities?: number[];
  /** Block size for block formats (blocked-ell, bcsr). */
  blockSize: number;
  options: Partial<SimulateOptions>;
  /** Compute break-even densities (a bisection per target × format). */
  breakEven: boolean;
  /** Called after each (target, format, density) run, for progress on stderr; the core does no I/O. */
  onRun?: (done: number, total: number, label: string) => void;
}

export interface CompareRow {
  arch: string;
  format: string;
  /** The weight pattern the format was evaluated with. */
  pattern: string;
  /** The weight density the row ran at (an N:M format's own density, whatever was asked). */
  density: number;
  /** The density asked for, when the format fixes its own and ignored it ('2:4 runs at 0.5'). */
  requestedDensity?: number;
  /** What the format changed on this target, or why it changed nothing (from the families' notes). */
  effect: string;
  seconds: number;
  energyJ: number;
  pJPerMac: number;
  bytesByLevel: Record<string, number>;
  speedup: number;
  energyRatio: number;
  bottleneck: string;
  /**
   * Density below which the format beats dense on this target; null if it is slower at every
   * density; 'no-effect' if it changes nothing on this target; undefined when not searched.
   */
  breakEvenDensity: number | null | 'no-effect' | undefined;
  result: Result;
}

/** The weight sparsity a format implies: N:M formats fix the pattern, block formats use blocks. */
export function weightSparsityFor(format: string, density: number, blockSize: number): OperandSparsity | undefined {
  const parsed = parseFormatName(format);
  if (parsed.id === 'dense') return undefined;
  if (parsed.id === 'nm') {
    const { n, m } = parsed.params as { n: number; m: number };
    return { pattern: { kind: 'nm', n, m, dim: 'cols' }, format };
  }
  if (parsed.id === 'flightllm-n16') {
    const n = Math.max(1, Math.round(16 * density));
    return { pattern: { kind: 'nm', n, m: 16, dim: 'cols' }, format };
  }
  if (parsed.id === 'gqsa') {
    // Groups of groupSize along K kept or pruned whole: a row-wise block pattern.
    return { pattern: { kind: 'block', density, bh: 1, bw: (parsed.params.groupSize as number | undefined) ?? 16 }, format };
  }
  if (parsed.id === 'blocked-ell' || parsed.id === 'bcsr') {
    return { pattern: { kind: 'block', density, bh: blockSize, bw: blockSize }, format, formatParams: { bh: blockSize, bw: blockSize } };
  }
  return { pattern: { kind: 'uniform', density }, format };
}

/** The workload with every parameter-weight GEMM's weights in the given sparsity (immer: shared structure). */
export function withWeightSparsity(workload: Workload, sparsity: OperandSparsity | undefined): Workload {
  // Model workloads (src/llm) rebuild their operators from the model's choices, so the format goes there.
  if (workload.model && workload.serving) return withModelWeightSparsity(workload, sparsity);
  return produce(workload, (draft) => {
    for (const op of draft.operators) {
      if (!isGemmLike(op as never) || (op as GemmOperator).weightKind !== 'parameters') continue;
      const gemm = op as GemmOperator;
      if (sparsity) gemm.sparsity = { ...gemm.sparsity, weight: sparsity as never };
      else if (gemm.sparsity) delete gemm.sparsity.weight;
    }
    draft.name = `${workload.name}${sparsity ? ` [weights ${sparsity.format}]` : ' [dense]'}`;
  });
}

/** Densities are printed and compared at 4 decimals: `1 - 0.8` is 0.2, not 0.19999999999999996. */
const tidy = (density: number): number => Number(density.toFixed(4));

function withModelWeightSparsity(workload: Workload, sparsity: OperandSparsity | undefined): Workload {
  const model = { ...workload.model!, choices: { ...workload.model!.choices, weightSparsity: sparsity } };
  return { ...workload, model, operators: modelWorkloadOperators(model, workload.serving!), name: `${workload.name}${sparsity ? ` [weights ${sparsity.format}]` : ' [dense]'}` };
}

export function compare(request: CompareRequest): CompareRow[] {
  const rows: CompareRow[] = [];
  const masks: MaskCache = new Map(); // the same weight masks serve every target
  const densities = (request.densities?.length ? request.densities : [request.density]).map(tidy);
  const runsPerTarget = request.formats.reduce((n, format) => n + (fixesDensity(format) || format === 'dense' ? 1 : densities.length), 0);
  const total = request.archs.length * runsPerTarget;
  for (const arch of request.archs) {
    const dense = simulate(arch, withWeightSparsity(request.workload, undefined), request.options, masks);
    const breakEvens = new Map<string, CompareRow['breakEvenDensity']>();
    for (const format of request.formats) {
      const fixed = fixesDensity(format);
      for (const [i, asked] of densities.entries()) {
        if ((fixed || format === 'dense') && i > 0) continue; // one row: the density does not change it
        const sparsity = weightSparsityFor(format, asked, request.blockSize);
        const result = sparsity ? simulate(arch, withWeightSparsity(request.workload, sparsity), request.options, masks) : dense;
        const bytesByLevel: Record<string, number> = {};
        for (const [level, traffic] of Object.entries(result.total.memory)) bytesByLevel[level] = traffic.readBytes + traffic.writeBytes;
        const density = sparsity ? tidy(patternDensity(sparsity.pattern, asked)) : 1;
        const unchanged = sparsity !== undefined && sameCost(dense, result);
        if (request.breakEven && sparsity && !fixed && !breakEvens.has(format)) breakEvens.set(format, unchanged ? 'no-effect' : breakEven(arch, request, format));
        rows.push({
          arch: arch.name,
          format,
          pattern: sparsity ? describePattern(sparsity.pattern) : 'dense',
          density,
          ...(fixed && densities.length === 1 && densities[0] !== density ? { requestedDensity: densities[0] } : {}),
          effect: !sparsity ? 'baseline' : unchanged ? `no effect: ${noEffectReasons(result)}` : effectOf(dense, result),
          seconds: result.total.seconds,
          energyJ: result.total.energy.totalJ,
          pJPerMac: result.total.pJPerMac.dense,
          bytesByLevel,
          speedup: dense.total.seconds / result.total.seconds,
          energyRatio: dense.total.energy.totalJ / result.total.energy.totalJ,
          bottleneck: result.total.bottleneck,
          breakEvenDensity: fixed ? undefined : breakEvens.get(format),
          result,
        });
        request.onRun?.(rows.length, total, `${arch.name} ${format}${fixed ? '' : ` at density ${density}`}`);
      }
    }
  }
  return rows;
}

/** N:M formats fix their own density (2:4 is 0.5 whatever was asked); flightllm-n16 follows it. */
function fixesDensity(format: string): boolean {
  return parseFormatName(format).id === 'nm';
}

/** Same time, energy and bytes at every level: the format changed nothing on this target. */
function sameCost(a: Result, b: Result): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y), 1e-30);
  if (!close(a.total.seconds, b.total.seconds) || !close(a.total.energy.totalJ, b.total.energy.totalJ)) return false;
  return Object.entries(a.total.memory).every(([level, t]) => {
    const u = b.total.memory[level];
    return u !== undefined && close(t.readBytes + t.writeBytes, u.readBytes + u.writeBytes);
  });
}

/** Families say why sparsity did nothing in notes marked 'no mechanism' or 'dense traffic'. */
function noEffectReasons(result: Result): string {
  const reasons = result.notes.filter((n) => /no mechanism|dense traffic/.test(n)).map((n) => n.replace(/^sparsity: /, ''));
  return reasons.length ? [...new Set(reasons)].join('; ') : 'this target moves and computes the weights exactly as dense';
}

/**
 * The time change and the largest relative change in bytes of an off-chip level (dram, hbm),
 * else of any level.
 */
function effectOf(dense: Result, result: Result): string {
  let best: { level: string; ratio: number } | undefined;
  const offChip = (level: string) => level === 'dram' || level === 'hbm';
  const levels = Object.entries(result.total.memory).sort(([a], [b]) => Number(offChip(b)) - Number(offChip(a)));
  for (const [level, t] of levels) {
    if (best && offChip(best.level) && !offChip(level) && Math.abs(best.ratio - 1) > 1e-9) break;
    const base = dense.total.memory[level];
    if (!base) continue;
    const before = base.readBytes + base.writeBytes;
    const after = t.readBytes + t.writeBytes;
    if (before <= 0 || after <= 0) continue;
    const ratio = after / before;
    if (!best || Math.abs(Math.log(ratio)) > Math.abs(Math.log(best.ratio))) best = { level, ratio };
  }
  const speed = dense.total.seconds / result.total.seconds;
  const time = speed >= 1 ? `${speed.toFixed(2)}× faster` : `${(1 / speed).toFixed(2)}× slower`;
  return best && Math.abs(best.ratio - 1) > 1e-9 ? `${time}; ${best.level} bytes ×${best.ratio.toFixed(3)}` : `${time}; bytes unchanged`;
}

function describePattern(pattern: OperandSparsity['pattern']): string {
  if (pattern.kind === 'nm') return `${pattern.n}:${pattern.m} along K (fixed density ${tidy((pattern.n as number) / (pattern.m as number))})`;
  if (pattern.kind === 'block') return `${pattern.bh}×${pattern.bw} blocks at density ${tidy(pattern.density as number)}`;
  return `unstructured at density ${tidy(pattern.density as number)}`;
}

function patternDensity(pattern: OperandSparsity['pattern'], fallback: number): number {
  if (pattern.kind === 'nm') return (pattern.n as number) / (pattern.m as number);
  return typeof pattern.density === 'number' ? pattern.density : fallback;
}

/**
 * The weight density at which the format's time equals dense time on this target, by bisection
 * in statistical mode (time is monotone in density for every kernel modelled). null: the format
 * is slower than dense even at density 0.01 (a format that changes nothing is reported as
 * 'no-effect' before this runs); 1: it is never slower.
 */
function breakEven(arch: ArchSpec, request: CompareRequest, format: string): number | null {
  const options = { ...request.options, sparsityMode: 'statistical' as const, engine: 'analytical' as const };
  const denseAnalytical = simulate(arch, withWeightSparsity(request.workload, undefined), options).total.seconds;
  const faster = (density: number) =>
    simulate(arch, withWeightSparsity(request.workload, weightSparsityFor(format, density, request.blockSize)), options).total.seconds < denseAnalytical;
  if (!faster(0.01)) return null;
  if (faster(1)) return 1;
  let lo = 0.01;
  let hi = 1;
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    if (faster(mid)) lo = mid;
    else hi = mid;
  }
  return Number(((lo + hi) / 2).toFixed(3));
}
