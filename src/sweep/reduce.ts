// Reducers over a sweep's points (pure: points in, plain data out) and their renderings.
// Only points with status 'ok' and a finite value of every metric involved take part. Points of
// different workloads are never compared: every reducer works per workload.
//
// Metrics are the numeric PointMetrics keys. Every metric is minimised unless written `max:KEY`
// (e.g. `max:utilization`).
//  - Pareto front: the points no other point dominates, where q dominates p when q is no worse in
//    every metric and strictly better in at least one. Ties: points with identical metric vectors
//    do not dominate each other, so all of them are on the front. Sorted by the metrics in order
//    (then by index).
//  - Best: the point with the lowest (highest for max:) metric; ties go to the lowest index.
//  - Sensitivity of metric m to swept parameter p: group the points by their value of p (all other
//    parameters vary freely — marginal means, nothing is held fixed), take the mean of m per group,
//    and report ratio = max(mean) / min(mean) with the values where they occur. A ratio of 1 means
//    m does not depend on p on average; it is Infinity when the smallest mean is 0 and the largest
//    is not (and 1 when both are 0). Rows sorted by ratio, largest first.

import { inputError, didYouMean } from '../spec/errors.js';
import { engineering, percent, pJ, count, ratio, significant } from '../report/units.js';
import { paramText } from '../report/param-units.js';
import type { PointMetrics, SweepPoint } from './types.js';

export const NUMERIC_METRICS = ['cycles', 'seconds', 'energyJ', 'pJPerMac', 'utilization', 'macs', 'dramBytes', 'stallCycles', 'peakMacsPerCycle', 'onChipBytes', 'areaMm2', 'perfPerArea', 'dspFraction', 'lutFraction'] as const;
export type NumericMetric = (typeof NUMERIC_METRICS)[number];

export interface MetricSpec {
  key: NumericMetric;
  sense: 'min' | 'max';
}

/** `cycles,energyJ,max:utilization` → metric specs; unknown names are an InputError with a hint. */
export function parseMetrics(text: string, option: string): MetricSpec[] {
  return text.split(',').map((raw) => {
    const item = raw.trim();
    const max = /^max:/.test(item);
    const key = item.replace(/^(max|min):/, '');
    if (!(NUMERIC_METRICS as readonly string[]).includes(key)) {
      throw inputError({ file: '<command line>', keyPath: option, message: `unknown metric '${key}'`, expected: `one of ${NUMERIC_METRICS.join(', ')} (prefix max: to maximise)`, hint: didYouMean(key, NUMERIC_METRICS) });
    }
    return { key: key as NumericMetric, sense: max ? 'max' : 'min' };
  });
}

const label = (m: MetricSpec) => (m.sense === 'max' ? `max:${m.key}` : m.key);

