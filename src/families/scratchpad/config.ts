// Typed configuration of the scratchpad family, built from an ArchSpec's SI values, with the
// cross-field checks the per-parameter validation cannot do.

import type { ArchSpec } from '../../core/types.js';
import type { ParamDecl, ParamValue } from '../../spec/params.js';
import { inputError } from '../../spec/errors.js';
import { SCRATCHPAD_PARAMS } from './params.js';

export interface ScratchpadConfig {
  name: string;
  clockHz: number;
  cores: number;
  mtpPerCore: number;
  threadsPerMtp: number;
  stpPerCore: number;
  stpIssueRate: number;
  issueWidth: number;
  mlp: number;
  schedule: 'round-robin' | 'block';
  scratchpad: { capacityBytes: number; banks: number; latencyCycles: number; bankWidthBytes: number };
  atomics: { opsPerCycle: number; latencyCycles: number };
  hash: { loadFactor: number; scratchpadFraction: number };
  cache: { capacityBytes: number; lineBytes: number; ways: number; latencyCycles: number };
  dram: {
    bandwidthBytesPerSecond: number;
    channels: number;
    latencySeconds: number;
    accessGranularityBytes: number;
    interleaveBytes: number;
  };
  dma: { bytesPerCycle: number; gather: boolean };
  network: { hopLatencyCycles: number; meshWidth: number };
  innerRowBlock: number;
  cost: { loop: number; mac: number; hash: number; probe: number; intersect: number; merge: number };
}

/** Scratchpad banks are 8 bytes wide (one 64-bit word per access). */
export const BANK_WIDTH_BYTES = 8;

export function configureScratchpad(arch: ArchSpec): ScratchpadConfig {
  const get = (key: string): ParamValue => {
    const value = arch.values[key];
    if (value !== undefined) return value;
    const decl = SCRATCHPAD_PARAMS.find((d) => d.key === key);
    if (!decl) throw new Error(`scratchpad family: undeclared parameter ${key}`);
    return defaultValue(decl);
  };
  const num = (key: string): number => {
    const value = get(key);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw inputError({ file: arch.file, keyPath: key, message: `expected a number, got ${JSON.stringify(value)}` });
    }
    return value;
  };
  const fail = (keyPath: string, message: string, expected?: string, hint?: string): never => {
    throw inputError({ file: arch.file, keyPath, message, expected, hint });
  };

  const config: ScratchpadConfig = {
    name: arch.name,
    clockHz: num('clock'),
    cores: num('cores'),
    mtpPerCore: num('mtp_per_core'),
    threadsPerMtp: num('threads_per_mtp'),
    stpPerCore: num('stp_per_core'),
    stpIssueRate: num('stp_issue_rate'),
    issueWidth: num('issue_width'),
    mlp: num('threads.mlp'),
    schedule: get('schedule') === 'block' ? 'block' : 'round-robin',
    scratchpad: {
      capacityBytes: num('scratchpad.capacity'),
      banks: num('scratchpad.banks'),
      latencyCycles: num('scratchpad.latency'),
      bankWidthBytes: BANK_WIDTH_BYTES,
    },
    atomics: { opsPerCycle: num('atomics.throughput'), latencyCycles: num('atomics.latency') },
    hash: { loadFactor: num('hash.load_factor'), scratchpadFraction: num('hash.scratchpad_fraction') },
    cache: {
      capacityBytes: num('cache.capacity'),
      lineBytes: num('cache.line'),
      ways: num('cache.ways'),
      latencyCycles: num('cache.latency'),
    },
    dram: {
      bandwidthBytesPerSecond: num('dram.bandwidth'),
      channels: num('dram.channels'),
      latencySeconds: num('dram.latency'),
      accessGranularityBytes: num('dram.access_granularity'),
      interleaveBytes: num('dram.interleave'),
    },
    dma: { bytesPerCycle: num('dma.throughput'), gather: get('dma.gather') === true },
    network: { hopLatencyCycles: num('network.hop_latency'), meshWidth: num('network.mesh_width') },
    innerRowBlock: num('spgemm.inner_row_block'),
    cost: {
      loop: num('cost.loop'),
      mac: num('cost.mac'),
      hash: num('cost.hash'),
      probe: num('cost.probe'),
      intersect: num('cost.intersect'),
      merge: num('cost.merge'),
    },
  };

  // --- cross-field checks -------------------------------------------------------------------
  if (config.mtpPerCore * config.threadsPerMtp + config.stpPerCore < 1) {
    fail('mtp_per_core', 'a core needs at least one thread', 'mtp_per_core x threads_per_mtp + stp_per_core >= 1');
  }
  const g = config.dram.accessGranularityBytes;
  if (!Number.isInteger(g) || g < 4 || g % 4 !== 0) {
    fail('dram.access_granularity', `access granularity ${g} B is not a multiple of 4 bytes`, 'a multiple of 4 B (the simulator tracks use in 4-byte words)');
  }
  const line = config.cache.lineBytes;
  if (!Number.isInteger(line) || line % g !== 0) {
    fail('cache.line', `cache line ${line} B is not a multiple of the DRAM access granularity ${g} B`, `a multiple of ${g} B`, 'lines are sectored in DRAM accesses');
  }
  if (line > 128) fail('cache.line', `cache line ${line} B is larger than the 128 B the sector model supports`, '<= 128 B');
  const sets = Math.floor(config.cache.capacityBytes / (line * config.cache.ways));
  if (sets < 1) {
    fail('cache.capacity', `cache of ${config.cache.capacityBytes} B cannot hold ${config.cache.ways} ways of ${line} B lines`, `>= ${line * config.cache.ways} B`);
  }
  const interleave = config.dram.interleaveBytes;
  if (!Number.isInteger(interleave) || interleave % g !== 0) {
    fail('dram.interleave', `interleave unit ${interleave} B is not a multiple of the access granularity ${g} B`, `a multiple of ${g} B`);
  }
  const bytesPerCycle = config.dram.bandwidthBytesPerSecond / config.clockHz;
  if (bytesPerCycle / config.dram.channels > 1e6) fail('dram.bandwidth', 'DRAM bandwidth per channel per cycle is implausibly large', '< 1 MB per cycle per channel');
  const tableBytes = config.scratchpad.capacityBytes * config.hash.scratchpadFraction;
  if (tableBytes < 64) {
    fail('scratchpad.capacity', `the hash table gets only ${Math.floor(tableBytes)} B of scratchpad`, 'scratchpad.capacity x hash.scratchpad_fraction >= 64 B (four entries)');
  }
  if (config.network.meshWidth > config.cores) {
    fail('network.mesh_width', `mesh width ${config.network.meshWidth} exceeds the ${config.cores} cores`, `<= ${config.cores}`);
  }
  return config;
}

