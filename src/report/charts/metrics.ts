// Sweep point metrics by name, with the SI value to plot and how to write it.

import type { PointMetrics, SweepPoint } from '../../sweep/types.js';
import type { ValueFormat } from './spec.js';
import { paramText, paramUnit } from '../param-units.js';

export type MetricName = Exclude<keyof PointMetrics, 'bottleneck'>;

export interface MetricInfo {
  /** Axis title with unit. */
  label: string;
  format: ValueFormat;
  /** Lower is better (for Pareto fronts and the heatmap's caption). */
  lowerIsBetter: boolean;
  /** The SI value (pJ/MAC becomes J/MAC so engineering notation prints "1.8 pJ/MAC"). */
  value(metrics: PointMetrics): number;
}

export const METRICS: Record<MetricName, MetricInfo> = {
  cycles: { label: 'cycles', format: { kind: 'eng', unit: 'cycles' }, lowerIsBetter: true, value: (m) => m.cycles },
  seconds: { label: 'time (s)', format: { kind: 'eng', unit: 's' }, lowerIsBetter: true, value: (m) => m.seconds },
  energyJ: { label: 'energy (J)', format: { kind: 'eng', unit: 'J' }, lowerIsBetter: true, value: (m) => m.energyJ },
  pJPerMac: { label: 'energy per dense-equivalent MAC (J/MAC)', format: { kind: 'eng', unit: 'J/MAC' }, lowerIsBetter: true, value: (m) => m.pJPerMac * 1e-12 },
  utilization: { label: 'utilisation (%)', format: { kind: 'percent' }, lowerIsBetter: false, value: (m) => m.utilization },
  macs: { label: 'MACs (dense-equivalent)', format: { kind: 'eng', unit: 'MAC' }, lowerIsBetter: false, value: (m) => m.macs },
  dramBytes: { label: 'DRAM traffic (B)', format: { kind: 'eng', unit: 'B' }, lowerIsBetter: true, value: (m) => m.dramBytes },
  stallCycles: { label: 'stall cycles', format: { kind: 'eng', unit: 'cycles' }, lowerIsBetter: true, value: (m) => m.stallCycles },
  peakMacsPerCycle: { label: 'peak MACs per cycle (area proxy)', format: { kind: 'eng', unit: 'MAC/cycle' }, lowerIsBetter: true, value: (m) => m.peakMacsPerCycle },
  onChipBytes: { label: 'on-chip buffer capacity (B, area proxy)', format: { kind: 'eng', unit: 'B' }, lowerIsBetter: true, value: (m) => m.onChipBytes },
  // LLM serving metrics (NaN, i.e. not plotted, for workloads without a `serving` block).
  tokensPerSecond: { label: 'throughput (tokens/s, all devices)', format: { kind: 'eng', unit: 'tok/s' }, lowerIsBetter: false, value: (m) => m.tokensPerSecond ?? NaN },
  joulesPerToken: { label: 'energy per token (J/token)', format: { kind: 'eng', unit: 'J/token' }, lowerIsBetter: true, value: (m) => m.joulesPerToken ?? NaN },
  // mm² is the unit areas are quoted in: plain numbers with the unit in the axis title.
  areaMm2: { label: 'area (mm²)', format: { kind: 'plain' }, lowerIsBetter: true, value: (m) => m.areaMm2 ?? NaN },
  perfPerArea: { label: 'throughput per area (MAC/s per mm²)', format: { kind: 'eng', unit: 'MAC/s/mm²' }, lowerIsBetter: false, value: (m) => m.perfPerArea ?? NaN },
  // FPGA designs have no area to trade; the fraction of the device they fill is the cost axis.
  dspFraction: { label: 'DSP slices used (% of device)', format: { kind: 'percent' }, lowerIsBetter: true, value: (m) => m.dspFraction ?? NaN },
  lutFraction: { label: 'LUTs used, estimated (% of device)', format: { kind: 'percent' }, lowerIsBetter: true, value: (m) => m.lutFraction ?? NaN },
};

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.prototype.hasOwnProperty.call(METRICS, name);
}

/** The metric's SI value, or null for failed points and non-finite values. */
export function metricOf(point: SweepPoint, metric: MetricName): number | null {
  if (point.status !== 'ok' || !point.metrics) return null;
  const v = METRICS[metric].value(point.metrics);
  return Number.isFinite(v) ? v : null;
}

/** The unit of a swept parameter (from its declaration, else its name). */
export const guessUnit = paramUnit;

/** Axis label of a parameter value: `51.2 GB/s`, `1 MiB`, `128`. */
export function paramValueLabel(param: string, value: number | string | boolean): string {
  return paramText(param, value);
}

/** "a=1, b=10 GB/s" — a point's swept parameters for people, in the run's axis order when given. */
export function paramsText(point: SweepPoint, order?: string[]): string {
  const keys = [...(order ?? []), ...Object.keys(point.params).filter((k) => !(order ?? []).includes(k))];
  return keys.filter((k) => k in point.params).map((k) => `${k}=${paramValueLabel(k, point.params[k])}`).join(', ');
}