function valueOf(point: SweepPoint, key: NumericMetric): number | undefined {
  const value = point.metrics?.[key as keyof PointMetrics];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** OK points with finite values of every metric, grouped by workload (in first-seen order). */
function byWorkload(points: readonly SweepPoint[], metrics: readonly NumericMetric[]): Map<string, SweepPoint[]> {
  const groups = new Map<string, SweepPoint[]>();
  for (const point of points) {
    if (point.status !== 'ok' || metrics.some((m) => valueOf(point, m) === undefined)) continue;
    let group = groups.get(point.workload);
    if (!group) groups.set(point.workload, (group = []));
    group.push(point);
  }
  return groups;
}

export interface ParetoFront {
  workload: string;
  /** OK points considered. */
  considered: number;
  points: SweepPoint[];
}

export function paretoFront(points: readonly SweepPoint[], metrics: readonly MetricSpec[]): ParetoFront[] {
  if (metrics.length < 1) throw inputError({ file: '<command line>', keyPath: '--pareto', message: 'no metrics', expected: '2 or 3 metrics, e.g. cycles,energyJ' });
  const fronts: ParetoFront[] = [];
  for (const [workload, group] of byWorkload(points, metrics.map((m) => m.key))) {
    // Minimisation vectors; sorting lexicographically puts every dominator before what it dominates.
    const vectors = group.map((point) => ({ point, v: metrics.map((m) => (m.sense === 'max' ? -1 : 1) * valueOf(point, m.key)!) }));
    vectors.sort((a, b) => {
      for (let i = 0; i < a.v.length; i++) if (a.v[i] !== b.v[i]) return a.v[i] - b.v[i];
      return a.point.index - b.point.index;
    });
    const front: typeof vectors = [];
    for (const candidate of vectors) {
      const dominated = front.some((q) => q.v.every((x, i) => x <= candidate.v[i]) && q.v.some((x, i) => x < candidate.v[i]));
      if (!dominated) front.push(candidate);
    }
    fronts.push({ workload, considered: group.length, points: front.map((f) => f.point) });
  }
  return fronts;
}

export interface BestPoint {
  workload: string;
  considered: number;
  point: SweepPoint;
  value: number;
}

export function bestPoints(points: readonly SweepPoint[], metric: MetricSpec): BestPoint[] {
  const result: BestPoint[] = [];
  for (const [workload, group] of byWorkload(points, [metric.key])) {
    let best = group[0];
    for (const point of group) {
      const a = valueOf(point, metric.key)!;
      const b = valueOf(best, metric.key)!;
      const better = metric.sense === 'max' ? a > b : a < b;
      if (better || (a === b && point.index < best.index)) best = point;
    }
    result.push({ workload, considered: group.length, point: best, value: valueOf(best, metric.key)! });
  }
  return result;
}

export interface SensitivityRow {
  workload: string;
  parameter: string;
  /** Distinct values of the parameter among the points. */
  values: number;
  minMean: number;
  minAt: number | string | boolean;
  maxMean: number;
  maxAt: number | string | boolean;
  /** maxMean / minMean. */
  ratio: number;
}

export function sensitivity(points: readonly SweepPoint[], metric: MetricSpec): SensitivityRow[] {
  const rows: SensitivityRow[] = [];
  for (const [workload, group] of byWorkload(points, [metric.key])) {
    const parameters = [...new Set(group.flatMap((p) => Object.keys(p.params)))];
    for (const parameter of parameters) {
      const sums = new Map<string, { value: number | string | boolean; sum: number; n: number }>();
      for (const point of group) {
        if (!(parameter in point.params)) continue;
        const value = point.params[parameter];
        const key = `${typeof value}:${String(value)}`;
        const slot = sums.get(key) ?? { value, sum: 0, n: 0 };
        slot.sum += valueOf(point, metric.key)!;
        slot.n++;
        sums.set(key, slot);
      }
      const means = [...sums.values()].map((s) => ({ value: s.value, mean: s.sum / s.n }));
      if (!means.length) continue;
      let lo = means[0];
      let hi = means[0];
      for (const m of means) {
        if (m.mean < lo.mean) lo = m;
        if (m.mean > hi.mean) hi = m;
      }
      const ratio = hi.mean === lo.mean ? 1 : lo.mean > 0 ? hi.mean / lo.mean : Infinity;
      rows.push({ workload, parameter, values: means.length, minMean: lo.mean, minAt: lo.value, maxMean: hi.mean, maxAt: hi.value, ratio });
    }
  }
  return rows.sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : b.ratio - a.ratio || (a.parameter < b.parameter ? -1 : 1)));
}

// ---- rendering --------------------------------------------------------------------------------

export type ReduceFormat = 'table' | 'json' | 'csv';
export const REDUCE_FORMATS: readonly ReduceFormat[] = ['table', 'json', 'csv'];

const UNIT: Record<NumericMetric, string> = {
  cycles: 'cycles',
  seconds: 's',
  energyJ: 'J',
  pJPerMac: 'pJ/MAC',
  utilization: '',
  macs: 'MAC',
  dramBytes: 'B',
  stallCycles: 'cycles',
  peakMacsPerCycle: 'MAC/cycle',
  onChipBytes: 'B',
  areaMm2: 'mm²',
  perfPerArea: 'MAC/s/mm²',
  dspFraction: '',
  lutFraction: '',
};

const COUNTS: ReadonlySet<NumericMetric> = new Set(['cycles', 'macs', 'dramBytes', 'stallCycles', 'onChipBytes']);

