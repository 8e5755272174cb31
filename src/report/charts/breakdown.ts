// Per-operator breakdowns of one Result (energy by component, compute vs stall cycles, time per
// layer) and comparisons of several Results (totals per target, per-operator time per target).
// Values are read from the Result as they are; nothing is recomputed.

import type { OperatorResult, Result } from '../../core/types.js';
import { cycles, engineering, percent, pJ } from '../units.js';
import { seriesStyle } from './palette.js';
import type { ChartSpec, DatasetSpec } from './spec.js';

/** "layer3.conv ×3" for repeated operators, as the text reporters write it. */
export function operatorLabel(op: Pick<OperatorResult, 'name' | 'count'>): string {
  return op.count > 1 ? `${op.name} ×${op.count}` : op.name;
}

/** "TPU v1 × ResNet-18" — the default label of a Result. */
export function resultLabel(result: Result): string {
  return `${result.arch.name} × ${result.workload.name}`;
}

function barDataset(label: string, data: Array<number | null>, index: number, extra: Record<string, unknown> = {}): DatasetSpec {
  const style = seriesStyle(index);
  return { label, type: 'bar', data, hatch: { color: style.color, pattern: style.pattern }, borderColor: '#333333', borderWidth: 1, ...extra };
}

/** Chart height that keeps per-operator bars readable for long workloads. */
function heightFor(bars: number, base = 480): number {
  return Math.max(base, Math.min(1400, 140 + bars * 26));
}

/** Stacked bars: energy per component per operator (J). */
export function energyBreakdownChart(result: Result, id: string): ChartSpec {
  const components: string[] = [];
  for (const op of result.operators) for (const c of Object.keys(op.energy.components)) if (!components.includes(c)) components.push(c);
  const labels = result.operators.map(operatorLabel);
  const datasets = components.map((component, i) => barDataset(component, result.operators.map((op) => op.energy.components[component] ?? 0), i));
  return {
    id,
    title: 'Energy by component per operator',
    subtitle: `${resultLabel(result)} — total ${engineering(result.total.energy.totalJ, 'J')}, ${pJ(result.total.pJPerMac.dense, result.total.macs.dense)} per dense-equivalent MAC`,
    caption: 'Stacked bars: each operator\'s energy split by component (sum of action count × energy per action, all instances of repeated operators included).',
    notes: [],
    width: 800,
    height: 500,
    config: stackedOperatorBars(labels, datasets, 'energy (J)'),
    axes: { y: { kind: 'eng', unit: 'J' } },
    table: {
      headers: ['operator', 'count', ...components.map((c) => `${c}_J`), 'total_J'],
      rows: result.operators.map((op) => [op.name, op.count, ...components.map((c) => op.energy.components[c] ?? 0), op.energy.totalJ]),
    },
  };
}

/** Stacked bars: compute cycles and stall cycles per operator. */
export function cycleBreakdownChart(result: Result, id: string): ChartSpec {
  const labels = result.operators.map(operatorLabel);
  const datasets = [
    barDataset('compute cycles', result.operators.map((op) => op.computeCycles), 0),
    barDataset('stall cycles', result.operators.map((op) => op.stallCycles), 3),
  ];
  const t = result.total;
  return {
    id,
    title: 'Compute and stall cycles per operator',
    subtitle: `${resultLabel(result)} — ${cycles(t.cycles)} total, ${percent(t.cycles > 0 ? t.stallCycles / t.cycles : 0)} stalled`,
    caption: 'Stacked bars: cycles the compute array is busy and cycles it waits (stalls on memory, fill/drain as the family reports them); the bar height is the operator\'s cycles.',
    notes: [],
    width: 800,
    height: 500,
    config: stackedOperatorBars(labels, datasets, 'cycles'),
    axes: { y: { kind: 'eng', unit: 'cycles' } },
    table: {
      headers: ['operator', 'count', 'compute_cycles', 'stall_cycles', 'cycles', 'bottleneck'],
      rows: result.operators.map((op) => [op.name, op.count, op.computeCycles, op.stallCycles, op.cycles, op.bottleneck]),
    },
  };
}

