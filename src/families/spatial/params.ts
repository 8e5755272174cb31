// Parameters of the spatial family, declared once. An architecture is a list of storage levels
// (outermost first) and a compute level; each storage level is a list item whose keys are the
// `storage[].…` declarations below (the `storage[].` prefix stripped). Energies are per *vector*
// access (one access moves `block_size` words), as in Timeloop/Accelergy energy tables.

import type { ParamDecl, StatDecl } from '../../spec/params.js';

const TIMELOOP = 'Timeloop v3 (Parashar et al., ISPASS 2019) architecture attributes of the same meaning';

export const LEVEL_PARAMS: readonly ParamDecl[] = [
  { key: 'word_bits', type: 'integer', min: 1, max: 1024, default: 8, description: 'Bits per word (datawidth).', source: TIMELOOP },
  { key: 'block_size', type: 'integer', min: 1, max: 65536, default: 1, description: 'Words per vector access (Timeloop width / datawidth); energies are per vector access.', source: TIMELOOP },
  { key: 'read_bandwidth', type: 'quantity', dimension: 'dimensionless', min: 0, default: '0', description: 'Read bandwidth per instance in words/cycle; 0 = unlimited.', source: TIMELOOP },
  { key: 'write_bandwidth', type: 'quantity', dimension: 'dimensionless', min: 0, default: '0', description: 'Write (fill + update) bandwidth per instance in words/cycle; 0 = unlimited.', source: TIMELOOP },
  { key: 'shared_bandwidth', type: 'quantity', dimension: 'dimensionless', min: 0, default: '0', description: 'Combined read + write bandwidth per instance in words/cycle; 0 = unlimited.', source: TIMELOOP },
  { key: 'instances', type: 'integer', min: 1, max: 1 << 24, default: 1, description: 'Instances of this level in the whole design (the fan-out from the level above is instances / instances above).' },
  { key: 'mesh_x', type: 'integer', min: 0, max: 1 << 24, default: 0, description: 'Instances along X (0 = all instances on X); mesh_y = instances / mesh_x.', source: TIMELOOP },
  { key: 'multicast', type: 'boolean', default: true, description: 'One read of this level may be delivered to several children (multicast) and, for outputs, children\'s updates of one word are reduced on the way (spatial reduction).' },
  { key: 'multiple_buffering', type: 'quantity', dimension: 'dimensionless', positive: true, default: '1', description: 'Capacity multiplier reserved per tile (2 = double buffering); the mapper and the capacity check use capacity / multiple_buffering.', source: TIMELOOP },
  { key: 'energy.read', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of one vector read.' },
  { key: 'energy.write', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of one vector write (fill).' },
  { key: 'energy.update', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of one vector update (read-modify-write of a partial sum); Timeloop prices updates as writes when its table has no update entry.' },
  { key: 'energy.metadata_read', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of one metadata read (compressed formats).' },
  { key: 'energy.metadata_write', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of one metadata write.' },
  { key: 'energy.gated_read', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of a read gated because another operand is zero.' },
  { key: 'energy.skipped_read', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of a read skipped because another operand is zero.' },
  { key: 'energy.leak', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Leakage energy per instance per cycle.' },
  { key: 'area', type: 'quantity', dimension: 'dimensionless', min: 0, default: '0', description: 'Area per instance in um^2 (reported, not used by the model).' },
];

/** Keys of a storage-level item that the family resolves itself (not plain parameters). */
export const LEVEL_SPECIAL_KEYS = ['name', 'capacity', 'keep', 'bypass', 'compressed', 'skip', 'gate'] as const;

export const COMPUTE_PARAMS: readonly ParamDecl[] = [
  { key: 'name', type: 'string', default: 'MAC', description: 'Name of the compute level (shown in results and energy components).' },
  { key: 'instances', type: 'integer', min: 1, max: 1 << 24, default: 1, description: 'MAC units in the whole design.' },
  { key: 'mesh_x', type: 'integer', min: 0, max: 1 << 24, default: 0, description: 'MAC units along X (0 = all on X).' },
  { key: 'word_bits', type: 'integer', min: 1, max: 64, default: 8, description: 'Operand width of one MAC in bits; operators of wider datatypes take ceil(bits / word_bits) MAC cycles per MAC.' },
  { key: 'zeros', type: 'enum', choices: ['dense', 'gating', 'skipping'], default: 'dense', description: 'What the MACs do when an operand is zero (Sparseloop taxonomy): compute anyway, gate (energy.gated, same cycles) or skip (energy.skipped, no cycle; ideal load balance).' },
  { key: 'energy.mac', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of one multiply-accumulate.' },
  { key: 'energy.gated', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of a MAC gated because an operand is zero.' },
  { key: 'energy.skipped', type: 'quantity', dimension: 'energy', min: 0, default: '0 pJ', description: 'Energy of a MAC skipped (no cycle spent).' },
  { key: 'area', type: 'quantity', dimension: 'dimensionless', min: 0, default: '0', description: 'Area per MAC unit in um^2 (reported only).' },
];

export const MAPPER_PARAMS: readonly ParamDecl[] = [
  { key: 'objective', type: 'enum', choices: ['edp', 'energy', 'cycles', 'weighted'], default: 'edp', description: "What the mapper minimises: energy x cycles, energy, cycles, or weights.energy x energy/pJ + weights.cycles x cycles." },
  { key: 'weights.energy', type: 'quantity', dimension: 'dimensionless', min: 0, default: '1', description: 'Weight of energy in pJ for objective weighted.' },
  { key: 'weights.cycles', type: 'quantity', dimension: 'dimensionless', min: 0, default: '1', description: 'Weight of cycles for objective weighted.' },
  { key: 'search', type: 'enum', choices: ['auto', 'exhaustive', 'random', 'local'], default: 'auto', description: 'exhaustive (every factorisation x permutation class), random (seeded samples) or local (seeded restarts of simulated annealing); auto = exhaustive when the space has at most mapper.evaluations points, local otherwise.' },
  { key: 'evaluations', type: 'integer', min: 1, max: 1e9, default: 100000, description: 'Budget of mappings evaluated per operator (random/local search).' },
  { key: 'seed', type: 'integer', min: 0, max: 0xffffffff, default: 1, description: 'Seed of the random and local searches (results depend only on it, never on timing or threads).' },
  { key: 'min_utilization', type: 'quantity', dimension: 'dimensionless', min: 0, max: 1, default: '0', description: 'Constraint: reject mappings using less than this fraction of the MAC units.' },
  { key: 'imperfect', type: 'boolean', default: false, description: 'Accept user mappings whose factors multiply to more than a bound (imperfect factors: the padded iterations are counted as work, a first approximation). The mapper itself searches exact factorisations.' },
];

/** Whole-design static power, the same keys as the other families' (charged by core/simulate.ts). */
export const POWER_PARAMS: readonly ParamDecl[] = [
  { key: 'static', type: 'quantity', dimension: 'power', min: 0, default: '0 W', description: 'Static/idle chip power charged for every second of a run (0 = dynamic energy only); per-level energy.leak is separate and adds to it. The mapper objective does not include it.' },
  { key: 'source', type: 'string', default: '[A] not modelled', description: 'Where power.static comes from (repeated in result notes)' },
];

export const SPATIAL_PARAMS: readonly ParamDecl[] = [
  { key: 'clock', type: 'quantity', dimension: 'frequency', positive: true, default: '1 GHz', description: 'Clock of the whole design.' },
  { key: 'storage[].name', type: 'string', description: 'Name of the storage level (unique; used as the mapping target and in results).' },
  { key: 'storage[].capacity', type: 'string', default: 'unbounded', description: "Capacity per instance: words (e.g. 1024 or 64 * 16), bytes (e.g. 8 KiB, converted with word_bits), or 'unbounded'." },
  { key: 'storage[].keep', type: 'string', default: 'all', description: 'Tensors this level may hold (list of input, weight, output); the mapper never stores others here.' },
  { key: 'storage[].bypass', type: 'string', default: 'none', description: 'Tensors that always bypass this level (list).' },
  { key: 'storage[].compressed', type: 'string', default: 'none', description: "Tensors held here in the workload's storage format for them (sparsity.<operand>.format): data words moved scale with the density, metadata moves beside them (priced by energy.metadata_read/metadata_write) and the tile takes the format's bits (list)." },
  { key: 'storage[].skip', type: 'string', default: 'none', description: "Tensors whose reads here are skipped when the other operand is zero (Sparseloop skipping; energy.skipped_read, no bandwidth) (list of input, weight)." },
  { key: 'storage[].gate', type: 'string', default: 'none', description: "Tensors whose reads here are gated when the other operand is zero (energy.gated_read; the access slot is still spent) (list of input, weight)." },
  ...LEVEL_PARAMS.map((decl) => ({ ...decl, key: `storage[].${decl.key}` })),
  ...COMPUTE_PARAMS.map((decl) => ({ ...decl, key: `compute.${decl.key}` })),
  ...MAPPER_PARAMS.map((decl) => ({ ...decl, key: `mapper.${decl.key}` })),
  ...POWER_PARAMS.map((decl) => ({ ...decl, key: `power.${decl.key}` })),
  { key: 'mapping[].target', type: 'string', description: 'Storage level a mapping entry applies to. Entries: temporal (dim: factor map or "M16 N4"), permutation (dims outermost first, e.g. "MNK"), spatial (factors fanned out to the level below), spatial_x (dims of spatial placed on X; the rest on Y), spatial_y (factors placed on Y explicitly), keep/bypass (lists). Applies to every operator unless given under mappings.<operator name>.' },
  { key: 'mappings.<operator>[]', type: 'string', description: 'A mapping (same entries as mapping[]) for the operator with that name.' },
  { key: 'constraints[].target', type: 'string', description: 'Mapper constraints, entries like mapping[]: the factors given are fixed at that level (0 = the rest of the bound; other dimensions stay free there), a permutation fixes the innermost loops (outermost first), keep/bypass are fixed.' },
];

export const SPATIAL_STATS: readonly StatDecl[] = [
  { key: '<level>.<tensor>.reads', unit: 'words/instance', description: 'Words read from the level per instance (to children, or to the parent on drain), first reads of partial sums elided.' },
  { key: '<level>.<tensor>.fills', unit: 'words/instance', description: 'Words written into the level from its parent per instance.' },
  { key: '<level>.<tensor>.updates', unit: 'words/instance', description: 'Partial-sum words written into the level by its children per instance.' },
  { key: '<level>.<tensor>.tile', unit: 'words', description: 'Words of the tensor held per instance (utilised capacity).' },
  { key: '<level>.<tensor>.instances', unit: 'instances', description: 'Instances holding a tile of the tensor.' },
  { key: '<level>.slowdown', unit: 'fraction', description: 'Bandwidth throttling of the level: min(1, bandwidth / demand) over read, write and shared bandwidth.' },
  { key: '<level>.cycles', unit: 'cycles', description: 'ceil(compute cycles / slowdown).' },
  { key: 'dram_accesses_per_mac', unit: 'words/MAC', description: 'Words moved at the outermost level (reads + fills + updates, all instances) per MAC.' },
  { key: '<level>.<tensor>.metadata_reads', unit: 'words/instance', description: 'Metadata words read for a compressed tensor.' },
  { key: '<level>.<tensor>.metadata_fills', unit: 'words/instance', description: 'Metadata words written for a compressed tensor.' },
  { key: '<level>.<tensor>.skipped_reads', unit: 'words/instance', description: 'Reads skipped (or gated) because the other operand was zero.' },
  { key: 'macs.skipped', unit: 'MACs', description: 'MACs with a zero operand that were skipped (compute.zeros: skipping) or gated (gating).' },
  { key: 'mapper.evaluated', unit: 'mappings', description: 'Mappings the mapper evaluated for this operator (0 for a given mapping).' },
  { key: 'mapper.valid', unit: 'mappings', description: 'Evaluated mappings that fit the capacities and constraints.' },
];
