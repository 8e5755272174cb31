// PNG golden tests: fixed inputs (fixtures.ts, independent of the simulator) must render to the
// committed bytes in test/report/golden/. Regenerate deliberately with
//   UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts
// and look at the images before committing them.
//
// Why byte-identity holds across machines: charts use only the committed DejaVu Sans file
// (src/report/charts/fonts), the "portable" FreeType text renderer with ctx.lang = 'en', fixed
// sizes, no animation, and a PNG encoder that writes no timestamps; @napi-rs/canvas is a prebuilt,
// version-pinned Skia. What can still break it: a different @napi-rs/canvas or chart.js version
// (update the goldens with the upgrade), a different CPU architecture (its docs: x64 vs arm64 may
// differ by one colour level on some edge pixels), or FREETYPE_PROPERTIES set in the environment.
// On a mismatch the test writes the new image to test-artifacts/golden/ and reports how many
// pixels differ and by how much, so a one-level rounding difference is told apart from a real
// regression at a glance.

import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { renderChart, normaliseSvgIds } from '../../src/report/charts/render.js';
import { ensureChartFont } from '../../src/report/charts/font.js';
import { rooflineChart, rooflineData } from '../../src/report/charts/roofline.js';
import { energyBreakdownChart, layerTimeChart } from '../../src/report/charts/breakdown.js';
import { heatmapChart, heatmapMatrix } from '../../src/report/charts/heatmap.js';
import { paretoChart } from '../../src/report/charts/pareto.js';
import { speedupChart, speedupSeries } from '../../src/report/charts/speedup.js';
import type { ChartSpec } from '../../src/report/charts/spec.js';
import { ROOT } from '../helpers.js';
import { sampleObservations, sampleResult, sampleSweep } from './fixtures.js';

const GOLDEN = join(ROOT, 'test', 'report', 'golden');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function charts(): ChartSpec[] {
  const result = sampleResult();
  const { points } = sampleSweep();
  return [
    rooflineChart(rooflineData(result, 'dram'), 'roofline', 'Toy 10x10 × Toy net'),
    energyBreakdownChart(result, 'energy'),
    layerTimeChart(result, 'layer-time'),
    heatmapChart(heatmapMatrix(points, 'compute.rows', 'memory.dram.bandwidth', 'seconds'), 'heatmap', 'toy sweep'),
    paretoChart(points, 'pareto', { x: 'seconds', y: 'energyJ', context: 'toy sweep' }).chart,
    speedupChart(speedupSeries(sampleObservations()).series, 'speedup', 'toy study'),
  ];
}

async function pixelDiff(a: Buffer, b: Buffer): Promise<string> {
  const [ia, ib] = await Promise.all([loadImage(a), loadImage(b)]);
  if (ia.width !== ib.width || ia.height !== ib.height) return `size ${ib.width}×${ib.height} vs golden ${ia.width}×${ia.height}`;
  const read = (img: typeof ia) => {
    const c = createCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    return g.getImageData(0, 0, img.width, img.height).data;
  };
  const da = read(ia);
  const db = read(ib);
  let pixels = 0;
  let worst = 0;
  for (let i = 0; i < da.length; i += 4) {
    const d = Math.max(Math.abs(da[i] - db[i]), Math.abs(da[i + 1] - db[i + 1]), Math.abs(da[i + 2] - db[i + 2]), Math.abs(da[i + 3] - db[i + 3]));
    if (d > 0) pixels++;
    worst = Math.max(worst, d);
  }
  return `${pixels} of ${da.length / 4} pixels differ, by at most ${worst} levels`;
}

describe('chart rendering', () => {
  it('uses the committed font file', () => {
    const font = ensureChartFont();
    expect(font.vendored).toBe(true);
    expect(font.file).toMatch(/src[\\/]report[\\/]charts[\\/]fonts[\\/]DejaVuSans\.ttf$/);
    // The exact file the goldens were made with.
    expect(createHash('sha256').update(readFileSync(font.file!)).digest('hex')).toBe('abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322');
  });

  it('renders the same PNG bytes twice in one process, and SVG too once ids are renumbered', () => {
    const [roofline, energy] = charts();
    expect(renderChart(energy, 'png', { scale: 1 }).equals(renderChart(energy, 'png', { scale: 1 }))).toBe(true);
    const svg1 = renderChart(roofline, 'svg');
    const svg2 = renderChart(roofline, 'svg');
    expect(svg1.equals(svg2)).toBe(true);
    const text = svg1.toString();
    expect(/^<\?xml[^>]*>\s*<svg[^>]+width="800" height="500"/.test(text)).toBe(true);
    expect(text.includes('<text')).toBe(false); // text is converted to paths: no font needed to view it
    expect(renderChart(energy, 'svg').toString().includes('<pattern')).toBe(true); // hatch fills survive in SVG
  });

  it('renumbers SVG ids in document order', () => {
    const svg = '<svg><clipPath id="cl_1f"/><g clip-path="url(#cl_1f)"/><pattern id="pattern_7"/><rect fill="url(#pattern_7)"/><use href="#cl_1f"/></svg>';
    expect(normaliseSvgIds(svg).toString()).toBe('<svg><clipPath id="cl_0"/><g clip-path="url(#cl_0)"/><pattern id="pattern_1"/><rect fill="url(#pattern_1)"/><use href="#cl_0"/></svg>');
  });

  for (const chart of charts()) {
    it(`matches the golden PNG: ${chart.id}`, async () => {
      const png = renderChart(chart, 'png', { scale: 1 });
      const file = join(GOLDEN, `${chart.id}.png`);
      if (UPDATE || !existsSync(file)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, png);
        if (!UPDATE) throw new Error(`golden ${file} was missing and has been written; review it and re-run`);
        return;
      }
      const golden = readFileSync(file);
      if (!png.equals(golden)) {
        mkdirSync(ARTIFACTS, { recursive: true });
        const actual = join(ARTIFACTS, `${chart.id}.png`);
        writeFileSync(actual, png);
        expect.fail(`${chart.id}.png differs from the golden (${await pixelDiff(golden, png)}); new image: ${actual}. If intended: UPDATE_GOLDEN=1`);
      }
    });
  }
});
