// The HTML report in a real browser: Debian's Chromium, driven by playwright-core, opening the file
// from a file:// URL. No console errors, no request beyond the document itself, every chart canvas
// painted, every table with its rows. A full-page screenshot goes to test-artifacts/report.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { writeReport, type ReportModel } from '../../src/report/report-writer.js';
import { ROOT } from '../helpers.js';
import { sampleObservations, sampleResult, sampleSweep } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  let model: ReportModel;
  let url: string;
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'accsim-html-'));
    const { run, points } = sampleSweep();
    const written = await writeReport(
      [
        { kind: 'result', result: sampleResult() },
        { kind: 'result', result: sampleResult({ archName: 'Toy 2', scale: 2 }) },
        { kind: 'sweep', run, points, label: 'toy-sweep' },
        { kind: 'speedup', title: 'Sparse formats', context: 'toy study', observations: sampleObservations() },
      ],
      out,
      ['html'],
    );
    model = written.model;
    url = pathToFileURL(join(out, 'report.html')).href;
    profile = mkdtempSync(join(tmpdir(), 'accsim-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('loads with no console errors and no network, paints every chart and fills every table', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    page.on('requestfailed', (request) => errors.push(`requestfailed: ${request.url()}`));

    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.getAttribute('data-charts-ready') !== null);

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);

    const charts = model.sections.flatMap((s) => s.charts);
    const painted = await page.evaluate(() =>
      [...document.querySelectorAll('canvas.chart-canvas')].map((element) => {
        const canvas = element as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) ink++;
        return { id: canvas.id, rendered: canvas.dataset.rendered === 'true', error: canvas.dataset.error ?? null, ink, pixels: data.length / 4 };
      }),
    );
    expect(painted.map((p) => p.id)).toEqual(charts.map((c) => `chart-${c.id}`));
    for (const p of painted) {
      expect(p.error, p.id).toBeNull();
      expect(p.rendered, p.id).toBe(true);
      expect(p.ink / p.pixels, p.id).toBeGreaterThan(0.01); // axes, text, bars: clearly more than a blank canvas
    }

    const tables = model.sections.flatMap((s) => s.tables).filter((t) => t.headers.length);
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('figure.table')].map((figure) => ({
        id: figure.id,
        rows: figure.querySelectorAll('tbody tr').length,
        columns: figure.querySelectorAll('thead th').length,
      })),
    );
    expect(rows).toEqual(tables.map((t) => ({ id: `table-${t.id}`, rows: t.rows.length, columns: t.headers.length })));

    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'report.png'), fullPage: true });
    await page.close();
  });
});
