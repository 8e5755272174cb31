/**
 * How an accsim operator becomes the SCALE-Sim v2 layer(s) that `--convention scalesim` emulates.
 *
 * SCALE-Sim describes one image of one convolution group (or one GEMM) and has no padding, batch
 * or group fields, so:
 *   - the input is handed over pre-padded (H + 2p, W + 2p);
 *   - the output size follows SCALE-Sim's rule E = ceil((H + 2p - R + s) / s), not accsim's
 *     E = floor((H + 2p - R) / s) + 1. They differ when the stride does not divide H + 2p - R:
 *     SCALE-Sim then computes one more output row (column) whose windows run past the padded
 *     edge and read nothing there (AlexNet conv1: 224, R = 11, s = 4 gives 55 against 54);
 *   - images, groups and batched-matmul instances run as repeats of that one layer;
 *   - its `Bandwidth` is a whole number of words (bytes) per cycle, so a rate that is not one is
 *     rounded down (at least 1) and the result says so.
 */
import type { GemmOperator } from '../../core/types.js';
import type { SystolicConfig } from './mapping.js';
import type { ScaleSimLayerInput } from './scalesim-v2.js';

/** SCALE-Sim's output size of a (pre-padded) input of `size` under a window `window` and `stride`. */
export const scaleSimOutputSize = (size: number, window: number, stride: number): number => Math.ceil((size - window + stride) / stride);

export interface ScaleSimLayerPlan {
  input: ScaleSimLayerInput;
  /** Identical runs of the layer the operator stands for (images x groups, or batched GEMMs). */
  repeats: number;
  notes: string[];
}

export function scaleSimLayerFor(config: SystolicConfig, op: GemmOperator): ScaleSimLayerPlan {
  const notes: string[] = [];
  const bytesPerCycle = config.dramBytesPerSecond / config.clockHz;
  let bandwidthWordsPerCycle = bytesPerCycle;
  if (config.dramBandwidthMode === 'fixed' && !Number.isInteger(bytesPerCycle)) {
    bandwidthWordsPerCycle = Math.max(1, Math.floor(bytesPerCycle));
    notes.push(`SCALE-Sim takes whole words per cycle: DRAM bandwidth ${bytesPerCycle.toPrecision(6)} B/cycle run as ${bandwidthWordsPerCycle} words/cycle`);
  }
  const base = {
    arrayRows: config.rows,
    arrayCols: config.cols,
    dataflow: config.dataflow,
    ifmapSramKiB: config.ifmapBytes / 1024,
    filterSramKiB: config.filterBytes / 1024,
    ofmapSramKiB: config.ofmapBytes / 1024,
    interfaceBandwidth: config.dramBandwidthMode === 'calc' ? 'CALC' : 'USER',
    bandwidthWordsPerCycle,
  } as const;
  const conv = op.conv;
  if (!conv) return { input: { ...base, m: op.m, n: op.n, k: op.k }, repeats: op.batch, notes };
  const groups = op.batch; // a conv operator's batch is its group count (see load-workload)
  const H = conv.inHeight + 2 * conv.padding, W = conv.inWidth + 2 * conv.padding;
  const E = scaleSimOutputSize(H, conv.kernelHeight, conv.stride), F = scaleSimOutputSize(W, conv.kernelWidth, conv.stride);
  if (E !== conv.outHeight || F !== conv.outWidth) {
    notes.push(`SCALE-Sim output size ceil((H - R + s)/s): ${E}x${F} output pixels per image against accsim's ${conv.outHeight}x${conv.outWidth} (the extra windows run past the padded edge)`);
  }
  return {
    input: {
      ...base,
      m: E * F,
      n: op.n,
      k: op.k,
      conv: {
        ifmapHeight: H,
        ifmapWidth: W,
        filterHeight: conv.kernelHeight,
        filterWidth: conv.kernelWidth,
        channels: conv.inChannels / groups,
        numFilters: op.n,
        stride: conv.stride,
      },
    },
    repeats: conv.batch * groups,
    notes,
  };
}
