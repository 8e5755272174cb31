// A chart as plain JSON: a chart.js configuration plus a few declarative extensions (fill patterns,
// tick formats, heatmap cells, point labels) that the chart runtime (runtime.ts) turns into canvas
// patterns, callbacks and plugins. The same JSON is rendered in Node (PNG/SVG) and in the browser
// (HTML report), so the two can never drift apart.

import type { PatternName } from './palette.js';

/** How numbers on an axis (ticks and tooltips) are written. Values are raw SI. */
export type ValueFormat =
  /** Engineering notation with a unit: 1.2e-3 → "1.2 ms". */
  | { kind: 'eng'; unit: string }
  /** A fraction shown as a percentage: 0.25 → "25 %". */
  | { kind: 'percent' }
  /** A ratio: 2 → "2×". */
  | { kind: 'ratio' }
  /** Integer positions named by labels (heatmap axes). */
  | { kind: 'labels'; labels: string[] }
  | { kind: 'plain' };

export interface FillSpec {
  color: string;
  pattern: PatternName;
}

/** A chart.js dataset, JSON only, with accsim's extensions. */
export interface DatasetSpec {
  label: string;
  type?: 'bar' | 'line' | 'scatter';
  data: Array<number | null | { x: number | null; y: number | null; name?: string; [key: string]: unknown }>;
  /** Filled areas (bars): the colour with a hatch pattern on top; becomes backgroundColor. */
  hatch?: FillSpec;
  /** Draw each point's `name` next to it (roofline operators). */
  pointLabels?: boolean;
  [option: string]: unknown;
}

export interface HeatmapOverlay {
  xLabels: string[];
  yLabels: string[];
  /** values[yIndex][xIndex]; null where no design point exists. */
  values: Array<Array<number | null>>;
  min: number;
  max: number;
  /** Colour scale is logarithmic when the values span more than two decades. */
  log: boolean;
  format: ValueFormat;
  /** Title of the colour bar (the metric and its unit). */
  label: string;
}

export interface ChartTable {
  headers: string[];
  rows: Array<Array<string | number | null>>;
}

export interface ChartSpec {
  /** File-name-safe id, unique within a report (charts/<id>.png). */
  id: string;
  title: string;
  subtitle?: string;
  /** One or two sentences for the report: what is plotted, units, assumptions. */
  caption: string;
  /** Things left out or approximated (e.g. a ceiling that cannot be derived). */
  notes: string[];
  /** Size in CSS pixels; PNGs are rendered at a fixed scale of this. */
  width: number;
  height: number;
  config: {
    type: 'bar' | 'line' | 'scatter';
    data: { labels?: string[]; datasets: DatasetSpec[] };
    options: Record<string, unknown>;
  };
  /** Tick and tooltip format per scale id ('x', 'y'). */
  axes: Record<string, ValueFormat>;
  heatmap?: HeatmapOverlay;
  /** The plotted numbers (raw SI), for the CSV next to the chart. */
  table: ChartTable;
}

/** Lower-case, file-name-safe slug. */
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[^\w\s.-]/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/[\s._]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return s || 'chart';
}

export function capitalise(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
