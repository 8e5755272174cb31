// Parameters and statistics of the scratchpad (PIUMA-like) family. The defaults describe one
// PIUMA die (arch/piuma.yaml repeats them with their sources). Provenance tags as in
// Provenance tags: [T] datasheet/talk, [R] recalled from the paper, [D] derived, [A] ours.

import type { ParamDecl, StatDecl } from '../../spec/params.js';

const HOTCHIPS = 'Intel PIUMA, Hot Chips 2023 (as reported by Tom\'s Hardware / wccftech); Aananthakrishnan et al., arXiv 2010.06277';

export const SCRATCHPAD_PARAMS: readonly ParamDecl[] = [
  // --- cores and threads --------------------------------------------------------------------
  { key: 'clock', type: 'quantity', dimension: 'frequency', positive: true, default: '1 GHz', description: 'Core clock.', source: '[A] the PIUMA clock is not published (arXiv 2010.06277, Hot Chips 2023); 1 GHz placeholder' },
  { key: 'cores', type: 'integer', min: 1, max: 4096, default: 8, description: 'Cores per die (each with its own scratchpad, cache, atomic unit and DMA engine).', source: `[T] ${HOTCHIPS}: 8 cores per die` },
  { key: 'mtp_per_core', type: 'integer', min: 0, max: 64, default: 4, description: 'Multi-threaded in-order pipelines (MTPs) per core.', source: `[T] ${HOTCHIPS}: 4 MTPs x 16 threads + 2 STPs per core` },
  { key: 'threads_per_mtp', type: 'integer', min: 1, max: 1024, default: 16, description: 'Hardware threads per MTP, interleaved cycle by cycle to hide memory latency.', source: `[T] ${HOTCHIPS}` },
  { key: 'stp_per_core', type: 'integer', min: 0, max: 64, default: 2, description: 'Single-threaded pipelines (STPs) per core; they run kernel threads like the MTP threads.', source: `[T] ${HOTCHIPS}` },
  { key: 'stp_issue_rate', type: 'quantity', dimension: 'dimensionless', positive: true, max: 64, default: '0.5', description: 'Instructions per cycle of one STP.', source: '[D] an STP runs 8x faster than one MTP thread [T Hot Chips]; an MTP thread gets 1/16 of a 1-wide MTP when all 16 are busy: 8/16 = 0.5' },
  { key: 'issue_width', type: 'integer', min: 1, max: 16, default: 1, description: 'Instructions per cycle of one MTP, shared by its ready threads.', source: '[A] in-order single-issue MTP' },
  { key: 'threads.mlp', type: 'integer', min: 1, max: 256, default: 1, description: 'Independent memory operations one thread keeps in flight (element gathers without DMA, dependent atomic probes, scratchpad lookups).', source: '[A] in-order threads block on each load (PIUMA); ~10 for an out-of-order core' },
  { key: 'schedule', type: 'enum', choices: ['round-robin', 'block'], default: 'round-robin', description: "Static distribution of rows (or columns/frontier vertices) to cores: 'round-robin' (row r → core r mod cores) or 'block' (contiguous equal-count ranges). Within a core, threads take work dynamically from a shared counter (one scratchpad atomic per grab).", source: '[A]' },
  // --- scratchpad and atomics ---------------------------------------------------------------
  { key: 'scratchpad.capacity', type: 'quantity', dimension: 'bytes', positive: true, default: '4 MiB', description: 'Scratchpad (SPAD) SRAM per core.', source: `[T] ${HOTCHIPS}: 4 MB SPAD per core` },
  { key: 'scratchpad.banks', type: 'integer', min: 1, max: 1024, default: 16, description: 'Independent scratchpad banks per core; each serves one 8-byte access or atomic per cycle.', source: '[A]' },
  { key: 'scratchpad.latency', type: 'integer', min: 1, max: 10000, default: 4, description: 'Scratchpad load-to-use latency in cycles (local core).', source: '[A]' },
  { key: 'atomics.throughput', type: 'quantity', dimension: 'dimensionless', positive: true, max: 1024, default: '2', description: 'Atomic operations per cycle of the atomic unit at each core\'s scratchpad.', source: '[A] PIUMA has near-memory atomic units ([R] arXiv 2010.06277); rate not published' },
  { key: 'atomics.latency', type: 'integer', min: 1, max: 100000, default: 8, description: 'Round-trip latency in cycles of an atomic on the local scratchpad (remote ones add network hops both ways).', source: '[A]' },
  { key: 'hash.load_factor', type: 'quantity', dimension: 'dimensionless', positive: true, max: 0.95, default: '0.5', description: 'Maximum fill of the scratchpad hash table: a window of rows holds at most load_factor x slots partial products.', source: '[A] linear probing stays near 1.5 probes per insert below 0.5' },
  { key: 'hash.scratchpad_fraction', type: 'quantity', dimension: 'dimensionless', positive: true, max: 1, default: '0.75', description: 'Fraction of the scratchpad given to the SpGEMM hash table (the rest holds per-row slot lists and staging).', source: '[A]' },
  // --- cache and DRAM -----------------------------------------------------------------------
  { key: 'cache.capacity', type: 'quantity', dimension: 'bytes', positive: true, default: '192 KiB', description: 'Per-core data cache for loads (non-coherent; flushed by software between phases). Stores bypass it.', source: `[T] ${HOTCHIPS}: 192 KB cache per core` },
  { key: 'cache.line', type: 'quantity', dimension: 'bytes', positive: true, default: '64 B', description: 'Cache tag granularity. Lines are sectored: a miss fetches only the missing dram.access_granularity sectors.', source: '[A]' },
  { key: 'cache.ways', type: 'integer', min: 1, max: 64, default: 8, description: 'Cache associativity (LRU).', source: '[A]' },
  { key: 'cache.latency', type: 'integer', min: 1, max: 1000, default: 4, description: 'Cache hit latency in cycles.', source: '[A]' },
  { key: 'power.static', type: 'quantity', dimension: 'power', min: 0, default: '16 W', description: 'Static/idle chip power charged for every second of a run (0 = dynamic energy only)', source: "[A] the PIUMA preset's figure: the cores' ~21% (~16 W) of the 75 W die TDP [T, Hot Chips 2023 reports]" },
  { key: 'power.source', type: 'string', default: "[A] cores' ~21% (~16 W) of the 75 W PIUMA die TDP [T, Hot Chips 2023 reports] taken as static; optics (~60% of TDP) excluded; no measured idle figure", description: 'Where power.static comes from (repeated in result notes)', source: 'documentation field' },
  { key: 'dram.bandwidth', type: 'quantity', dimension: 'bandwidth', positive: true, default: '140 GB/s', description: 'Peak DRAM bandwidth of the die, split evenly over the channels; every access moves dram.access_granularity bytes.', source: '[A] not published; 8 x 32-bit DDR5-4400 channels (Hot Chips 2023 reports) would give ~140.8 GB/s' },
  { key: 'dram.channels', type: 'integer', min: 1, max: 1024, default: 8, description: 'Independent DRAM channels (FCFS queues); addresses interleave across them every dram.interleave bytes.', source: '[A] 8 DDR5 channels (see dram.bandwidth)' },
  { key: 'dram.latency', type: 'quantity', dimension: 'time', positive: true, default: '100 ns', description: 'Unloaded DRAM round-trip latency including the on-die network (a time; converted to cycles with the clock). Queueing comes on top, from the simulation.', source: '[A]' },
  { key: 'dram.access_granularity', type: 'quantity', dimension: 'bytes', positive: true, default: '8 B', description: 'Bytes moved per DRAM access (and cache sector size). 8 B for PIUMA, 64 B for a cache-line machine.', source: `[T] ${HOTCHIPS}: custom DDR5-4400 controller with 8-byte access granularity` },
  { key: 'dram.interleave', type: 'quantity', dimension: 'bytes', positive: true, default: '256 B', description: 'Address interleaving unit across DRAM channels.', source: '[A]' },
  // --- offload engines and network ----------------------------------------------------------
  { key: 'dma.throughput', type: 'quantity', dimension: 'dimensionless', positive: true, max: 1e6, default: '32', description: 'Bytes per cycle one core\'s DMA engine moves (fibre copies and gathers).', source: '[A] PIUMA DMA engine (memcpy, gather/scatter) [R]; rate not public' },
  { key: 'dma.gather', type: 'boolean', default: true, description: 'Fibre copies and element gathers are offloaded to the core\'s DMA engine (one command, one round trip, limited by dma.throughput). Without it, threads gather elements themselves (threads.mlp in flight) and contiguous fibres are streamed by a hardware prefetcher (one round trip).', source: '[R] PIUMA offload engines include gather/scatter DMA (arXiv 2010.06277)' },
  { key: 'network.hop_latency', type: 'integer', min: 0, max: 10000, default: 2, description: 'Cycles per mesh hop for remote scratchpad atomics (core-to-core).', source: '[A] cut-through routers [T] ServeTheHome; per-hop latency not public' },
  { key: 'network.mesh_width', type: 'integer', min: 1, max: 1024, default: 4, description: 'Cores per mesh row; core c sits at (c mod width, floor(c / width)).', source: '[A] 8 cores on a 4 x 2 part of the 16-router mesh' },
  // --- kernel mapping -----------------------------------------------------------------------
  { key: 'spgemm.inner_row_block', type: 'integer', min: 1, max: 64, default: 16, description: 'Inner product: rows of A intersected per pass over B (one bit per row in a scratchpad mask table, one accumulator register per row).', source: '[D] 32 registers per thread [T wccftech] leave ~16 for accumulators' },
  // --- instruction costs (per in-order thread) ----------------------------------------------
  { key: 'cost.loop', type: 'integer', min: 0, max: 1000, default: 4, description: 'Instructions of per-fibre/per-row loop overhead (bounds, pointers, branch).', source: '[A]' },
  { key: 'cost.mac', type: 'integer', min: 1, max: 1000, default: 2, description: 'Instructions per multiply-add including operand moves.', source: '[A]' },
  { key: 'cost.hash', type: 'integer', min: 0, max: 1000, default: 4, description: 'Instructions to hash a key and form the slot address.', source: '[A]' },
  { key: 'cost.probe', type: 'integer', min: 0, max: 1000, default: 2, description: 'Instructions per hash-table probe (compare and branch).', source: '[A]' },
  { key: 'cost.intersect', type: 'integer', min: 0, max: 1000, default: 2, description: 'Instructions per index tested in an intersection (inner product mask test, BFS visited test).', source: '[A]' },
  { key: 'cost.merge', type: 'integer', min: 0, max: 1000, default: 3, description: 'Instructions per heap level when merging sorted partial-product lists (outer product).', source: '[A]' },
];

