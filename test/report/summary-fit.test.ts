// Each committed example report in Chromium at 1400 px: the summary (everything before the first
// collapsed detail) fits without a horizontal scrollbar, on the page or inside its tables, and the
// report stays under 15 charts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { ROOT } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const haveChromium = existsSync(CHROMIUM);
const REPORTS = join(ROOT, 'reports');
const examples = readdirSync(REPORTS).filter((name) => existsSync(join(REPORTS, name, 'report.html')));

describe.skipIf(!haveChromium)('example reports at 1400 px', () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'accsim-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('has examples to check', () => expect(examples.length).toBeGreaterThanOrEqual(4));

  for (const name of examples) {
    it(`${name}: the summary fits without horizontal scrolling; under 15 charts`, async () => {
      const page = await context.newPage();
      await page.goto(pathToFileURL(join(REPORTS, name, 'report.html')).href, { waitUntil: 'load' });
      await page.waitForFunction(() => document.documentElement.getAttribute('data-charts-ready') !== null);
      const layout = await page.evaluate(() => {
        const firstDetail = document.querySelector('details.detail');
        const before = (el: Element) => !firstDetail || (el.compareDocumentPosition(firstDetail) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
        const scrollers = [...document.querySelectorAll('main .scroll')].filter(before).map((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
        return {
          page: document.documentElement.scrollWidth,
          viewport: document.documentElement.clientWidth,
          scrollers,
          charts: document.querySelectorAll('canvas.chart-canvas').length,
          summaryCharts: [...document.querySelectorAll('canvas.chart-canvas')].filter(before).length,
        };
      });
      expect(layout.page, 'page width').toBeLessThanOrEqual(layout.viewport);
      expect(layout.scrollers.length, 'summary tables').toBeGreaterThan(0);
      for (const s of layout.scrollers) expect(s.scroll, 'a summary table scrolls sideways').toBeLessThanOrEqual(s.client);
      expect(layout.charts).toBeLessThan(15);
      expect(layout.summaryCharts).toBeGreaterThanOrEqual(1);
      await page.close();
    }, 60_000);
  }
});
