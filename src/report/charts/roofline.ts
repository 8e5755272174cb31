// Roofline per memory level, from the numbers in a Result only (reporters never recompute the
// model). For level L:
//   operational intensity  OI = 2 · MACs / bytes_L          (op/B; one MAC = two operations)
//   attained performance   P  = 2 · MACs / seconds          (op/s)
//   compute ceiling           = 2 · peakMacsPerCycle of the operators' datatype · arch.clockHz
//   bandwidth ceiling         = BW_L · OI, BW_L = bytes_L / bounds[L] cycles · clockHz
// bounds[L] is the family's lower bound on cycles from L's bandwidth, so bytes_L / bounds[L] is the
// bandwidth the model used (rounded: a bound is at least one whole cycle per operator); the largest
// ratio over operators is taken, the least affected by that rounding. A level without bounds[L]
// gets no bandwidth ceiling, and the chart says so.

import type { OperatorResult, Result } from '../../core/types.js';
import { engineering } from '../units.js';
import { NEUTRAL, seriesStyle } from './palette.js';
import type { ChartSpec, DatasetSpec } from './spec.js';

export type MacKind = 'issued' | 'dense' | 'effectual';

export interface RooflinePoint {
  name: string;
  bottleneck: string;
  /** Bytes read + written at the level. */
  bytes: number;
  /** 2 × MACs of the chosen kind. */
  ops: number;
  seconds: number;
  /** op/B */
  operationalIntensity: number;
  /** op/s */
  attained: number;
}

export interface DerivedBandwidth {
  bytesPerCycle: number;
  bytesPerSecond: number;
  /** The operator whose bytes / bounds ratio gave the estimate. */
  operator: string;
}

export interface RooflineData {
  level: string;
  macKind: MacKind;
  clockHz: number;
  peakOpsPerSecond: number;
  bandwidth: DerivedBandwidth | null;
  /** Operational intensity where the two ceilings meet (op/B), when both exist. */
  ridge: number | null;
  points: RooflinePoint[];
  notes: string[];
}

/** Memory levels in order of first appearance in the operators' traffic. */
export function memoryLevels(result: Result): string[] {
  const names: string[] = [];
  for (const op of result.operators) for (const level of Object.keys(op.memory)) if (!names.includes(level)) names.push(level);
  return names;
}

function levelBytes(op: OperatorResult, level: string): number {
  const traffic = op.memory[level];
  return traffic ? traffic.readBytes + traffic.writeBytes : 0;
}

/** BW_L from bytes / bounds[L] (see the file comment), or null when no operator has bounds[L] > 0. */
export function deriveBandwidth(result: Result, level: string): DerivedBandwidth | null {
  let best: DerivedBandwidth | null = null;
  for (const op of result.operators) {
    const bound = op.bounds[level];
    const bytes = levelBytes(op, level);
    if (!(bound > 0) || !(bytes > 0)) continue;
    const bytesPerCycle = bytes / bound;
    if (!best || bytesPerCycle > best.bytesPerCycle) best = { bytesPerCycle, bytesPerSecond: bytesPerCycle * result.arch.clockHz, operator: op.name };
  }
  return best;
}

export function rooflineData(result: Result, level: string, macKind: MacKind = 'issued'): RooflineData {
  const notes: string[] = [];
  const clockHz = result.arch.clockHz;
  // The compute roof of each operator is its datatype's peak; the chart draws the highest one and
  // names the others (an INT8 GEMM on A100 has twice the FP16 roof).
  const opPeak = (op: OperatorResult) => op.peakMacsPerCycle ?? result.arch.peakMacsPerCycle;
  const peakOpsPerSecond = 2 * Math.max(result.arch.peakMacsPerCycle, ...result.operators.map(opPeak)) * clockHz;
  const dtypeRoofs = new Map(result.operators.map((op) => [op.dtype, 2 * opPeak(op) * clockHz]));
  if (dtypeRoofs.size > 1) notes.push(`Compute roof per datatype: ${[...dtypeRoofs].map(([d, r]) => `${d} ${engineering(r, 'OP/s')}`).join(', ')}; the line is the highest.`);
  const bandwidth = deriveBandwidth(result, level);
  if (!bandwidth) {
    notes.push(`No ${level} bandwidth ceiling: the Result has no bounds.${level} (cycles) with ${level} traffic to derive a bandwidth from; only the compute ceiling is drawn.`);
  } else {
    notes.push(`${level} bandwidth ${engineering(bandwidth.bytesPerSecond, 'B/s')} (${engineering(bandwidth.bytesPerCycle, 'B/cycle')}) = ${level} bytes ÷ bounds.${level} cycles × clock, from ${bandwidth.operator} (the largest ratio over operators).`);
  }
  const points: RooflinePoint[] = [];
  const unplaced: string[] = [];
  for (const op of result.operators) {
    const bytes = levelBytes(op, level);
    const ops = 2 * op.macs[macKind];
    if (!(bytes > 0) || !(ops > 0) || !(op.seconds > 0)) {
      unplaced.push(op.name);
      continue;
    }
    points.push({ name: op.name, bottleneck: op.bottleneck, bytes, ops, seconds: op.seconds, operationalIntensity: ops / bytes, attained: ops / op.seconds });
  }
  if (unplaced.length) notes.push(`Not placed (no ${level} traffic or no ${macKind} MACs): ${unplaced.join(', ')}.`);
  const ridge = bandwidth ? peakOpsPerSecond / bandwidth.bytesPerSecond : null;
  return { level, macKind, clockHz, peakOpsPerSecond, bandwidth, ridge, points, notes };
}

