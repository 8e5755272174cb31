// Per-action energy tables. Energy = Σ (action count × energy per action); the tables below give
// the energy per action with the source of every entry. Provenance tags follow the project's
// reference notes: [T] confirmed in a cited table, [R] recalled from the named paper,
// [D] derived by the arithmetic shown, [A] our assumption.

import type { Datatype } from './types.js';

export interface EnergyEntry {
  joules: number;
  description: string;
  source: string;
}

export interface EnergyTable {
  id: string;
  title: string;
  entries: Readonly<Record<string, EnergyEntry>>;
}

const pJ = 1e-12;

function entry(picojoules: number, description: string, source: string): EnergyEntry {
  return { joules: picojoules * pJ, description, source };
}

const HOROWITZ = 'Horowitz, "Computing\'s Energy Problem", ISSCC 2014 (45 nm, 0.9 V)';
const TPUV4I = 'Jouppi et al., "Ten Lessons From Three Generations Shaped Google\'s TPUv4i", ISCA 2021, Table 2 (7 nm) [R]';

/**
 * MAC = multiply + accumulate-add. Integer MACs accumulate in 32 bits (the 32-bit add), floating
 * point in the operand precision's adder — the usual accelerator arrangement.
 */
const horowitz45: EnergyTable = {
  id: 'horowitz-45nm',
  title: 'Horowitz ISSCC 2014, 45 nm',
  entries: {
    'mac.int4': entry(0.15, 'INT4 multiply (assumed half of INT8 [A]) + 32-bit add 0.1 pJ', `${HOROWITZ} [A for the multiply]`),
    'mac.int8': entry(0.3, 'INT8 multiply 0.2 pJ [R] + 32-bit add 0.1 pJ [T]', `${HOROWITZ} [D]`),
    'mac.int16': entry(0.9, 'INT16 multiply ~0.8 pJ (interpolated between 8- and 32-bit [A]) + 32-bit add 0.1 pJ', `${HOROWITZ} [A]`),
    'mac.int32': entry(3.2, 'INT32 multiply 3.1 pJ + 32-bit add 0.1 pJ', `${HOROWITZ} [T]`),
    'mac.fp8': entry(0.6, 'FP8 MAC assumed 0.4x of FP16 [A]', `${HOROWITZ} [A]`),
    'mac.fp16': entry(1.5, 'FP16 multiply 1.1 pJ + FP16 add 0.4 pJ', `${HOROWITZ} [R]`),
    'mac.bf16': entry(1.5, 'BF16 MAC taken equal to FP16 [A]', `${HOROWITZ} [A]`),
    'mac.tf32': entry(3.0, 'TF32 MAC assumed between FP16 and FP32 [A]', `${HOROWITZ} [A]`),
    'mac.fp32': entry(4.6, 'FP32 multiply 3.7 pJ + FP32 add 0.9 pJ', `${HOROWITZ} [T]`),
    'sram.8KiB.byte': entry(10 / 8, '64-bit read of an 8 KB SRAM is 10 pJ', `${HOROWITZ} [T]`),
    'sram.32KiB.byte': entry(20 / 8, '64-bit read of a 32 KB SRAM is 20 pJ', `${HOROWITZ} [R]`),
    'sram.1MiB.byte': entry(100 / 8, '64-bit read of a 1 MB SRAM is 100 pJ', `${HOROWITZ} [R]`),
    'dram.ddr.bit': entry(1300 / 64, 'DDR3/4 64-bit access 1300-2600 pJ; low end taken', `${HOROWITZ} [R]`),
    'dram.hbm.bit': entry(3.9, 'HBM2 ~3.9 pJ/bit', 'O\'Connor et al., "Fine-Grained DRAM", MICRO 2017 [R]'),
    'gate.mac': entry(0.0, 'a zero-gated MAC: operands latched unchanged, no switching (first approximation)', '[A]'),
  },
};

