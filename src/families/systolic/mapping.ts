// Maps a GEMM-form operator onto an R×C systolic array: folds, per-fold cycles, SRAM accesses
// and a DRAM tile program. The array timing follows SCALE-Sim v2's published model so the dense
// compute cycles agree with it; the DRAM traffic is accsim's own buffer-reuse model.

import type { GemmOperator } from '../../core/types.js';
import { DATATYPE_BITS } from '../../core/types.js';
import type { TileRun } from '../../core/engine/pipeline.js';

export type Dataflow = 'os' | 'ws' | 'is';

export interface SystolicConfig {
  clockHz: number;
  rows: number;
  cols: number;
  dataflow: Dataflow;
  accumulatorBytes: number;
  vectorLanes: number;
  ifmapBytes: number;
  filterBytes: number;
  ofmapBytes: number;
  doubleBuffered: boolean;
  activationsOnChip: boolean;
  zeroHandling: 'dense' | 'gating' | 'skipping';
  /** Skipping: streamed values a PE's zero detector examines per cycle (skipping.ts). */
  skipWindow: number;
  compressedOperands: boolean;
  dramBytesPerSecond: number;
  dramBandwidthMode: 'fixed' | 'calc';
  dramTechnology: 'ddr' | 'hbm';
}

/** Element counts (not bytes) of on-chip buffer accesses, per operand. */
export interface SramAccesses {
  ifmapReads: number;
  filterReads: number;
  ofmapWrites: number;
  ofmapReads: number;
}

export interface DramTraffic {
  inputRead: number;
  weightRead: number;
  outputWrite: number;
  /** Partial sums spilled and read back when they do not fit the output buffer. */
  partialRead: number;
  partialWrite: number;
}