function decadeFloor(v: number): number {
  return Math.pow(10, Math.floor(Math.log10(v)));
}
function decadeCeil(v: number): number {
  return Math.pow(10, Math.ceil(Math.log10(v)));
}

export function rooflineChart(data: RooflineData, id: string, context: string): ChartSpec {
  const xs = data.points.map((p) => p.operationalIntensity);
  if (data.ridge) xs.push(data.ridge);
  if (!xs.length) xs.push(1);
  const xMin = decadeFloor(Math.min(...xs) / 2);
  const xMax = decadeCeil(Math.max(...xs) * 2);
  const ys = data.points.map((p) => p.attained);
  ys.push(data.peakOpsPerSecond);
  if (data.bandwidth) ys.push(data.bandwidth.bytesPerSecond * xMin);
  const yMin = decadeFloor(Math.min(...ys) / 1.5);
  const yMax = decadeCeil(data.peakOpsPerSecond * 1.5);

  const datasets: DatasetSpec[] = [];
  const peak = data.peakOpsPerSecond;
  if (data.bandwidth && data.ridge) {
    const bw = data.bandwidth.bytesPerSecond;
    const end = Math.min(data.ridge, xMax);
    datasets.push({
      label: `${data.level} bandwidth ceiling (${engineering(bw, 'B/s')})`,
      type: 'line',
      data: [{ x: xMin, y: bw * xMin }, { x: end, y: bw * end }],
      borderColor: NEUTRAL.reference,
      backgroundColor: NEUTRAL.reference,
      borderWidth: 2,
      borderDash: [],
      pointRadius: 0,
      pointStyle: false,
      showLine: true,
    });
  }
  datasets.push({
    label: `compute ceiling (${engineering(peak, 'OP/s')})`,
    type: 'line',
    data: [{ x: data.ridge && data.bandwidth ? Math.max(data.ridge, xMin) : xMin, y: peak }, { x: xMax, y: peak }],
    borderColor: '#000000',
    backgroundColor: '#000000',
    borderWidth: 2,
    borderDash: [8, 4],
    pointRadius: 0,
    pointStyle: false,
    showLine: true,
  });
  const groups = [...new Set(data.points.map((p) => p.bottleneck))];
  groups.forEach((group, g) => {
    const style = seriesStyle(g);
    datasets.push({
      label: `operators bound by ${group}`,
      type: 'scatter',
      data: data.points.filter((p) => p.bottleneck === group).map((p) => ({ x: p.operationalIntensity, y: p.attained, name: p.name })),
      borderColor: '#000000',
      backgroundColor: style.color,
      pointBackgroundColor: style.color,
      pointBorderColor: '#000000',
      pointBorderWidth: 1,
      pointStyle: style.marker,
      pointRadius: 5,
      pointHoverRadius: 7,
      showLine: false,
      pointLabels: true,
    });
  });

  const subtitle = data.bandwidth
    ? `${context} — compute ${engineering(peak, 'OP/s')}, ${data.level} ${engineering(data.bandwidth.bytesPerSecond, 'B/s')}, ridge at ${engineering(data.ridge ?? 0, 'OP/B')}`
    : `${context} — compute ${engineering(peak, 'OP/s')}; ${data.level} bandwidth not derivable from the Result`;
  return {
    id,
    title: `Roofline at ${data.level}`,
    subtitle,
    caption: `Each operator at operational intensity 2·MACs/${data.level} bytes (${data.macKind} MACs; read + write bytes) and attained performance 2·MACs/seconds, on log–log axes. Ceilings: the operators' datatype peakMacsPerCycle × clock (compute)${data.bandwidth ? ` and ${data.level} bytes ÷ bounds.${data.level} cycles (bandwidth)` : ''}.`,
    notes: data.notes,
    width: 800,
    height: 500,
    config: {
      type: 'scatter',
      data: { datasets },
      options: {
        scales: {
          x: { type: 'logarithmic', min: xMin, max: xMax, ticks: { maxRotation: 0 }, title: { text: `operational intensity at ${data.level} (OP/B, 1 MAC = 2 OP)` } },
          y: { type: 'logarithmic', min: yMin, max: yMax, title: { text: 'attained performance (OP/s)' } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { x: { kind: 'eng', unit: 'OP/B' }, y: { kind: 'eng', unit: 'OP/s' } },
    table: {
      headers: ['operator', 'bottleneck', `${data.level}_bytes_B`, 'ops_op', 'seconds_s', 'operational_intensity_op_per_B', 'attained_op_per_s', 'compute_ceiling_op_per_s', 'bandwidth_ceiling_B_per_s'],
      rows: data.points.map((p) => [p.name, p.bottleneck, p.bytes, p.ops, p.seconds, p.operationalIntensity, p.attained, peak, data.bandwidth ? data.bandwidth.bytesPerSecond : null]),
    },
  };
}
