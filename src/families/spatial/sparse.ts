// Sparse acceleration features (Sparseloop's taxonomy, Wu et al., MICRO 2022) on top of the dense
// counts of one mapping, with statistical densities: operands are independent and uniformly
// spread, so a read of one operand meets a zero of the other with probability 1 − density.
// - compressed tensor at a level: data words moved scale with the stored-value fraction of the
//   operand's storage format and its metadata moves beside them (bits from src/sparsity formats);
// - skip / gate a tensor's reads at a level when the other operand is zero: skipped reads cost
//   energy.skipped_read and no bandwidth; gated reads cost energy.gated_read and keep their slot;
// - compute zeros: gated MACs cost energy.gated; skipped MACs cost energy.skipped and no cycle
//   (ideal load balance across MACs: a first approximation, stated in the result notes).
// The mapper searches on dense counts; these features then price the chosen mapping.

import type { StorageLevel } from './model.js';

export interface OperandDensity {
  /** Stored value slots per dense word in the operand's format (density plus padding). */
  valueFraction: number;
  /** Metadata and pointer bits per dense word. */
  metadataBitsPerWord: number;
  density: number;
}

export interface LevelTensorAccounting {
  reads: number;
  fills: number;
  updates: number;
  metadataReads: number;
  metadataFills: number;
  skippedReads: number;
  gatedReads: number;
}

/** Adjusts one (level, tensor) cell's dense counts for the level's sparse features. */
export function sparseAccounting(
  level: StorageLevel,
  tensor: string,
  dense: { reads: number; fills: number; updates: number },
  densities: Record<string, OperandDensity>,
): LevelTensorAccounting {
  const own = densities[tensor];
  const out: LevelTensorAccounting = { ...dense, metadataReads: 0, metadataFills: 0, skippedReads: 0, gatedReads: 0 };
  if (own && level.compressed.includes(tensor)) {
    out.reads = dense.reads * own.valueFraction;
    out.fills = dense.fills * own.valueFraction;
    out.metadataReads = (dense.reads * own.metadataBitsPerWord) / level.wordBits;
    out.metadataFills = (dense.fills * own.metadataBitsPerWord) / level.wordBits;
  }
  // The other operand's zeros: for the output, any zero operand makes the MAC ineffectual.
  const other = tensor === 'input' ? densities.weight?.density ?? 1 : tensor === 'weight' ? densities.input?.density ?? 1 : (densities.input?.density ?? 1) * (densities.weight?.density ?? 1);
  const zeroFraction = 1 - other;
  if (level.skip.includes(tensor)) {
    out.skippedReads = out.reads * zeroFraction;
    out.reads -= out.skippedReads;
  } else if (level.gate.includes(tensor)) {
    out.gatedReads = out.reads * zeroFraction;
    out.reads -= out.gatedReads;
  }
  return out;
}

/** Bandwidth slowdown of a level for given per-instance accesses (Timeloop's rule). */
export function throttle(level: StorageLevel, reads: number, writes: number, computeCycles: number): number {
  const readDemand = reads / computeCycles;
  const writeDemand = writes / computeCycles;
  let factor = 1;
  if (level.readBandwidth > 0 && level.readBandwidth < readDemand) factor = Math.min(factor, level.readBandwidth / readDemand);
  if (level.writeBandwidth > 0 && level.writeBandwidth < writeDemand) factor = Math.min(factor, level.writeBandwidth / writeDemand);
  if (level.sharedBandwidth > 0 && level.sharedBandwidth < readDemand + writeDemand) factor = Math.min(factor, level.sharedBandwidth / (readDemand + writeDemand));
  return factor;
}