/** Horizontal bars: time per operator, one series per bottleneck so the cause reads off the bar. */
export function layerTimeChart(result: Result, id: string): ChartSpec {
  const labels = result.operators.map(operatorLabel);
  const groups = [...new Set(result.operators.map((op) => op.bottleneck))];
  const datasets = groups.map((group, g) => barDataset(`bound by ${group}`, result.operators.map((op) => (op.bottleneck === group ? op.seconds : null)), g));
  return {
    id,
    title: 'Time per operator',
    subtitle: `${resultLabel(result)} — total ${engineering(result.total.seconds, 's')}; bar pattern = the operator's bottleneck`,
    caption: 'Horizontal bars: seconds per operator (all instances of repeated operators), grouped by the bottleneck the model names.',
    notes: [],
    width: 800,
    height: heightFor(labels.length),
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        scales: {
          x: { stacked: true, beginAtZero: true, title: { text: 'time (s)' } },
          y: { stacked: true, title: { text: 'operator' }, ticks: { autoSkip: false } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { x: { kind: 'eng', unit: 's' } },
    table: {
      headers: ['operator', 'count', 'seconds_s', 'bottleneck'],
      rows: result.operators.map((op) => [op.name, op.count, op.seconds, op.bottleneck]),
    },
  };
}

export interface LabelledResult {
  label: string;
  result: Result;
}

/** Grouped bars: total time and energy per target, each normalised to the first target. */
export function totalsComparisonChart(items: LabelledResult[], id: string): ChartSpec {
  const base = items[0].result.total;
  const labels = items.map((i) => i.label);
  const datasets = [
    barDataset('time', items.map((i) => (base.seconds > 0 ? i.result.total.seconds / base.seconds : null)), 0),
    barDataset('energy', items.map((i) => (base.energy.totalJ > 0 ? i.result.total.energy.totalJ / base.energy.totalJ : null)), 1),
  ];
  // On one workload energy per dense MAC is energy ÷ the same MAC count: the same bars again.
  const perMac = new Set(items.map((i) => i.result.total.macs.dense)).size > 1;
  if (perMac) {
    datasets.push(barDataset('energy per dense MAC', items.map((i) => (base.pJPerMac.dense > 0 ? i.result.total.pJPerMac.dense / base.pJPerMac.dense : null)), 2));
  }
  return {
    id,
    title: 'Time and energy per target',
    subtitle: `relative to ${items[0].label} (= 1×); lower is better`,
    caption: `Grouped bars: each target's total time${perMac ? ', total energy and pJ per dense-equivalent MAC' : ' and total energy'} divided by the first target's.`,
    notes: [],
    width: 800,
    height: 460,
    config: {
      type: 'bar',
      data: { labels, datasets },
      options: {
        scales: {
          x: { title: { text: 'target' } },
          y: { beginAtZero: true, title: { text: `relative to ${items[0].label} (×)` } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { y: { kind: 'ratio' } },
    table: {
      headers: ['target', 'seconds_s', 'energy_J', 'pJ_per_dense_MAC', 'relative_time', 'relative_energy'],
      rows: items.map((i) => [i.label, i.result.total.seconds, i.result.total.energy.totalJ, i.result.total.pJPerMac.dense, base.seconds > 0 ? i.result.total.seconds / base.seconds : null, base.energy.totalJ > 0 ? i.result.total.energy.totalJ / base.energy.totalJ : null]),
    },
  };
}

/** Grouped horizontal bars: time per operator per target (operators matched by name). */
export function operatorTimeComparisonChart(items: LabelledResult[], id: string): ChartSpec {
  const names: string[] = [];
  for (const item of items) for (const op of item.result.operators) if (!names.includes(op.name)) names.push(op.name);
  const datasets = items.map((item, i) => barDataset(item.label, names.map((n) => item.result.operators.find((op) => op.name === n)?.seconds ?? null), i));
  return {
    id,
    title: 'Time per operator and target',
    subtitle: 'operators matched by name; missing bars = operator absent on that target',
    caption: 'Grouped horizontal bars: seconds per operator (all instances) on each target.',
    notes: [],
    width: 800,
    height: heightFor(names.length * Math.max(1, items.length * 0.6)),
    config: {
      type: 'bar',
      data: { labels: names, datasets },
      options: {
        indexAxis: 'y',
        scales: {
          x: { beginAtZero: true, title: { text: 'time (s)' } },
          y: { title: { text: 'operator' }, ticks: { autoSkip: false } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { x: { kind: 'eng', unit: 's' } },
    table: {
      headers: ['operator', ...items.map((i) => `${i.label}_s`)],
      rows: names.map((n) => [n, ...items.map((item) => item.result.operators.find((op) => op.name === n)?.seconds ?? null)]),
    },
  };
}

/** chart.js config shared by the per-operator stacked bar charts. */
function stackedOperatorBars(labels: string[], datasets: ReturnType<typeof barDataset>[], yTitle: string): ChartSpec['config'] {
  return {
    type: 'bar',
    data: { labels, datasets },
    options: {
      scales: {
        x: { stacked: true, title: { text: 'operator (×count = repeated instances)' }, ticks: { autoSkip: false, maxRotation: 60 } },
        y: { stacked: true, beginAtZero: true, title: { text: yTitle } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}
