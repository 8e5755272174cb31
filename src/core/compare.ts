// `accsim compare`: one workload, several targets × storage formats for the weights → a table of
// time, bytes, energy, speedup and energy ratio versus dense on the same target, and the
// break-even density of each format. Pure: derives workload variants with immer and calls
// simulate; no I/O.

import { produce } from 'immer';
import { simulate } from './simulate.js';
import { isGemmLike, type ArchSpec, type GemmOperator, type OperandSparsity, type Result, type SimulateOptions, type Workload } from './types.js';
import { parseFormatName } from '../sparsity/index.js';
import type { MaskCache } from './operand-sparsity.js';
import { fraction } from '../report/units.js';

export interface CompareRequest {
  archs: ArchSpec[];
  workload: Workload;
  /** Format names as `parseFormatName` accepts them ('dense', 'csr', '2:4', 'tiled-csl', ...). */
  formats: string[];
  /** Weight density for formats that do not fix it (unstructured or block patterns). */
  density: number;
  /** Block size for block formats (blocked-ell, bcsr). */
  blockSize: number;
  options: Partial<SimulateOptions>;
  /** Compute break-even densities (a bisection per target × format). */
  breakEven: boolean;
}

export interface CompareRow {
  arch: string;
  format: string;
  /** The weight pattern the format was evaluated with. */
  pattern: string;
  density: number;
  seconds: number;
  energyJ: number;
  pJPerMac: number;
  bytesByLevel: Record<string, number>;
  speedup: number;
  energyRatio: number;
  bottleneck: string;
  /** Density below which the format beats dense on this target; null if it never does. */
  breakEvenDensity: number | null | undefined;
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
  if (parsed.id === 'blocked-ell' || parsed.id === 'bcsr') {
    return { pattern: { kind: 'block', density, bh: blockSize, bw: blockSize }, format, formatParams: { bh: blockSize, bw: blockSize } };
  }
  return { pattern: { kind: 'uniform', density }, format };
}

/** The workload with every parameter-weight GEMM's weights in the given sparsity (immer: shared structure). */
export function withWeightSparsity(workload: Workload, sparsity: OperandSparsity | undefined): Workload {
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

export function compare(request: CompareRequest): CompareRow[] {
  const rows: CompareRow[] = [];
  const masks: MaskCache = new Map(); // the same weight masks serve every target
  for (const arch of request.archs) {
    const dense = simulate(arch, withWeightSparsity(request.workload, undefined), request.options, masks);
    for (const format of request.formats) {
      const sparsity = weightSparsityFor(format, request.density, request.blockSize);
      const result = sparsity ? simulate(arch, withWeightSparsity(request.workload, sparsity), request.options, masks) : dense;
      const bytesByLevel: Record<string, number> = {};
      for (const [level, traffic] of Object.entries(result.total.memory)) bytesByLevel[level] = traffic.readBytes + traffic.writeBytes;
      const fixedPattern = sparsity && (sparsity.pattern.kind === 'nm');
      rows.push({
        arch: arch.name,
        format,
        pattern: sparsity ? describePattern(sparsity.pattern) : 'dense',
        density: sparsity ? patternDensity(sparsity.pattern, request.density) : 1,
        seconds: result.total.seconds,
        energyJ: result.total.energy.totalJ,
        pJPerMac: result.total.pJPerMac.dense,
        bytesByLevel,
        speedup: dense.total.seconds / result.total.seconds,
        energyRatio: dense.total.energy.totalJ / result.total.energy.totalJ,
        bottleneck: result.total.bottleneck,
        breakEvenDensity: !request.breakEven || !sparsity || fixedPattern ? undefined : breakEven(arch, request, format),
        result,
      });
    }
  }
  return rows;
}

function describePattern(pattern: OperandSparsity['pattern']): string {
  if (pattern.kind === 'nm') return `${pattern.n}:${pattern.m} along K`;
  if (pattern.kind === 'block') return `${pattern.bh}×${pattern.bw} blocks at density ${fraction(pattern.density as number)}`;
  return `unstructured at density ${fraction(pattern.density as number)}`;
}

function patternDensity(pattern: OperandSparsity['pattern'], fallback: number): number {
  if (pattern.kind === 'nm') return (pattern.n as number) / (pattern.m as number);
  return typeof pattern.density === 'number' ? pattern.density : fallback;
}

/**
 * The weight density at which the format's time equals dense time on this target, by bisection
 * in statistical mode (time is monotone in density for every kernel modelled). null: the format
 * is slower than dense even at density 0.01; 1: it is never slower.
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