export interface SystolicMapping {
  /** GEMM dimensions mapped on rows, on columns, and streamed in time. */
  rowDim: number;
  colDim: number;
  streamDim: number;
  rowFolds: number;
  colFolds: number;
  folds: number;
  cyclesPerFold: number;
  mappingEfficiency: number;
  sram: SramAccesses;
  /** SRAM fill bytes from DRAM equal the DRAM read bytes; these are element counts × bytes. */
  dram: DramTraffic;
  runs: TileRun[];
  rowFoldsOuter: boolean;
  /** Input bytes that really come from DRAM per im2col byte (sliding-window reuse on chip). */
  inputReuseFactor: number;
  notes: string[];
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/**
 * Per-fold cycles (SCALE-Sim v2): OS streams K operands through an R×C array, fill and drain take
 * R + C − 2 cycles; WS and IS first preload the stationary operand (R more cycles).
 */
export function cyclesPerFold(config: Pick<SystolicConfig, 'rows' | 'cols' | 'dataflow'>, streamDim: number): number {
  const { rows, cols, dataflow } = config;
  return dataflow === 'os' ? rows + cols + streamDim - 2 : 2 * rows + cols + streamDim - 2;
}

export function gemmDims(dataflow: Dataflow, op: Pick<GemmOperator, 'm' | 'n' | 'k'>): { rowDim: number; colDim: number; streamDim: number } {
  switch (dataflow) {
    case 'os':
      return { rowDim: op.m, colDim: op.n, streamDim: op.k };
    case 'ws':
      return { rowDim: op.k, colDim: op.n, streamDim: op.m };
    case 'is':
      return { rowDim: op.k, colDim: op.m, streamDim: op.n };
  }
}

interface Fold {
  /** Consecutive identical folds. */
  count: number;
  rowsUsed: number;
  colsUsed: number;
  loadBytes: number;
  storeBytes: number;
}

/** Bytes per element of each operand as stored (compressed formats shrink them; 1 = dense). */
export interface OperandScale {
  input: number;
  weight: number;
}

export function mapOperator(config: SystolicConfig, op: GemmOperator, scale: OperandScale = { input: 1, weight: 1 }, firstOperator = false): SystolicMapping {
  const { rows, cols, dataflow } = config;
  const { rowDim, colDim, streamDim } = gemmDims(dataflow, op);
  const rowFolds = ceilDiv(rowDim, rows);
  const colFolds = ceilDiv(colDim, cols);
  const folds = rowFolds * colFolds * op.batch;
  const perFold = cyclesPerFold(config, streamDim);
  const mappingEfficiency = (rowDim * colDim) / (rowFolds * colFolds * rows * cols);
  const { m, n, k } = op;
  const operandBytes = DATATYPE_BITS[op.dtype] / 8;
  // Stored bytes per element of each operand (format values + metadata, per dense element).
  const inputBytes = operandBytes * scale.input;
  const weightBytes = operandBytes * scale.weight;
  const outputBytes = DATATYPE_BITS[op.outputDtype] / 8;
  const accBytes = config.accumulatorBytes;
  const notes: string[] = [];

  // Sliding-window reuse: the im2col matrix repeats input pixels; address generation on chip reads
  // each raw input byte from DRAM once per pass over the input instead of once per repetition.
  const conv = op.conv;
  const inputReuseFactor = conv
    ? Math.min(1, (conv.inHeight * conv.inWidth) / (conv.outHeight * conv.outWidth * conv.kernelHeight * conv.kernelWidth))
    : 1;
  const share = config.doubleBuffered ? 0.5 : 1;
  const fits = (bytes: number, capacity: number): boolean => bytes <= capacity * share;

  // On-chip element accesses (independent of the loop order).
  const sram: SramAccesses =
    dataflow === 'os'
      ? { ifmapReads: m * k * colFolds, filterReads: k * n * rowFolds, ofmapWrites: m * n, ofmapReads: 0 }
      : dataflow === 'ws'
        ? { ifmapReads: m * k * colFolds, filterReads: k * n, ofmapWrites: m * n * rowFolds, ofmapReads: m * n * (rowFolds - 1) }
        : { ifmapReads: m * k, filterReads: k * n * colFolds, ofmapWrites: m * n * rowFolds, ofmapReads: m * n * (rowFolds - 1) };
  for (const key of Object.keys(sram) as Array<keyof SramAccesses>) sram[key] *= op.batch;

  const residentActivations =
    config.activationsOnChip &&
    fits(m * k * inputBytes * inputReuseFactor, config.ifmapBytes) &&
    fits(m * n * outputBytes, config.ofmapBytes);
  if (residentActivations) notes.push('activations stay on chip between layers where input and output fit their buffers (memory.activations_on_chip): only weights cross DRAM');
  // Nothing produced the workload's first input on chip: the host writes it to DRAM and the
  // array reads it from there (TPU v1: host memory → Unified Buffer over the DMA path).
  const inputFromHost = residentActivations && firstOperator;
  if (inputFromHost) notes.push("the workload's first operator reads its input from DRAM, where the host put it, even with memory.activations_on_chip");
  const inputFactor = residentActivations && !firstOperator ? 0 : inputReuseFactor;
  const outputFactor = residentActivations ? 0 : 1;

  // Try both loop orders over (row folds, column folds) and keep the one that moves fewer bytes.
  const plan = (rowFoldsOuter: boolean): { outerCount: number; foldsOfOuter: (outer: number) => Fold[]; dram: DramTraffic } => {
    const dram: DramTraffic = { inputRead: 0, weightRead: 0, outputWrite: 0, partialRead: 0, partialWrite: 0 };
    const rowsUsedOf = (rf: number) => Math.min(rows, rowDim - rf * rows);
    const colsUsedOf = (cf: number) => Math.min(cols, colDim - cf * cols);
    // Operand slices and their reuse, named by role for this dataflow:
    //  os: A rows (M×K) by row fold, B cols (K×N) by column fold, outputs final per fold.
    //  ws: weight tile per fold (distinct), input slice M×K_r by row fold, partial sums M×N_c by column fold.
    //  is: input tile per fold (distinct), weight slice K_r×N by row fold, partial sums M_c×N by column fold.
    const outerCount = rowFoldsOuter ? rowFolds : colFolds;
    const innerCount = rowFoldsOuter ? colFolds : rowFolds;
    // Folds of one outer iteration differ only at the first inner fold (operand reuse starts), the
    // last (edge tile, last reduction) and nowhere in between, so each outer iteration is at most
    // three runs. Outer iterations in turn differ only at the first (operands loaded once, no
    // partial sums to read back) and the last (edge tile, last reduction): the plan visits three
    // representative outer iterations, so it costs O(1) visits plus O(outer folds) additions.
    const visit = (outer: number, inner: number, count: number): Fold & { dram: DramTraffic } => {
      const d: DramTraffic = { inputRead: 0, weightRead: 0, outputWrite: 0, partialRead: 0, partialWrite: 0 };
      const rf = rowFoldsOuter ? outer : inner;
      const cf = rowFoldsOuter ? inner : outer;
      const rowsUsed = rowsUsedOf(rf);
      const colsUsed = colsUsedOf(cf);
      let load = 0;
      let store = 0;
      if (dataflow === 'os') {
        // A slice (rowsUsed × K) reused across the inner loop when row folds are outer, else the
        // whole A must stay resident to avoid re-reads; same for B with the roles swapped.
        const aSlice = rowsUsed * k * inputBytes * inputFactor;
        const bSlice = k * colsUsed * weightBytes;
        const loadA = rowFoldsOuter ? inner === 0 || !fits(rowsUsed * k * inputBytes, config.ifmapBytes) : outer === 0 || !fits(m * k * inputBytes, config.ifmapBytes);
        const loadB = rowFoldsOuter ? outer === 0 || !fits(k * n * weightBytes, config.filterBytes) : inner === 0 || !fits(k * colsUsed * weightBytes, config.filterBytes);
        if (loadA) {
          load += aSlice;
          d.inputRead += aSlice;
        }
        if (loadB) {
          load += bSlice;
          d.weightRead += bSlice;
        }
        const out = rowsUsed * colsUsed * outputBytes * outputFactor;
        store += out;
        d.outputWrite += out;
      } else {
        // ws/is: the stationary tile is distinct per fold; the streamed operand is a slice along
        // the reduction (row) fold; partial sums belong to the column fold.
        const stationaryIsWeight = dataflow === 'ws';
        const stationaryBytes = stationaryIsWeight ? weightBytes : inputBytes;
        const streamedElementBytes = stationaryIsWeight ? inputBytes : weightBytes;
        const stationary = rowsUsed * colsUsed * stationaryBytes * (stationaryIsWeight ? 1 : inputFactor);
        const streamedSliceElems = rowsUsed * streamDim;
        const streamedBytes = streamedSliceElems * streamedElementBytes * (stationaryIsWeight ? inputFactor : 1);
        const streamedCapacity = stationaryIsWeight ? config.ifmapBytes : config.filterBytes;
        const loadStreamed = rowFoldsOuter
          ? inner === 0 || !fits(streamedSliceElems * streamedElementBytes, streamedCapacity)
          : outer === 0 || !fits(rowDim * streamDim * streamedElementBytes, streamedCapacity);
        load += stationary;
        if (stationaryIsWeight) d.weightRead += stationary;
        else d.inputRead += stationary;
        if (loadStreamed) {
          load += streamedBytes;
          if (stationaryIsWeight) d.inputRead += streamedBytes;
          else d.weightRead += streamedBytes;
        }
        // Partial sums of this column fold: kept on chip across the reduction loop if they fit.
        const partialElems = colsUsed * streamDim;
        const partialFootprint = rowFoldsOuter ? colDim * streamDim * accBytes : partialElems * accBytes;
        const spill = rowFolds > 1 && !fits(partialFootprint, config.ofmapBytes);
        const lastReduction = rf === rowFolds - 1;
        if (spill && rf > 0) {
          load += partialElems * accBytes;
          d.partialRead += partialElems * accBytes;
        }
        if (lastReduction) {
          const out = partialElems * outputBytes * outputFactor;
          store += out;
          d.outputWrite += out;
        } else if (spill) {
          store += partialElems * accBytes;
          d.partialWrite += partialElems * accBytes;
        }
      }
      // Scaled here, once per representative: the same products the per-fold loop summed.
      for (const key of Object.keys(d) as Array<keyof DramTraffic>) d[key] *= count;
      return { count, rowsUsed, colsUsed, loadBytes: load, storeBytes: store, dram: d };
    };
    const outerIteration = (outer: number) => [visit(outer, 0, 1), ...(innerCount > 2 ? [visit(outer, 1, innerCount - 2)] : []), ...(innerCount > 1 ? [visit(outer, innerCount - 1, 1)] : [])];
    const first = outerIteration(0);
    const middle = outerCount > 2 ? outerIteration(1) : [];
    const last = outerCount > 1 ? outerIteration(outerCount - 1) : [];
    const foldsOfOuter = (outer: number) => (outer === 0 ? first : outer === outerCount - 1 ? last : middle);
    for (let outer = 0; outer < outerCount; outer++) {
      // The additions run in the per-fold order, so the totals are the same floating-point sums.
      for (const fold of foldsOfOuter(outer)) {
        dram.inputRead += fold.dram.inputRead;
        dram.weightRead += fold.dram.weightRead;
        dram.outputWrite += fold.dram.outputWrite;
        dram.partialRead += fold.dram.partialRead;
        dram.partialWrite += fold.dram.partialWrite;
      }
    }
    return { outerCount, foldsOfOuter, dram };
  };

  const total = (d: DramTraffic) => d.inputRead + d.weightRead + d.outputWrite + d.partialRead + d.partialWrite;
  const rowOuter = plan(true);
  const colOuter = plan(false);
  const rowFoldsOuter = total(rowOuter.dram) <= total(colOuter.dram);
  const chosen = rowFoldsOuter ? rowOuter : colOuter;

  // Consecutive identical folds merge into one run. Batch instances repeat the same folds, so
  // the first instance's runs are appended op.batch − 1 more times (merging at the seams gives
  // the same runs as merging fold by fold).
  const runs: TileRun[] = [];
  const append = (count: number, loadBytes: number, storeBytes: number) => {
    const last = runs[runs.length - 1];
    if (last && last.loadBytes === loadBytes && last.storeBytes === storeBytes && last.computeCycles === perFold) last.count += count;
    else runs.push({ count, loadBytes, computeCycles: perFold, storeBytes });
  };
  for (let outer = 0; outer < chosen.outerCount; outer++) {
    for (const fold of chosen.foldsOfOuter(outer)) append(fold.count, fold.loadBytes, fold.storeBytes);
  }
  const instance = runs.map((run) => ({ ...run }));
  for (let b = 1; b < op.batch; b++) for (const run of instance) append(run.count, run.loadBytes, run.storeBytes);
  const dram = { ...chosen.dram };
  for (const key of Object.keys(dram) as Array<keyof DramTraffic>) dram[key] *= op.batch;
  return {
    rowDim,
    colDim,
    streamDim,
    rowFolds,
    colFolds,
    folds,
    cyclesPerFold: perFold,
    mappingEfficiency,
    sram,
    dram,
    runs,
    rowFoldsOuter,
    inputReuseFactor,
    notes,
  };
}