/** Numbers for people: engineering notation with the metric's unit (counts whole below 10,000). */
export function formatMetric(key: NumericMetric, value: number): string {
  if (key === 'utilization' || key === 'dspFraction' || key === 'lutFraction') return percent(value);
  if (key === 'pJPerMac') return `${pJ(value)}/MAC`;
  // Areas are quoted in mm² whatever their size (no prefixes on a squared unit).
  if (key === 'areaMm2') return `${significant(value, 3)} mm²`;
  return COUNTS.has(key) ? count(value, UNIT[key]) : engineering(value, UNIT[key]);
}

/** Swept values with the unit their declaration gives (`51.2 GB/s`, `1 MiB`). */
const formatParam = (key: string, value: unknown): string => paramText(key, value);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'number' && !Number.isFinite(value) ? String(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csv = (headers: string[], rows: unknown[][]) => [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

const paramKeys = (points: readonly SweepPoint[]) => [...new Set(points.flatMap((p) => Object.keys(p.params)))];

export function renderPareto(fronts: readonly ParetoFront[], metrics: readonly MetricSpec[], format: ReduceFormat): string {
  if (format === 'json') return JSON.stringify({ kind: 'pareto', metrics: metrics.map(label), fronts }, null, 2) + '\n';
  const all = fronts.flatMap((f) => f.points);
  const params = paramKeys(all);
  const headers = ['workload', 'index', ...params, ...metrics.map(label)];
  if (format === 'csv') return csv(headers, all.map((p) => [p.workload, p.index, ...params.map((k) => p.params[k]), ...metrics.map((m) => valueOf(p, m.key))]));
  const rows = all.map((p) => [p.workload, String(p.index), ...params.map((k) => (k in p.params ? formatParam(k, p.params[k]) : '')), ...metrics.map((m) => formatMetric(m.key, valueOf(p, m.key)!))]);
  const notes = fronts.map((f) => `${f.workload}: ${f.points.length} Pareto-optimal of ${f.considered} ok points (minimising ${metrics.map(label).join(', ')})`);
  return table(headers, rows) + notes.join('\n') + '\n';
}

export function renderBest(best: readonly BestPoint[], metric: MetricSpec, format: ReduceFormat): string {
  if (format === 'json') return JSON.stringify({ kind: 'best', metric: label(metric), best }, null, 2) + '\n';
  const params = paramKeys(best.map((b) => b.point));
  const headers = ['workload', 'index', label(metric), ...params, 'of ok points'];
  if (format === 'csv') return csv(headers, best.map((b) => [b.workload, b.point.index, b.value, ...params.map((k) => b.point.params[k]), b.considered]));
  return table(headers, best.map((b) => [b.workload, String(b.point.index), formatMetric(metric.key, b.value), ...params.map((k) => (k in b.point.params ? formatParam(k, b.point.params[k]) : '')), String(b.considered)]));
}

export function renderSensitivity(rows: readonly SensitivityRow[], metric: MetricSpec, format: ReduceFormat): string {
  if (format === 'json') {
    // JSON has no Infinity: an unbounded ratio is written as null.
    return JSON.stringify({ kind: 'sensitivity', metric: metric.key, rows: rows.map((r) => ({ ...r, ratio: Number.isFinite(r.ratio) ? r.ratio : null })) }, null, 2) + '\n';
  }
  const headers = ['workload', 'parameter', 'values', `min mean ${metric.key}`, 'at', `max mean ${metric.key}`, 'at', 'max/min'];
  if (format === 'csv') return csv(['workload', 'parameter', 'values', 'min_mean', 'min_at', 'max_mean', 'max_at', 'ratio'], rows.map((r) => [r.workload, r.parameter, r.values, r.minMean, r.minAt, r.maxMean, r.maxAt, r.ratio]));
  return (
    table(
      headers,
      rows.map((r) => [r.workload, r.parameter, String(r.values), formatMetric(metric.key, r.minMean), formatParam(r.parameter, r.minAt), formatMetric(metric.key, r.maxMean), formatParam(r.parameter, r.maxAt), Number.isFinite(r.ratio) ? ratio(r.ratio) : '∞']),
    ) + `sensitivity = max/min over a parameter's values of the mean ${metric.key} of the ok points with that value (other parameters not held fixed)\n`
  );
}
