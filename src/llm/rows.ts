// Result rows for time the LLM layer adds beside the family-simulated operators (collectives,
// pipeline bubbles, host spill): the same shape as an operator's row, with no MACs.

import type { LevelTraffic, OperatorResult } from '../core/types.js';

export interface ExtraRow {
  name: string;
  kind: string;
  count: number;
  /** All `count` instances together. */
  seconds: number;
  clockHz: number;
  /** Level whose traffic or wait the row is, e.g. the interconnect's name. */
  level: string;
  traffic?: LevelTraffic;
  energy?: { component: string; action: string; count: number; energyPerActionJ: number };
  bottleneck: string;
  stats?: Record<string, number>;
  note: string;
}

export function extraRow(row: ExtraRow): OperatorResult {
  const cycles = row.seconds * row.clockHz;
  const action = row.energy && row.energy.count > 0 ? { ...row.energy, energyJ: row.energy.count * row.energy.energyPerActionJ } : undefined;
  const totalJ = action?.energyJ ?? 0;
  return {
    name: row.name,
    kind: row.kind,
    count: row.count,
    shape: { m: 0, n: 0, k: 0, batch: 1 },
    dtype: 'fp16',
    cycles,
    computeCycles: 0,
    stallCycles: cycles,
    seconds: row.seconds,
    utilization: 0,
    // No MACs run in these rows, so they have no compute roof.
    peakMacsPerCycle: 0,
    macs: { dense: 0, issued: 0, effectual: 0 },
    memory: row.traffic ? { [row.level]: row.traffic } : {},
    energy: { components: action ? { [action.component]: totalJ } : {}, totalJ, actions: action ? [action] : [] },
    pJPerMac: { dense: 0, effectual: 0 },
    bounds: { [row.level]: cycles },
    bottleneck: row.bottleneck,
    stats: row.stats ?? {},
    notes: [row.note],
  };
}
