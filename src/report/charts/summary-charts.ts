// Charts for the summary page: one bar per run (a target, or a target × weight format), so a
// reviewer compares the runs in one picture each: energy by component, time by bottleneck, and
// the bandwidth each memory level achieved against its ceiling. Values are read from the Results.

import type { Result } from '../../core/types.js';
import { seriesStyle } from './palette.js';
import { deriveBandwidth, memoryLevels } from './roofline.js';
import type { ChartSpec, DatasetSpec } from './spec.js';
import type { LabelledResult } from './breakdown.js';

function bar(label: string, data: Array<number | null>, index: number): DatasetSpec {
  const style = seriesStyle(index);
  return { label, type: 'bar', data, hatch: { color: style.color, pattern: style.pattern }, borderColor: '#333333', borderWidth: 1 };
}

/** Horizontal stacked bars, one per run: long run labels stay readable on the category axis. */
function stackedRuns(labels: string[], datasets: DatasetSpec[], valueTitle: string): ChartSpec['config'] {
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      indexAxis: 'y',
      scales: {
        x: { stacked: true, beginAtZero: true, title: { text: valueTitle } },
        y: { stacked: true, ticks: { autoSkip: false } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}

const heightFor = (bars: number) => Math.max(320, Math.min(900, 150 + bars * 38));

/** Energy of every run, stacked by component (MAC, each memory level, ...), in one chart. */
export function energyByRunChart(items: LabelledResult[], id: string): ChartSpec {
  const components: string[] = [];
  for (const { result } of items) for (const c of Object.keys(result.total.energy.components)) if (!components.includes(c)) components.push(c);
  const datasets = components.map((c, i) => bar(c, items.map((item) => item.result.total.energy.components[c] ?? 0), i));
  return {
    id,
    title: 'Energy by component per run',
    subtitle: 'one bar per target (× weight format); lower is better',
    caption: 'Stacked bars: each run\'s total energy split by component (action counts × the energy table of its target).',
    notes: [],
    width: 900,
    height: heightFor(items.length),
    config: stackedRuns(items.map((i) => i.label), datasets, 'energy (J)'),
    axes: { x: { kind: 'eng', unit: 'J' } },
    table: {
      headers: ['run', ...components.map((c) => `${c}_J`), 'total_J'],
      rows: items.map((item) => [item.label, ...components.map((c) => item.result.total.energy.components[c] ?? 0), item.result.total.energy.totalJ]),
    },
  };
}

/** Seconds of a Result split by the bottleneck of each operator. */
function secondsByBottleneck(result: Result): Map<string, number> {
  const out = new Map<string, number>();
  for (const op of result.operators) out.set(op.bottleneck, (out.get(op.bottleneck) ?? 0) + op.seconds);
  return out;
}

/** Latency of every run, stacked by what bounds its operators: where the time goes and why. */
export function timeByBottleneckChart(items: LabelledResult[], id: string): ChartSpec {
  const split = items.map((item) => secondsByBottleneck(item.result));
  const causes = [...new Set(split.flatMap((m) => [...m.keys()]))];
  const datasets = causes.map((cause, i) => bar(`bound by ${cause}`, split.map((m) => m.get(cause) ?? 0), i));
  return {
    id,
    title: 'Latency by bottleneck per run',
    subtitle: 'one bar per target (× weight format); each segment = operators bound by that resource',
    caption: 'Stacked bars: the seconds of the operators the model finds bound by each resource (compute, a memory level, ...), summed; the bar length is the run\'s latency.',
    notes: [],
    width: 900,
    height: heightFor(items.length),
    config: stackedRuns(items.map((i) => i.label), datasets, 'time (s)'),
    axes: { x: { kind: 'eng', unit: 's' } },
    table: { headers: ['run', ...causes.map((c) => `${c}_s`), 'total_s'], rows: items.map((item, i) => [item.label, ...causes.map((c) => split[i].get(c) ?? 0), item.result.total.seconds]) },
  };
}

export interface LevelUtilisation {
  run: string;
  level: string;
  achievedBytesPerSecond: number;
  peakBytesPerSecond: number;
}

/**
 * Achieved bandwidth = the level's bytes over the run's whole time; peak = the bandwidth the
 * model used where that level bounded an operator (roofline.ts: bytes ÷ bound cycles, largest
 * over operators). Levels without a bound have no ceiling and are left out.
 */
export function levelUtilisation(items: LabelledResult[]): LevelUtilisation[] {
  const out: LevelUtilisation[] = [];
  for (const { label, result } of items) {
    for (const level of memoryLevels(result)) {
      const peak = deriveBandwidth(result, level);
      const traffic = result.total.memory[level];
      if (!peak || !traffic || !(result.total.seconds > 0)) continue;
      out.push({ run: label, level, achievedBytesPerSecond: (traffic.readBytes + traffic.writeBytes) / result.total.seconds, peakBytesPerSecond: peak.bytesPerSecond });
    }
  }
  return out;
}

/** Grouped horizontal bars: achieved ÷ peak bandwidth per memory level, one series per run. */
export function bandwidthUtilisationChart(items: LabelledResult[], id: string): ChartSpec | undefined {
  const rows = levelUtilisation(items);
  if (!rows.length) return undefined;
  const levels = [...new Set(rows.map((r) => r.level))];
  const runs = [...new Set(rows.map((r) => r.run))];
  const datasets = runs.map((run, i) => bar(run, levels.map((level) => {
    const row = rows.find((r) => r.run === run && r.level === level);
    return row ? row.achievedBytesPerSecond / row.peakBytesPerSecond : null;
  }), i));
  return {
    id,
    title: 'Bandwidth utilisation per memory level',
    subtitle: 'achieved bytes/s over the whole run ÷ the level\'s bandwidth ceiling',
    caption: 'Horizontal bars: how much of each level\'s bandwidth the run uses on average. The ceiling is the bandwidth the model applied where the level bounds an operator; a level that never bounds one has no ceiling and no bar.',
    notes: [],
    width: 900,
    height: heightFor(levels.length * Math.max(1, runs.length * 0.7)),
    config: {
      type: 'bar',
      data: { labels: levels, datasets },
      options: {
        indexAxis: 'y',
        scales: { x: { beginAtZero: true, max: 1, title: { text: 'achieved ÷ peak bandwidth (%)' } }, y: { ticks: { autoSkip: false } } },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { x: { kind: 'percent' } },
    table: { headers: ['run', 'level', 'achieved_B_per_s', 'peak_B_per_s', 'utilization_fraction'], rows: rows.map((r) => [r.run, r.level, r.achievedBytesPerSecond, r.peakBytesPerSecond, r.achievedBytesPerSecond / r.peakBytesPerSecond]) },
  };
}

export interface FormatStorage {
  format: string;
  valueBytes: number;
  metadataBytes: number;
  pointerBytes: number;
  paddingBytes: number;
}

/** Stacked bars, one per format: the weights' bytes as values, metadata, pointers and padding. */
export function storageChart(formats: FormatStorage[], id: string, context: string): ChartSpec {
  const parts = [
    ['values', (f: FormatStorage) => f.valueBytes],
    ['metadata', (f: FormatStorage) => f.metadataBytes],
    ['pointers', (f: FormatStorage) => f.pointerBytes],
    ['padding', (f: FormatStorage) => f.paddingBytes],
  ] as const;
  const used = parts.filter(([, get]) => formats.some((f) => get(f) > 0));
  return {
    id,
    title: 'Weight storage per format',
    subtitle: `${context} — every parameter weight of the workload, all instances`,
    caption: 'Stacked bars: bytes of the weights in each storage format, split into values, metadata (indices, bitmaps), pointers (row or tile offsets) and padding (explicit zeros and their metadata), as the model moves them.',
    notes: [],
    width: 900,
    height: heightFor(formats.length),
    config: stackedRuns(formats.map((f) => f.format), used.map(([name, get], i) => bar(name, formats.map(get), i)), 'bytes (B)'),
    axes: { x: { kind: 'eng', unit: 'B' } },
    table: { headers: ['format', 'value_bytes', 'metadata_bytes', 'pointer_bytes', 'padding_bytes'], rows: formats.map((f) => [f.format, f.valueBytes, f.metadataBytes, f.pointerBytes, f.paddingBytes]) },
  };
}
