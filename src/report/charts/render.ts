// Renders ChartSpecs to PNG and SVG in Node: chart.js on @napi-rs/canvas (Skia), through the same
// chart runtime the HTML report runs in the browser.
//
// Determinism: fixed size and scale, animation off, a committed font file (font.ts), the
// "portable" FreeType text renderer, ctx.lang fixed to 'en', no timestamps or metadata in the
// PNG. Identical inputs give identical PNG bytes on the same @napi-rs/canvas version and CPU
// architecture (its docs note x64 and arm64 may differ by one colour level on some edge pixels).
// SVG export numbers its clip paths and patterns from a process-wide counter, so SVG ids are
// renumbered in document order afterwards.

import { createCanvas, SvgExportFlag, setTextRenderer, getTextRenderer } from '@napi-rs/canvas';
import { Chart, registerables } from 'chart.js';
import { drawPoint } from 'chart.js/helpers';
import { chartRuntimeSource, type ChartRuntime, type RuntimeEnv } from './runtime.js';
import { ensureChartFont } from './font.js';
import type { ChartSpec } from './spec.js';

Chart.register(...registerables);

let runtime: ChartRuntime | undefined;

/** The runtime rebuilt from its source text, exactly as the browser gets it (see runtime.ts). */
export function nodeRuntime(): ChartRuntime {
  runtime ??= new Function(`return ${chartRuntimeSource()};`)() as ChartRuntime;
  return runtime;
}

export type ImageFormat = 'png' | 'svg';

export type ChartTheme = 'report' | 'slides';
export const CHART_THEMES: readonly ChartTheme[] = ['report', 'slides'];

export interface RenderOptions {
  /** Device pixels per CSS pixel for PNG (SVG is vector and ignores it). Default 2. */
  scale?: number;
  /** 'slides': 16:9 (1280×720 CSS px) with fonts 1.6× larger, for a projected deck. */
  theme?: ChartTheme;
}

/** The chart as the theme lays it out: slides are 16:9 whatever the report size was. */
function themed(spec: ChartSpec, theme: ChartTheme | undefined): ChartSpec {
  return theme === 'slides' ? { ...spec, width: 1280, height: 720 } : spec;
}

const fontScaleOf = (theme: ChartTheme | undefined) => (theme === 'slides' ? 1.6 : 1);

export const DEFAULT_SCALE = 2;

function environment(scale: number, fontScale = 1): RuntimeEnv {
  const font = ensureChartFont();
  return {
    makeCanvas: (width, height) => createCanvas(width, height),
    drawPoint: drawPoint as RuntimeEnv['drawPoint'],
    generateLabels: (chart) => (Chart.defaults.plugins.legend.labels as unknown as { generateLabels(c: unknown): unknown[] }).generateLabels(chart) as never[],
    devicePixelRatio: scale,
    fontFamily: font.family,
    fontScale,
  };
}

function prepareText(): void {
  if (typeof getTextRenderer === 'function' && getTextRenderer() !== 'portable') setTextRenderer('portable');
}

/** Renders one chart; returns PNG bytes or SVG text as a Buffer. */
export function renderChart(chart: ChartSpec, format: ImageFormat, options: RenderOptions = {}): Buffer {
  prepareText();
  const spec = themed(chart, options.theme);
  const fontScale = fontScaleOf(options.theme);
  if (format === 'svg') {
    const canvas = createCanvas(spec.width, spec.height, SvgExportFlag.ConvertTextToPaths);
    const drawn = draw(spec, canvas.getContext('2d'), 1, fontScale);
    const svg = canvas.getContent();
    drawn.destroy(); // after reading: destroy() clears the canvas
    return normaliseSvgIds(svg);
  }
  const canvas = createCanvas(spec.width, spec.height);
  const drawn = draw(spec, canvas.getContext('2d'), options.scale ?? DEFAULT_SCALE, fontScale);
  const png = canvas.encodeSync('png');
  drawn.destroy();
  return png;
}

function draw(spec: ChartSpec, ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, scale: number, fontScale: number): Chart {
  ctx.lang = 'en';
  const config = nodeRuntime().hydrate(spec, environment(scale, fontScale), ctx);
  // BasicPlatform (no DOM): chart.js draws synchronously in the constructor when animation is off.
  return new Chart(ctx as unknown as CanvasRenderingContext2D, config);
}

/** Renumbers `id="…"` (and their url(#…)/href references) in order of appearance. */
export function normaliseSvgIds(svg: Buffer | string): Buffer {
  const text = svg.toString();
  const ids = new Map<string, string>();
  for (const match of text.matchAll(/\sid="([^"]+)"/g)) {
    if (!ids.has(match[1])) ids.set(match[1], `${match[1].replace(/_[0-9a-f]+$/i, '')}_${ids.size}`);
  }
  const out = text.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => (ids.has(id) ? `${lead}${ids.get(id)}` : all));
  return Buffer.from(out);
}
