// Does the model fit? What must reside in device memory during an LLM request, per device:
//  - weights in their storage format (sparse formats include metadata), read by every step;
//  - the KV cache at its largest (the last decode step), in its dtype and format;
//  - activations: the largest single operator's input + output (they are transient, one layer at a
//    time), a first approximation of the framework's workspace.
// The capacity is the family's declared device memory (HBM for GPUs and the U280, DRAM for the
// systolic family). The largest batch that fits holds the weights fixed and scales the KV cache and
// activations linearly with the batch, as both are per sequence.

import type { ArchSpec, Operator, SimulateOptions } from '../core/types.js';
import { DATATYPE_BITS, isGemmLike } from '../core/types.js';
import { operandView } from '../core/operand-sparsity.js';
import type { CapacityReport } from './types.js';

/** Where each family declares its device-memory capacity (bytes) and host-link bandwidth (B/s). */
export function deviceMemory(arch: ArchSpec): { level: string; capacityBytes: number; hostBandwidth: number } | undefined {
  const v = arch.values;
  const num = (key: string) => (typeof v[key] === 'number' ? (v[key] as number) : 0);
  switch (arch.family) {
    case 'tensor-core':
      return num('memory.hbm.capacity') > 0 ? { level: 'hbm', capacityBytes: num('memory.hbm.capacity'), hostBandwidth: num('memory.host.bandwidth') } : undefined;
    case 'systolic':
      return num('memory.dram.capacity') > 0 ? { level: 'dram', capacityBytes: num('memory.dram.capacity'), hostBandwidth: num('memory.host.bandwidth') } : undefined;
    case 'dsp-chain': {
      // The memories the placement puts weights and the KV cache in (HBM, DDR or both).
      const used = new Set([v['memory.placement.weights'], v['memory.placement.kv_cache']].map(String));
      let capacityBytes = 0;
      for (const memory of used) capacityBytes += num(`memory.${memory}.channels`) * num(`memory.${memory}.channel_capacity`);
      return capacityBytes > 0 ? { level: [...used].join('+'), capacityBytes, hostBandwidth: num('memory.host.bandwidth') } : undefined;
    }
    default:
      return undefined;
  }
}

export interface Residency {
  weightBytes: number;
  kvCacheBytes: number;
  activationBytes: number;
}

/**
 * Resident bytes of one step's operators (weights and KV cache are read once per step, so each
 * counts once). `weightReuse`: how many operator instances share one copy of the weights (the
 * micro-batches of a pipeline stage run the same layers).
 */
export function residency(stepOperators: readonly Operator[], options: SimulateOptions, extraWeightBytes = 0, weightReuse = 1): Residency {
  let weightBytes = extraWeightBytes;
  let kvCacheBytes = 0;
  let activationBytes = 0;
  for (const op of stepOperators) {
    if (isGemmLike(op)) {
      const stored = operandView(op, 'weight', { sparsityMode: 'statistical', seed: options.seed }).storage.bytes * op.batch * op.count;
      if (op.weightKind === 'parameters') weightBytes += stored / weightReuse;
      else if (op.weightKind === 'kv-cache') kvCacheBytes += stored;
      const live = (op.batch * op.m * (op.k * DATATYPE_BITS[op.dtype] + op.n * DATATYPE_BITS[op.outputDtype])) / 8;
      activationBytes = Math.max(activationBytes, live + (op.weightKind === 'activations' ? stored : 0));
    } else if (op.kind === 'elementwise') {
      activationBytes = Math.max(activationBytes, (2 * op.elements * DATATYPE_BITS[op.dtype]) / 8);
    }
  }
  return { weightBytes, kvCacheBytes, activationBytes };
}

export function capacityReport(memory: { level: string; capacityBytes: number }, resident: Residency, batch: number, allowSpill: boolean): CapacityReport {
  const residentBytes = resident.weightBytes + resident.kvCacheBytes + resident.activationBytes;
  const perSequence = (resident.kvCacheBytes + resident.activationBytes) / batch;
  const free = memory.capacityBytes - resident.weightBytes;
  const fits = residentBytes <= memory.capacityBytes;
  return {
    level: memory.level,
    capacityBytes: memory.capacityBytes,
    ...resident,
    residentBytes,
    fits,
    spilledBytes: fits || !allowSpill ? 0 : residentBytes - memory.capacityBytes,
    maxBatch: free <= 0 ? 0 : perSequence > 0 ? Math.floor(free / perSequence) : Number.MAX_SAFE_INTEGER,
  };
}

const GB = (bytes: number) => `${(bytes / 1e9).toFixed(2)} GB`;

/** The shortfall, itemised, for the capacity error. */
export function shortfallMessage(report: CapacityReport, devices: number): string {
  return (
    `does not fit: ${GB(report.residentBytes)} must reside per device (weights ${GB(report.weightBytes)}, KV cache ${GB(report.kvCacheBytes)}, ` +
    `activations ${GB(report.activationBytes)}) but ${report.level} holds ${GB(report.capacityBytes)}: short by ${GB(report.residentBytes - report.capacityBytes)}` +
    (devices === 1 ? '' : ` on each of ${devices} devices`) +
    (report.maxBatch > 0 ? `; the largest batch that fits is ${report.maxBatch}` : '; the weights alone exceed it at any batch')
  );
}
