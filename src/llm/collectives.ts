// Collectives of tensor parallelism, costed by the alpha-beta model of ring algorithms
// (Thakur, Rabenseifner & Gropp, "Optimization of Collective Communication Operations in MPICH",
// IJHPCA 2005; Patarasuk & Yuan, "Bandwidth optimal all-reduce algorithms", JPDC 2009):
//   ring all-reduce of S bytes over p devices: 2(p−1) messages of S/p → 2(p−1)·α + 2(p−1)/p · S/β
//   ring all-gather of a result of S bytes:     (p−1) messages of S/p →  (p−1)·α +  (p−1)/p · S/β
//   point-to-point send of S bytes (pipeline stage boundary):              α + S/β
// α is the per-message latency, β each device's one-direction link bandwidth. Collectives are not
// overlapped with compute: Megatron's two all-reduces per layer sit on the critical path.

import type { OperatorResult } from '../core/types.js';
import { extraRow } from './rows.js';
import type { InterconnectSpec } from './types.js';

export type CollectiveKind = 'all-reduce' | 'all-gather' | 'send';

/** Time (s) and bytes each device sends for one collective over `devices` devices. */
export function collectiveCost(kind: CollectiveKind, bytes: number, devices: number, link: InterconnectSpec): { seconds: number; sentBytes: number } {
  if (devices <= 1) return { seconds: 0, sentBytes: 0 };
  const steps = kind === 'all-reduce' ? 2 * (devices - 1) : kind === 'all-gather' ? devices - 1 : 1;
  const sentBytes = kind === 'send' ? bytes : (steps * bytes) / devices;
  const seconds = steps * link.latency + (link.bandwidth === Infinity ? 0 : sentBytes / link.bandwidth);
  return { seconds, sentBytes };
}

/** A result row for `count` identical collectives, in the same shape as an operator's. */
export function collectiveResult(name: string, kind: CollectiveKind, count: number, bytes: number, devices: number, link: InterconnectSpec, clockHz: number): OperatorResult {
  const { seconds, sentBytes } = collectiveCost(kind, bytes, devices, link);
  const sent = sentBytes * count;
  return extraRow({
    name,
    kind,
    count,
    seconds: seconds * count,
    clockHz,
    level: link.name,
    // Each device sends and receives the same bytes (ring, or one stage in and one out).
    traffic: { readBytes: sent, writeBytes: sent, perTensor: { activations: { readBytes: sent, writeBytes: sent } } },
    energy: { component: 'interconnect', action: `${link.name} bit sent`, count: sent * 8, energyPerActionJ: link.energyPerBit },
    bottleneck: 'interconnect',
    stats: { collectiveBytes: bytes, sentBytesPerCollective: sentBytes, devices },
    note: `${kind}: ${kind === 'send' ? 'stage to stage' : `ring over ${devices} devices`} on ${link.name}, alpha-beta model (α ${link.latency * 1e6} µs, β ${link.bandwidth / 1e9} GB/s per direction; ${link.source}); not overlapped with compute`,
  });
}
