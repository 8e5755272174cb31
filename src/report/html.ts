// The self-contained HTML report: one file with chart.js's UMD build, the chart runtime and the
// chart data inlined; tables rendered as static HTML (readable without JavaScript); no external
// scripts, styles, fonts or images. A Content-Security-Policy forbids every network fetch, so even
// a future change that adds one fails loudly in the browser test instead of phoning home.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chartRuntimeSource } from './charts/runtime.js';
import { CSS_FONT_STACK } from './charts/font-stack.js';
import type { ReportModel, ReportTable } from './report-writer.js';
import type { ChartSpec } from './charts/spec.js';

let chartJsSource: string | undefined;

/** chart.js's UMD build (dist/chart.umd.min.js), without its source-map comment. */
export function chartJsUmd(): string {
  if (!chartJsSource) {
    const require = createRequire(import.meta.url);
    const main = require.resolve('chart.js'); // …/chart.js/dist/chart.cjs
    const text = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
    chartJsSource = text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
  }
  return chartJsSource;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside <script>: no "</script", no "<!--". */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function scriptJs(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

function tableHtml(table: ReportTable): string {
  if (!table.headers.length) return '';
  const head = table.headers.map((h, i) => `<th class="${table.align[i] ?? 'left'}" scope="col">${escapeHtml(h)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr${row[0] === 'TOTAL' ? ' class="total"' : ''}>${row.map((cell, i) => `<td class="${table.align[i] ?? 'left'}">${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<figure class="table" id="table-${table.id}">
<figcaption>${escapeHtml(table.title)}</figcaption>
<div class="scroll"><table class="data" data-rows="${table.rows.length}">
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>
</figure>`;
}

function chartHtml(chart: ChartSpec): string {
  const notes = chart.notes.length ? `<ul class="notes">${chart.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<figure class="chart" id="figure-${chart.id}">
<canvas id="chart-${chart.id}" class="chart-canvas" width="${chart.width}" height="${chart.height}" role="img" aria-label="${escapeHtml(chart.title)}${chart.subtitle ? ` — ${escapeHtml(chart.subtitle)}` : ''}"></canvas>
<figcaption>${escapeHtml(chart.caption)}</figcaption>
${notes}
</figure>`;
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: ${CSS_FONT_STACK}; color: #111; background: #fff; margin: 0 auto; max-width: 1320px; padding: 24px 28px 64px; line-height: 1.45; font-size: 15px; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-top: 8px; border-top: 2px solid #222; }
p { margin: 8px 0; }
nav ol { columns: 2; margin: 8px 0 0; padding-left: 20px; }
.sources { color: #444; font-size: 13px; }
figure { margin: 18px 0; }
figure.chart { break-inside: avoid; page-break-inside: avoid; }
canvas.chart-canvas { display: block; max-width: 100%; height: auto !important; border: 1px solid #ddd; }
figcaption { font-size: 13px; color: #333; margin-top: 6px; }
figure.table figcaption { font-weight: bold; font-size: 14px; margin: 0 0 6px; color: #111; }
.scroll { overflow-x: auto; }
table.data { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 3px 9px; border-bottom: 1px solid #ddd; white-space: nowrap; }
table.data td.left { white-space: normal; min-width: 6em; }
details.detail { margin: 24px 0; border-top: 2px solid #222; }
details.detail > summary { cursor: pointer; list-style: revert; }
details.detail > summary h2 { display: inline; border: none; margin: 0; padding: 0; }
section#summary figure.chart { display: inline-block; width: calc(50% - 12px); margin-right: 8px; vertical-align: top; }
table.data th { border-bottom: 2px solid #333; background: #f4f4f4; }
table.data tr.total td { border-top: 2px solid #333; font-weight: bold; }
.right { text-align: right; } .left { text-align: left; }
ul.notes { font-size: 13px; color: #333; margin: 6px 0; }
.section-notes { background: #f7f7f2; border-left: 4px solid #999; padding: 6px 12px; margin: 12px 0; }
.section-notes h3 { font-size: 14px; margin: 4px 0; }
.noscript { border: 1px solid #c00; padding: 6px 10px; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { break-before: auto; } canvas.chart-canvas { border: none; } nav { display: none; } }
`;

/** The whole report as one HTML document. */
export function renderHtmlReport(model: ReportModel): string {
  const charts = model.sections.flatMap((s) => s.charts);
  const sections = model.sections
    .map((section) => {
      // Detail sections are collapsed behind the summary; a link to one opens it (see boot).
      const parts = section.detail
        ? [`<details class="detail" id="${section.id}">`, `<summary><h2>${escapeHtml(section.title)}</h2></summary>`]
        : [`<section id="${section.id}">`, `<h2>${escapeHtml(section.title)}</h2>`];
      for (const p of section.paragraphs) parts.push(`<p>${escapeHtml(p)}</p>`);
      for (const table of section.tables) parts.push(tableHtml(table));
      for (const chart of section.charts) parts.push(chartHtml(chart));
      if (section.notes.length) parts.push(`<div class="section-notes"><h3>Notes</h3><ul>${section.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></div>`);
      parts.push(section.detail ? '</details>' : '</section>');
      return parts.filter(Boolean).join('\n');
    })
    .join('\n');
  const boot = `(function () {
  'use strict';
  var runtime = ${chartRuntimeSource()};
  var specs = JSON.parse(document.getElementById('accsim-chart-data').textContent);
  var env = {
    makeCanvas: function (w, h) { var c = document.createElement('canvas'); c.width = w; c.height = h; return c; },
    drawPoint: Chart.helpers.drawPoint,
    generateLabels: Chart.defaults.plugins.legend.labels.generateLabels,
    devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
    fontFamily: ${JSON.stringify(CSS_FONT_STACK)}
  };
  specs.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    try {
      var config = runtime.hydrate(spec, env, canvas.getContext('2d'));
      new Chart(canvas, config);
      canvas.setAttribute('data-rendered', 'true');
    } catch (error) {
      canvas.setAttribute('data-error', String(error && error.message || error));
      console.error('accsim: chart ' + spec.id + ' failed: ' + (error && error.stack || error));
    }
  });
  document.documentElement.setAttribute('data-charts-ready', String(specs.length));
})();`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="accsim">
<title>${escapeHtml(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(model.title)}</h1>
${model.intro.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p class="sources">Generated by accsim from ${model.sources.map((s) => `<code>${escapeHtml(s)}</code>`).join(', ')}. Charts are drawn in the page from the data embedded below; nothing is fetched from the network.</p>
<noscript><p class="noscript">JavaScript is off: tables are shown, charts are not. The PNG/SVG charts next to report.md show the same data.</p></noscript>
<nav><strong>Contents</strong><ol>${model.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a>${s.detail ? ' (detail)' : ''}</li>`).join('')}</ol></nav>
</header>
<main>
${sections}
</main>
<script type="application/json" id="accsim-chart-data">${scriptJson(charts)}</script>
<script>${scriptJs(chartJsUmd())}</script>
<script>${scriptJs(boot)}</script>
</body>
</html>
`;
}
