// Speedup over dense versus sparsity, per storage format and target. The input is plain
// observations (target, format, sparsity, seconds) so it can come from several Results, from sweep
// points, or from a study a caller assembles; speedup = the baseline format's time on the same
// target at the same sparsity ÷ the format's time.

import type { Result } from '../../core/types.js';
import type { SweepPoint } from '../../sweep/types.js';
import { seriesStyle, DASHES, NEUTRAL } from './palette.js';
import type { ChartSpec, DatasetSpec } from './spec.js';

export interface SpeedupObservation {
  target: string;
  format: string;
  /** Fraction of zeros, 0–1. */
  sparsity: number;
  seconds: number;
}

export interface SpeedupPoint {
  sparsity: number;
  speedup: number;
  seconds: number;
  baselineSeconds: number;
}

export interface SpeedupSeries {
  target: string;
  format: string;
  points: SpeedupPoint[];
}

/**
 * One series per (target, format ≠ baseline), points sorted by sparsity. When a target has no
 * baseline run at some sparsity but exactly one baseline run overall (dense time does not depend on
 * the zeros when nothing skips them), that run is used, and a note says so; otherwise the point is
 * dropped with a note.
 */
export function speedupSeries(observations: SpeedupObservation[], baselineFormat = 'dense'): { series: SpeedupSeries[]; notes: string[] } {
  const notes: string[] = [];
  const targets = [...new Set(observations.map((o) => o.target))];
  const formats = [...new Set(observations.map((o) => o.format))].filter((f) => f !== baselineFormat);
  const series: SpeedupSeries[] = [];
  for (const target of targets) {
    const baselines = observations.filter((o) => o.target === target && o.format === baselineFormat && o.seconds > 0);
    let borrowed = false;
    const dropped: number[] = [];
    for (const format of formats) {
      const points: SpeedupPoint[] = [];
      for (const o of observations.filter((x) => x.target === target && x.format === format && x.seconds > 0)) {
        let base = baselines.find((b) => b.sparsity === o.sparsity);
        if (!base && baselines.length === 1) {
          base = baselines[0];
          borrowed = true;
        }
        if (!base) {
          dropped.push(o.sparsity);
          continue;
        }
        points.push({ sparsity: o.sparsity, speedup: base.seconds / o.seconds, seconds: o.seconds, baselineSeconds: base.seconds });
      }
      points.sort((a, b) => a.sparsity - b.sparsity);
      if (points.length) series.push({ target, format, points });
    }
    const where = target ? ` on ${target}` : '';
    if (borrowed) notes.push(`${baselineFormat}${where} ran at one sparsity only; its time is the baseline at every sparsity.`);
    if (dropped.length) notes.push(`No ${baselineFormat} baseline${where} at sparsity ${[...new Set(dropped)].map((s) => `${Math.round(s * 1000) / 10} %`).join(', ')}; those points are left out.`);
  }
  return { series, notes };
}

/**
 * Observations from whole Results. A Result does not record which format or sparsity its workload
 * used, so the caller says (it knows what it ran); the target defaults to the architecture's name.
 */
export function observationsFromResults(runs: Array<{ result: Result; format: string; sparsity: number; target?: string }>): SpeedupObservation[] {
  return runs.map((r) => ({ target: r.target ?? r.result.arch.name, format: r.format, sparsity: r.sparsity, seconds: r.result.total.seconds }));
}

export interface PointFields {
  /** Swept parameter holding the sparsity (fraction of zeros) or, with `isDensity`, the density. */
  sparsityParam: string;
  isDensity?: boolean;
  formatParam: string;
  /** Parameter naming the target; without it all points are one target (''). */
  targetParam?: string;
}

/** Observations from sweep points (successful ones with the needed parameters). */
export function observationsFromPoints(points: SweepPoint[], fields: PointFields): SpeedupObservation[] {
  const out: SpeedupObservation[] = [];
  for (const p of points) {
    if (p.status !== 'ok' || !p.metrics) continue;
    const s = p.params[fields.sparsityParam];
    const f = p.params[fields.formatParam];
    if (typeof s !== 'number' || f === undefined) continue;
    out.push({
      target: fields.targetParam !== undefined ? String(p.params[fields.targetParam] ?? '') : '',
      format: String(f),
      sparsity: fields.isDensity ? 1 - s : s,
      seconds: p.metrics.seconds,
    });
  }
  return out;
}

export function speedupChart(series: SpeedupSeries[], id: string, context: string, baselineFormat = 'dense', notes: string[] = []): ChartSpec {
  const formats = [...new Set(series.map((s) => s.format))];
  const targets = [...new Set(series.map((s) => s.target))];
  const xs = series.flatMap((s) => s.points.map((p) => p.sparsity));
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const datasets: DatasetSpec[] = [
    {
      label: `${baselineFormat} baseline (1×)`,
      type: 'line',
      data: [{ x: xMin, y: 1 }, { x: xMax, y: 1 }],
      borderColor: NEUTRAL.reference,
      backgroundColor: NEUTRAL.reference,
      borderWidth: 1,
      borderDash: [],
      pointRadius: 0,
      pointStyle: false,
      showLine: true,
    },
  ];
  for (const s of series) {
    const style = seriesStyle(formats.indexOf(s.format));
    // Colour and marker follow the format, the dash pattern follows the target.
    const dash = targets.length > 1 ? [...DASHES[targets.indexOf(s.target) % DASHES.length]] : [];
    datasets.push({
      label: s.target && targets.length > 1 ? `${s.format} on ${s.target}` : s.format,
      type: 'line',
      data: s.points.map((p) => ({ x: p.sparsity, y: p.speedup })),
      borderColor: style.color,
      backgroundColor: style.color,
      pointBackgroundColor: style.color,
      pointBorderColor: '#000000',
      pointBorderWidth: 1,
      pointStyle: style.marker,
      pointRadius: 5,
      borderWidth: 2.5,
      borderDash: dash,
      showLine: true,
    });
  }
  return {
    id,
    title: 'Speedup over dense vs sparsity',
    subtitle: `${context} — colour and marker = format${targets.length > 1 ? ', dash = target' : ''}`,
    caption: `Speedup = time of the ${baselineFormat} format ÷ time of the format, on the same target at the same sparsity (fraction of zero values in the sparse operand). Above 1× the format pays off.`,
    notes,
    width: 800,
    height: 500,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        scales: {
          x: { type: 'linear', min: xMin, max: xMax, title: { text: 'sparsity (% of values that are zero)' }, ticks: { maxRotation: 0 } },
          y: { type: 'linear', beginAtZero: true, title: { text: `speedup over ${baselineFormat} (×)` } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { x: { kind: 'percent' }, y: { kind: 'ratio' } },
    table: {
      headers: ['target', 'format', 'sparsity', 'seconds_s', `${baselineFormat}_seconds_s`, 'speedup'],
      rows: series.flatMap((s) => s.points.map((p) => [s.target, s.format, p.sparsity, p.seconds, p.baselineSeconds, p.speedup])),
    },
  };
}