const tpu7nm: EnergyTable = {
  id: 'tpuv4i-7nm',
  title: 'TPUv4i ISCA 2021 update of Horowitz to 7 nm',
  entries: {
    'mac.int4': entry(0.065, 'INT4 multiply assumed half of INT8 0.07 pJ + int32 add 0.03 pJ', `${TPUV4I} [A for the multiply]`),
    'mac.int8': entry(0.1, 'INT8 multiply 0.07 pJ + int32 add 0.03 pJ', `${TPUV4I} [D]`),
    'mac.int16': entry(0.33, 'INT16 multiply interpolated [A] + int32 add 0.03 pJ', `${TPUV4I} [A]`),
    'mac.int32': entry(1.51, 'INT32 multiply 1.48 pJ + add 0.03 pJ', `${TPUV4I} [D]`),
    'mac.fp8': entry(0.2, 'FP8 MAC assumed 0.4x of FP16 [A]', `${TPUV4I} [A]`),
    'mac.fp16': entry(0.5, 'FP16 multiply 0.34 pJ + FP16 add 0.16 pJ', `${TPUV4I} [D]`),
    'mac.bf16': entry(0.32, 'BF16 multiply 0.21 pJ + BF16 add 0.11 pJ', `${TPUV4I} [D]`),
    'mac.tf32': entry(1.0, 'TF32 MAC assumed between FP16 and FP32 [A]', `${TPUV4I} [A]`),
    'mac.fp32': entry(1.69, 'FP32 multiply 1.31 pJ + FP32 add 0.38 pJ', `${TPUV4I} [D]`),
    'sram.8KiB.byte': entry(7.5 / 8, '64-bit access of an 8 KB SRAM is 7.5 pJ', TPUV4I),
    'sram.32KiB.byte': entry(8.5 / 8, '64-bit access of a 32 KB SRAM is 8.5 pJ', TPUV4I),
    'sram.1MiB.byte': entry(14 / 8, '64-bit access of a 1 MB SRAM is 14 pJ', TPUV4I),
    'dram.ddr.bit': entry(1300 / 64, 'DDR3/4 64-bit access 1300-2600 pJ (barely scaled); low end taken', TPUV4I),
    'dram.hbm.bit': entry(250 / 64, 'HBM2 64-bit access 250-450 pJ; low end taken', TPUV4I),
    'gate.mac': entry(0.0, 'a zero-gated MAC: no switching (first approximation)', '[A]'),
  },
};

export const ENERGY_TABLES: Readonly<Record<string, EnergyTable>> = {
  [horowitz45.id]: horowitz45,
  [tpu7nm.id]: tpu7nm,
};

/** Applies per-entry overrides (joules) from an architecture file. */
export function withOverrides(table: EnergyTable, overrides: Record<string, number>): EnergyTable {
  if (Object.keys(overrides).length === 0) return table;
  const entries: Record<string, EnergyEntry> = { ...table.entries };
  for (const [key, joules] of Object.entries(overrides)) {
    entries[key] = { joules, description: `override of ${key}`, source: 'architecture file' };
  }
  return { ...table, entries };
}

export function energyOf(table: EnergyTable, key: string): number {
  const found = table.entries[key];
  if (!found) throw new Error(`energy table ${table.id} has no entry ${key}`);
  return found.joules;
}

export function macEnergyJ(table: EnergyTable, dtype: Datatype): number {
  return energyOf(table, `mac.${dtype}`);
}

/**
 * Energy per byte accessed in an SRAM of the given capacity. The tables give three sizes; between
 * them we interpolate linearly in log2(capacity) (access energy grows with wire length, roughly
 * with log size at these points), below 8 KiB we take the 8 KiB figure, and above 1 MiB we grow
 * with sqrt(capacity) (H-tree wire length of a banked macro), a stated first approximation.
 */
export function sramEnergyPerByteJ(table: EnergyTable, capacityBytes: number): number {
  const points: Array<[number, number]> = [
    [8 * 1024, energyOf(table, 'sram.8KiB.byte')],
    [32 * 1024, energyOf(table, 'sram.32KiB.byte')],
    [1024 * 1024, energyOf(table, 'sram.1MiB.byte')],
  ];
  if (capacityBytes <= points[0][0]) return points[0][1];
  const last = points[points.length - 1];
  if (capacityBytes >= last[0]) return last[1] * Math.sqrt(capacityBytes / last[0]);
  for (let i = 1; i < points.length; i++) {
    const [c1, e1] = points[i];
    if (capacityBytes <= c1) {
      const [c0, e0] = points[i - 1];
      const t = (Math.log2(capacityBytes) - Math.log2(c0)) / (Math.log2(c1) - Math.log2(c0));
      return e0 + t * (e1 - e0);
    }
  }
  return last[1];
}
