// The work and memory budget, checked before anything is simulated. Each family estimates, from
// the resolved spec alone, how much work an operator will take (pipeline tile runs, generated
// mask bits, matrix entries, kernel events) and how much memory it will allocate; an operator
// over the budget is refused with an error at its position, naming the quantity and the limit,
// instead of running for minutes or dying with "Invalid array length".
//
// Work is counted in *work units*: roughly one unit per elementary inner-loop step of the
// simulator (one mask bit, one matrix entry, one event), so that the families' estimates add up
// on one scale. The default budget is sized so an operator at the limit simulates in seconds.

import { inputError, InputError } from '../spec/errors.js';
import type { Family } from '../families/family.js';
import type { Operator, SimulateOptions, Workload } from './types.js';
import { operatorKindPosition } from '../spec/load-workload.js';

export interface Budget {
  /** Work units one operator may take (see above). */
  maxWork: number;
  /** Bytes one operator may allocate for masks, matrices and tile lists. */
  maxMemoryBytes: number;
}

/**
 * 1e10 work units is ~10 s of simulation on one core (each family's weights make one unit about
 * 1 ns on the bench machine); the largest operators of the shipped workloads need up to ~6.5e9
 * (PageRank and inner-product SpGEMM on R-MAT graphs, OPT-175B on a 12 × 14 array). 2 GiB leaves headroom below Node's default
 * heap limit of ~4 GiB.
 */
export const DEFAULT_BUDGET: Budget = { maxWork: 1e10, maxMemoryBytes: 2 * 1024 ** 3 };

export interface WorkEstimate {
  /** Work units (see the file comment). */
  work: number;
  /** Peak bytes the simulation of this operator allocates. */
  memoryBytes: number;
  /** The dominant quantity, for the error message, e.g. '4.2e9 pipeline tile runs'. */
  quantity: string;
}

/**
 * Work units per tile the event pipeline steps through. It fast-forwards runs of identical tiles
 * once their relative timing repeats, but with large absolute times (huge shapes) rounding keeps
 * the state from repeating exactly and it steps every tile, ~1–2 µs each on the bench machine: so
 * the estimate charges every tile, an upper bound that holds either way.
 */
export const WORK_PER_EVENT_TILE = 2000;
/** Work units per tile run built and priced by the analytical pipeline (an object and a sum). */
export const WORK_PER_RUN = 300;
/** Bytes per tile run held in a run list (a small object of four numbers). */
export const BYTES_PER_RUN = 64;

/** Work of a pipeline of `runs` tile runs and `tiles` tiles, built once and timed by the chosen engine. */
export function pipelineWork(runs: number, tiles: number, options: Pick<SimulateOptions, 'engine'>): number {
  return runs * WORK_PER_RUN + (options.engine === 'event' ? tiles * WORK_PER_EVENT_TILE : 0);
}

/** Concrete masks of a GEMM operand: one bit each, generated and scanned element by element. */
export function maskWork(op: Operator, options: Pick<SimulateOptions, 'sparsityMode'>): { work: number; memoryBytes: number; bits: number } {
  if (options.sparsityMode !== 'concrete' || !('sparsity' in op) || !op.sparsity) return { work: 0, memoryBytes: 0, bits: 0 };
  let bits = 0;
  let rows = 0;
  const gemm = op as Extract<Operator, { m: number }>;
  for (const role of ['weight', 'input'] as const) {
    const declared = gemm.sparsity?.[role];
    if (!declared || declared.pattern.kind === 'dense') continue;
    const shape = role === 'weight' ? { rows: gemm.n, cols: gemm.k } : { rows: gemm.m, cols: gemm.k };
    bits += shape.rows * shape.cols;
    rows += shape.rows;
  }
  // Mask words (bits / 8 B), per-row and per-tile count arrays (~4 B per row, twice).
  return { work: bits, memoryBytes: bits / 8 + rows * 8, bits };
}

/** Refuses, before simulating, any operator whose estimate exceeds the budget. */
export function checkBudget<Config>(family: Family<Config>, config: Config, workload: Workload, options: SimulateOptions, budget: Budget = DEFAULT_BUDGET): void {
  if (!family.estimateWork) return;
  workload.operators.forEach((op, index) => {
    if (!family.operatorKinds.includes(op.kind)) return;
    let estimate: WorkEstimate;
    try {
      estimate = family.estimateWork!(config, op, options);
    } catch (error) {
      // An estimator may find the operator cannot be simulated at all under these options; its
      // error is about this operator, so it gets the operator's place in the workload.
      if (!(error instanceof InputError)) throw error;
      throw new InputError(error.issues.map((issue) => ({ ...issue, file: issue.file || workload.file, position: issue.position ?? operatorKindPosition(op), keyPath: issue.keyPath || `operators[${index}]` })));
    }
    const over =
      !(estimate.work <= budget.maxWork)
        ? { need: `need ${short(estimate.work)} work units`, limit: `the work budget of ${short(budget.maxWork)} units`, flag: '--max-work' }
        : !(estimate.memoryBytes <= budget.maxMemoryBytes)
          ? { need: `allocate ${short(estimate.memoryBytes)} B`, limit: `the memory budget of ${short(budget.maxMemoryBytes)} B`, flag: '--max-memory' }
          : undefined;
    if (!over) return;
    throw inputError({
      file: workload.file,
      position: operatorKindPosition(op),
      keyPath: `operators[${index}]`,
      message: `'${op.name}' would ${over.need} for ${estimate.quantity}, above ${over.limit}`,
      hint: `make the operator smaller, use --engine analytical or statistical sparsity where that is cheaper, or raise the limit with ${over.flag}`,
    });
  });
}

/** A count for a message: exact below a million, else 3 significant digits. */
export function short(value: number): string {
  return Math.abs(value) < 1e6 ? String(Math.round(value)) : value.toPrecision(3);
}

/** Parses a `--max-work` / `--max-memory` value: a positive number, memory with an optional unit. */
export function parseBudgetFlag(text: string, flag: '--max-work' | '--max-memory'): number {
  const match = /^\s*(\d+(?:\.\d*)?(?:e\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$/i.exec(text);
  const units: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
  const value = match ? Number(match[1]) * (match[2] ? units[match[2].toLowerCase()] : 1) : NaN;
  if (!(value > 0) || !Number.isFinite(value) || (flag === '--max-work' && match?.[2])) {
    throw inputError({
      file: '<command line>',
      keyPath: flag,
      message: `'${text}' is not a valid limit`,
      expected: flag === '--max-work' ? 'a positive number of work units, e.g. 1e10' : 'a positive size, e.g. 4GiB',
    });
  }
  return value;
}