export const SCRATCHPAD_STATS: readonly StatDecl[] = [
  { key: 'dram.accesses', unit: 'accesses', description: 'DRAM accesses (each moves dram.access_granularity bytes).' },
  { key: 'dram.useful_bytes', unit: 'B', description: 'Transferred DRAM bytes the kernel used: read words requested before eviction, plus written bytes.' },
  { key: 'dram.wasted_bytes', unit: 'B', description: 'Transferred DRAM bytes never used (rest of a fetched sector, partial write blocks).' },
  { key: 'dram.wasted_fraction', unit: 'fraction', description: 'dram.wasted_bytes / all DRAM bytes transferred.' },
  { key: 'dram.mean_queue_cycles', unit: 'cycles', description: 'Mean wait of a DRAM access in its channel queue (beyond the unloaded latency).' },
  { key: 'cache.hit_rate', unit: 'fraction', description: 'Fraction of cached line lookups that needed no DRAM access.' },
  { key: 'scratchpad.accesses', unit: 'accesses', description: 'Scratchpad bank accesses (hash probes, table reads, masks, staging), atomics included.' },
  { key: 'atomics.ops', unit: 'ops', description: 'Atomic operations (hash CAS probes and fetch-adds, work-queue grabs, cursors, visited flags).' },
  { key: 'atomics.remote_ops', unit: 'ops', description: 'Atomic operations sent to another core\'s scratchpad over the mesh.' },
  { key: 'hash.inserts', unit: 'ops', description: 'Partial products accumulated into the scratchpad hash table.' },
  { key: 'hash.probes', unit: 'probes', description: 'Hash slots inspected (>= inserts; linear probing on real hashes of real keys).' },
  { key: 'hash.collisions', unit: 'ops', description: 'Inserts whose first slot held another key.' },
  { key: 'hash.probes_per_insert', unit: 'probes/insert', description: 'hash.probes / hash.inserts.' },
  { key: 'hash.windows', unit: 'windows', description: 'Row windows (hash-table fills) over all cores; more windows = more barriers.' },
  { key: 'hash.split_rows', unit: 'rows', description: 'Rows whose partial products exceed one table fill and were split into column ranges (extra passes).' },
  { key: 'spgemm.partial_products', unit: 'products', description: 'Multiplications a_ik·b_kj (the effectual MACs of SpGEMM).' },
  { key: 'spgemm.output_nnz', unit: 'entries', description: 'Nonzeros of C.' },
  { key: 'spgemm.partial_bytes', unit: 'B', description: 'Outer product: partial-product bytes written to DRAM in the multiply phase and read back in the merge phase (requested bytes, one way).' },
  { key: 'spgemm.b_fetch_bytes', unit: 'B', description: 'Bytes of B requested by the threads (cache hits included); compare with the size of B to see redundant fetches.' },
  { key: 'spgemm.b_bytes', unit: 'B', description: 'Size of B (indices, values, pointers) as stored.' },
  { key: 'spgemm.b_refetch_factor', unit: 'ratio', description: 'spgemm.b_fetch_bytes / spgemm.b_bytes.' },
  { key: 'spgemm.intersections', unit: 'tests', description: 'Inner product: indices of B tested against the row mask (effectual or not).' },
  { key: 'bfs.levels', unit: 'levels', description: 'BFS: frontier levels (iterations of the frontier-times-A product).' },
  { key: 'bfs.vertices_reached', unit: 'vertices', description: 'BFS: vertices reached from the root, the root included.' },
  { key: 'threads.count', unit: 'threads', description: 'Hardware threads that ran the kernel.' },
  { key: 'threads.issue_utilization', unit: 'fraction', description: 'Instructions issued / (issue slots of all pipelines × cycles).' },
  { key: 'threads.idle_fraction', unit: 'fraction', description: 'Thread-cycles without work (waiting at window/phase/level barriers or finished early) / (threads × cycles).' },
  { key: 'imbalance.core', unit: 'ratio', description: 'Max / mean over cores of instructions issued (1 = balanced).' },
  { key: 'imbalance.thread', unit: 'ratio', description: 'Max / mean over threads of busy time (issue + memory waits, barriers excluded).' },
  { key: 'utilization.dram', unit: 'fraction', description: 'DRAM channel busy time / (channels × cycles).' },
  { key: 'utilization.issue', unit: 'fraction', description: 'Same as threads.issue_utilization.' },
  { key: 'utilization.atomics', unit: 'fraction', description: 'Busiest atomic unit busy time / cycles.' },
  { key: 'utilization.scratchpad', unit: 'fraction', description: 'Busiest scratchpad bank busy time / cycles.' },
  { key: 'utilization.dma', unit: 'fraction', description: 'Busiest DMA engine busy time / cycles.' },
  { key: 'instructions', unit: 'instructions', description: 'Instructions issued by all threads.' },
  { key: 'events', unit: 'events', description: 'Events processed by the simulation (a cost indicator).' },
];
