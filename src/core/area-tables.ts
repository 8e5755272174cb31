// Silicon area per component, from published figures, for the area model of each family. A first
// approximation: arithmetic and SRAM macros only (control, I/O, DRAM PHYs and wiring outside the
// PE array are not counted), scaled between nodes by the square of the feature size.
//
// Sources (both are papers a user can read):
//  [H] M. Horowitz, "Computing's Energy Problem (and what we can do about it)", ISSCC 2014,
//      the area column of the operation table (45 nm): adders and multipliers in µm². Recalled
//      values as reproduced in that talk's widely circulated table; int16/int4 multipliers are not
//      in it and are scaled from int8 by operand bits squared (array multiplier area) [A].
//  [J] N. P. Jouppi et al., "In-Datacenter Performance Analysis of a Tensor Processing Unit",
//      ISCA 2017, Sec. 2 and Fig. 2 (floor plan): a ≤331 mm² 28 nm die on which the 65,536-MAC
//      matrix unit takes 24 % and the 24 MiB Unified Buffer 29 %.

export type AreaDatatype = 'int4' | 'int8' | 'int16' | 'fp16' | 'bf16' | 'fp32';
export const AREA_DATATYPES: readonly AreaDatatype[] = ['int4', 'int8', 'int16', 'fp16', 'bf16', 'fp32'];

/** [H] 45 nm areas in µm². */
const HOROWITZ_45NM_UM2 = {
  addInt8: 36,
  addInt16: 67,
  addInt32: 137,
  addFp16: 1360,
  addFp32: 4184,
  mulInt8: 282,
  mulInt32: 3495,
  mulFp16: 1640,
  mulFp32: 7700,
} as const;

/** Multiplier + accumulator adder of one MAC at 45 nm (µm²): integer MACs accumulate in 32 bits, FP16/BF16 in FP32. */
function macArithmetic45nmUm2(dtype: AreaDatatype): number {
  const h = HOROWITZ_45NM_UM2;
  switch (dtype) {
    case 'int4':
      return h.mulInt8 / 4 + h.addInt32; // [A] multiplier area ∝ bits²
    case 'int8':
      return h.mulInt8 + h.addInt32;
    case 'int16':
      return h.mulInt8 * 4 + h.addInt32; // [A] multiplier area ∝ bits²
    case 'fp16':
    case 'bf16':
      return h.mulFp16 + h.addFp32;
    case 'fp32':
      return h.mulFp32 + h.addFp32;
  }
}

/** Area scaling between nodes, ∝ (feature size)² — ideal scaling, optimistic below ~16 nm [A]. */
export function scaleArea(area: number, fromNm: number, toNm: number): number {
  return area * (toNm / fromNm) ** 2;
}

/** [J] TPU v1 floor plan figures. */
export const TPU_V1_FLOORPLAN = { nodeNm: 28, dieMm2: 331, matrixUnitFraction: 0.24, unifiedBufferFraction: 0.29, macs: 65536, unifiedBufferBytes: 24 * 2 ** 20 } as const;

/**
 * A systolic PE is more than its multiplier and adder: operand and partial-sum registers, the
 * weight double buffer and local wiring. The factor is TPU v1's matrix-unit area per MAC [J] over
 * the bare int8 MAC arithmetic [H] scaled to 28 nm (≈ 7.5).
 */
export const PE_OVERHEAD_FACTOR =
  ((TPU_V1_FLOORPLAN.matrixUnitFraction * TPU_V1_FLOORPLAN.dieMm2) / TPU_V1_FLOORPLAN.macs) /
  (scaleArea(macArithmetic45nmUm2('int8'), 45, TPU_V1_FLOORPLAN.nodeNm) * 1e-6);

/** Area of one systolic PE (mm²) of the given MAC datatype at a node. */
export function peAreaMm2(dtype: AreaDatatype, nodeNm: number): number {
  return scaleArea(macArithmetic45nmUm2(dtype), 45, nodeNm) * 1e-6 * PE_OVERHEAD_FACTOR;
}

/** SRAM macro area per byte (mm²/B) at a node: TPU v1's Unified Buffer [J] (≈ 4.0 mm²/MiB at 28 nm), scaled. */
export function sramMm2PerByte(nodeNm: number): number {
  const perByte28 = (TPU_V1_FLOORPLAN.unifiedBufferFraction * TPU_V1_FLOORPLAN.dieMm2) / TPU_V1_FLOORPLAN.unifiedBufferBytes;
  return scaleArea(perByte28, TPU_V1_FLOORPLAN.nodeNm, nodeNm);
}

/** Area of a design, split by component (mm²). */
export interface AreaBreakdown {
  totalMm2: number;
  components: Record<string, number>;
  /** What the figure counts and leaves out. */
  note: string;
}
