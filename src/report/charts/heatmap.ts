// Sweep heatmaps: one metric over two swept parameters. chart.js has no matrix chart, so the cells
// are drawn by the runtime's heatmap plugin on a scatter chart whose linear axes put parameter
// value i at position i (ticks named by the values); invisible points at the cell centres carry
// the tooltips. The colour bar (viridis, dark → light) is the legend.

import type { SweepPoint } from '../../sweep/types.js';
import { METRICS, metricOf, paramValueLabel, type MetricName } from './metrics.js';

export { guessUnit, paramValueLabel } from './metrics.js';
import { capitalise, type ChartSpec } from './spec.js';

export type ParamValue = number | string | boolean;
export type Aggregate = 'min' | 'max' | 'mean';

export interface HeatmapMatrix {
  x: string;
  y: string;
  metric: MetricName;
  aggregate: Aggregate;
  xValues: ParamValue[];
  yValues: ParamValue[];
  /** values[yIndex][xIndex]: the aggregate over points with those two values, null if none. */
  values: Array<Array<number | null>>;
  /** How many successful points fell in each cell (> 1 when other parameters also vary). */
  counts: number[][];
}

/** Numbers ascending; otherwise in order of first appearance. */
export function axisValues(points: SweepPoint[], param: string): ParamValue[] {
  const seen: ParamValue[] = [];
  for (const p of points) {
    const v = p.params[param];
    if (v !== undefined && !seen.includes(v)) seen.push(v);
  }
  return seen.every((v) => typeof v === 'number') ? (seen as number[]).slice().sort((a, b) => a - b) : seen;
}

export function heatmapMatrix(points: SweepPoint[], x: string, y: string, metric: MetricName, aggregate: Aggregate = 'min'): HeatmapMatrix {
  const xValues = axisValues(points, x);
  const yValues = axisValues(points, y);
  const sums = yValues.map(() => xValues.map(() => ({ n: 0, sum: 0, min: Infinity, max: -Infinity })));
  for (const p of points) {
    const v = metricOf(p, metric);
    if (v === null) continue;
    const i = xValues.indexOf(p.params[x]);
    const j = yValues.indexOf(p.params[y]);
    if (i < 0 || j < 0) continue;
    const cell = sums[j][i];
    cell.n++;
    cell.sum += v;
    cell.min = Math.min(cell.min, v);
    cell.max = Math.max(cell.max, v);
  }
  const values = sums.map((row) => row.map((c) => (c.n === 0 ? null : aggregate === 'min' ? c.min : aggregate === 'max' ? c.max : c.sum / c.n)));
  return { x, y, metric, aggregate, xValues, yValues, values, counts: sums.map((row) => row.map((c) => c.n)) };
}

/** How parameter values are written on the axes; default paramValueLabel. */
export type ValueLabeller = (param: string, value: ParamValue) => string;

export function heatmapChart(matrix: HeatmapMatrix, id: string, context: string, label: ValueLabeller = paramValueLabel): ChartSpec {
  const info = METRICS[matrix.metric];
  const present = matrix.values.flat().filter((v): v is number => v !== null);
  const min = present.length ? Math.min(...present) : 0;
  const max = present.length ? Math.max(...present) : 1;
  const log = min > 0 && max / min > 100;
  const xLabels = matrix.xValues.map((v) => label(matrix.x, v));
  const yLabels = matrix.yValues.map((v) => label(matrix.y, v));
  const multiple = matrix.counts.some((row) => row.some((n) => n > 1));
  const notes: string[] = [];
  if (multiple) notes.push(`Other swept parameters vary within a cell; each cell shows the ${matrix.aggregate} over its points.`);
  const empty = matrix.values.flat().filter((v) => v === null).length;
  if (empty) notes.push(`${empty} cell(s) have no successful design point (cross-hatched).`);
  const cells: Array<{ x: number; y: number }> = [];
  matrix.values.forEach((row, j) => row.forEach((_, i) => cells.push({ x: i, y: j })));
  return {
    id,
    title: `${capitalise(info.label.replace(/ \(.*\)$/, ''))} over ${matrix.x} × ${matrix.y}`,
    subtitle: `${context} — ${info.lowerIsBetter ? 'lower' : 'higher'} is better${multiple ? `; ${matrix.aggregate} over the other parameters` : ''}`,
    caption: `Each cell is one (${matrix.x}, ${matrix.y}) pair of the sweep, coloured by ${info.label} on a ${log ? 'logarithmic' : 'linear'} viridis scale (dark = low, light = high) and labelled with its value.`,
    notes,
    width: 800,
    height: Math.max(420, Math.min(900, 170 + yLabels.length * 42)),
    config: {
      type: 'scatter',
      data: {
        datasets: [{ label: info.label, type: 'scatter', data: cells, pointRadius: 0, pointHitRadius: 18, pointStyle: 'rect', backgroundColor: 'rgba(0,0,0,0)', borderColor: 'rgba(0,0,0,0)', showLine: false }],
      },
      options: {
        layout: { padding: { left: 8, right: 110, top: 8, bottom: 8 } },
        scales: {
          x: { type: 'linear', min: -0.5, max: xLabels.length - 0.5, offset: false, grid: { display: false }, ticks: { stepSize: 1, autoSkip: false, maxRotation: 45 }, title: { text: matrix.x } },
          y: { type: 'linear', min: -0.5, max: yLabels.length - 0.5, offset: false, grid: { display: false }, ticks: { stepSize: 1, autoSkip: false }, title: { text: matrix.y } },
        },
        plugins: { legend: { display: false } },
      },
    },
    axes: { x: { kind: 'labels', labels: xLabels }, y: { kind: 'labels', labels: yLabels } },
    heatmap: { xLabels, yLabels, values: matrix.values, min, max, log, format: info.format, label: info.label },
    table: {
      headers: [`${matrix.y} \\ ${matrix.x}`, ...xLabels],
      rows: matrix.values.map((row, j) => [yLabels[j], ...row]),
    },
  };
}
