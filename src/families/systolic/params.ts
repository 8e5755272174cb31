// Parameters of the systolic-array family, declared once. Defaults follow SCALE-Sim v2's
// conventions where one exists, so an imported SCALE-Sim config means the same thing here.

import type { ParamDecl, StatDecl } from '../../spec/params.js';
import { SYSTOLIC_AREA_PARAMS } from './area.js';

export const SYSTOLIC_PARAMS: readonly ParamDecl[] = [
  { key: 'clock', type: 'quantity', dimension: 'frequency', positive: true, description: 'Array clock frequency' },
  { key: 'compute.rows', type: 'integer', min: 1, max: 65536, description: 'PE rows (R)' },
  { key: 'compute.cols', type: 'integer', min: 1, max: 65536, description: 'PE columns (C)' },
  {
    key: 'compute.dataflow',
    type: 'enum',
    choices: ['os', 'ws', 'is'],
    default: 'ws',
    description: 'Stationary operand: output (os), weight (ws) or input (is), as in SCALE-Sim',
  },
  {
    key: 'compute.accumulator_bits',
    type: 'integer',
    min: 4,
    max: 64,
    default: 32,
    description: 'Width of partial sums kept in the output buffer and spilled to DRAM',
  },
  {
    key: 'compute.zero_handling',
    type: 'enum',
    choices: ['dense', 'gating', 'skipping'],
    default: 'dense',
    description:
      "What PEs do with a zero operand: 'dense' computes it like any value; 'gating' holds the multiplier still (no MAC energy, same cycles); 'skipping' packs N:M weights along K and lets each PE skip the zeros of its streamed operand (per-PE queues; a fold lasts as long as its busiest PE) — a flexible-PE array, not a rigid TPU",
  },
  {
    key: 'compute.skip_window',
    type: 'integer',
    min: 1,
    default: 4,
    description: 'Skipping: streamed values a PE examines per cycle, so it skips at most window − 1 zeros a cycle and a fold streams at least streamDim / window cycles',
    source: '[A] a 4-entry lookahead; not fitted',
  },
  {
    key: 'compute.vector_lanes',
    type: 'integer',
    min: 1,
    default: 128,
    description: 'Elements per cycle of the vector/activation unit that runs element-wise operators',
    source: '[A] default; presets set their own',
  },
  { key: 'memory.ifmap_sram.capacity', type: 'quantity', dimension: 'bytes', positive: true, description: 'Input (ifmap) buffer capacity' },
  { key: 'memory.filter_sram.capacity', type: 'quantity', dimension: 'bytes', positive: true, description: 'Weight (filter) buffer capacity' },
  { key: 'memory.ofmap_sram.capacity', type: 'quantity', dimension: 'bytes', positive: true, description: 'Output / accumulator buffer capacity' },
  {
    key: 'memory.double_buffered',
    type: 'boolean',
    default: true,
    description: 'Buffers are split in two halves so DRAM transfers overlap compute; the working set must fit in one half',
  },
  {
    key: 'memory.activations_on_chip',
    type: 'boolean',
    default: false,
    description:
      "A layer's input and output stay in the on-chip buffers between layers when they fit (e.g. TPU v1's Unified Buffer), so only weights cross DRAM",
  },
  {
    key: 'memory.compressed_operands',
    type: 'boolean',
    default: false,
    description:
      "Sparse operands stay in their declared storage format in DRAM and SRAM (values + metadata bytes) and are expanded at the array edge; otherwise they move dense",
  },
  { key: 'memory.dram.capacity', type: 'quantity', dimension: 'bytes', min: 0, default: '0 B', description: 'Off-chip DRAM capacity for LLM capacity checks (0 = not declared, not checked)' },
  { key: 'memory.host.bandwidth', type: 'quantity', dimension: 'bandwidth', min: 0, default: '12 GB/s', description: 'Host link for --allow-spill streaming', source: '[T] PCIe 3.0 x16 15.75 GB/s raw; ~12 GB/s achieved [R]' },
  { key: 'power.static', type: 'quantity', dimension: 'power', min: 0, default: '0 W', description: 'Static/idle chip power charged for every second of a run (0 = dynamic energy only)' },
  { key: 'power.source', type: 'string', default: '[A] not modelled', description: 'Where power.static comes from (repeated in result notes)' },
  { key: 'memory.dram.bandwidth', type: 'quantity', dimension: 'bandwidth', positive: true, description: 'DRAM bandwidth shared by reads and writes' },
  {
    key: 'memory.dram.bandwidth_mode',
    type: 'enum',
    choices: ['fixed', 'calc'],
    default: 'fixed',
    description: "'calc' assumes DRAM always keeps up (no stalls) and reports the bandwidth that would need, like SCALE-Sim's CALC mode",
  },
  {
    key: 'memory.dram.technology',
    type: 'enum',
    choices: ['ddr', 'hbm'],
    default: 'ddr',
    description: 'Selects the DRAM energy per bit from the energy table',
  },
  ...SYSTOLIC_AREA_PARAMS,
];

export const SYSTOLIC_STATS: readonly StatDecl[] = [
  { key: 'folds', unit: 'folds', description: 'Tiles of the operator mapped onto the array, one after the other' },
  { key: 'cyclesPerFold', unit: 'cycles', description: 'Preload (WS/IS) + fill + stream + drain cycles of one fold' },
  { key: 'mappingEfficiency', unit: 'fraction', description: 'Mean over folds of used PEs / all PEs' },
  { key: 'computeUtilization', unit: 'fraction', description: 'MACs / (PEs × compute cycles): utilisation ignoring stalls' },
  { key: 'requiredDramBytesPerCycle', unit: 'B/cycle', description: 'DRAM bytes / compute cycles: the bandwidth that avoids stalls' },
  { key: 'loopOrderRowFoldsOuter', unit: 'bool', description: '1 if the mapper iterates row folds in the outer loop, 0 if column folds' },
  { key: 'gatedMacs', unit: 'MAC', description: 'MACs with a zero operand that were gated (no energy)' },
  { key: 'skippedMacs', unit: 'MAC', description: 'Skipping: MACs never issued (a zero operand detected and passed over)' },
  { key: 'packedK', unit: 'elements', description: 'Skipping: reduction length in the array after packing N:M weights along K' },
  { key: 'busiestPeFraction', unit: 'fraction', description: "Skipping: the busiest PE's nonzero streamed values / streamed values per fold (load imbalance)" },
  { key: 'weightStorageRatio', unit: 'fraction', description: 'Stored weight bytes / dense weight bytes (1 unless operands are compressed)' },
  { key: 'inputStorageRatio', unit: 'fraction', description: 'Stored input bytes / dense input bytes (1 unless operands are compressed)' },
  { key: 'vectorOperations', unit: 'operations', description: 'Element-wise operations run on the vector unit (element-wise operators only)' },
];