/** Threads per core and in total. */
export function threadsPerCore(config: ScratchpadConfig): number {
  return config.mtpPerCore * config.threadsPerMtp + config.stpPerCore;
}

/** Issue slots per cycle of one core (all its pipelines). */
export function coreIssueRate(config: ScratchpadConfig): number {
  return config.mtpPerCore * config.issueWidth + config.stpPerCore * config.stpIssueRate;
}

/**
 * The SI value of a declared default. Defaults in this family are written as "<number> <unit>"
 * with a small fixed set of units; parsing them here keeps one declaration the single source.
 */
export function defaultValue(decl: ParamDecl): ParamValue {
  if (decl.default === undefined) throw new Error(`parameter ${decl.key} has no default`);
  if (decl.type !== 'quantity') return decl.default;
  return parseSimpleQuantity(decl.default);
}

const UNIT_FACTORS: Record<string, number> = {
  '': 1,
  Hz: 1,
  kHz: 1e3,
  MHz: 1e6,
  GHz: 1e9,
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  'B/s': 1,
  'kB/s': 1e3,
  'MB/s': 1e6,
  'GB/s': 1e9,
  'TB/s': 1e12,
  'GiB/s': 1024 ** 3,
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  ns: 1e-9,
  ps: 1e-12,
  W: 1,
};

/** "<number> [unit]" → SI number, for the family's own defaults and tests (not a general parser). */
export function parseSimpleQuantity(text: string): number {
  const match = /^\s*([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*([A-Za-z/]*)\s*$/.exec(text);
  if (!match) throw new Error(`cannot parse quantity '${text}'`);
  const factor = UNIT_FACTORS[match[2]];
  if (factor === undefined) throw new Error(`unknown unit '${match[2]}' in '${text}'`);
  return Number(match[1]) * factor;
}
