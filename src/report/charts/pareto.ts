// Pareto fronts of design points over two metrics, and the scatter chart that highlights them.

import type { SweepPoint } from '../../sweep/types.js';
import { METRICS, metricOf, paramsText, type MetricName } from './metrics.js';
import { NEUTRAL } from './palette.js';
import { capitalise, type ChartSpec } from './spec.js';

export interface ParetoOptions {
  /** Default true: smaller x is better. */
  minimizeX?: boolean;
  /** Default true: smaller y is better. */
  minimizeY?: boolean;
}

/**
 * Indices of the non-dominated points, ordered by x from best to worst. A point dominates another
 * when it is at least as good in both coordinates and strictly better in one; identical points do
 * not dominate each other, so duplicates on the front are all kept. Non-finite points are ignored.
 * O(n log n): sort by x (best first, ties by y best first), then sweep keeping the best y so far.
 */
export function paretoFront(points: ReadonlyArray<{ x: number; y: number }>, options: ParetoOptions = {}): number[] {
  const sx = options.minimizeX === false ? -1 : 1;
  const sy = options.minimizeY === false ? -1 : 1;
  const order = points
    .map((p, i) => ({ x: sx * p.x, y: sy * p.y, i }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y))
    .sort((a, b) => a.x - b.x || a.y - b.y || a.i - b.i);
  const front: number[] = [];
  let bestY = Infinity;
  let last: { x: number; y: number } | null = null;
  for (const p of order) {
    if (p.y < bestY) {
      front.push(p.i);
      bestY = p.y;
      last = p;
    } else if (last && p.x === last.x && p.y === last.y) {
      front.push(p.i); // an exact duplicate of a front point
    }
  }
  return front;
}

export interface ParetoChartOptions {
  x: MetricName;
  y: MetricName;
  /** Axis order for describing points (the run's axes). */
  paramOrder?: string[];
  context: string;
}

function wideRange(values: number[]): boolean {
  const positive = values.filter((v) => v > 0);
  return positive.length === values.length && positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 50;
}

export function paretoChart(points: SweepPoint[], id: string, options: ParetoChartOptions): { chart: ChartSpec; front: SweepPoint[] } {
  const mx = METRICS[options.x];
  const my = METRICS[options.y];
  const usable = points
    .map((p) => ({ point: p, x: metricOf(p, options.x), y: metricOf(p, options.y) }))
    .filter((u): u is { point: SweepPoint; x: number; y: number } => u.x !== null && u.y !== null);
  const frontIdx = paretoFront(usable, { minimizeX: mx.lowerIsBetter, minimizeY: my.lowerIsBetter });
  const onFront = new Set(frontIdx);
  const dominated = usable.filter((_, i) => !onFront.has(i));
  const front = frontIdx.map((i) => usable[i]);
  const xs = usable.map((u) => u.x);
  const ys = usable.map((u) => u.y);
  const chart: ChartSpec = {
    id,
    title: `Pareto front: ${capitalise(mx.label.replace(/ \(.*\)$/, ''))} vs ${my.label.replace(/ \(.*\)$/, '')}`,
    subtitle: `${options.context} — ${front.length} of ${usable.length} design points are Pareto-optimal (${mx.lowerIsBetter ? 'lower' : 'higher'} x and ${my.lowerIsBetter ? 'lower' : 'higher'} y are better)`,
    caption: `Every successful design point of the sweep; the non-dominated ones (no other point is at least as good in both metrics and better in one) are joined by the dashed staircase and labelled with their point index (the Pareto table lists their parameters).`,
    notes: [],
    width: 800,
    height: 500,
    config: {
      type: 'scatter',
      data: {
        datasets: [
          {
            label: `Pareto front (${front.length})`,
            type: 'scatter',
            data: front.map((u) => ({ x: u.x, y: u.y, name: paramsText(u.point, options.paramOrder), label: `#${u.point.index}` })),
            pointLabels: true,
            showLine: true,
            stepped: mx.lowerIsBetter === my.lowerIsBetter ? 'after' : 'before',
            borderColor: '#D55E00',
            borderDash: [6, 3],
            borderWidth: 2,
            backgroundColor: '#D55E00',
            pointBackgroundColor: '#D55E00',
            pointBorderColor: '#000000',
            pointBorderWidth: 1.2,
            pointStyle: 'triangle',
            pointRadius: 7,
            order: 0,
          },
          {
            label: `dominated design points (${dominated.length})`,
            type: 'scatter',
            data: dominated.map((u) => ({ x: u.x, y: u.y, name: paramsText(u.point, options.paramOrder) })),
            showLine: false,
            borderColor: '#555555',
            backgroundColor: NEUTRAL.dominated,
            pointBackgroundColor: NEUTRAL.dominated,
            pointBorderColor: '#555555',
            pointBorderWidth: 0.8,
            pointStyle: 'circle',
            pointRadius: 3,
            order: 1,
          },
        ],
      },
      options: {
        scales: {
          x: { type: wideRange(xs) ? 'logarithmic' : 'linear', title: { text: mx.label }, ticks: { maxRotation: 0 } },
          y: { type: wideRange(ys) ? 'logarithmic' : 'linear', title: { text: my.label } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { x: mx.format, y: my.format },
    table: {
      headers: ['index', 'parameters', 'workload', options.x, options.y, 'pareto_optimal'],
      rows: usable.map((u, i) => [u.point.index, paramsText(u.point, options.paramOrder), u.point.workload, u.x, u.y, onFront.has(i) ? 1 : 0]),
    },
  };
  return { chart, front: front.map((u) => u.point) };
}
