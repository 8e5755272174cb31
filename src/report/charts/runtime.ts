// The chart runtime: turns a ChartSpec (plain JSON) into a chart.js configuration with canvas
// patterns, tick/tooltip callbacks and accsim's plugins (white background, legend samples that
// show colour + pattern/dash + marker, operator labels, heatmap cells with a colour bar).
//
// It runs in two places: in Node (render.ts, drawing on @napi-rs/canvas) and in the browser (the
// HTML report inlines `chartRuntime.toString()`). So `chartRuntime` must be SELF-CONTAINED: no
// imports, no references to anything outside its own body (type annotations are fine, they are
// erased). render.ts rebuilds it from its source text with `new Function`, so any accidental
// reference to module scope fails every Node rendering test instead of only the browser.

import type { ChartSpec, ValueFormat } from './spec.js';

/** What the runtime needs from its host (Node or browser). */
export interface RuntimeEnv {
  /** A fresh canvas for pattern tiles (document.createElement('canvas') or @napi-rs createCanvas). */
  makeCanvas(width: number, height: number): any;
  /** chart.js's drawPoint helper (Chart.helpers.drawPoint in the UMD build). */
  drawPoint(ctx: any, options: any, x: number, y: number): void;
  /** The default legend label generator (Chart.defaults.plugins.legend.labels.generateLabels). */
  generateLabels(chart: any): any[];
  devicePixelRatio: number;
  fontFamily: string;
  /** Multiplies every font size (the slides theme uses larger text); default 1. */
  fontScale?: number;
}

export interface ChartRuntime {
  /** A chart.js config (type, data, options, plugins) ready for `new Chart(ctx, config)`. */
  hydrate(spec: ChartSpec, env: RuntimeEnv, ctx: any): any;
  /** Number formatting for ticks (`tick` true: trailing zeros trimmed) and tooltips. */
  formatValue(format: ValueFormat | undefined, value: number, tick: boolean): string;
  engineering(value: number, unit: string, digits?: number): string;
  /** Viridis colour for t in [0, 1] as '#rrggbb'. */
  viridis(t: number): string;
}

export function chartRuntime(): ChartRuntime {
  // Same algorithm as src/report/units.ts `engineering` (a test checks they agree).
  const PREFIXES: Array<[number, string]> = [
    [1e24, 'Y'],
    [1e21, 'Z'],
    [1e18, 'E'],
    [1e15, 'P'],
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
    [1, ''],
    [1e-3, 'm'],
    [1e-6, 'µ'],
    [1e-9, 'n'],
    [1e-12, 'p'],
    [1e-15, 'f'],
    [1e-18, 'a'],
  ];

  function engineering(value: number, unit: string, digits = 3): string {
    if (!Number.isFinite(value)) return (value + ' ' + unit).trim();
    if (value === 0) return ('0 ' + unit).trim();
    const magnitude = Math.abs(value);
    if (magnitude >= PREFIXES[0][0] * 999.5 || magnitude < PREFIXES[PREFIXES.length - 1][0] * 0.9995) {
      const parts = value.toExponential(digits - 1).split('e');
      return (parts[0] + '×10^' + Number(parts[1]) + ' ' + unit).trim();
    }
    for (const [scale, prefix] of PREFIXES) {
      if (magnitude >= scale * 0.9995) return ((value / scale).toPrecision(digits) + ' ' + prefix + unit).trim();
    }
    return (value + ' ' + unit).trim();
  }

  /** "1.50 ms" → "1.5 ms", "2.00×" → "2×": ticks read better without padding zeros. */
  function trimZeros(text: string): string {
    return text.replace(/^(-?\d+)\.0+(?=\D|$)/, '$1').replace(/^(-?\d+\.\d*?)0+(?=\D|$)/, '$1');
  }

  function formatValue(format: ValueFormat | undefined, value: number, tick: boolean): string {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    const f = format || { kind: 'plain' };
    switch (f.kind) {
      case 'eng': {
        const text = engineering(value, f.unit, 3);
        return tick ? trimZeros(text) : text;
      }
      case 'percent': {
        const pct = value * 100;
        return (tick ? String(Number(pct.toPrecision(3))) : pct.toFixed(1)) + ' %';
      }
      case 'ratio':
        return (tick || Math.abs(value) >= 100 ? String(Number(value.toPrecision(tick ? 3 : 4))) : value.toFixed(2)) + '×';
      case 'labels': {
        const index = Math.round(value);
        return Math.abs(index - value) < 1e-6 && index >= 0 && index < f.labels.length ? f.labels[index] : '';
      }
      default:
        return String(Number(value.toPrecision(4)));
    }
  }

  // Viridis (matplotlib, CC0) sampled at 9 stops; luminance rises monotonically, so it prints in
  // greyscale as a dark-to-light ramp.
  const VIRIDIS = [
    [68, 1, 84],
    [71, 44, 122],
    [59, 81, 139],
    [44, 113, 142],
    [33, 144, 141],
    [39, 173, 129],
    [92, 200, 99],
    [170, 220, 50],
    [253, 231, 37],
  ];

  function hex(n: number): string {
    const s = Math.round(Math.max(0, Math.min(255, n))).toString(16);
    return s.length < 2 ? '0' + s : s;
  }

  function viridis(t: number): string {
    const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
    const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
    const u = x - i;
    const a = VIRIDIS[i];
    const b = VIRIDIS[i + 1];
    return '#' + hex(a[0] + (b[0] - a[0]) * u) + hex(a[1] + (b[1] - a[1]) * u) + hex(a[2] + (b[2] - a[2]) * u);
  }

  function luminance(color: string): number {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
    if (!m) return 0.5;
    return (0.299 * parseInt(m[1], 16) + 0.587 * parseInt(m[2], 16) + 0.114 * parseInt(m[3], 16)) / 255;
  }

  const TILE = 10; // pattern tile size, CSS pixels

  /** A hatch pattern over `color`; strokes are white on dark colours and black on light ones. */
  function makePattern(ctx: any, env: RuntimeEnv, name: string, color: string): any {
    if (name === 'solid') return color;
    const scale = env.devicePixelRatio;
    const size = Math.round(TILE * scale);
    const tile = env.makeCanvas(size, size);
    const g = tile.getContext('2d');
    g.fillStyle = color;
    g.fillRect(0, 0, size, size);
    const ink = luminance(color) < 0.55 ? 'rgba(255,255,255,0.85)' : 'rgba(0,0,0,0.7)';
    g.strokeStyle = ink;
    g.fillStyle = ink;
    g.lineWidth = 1.6 * scale;
    g.lineCap = 'square';
    const s = size;
    const line = (x0: number, y0: number, x1: number, y1: number) => {
      g.beginPath();
      g.moveTo(x0, y0);
      g.lineTo(x1, y1);
      g.stroke();
    };
    const diagonal = () => {
      line(0, s, s, 0);
      line(-s / 2, s / 2, s / 2, -s / 2);
      line(s / 2, (3 * s) / 2, (3 * s) / 2, s / 2);
    };
    const back = () => {
      line(0, 0, s, s);
      line(-s / 2, s / 2, s / 2, (3 * s) / 2);
      line(s / 2, -s / 2, (3 * s) / 2, s / 2);
    };
    switch (name) {
      case 'diagonal':
        diagonal();
        break;
      case 'diagonal-back':
        back();
        break;
      case 'cross':
        diagonal();
        back();
        break;
      case 'horizontal':
        line(0, s / 2, s, s / 2);
        break;
      case 'vertical':
        line(s / 2, 0, s / 2, s);
        break;
      case 'grid':
        line(0, s / 2, s, s / 2);
        line(s / 2, 0, s / 2, s);
        break;
      case 'dots':
        g.beginPath();
        g.arc(s / 2, s / 2, s * 0.2, 0, Math.PI * 2);
        g.fill();
        break;
      case 'zigzag':
        g.beginPath();
        g.moveTo(0, s * 0.75);
        g.lineTo(s / 2, s * 0.25);
        g.lineTo(s, s * 0.75);
        g.stroke();
        break;
      case 'checker':
        g.fillRect(0, 0, s / 2, s / 2);
        g.fillRect(s / 2, s / 2, s / 2, s / 2);
        break;
      default:
        break;
    }
    const pattern = ctx.createPattern(tile, 'repeat');
    if (pattern && scale !== 1 && typeof pattern.setTransform === 'function') pattern.setTransform({ a: 1 / scale, b: 0, c: 0, d: 1 / scale, e: 0, f: 0 });
    return pattern || color;
  }

  function font(env: RuntimeEnv, size: number, weight?: string): any {
    return { family: env.fontFamily, size: Math.round(size * (env.fontScale || 1)), weight: weight || 'normal', style: 'normal', lineHeight: 1.2 };
  }

  /** Log axes label only 1·10ⁿ (and 2·10ⁿ, 5·10ⁿ when the axis spans at most two decades). */
  function logTickVisible(value: number, ticks: any[]): boolean {
    if (!(value > 0)) return false;
    const exponent = Math.floor(Math.log10(value) + 1e-9);
    const mantissa = value / Math.pow(10, exponent);
    const near = (m: number) => Math.abs(mantissa - m) < 1e-6 * m;
    if (near(1) || near(10)) return true;
    const values = ticks.map((t: any) => t.value).filter((v: number) => v > 0);
    const decades = values.length ? Math.log10(Math.max(...values) / Math.min(...values)) : 99;
    return decades <= 2 && (near(2) || near(5));
  }

  const backgroundPlugin = {
    id: 'accsimBackground',
    beforeDraw(chart: any) {
      const c = chart.ctx;
      c.save();
      if ('lang' in c) c.lang = 'en';
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.fillStyle = '#ffffff';
      c.fillRect(0, 0, chart.canvas.width, chart.canvas.height);
      c.restore();
      if ('lang' in c) c.lang = 'en';
    },
  };

  function legendSamplePlugin(env: RuntimeEnv) {
    return {
      id: 'accsimLegendSamples',
      afterDraw(chart: any) {
        const legend = chart.legend;
        if (!legend || !legend.options || !legend.options.display || !legend.legendHitBoxes) return;
        const items = legend.legendItems || [];
        const boxWidth = legend.options.labels.boxWidth;
        const c = chart.ctx;
        items.forEach((item: any, i: number) => {
          const box = legend.legendHitBoxes[i];
          const ds = chart.data.datasets[item.datasetIndex];
          if (!box || !ds) return;
          const meta = chart.getDatasetMeta(item.datasetIndex);
          const type = ds.type || meta.type || chart.config.type;
          const x0 = box.left;
          const cy = box.top + box.height / 2;
          c.save();
          c.globalAlpha = item.hidden ? 0.3 : 1;
          if (type === 'bar') {
            const h = 12;
            c.fillStyle = ds.backgroundColor;
            c.fillRect(x0, cy - h / 2, boxWidth, h);
            c.lineWidth = 1;
            c.strokeStyle = typeof ds.borderColor === 'string' ? ds.borderColor : '#333';
            c.strokeRect(x0 + 0.5, cy - h / 2 + 0.5, boxWidth - 1, h - 1);
          } else {
            const showLine = type === 'line' ? ds.showLine !== false : ds.showLine === true;
            if (showLine) {
              c.strokeStyle = ds.borderColor;
              c.lineWidth = Math.min(ds.borderWidth || 2, 3);
              c.setLineDash(ds.borderDash || []);
              c.beginPath();
              c.moveTo(x0, cy);
              c.lineTo(x0 + boxWidth, cy);
              c.stroke();
              c.setLineDash([]);
            }
            const radius = ds.pointRadius === 0 ? 0 : Math.max(3.5, Math.min(5, ds.pointRadius || 4));
            if (radius > 0 && ds.pointStyle !== false) {
              c.fillStyle = ds.pointBackgroundColor || ds.backgroundColor || ds.borderColor;
              c.strokeStyle = ds.pointBorderColor || ds.borderColor || '#000';
              c.lineWidth = 1.2;
              env.drawPoint(c, { pointStyle: ds.pointStyle || 'circle', radius, borderWidth: 1.2, rotation: 0 }, x0 + boxWidth / 2, cy);
            }
          }
          c.restore();
        });
      },
    };
  }

  function pointLabelPlugin(env: RuntimeEnv) {
    return {
      id: 'accsimPointLabels',
      afterDatasetsDraw(chart: any) {
        const c = chart.ctx;
        const area = chart.chartArea;
        type Box = [number, number, number, number];
        const placed: Box[] = [];
        const free = (r: Box) =>
          !placed.some((p) => r[0] < p[2] && p[0] < r[2] && r[1] < p[3] && p[1] < r[3]) && r[0] >= area.left && r[2] <= area.right && r[1] >= area.top && r[3] <= area.bottom;
        const labelled: Array<{ x: number; y: number; name: string }> = [];
        chart.data.datasets.forEach((ds: any, di: number) => {
          if (!ds.pointLabels || !chart.isDatasetVisible(di)) return;
          chart.getDatasetMeta(di).data.forEach((el: any, i: number) => {
            const point = ds.data[i];
            // `label` (a short tag such as a design-point index) wins over the tooltip's `name`.
            const text = point && (point.label || point.name);
            if (text && !el.skip) labelled.push({ x: el.x, y: el.y, name: text });
          });
        });
        // Markers are obstacles too, so a label never hides another operator's point.
        for (const p of labelled) placed.push([p.x - 6, p.y - 6, p.x + 6, p.y + 6]);
        c.save();
        c.font = Math.round(10 * (env.fontScale || 1)) + 'px ' + env.fontFamily;
        c.textBaseline = 'middle';
        for (const p of labelled) {
          const w = c.measureText(p.name).width;
          const h = 11;
          let chosen: [number, number] | null = null;
          for (const d of [8, 20, 34, 50]) {
            const candidates: Array<[number, number]> = [
              [p.x + d - 1, p.y - d],
              [p.x + d - 1, p.y + d],
              [p.x - d + 1 - w, p.y - d],
              [p.x - d + 1 - w, p.y + d],
              [p.x + d, p.y],
              [p.x - d - w, p.y],
              [p.x - w / 2, p.y - d - 4],
              [p.x - w / 2, p.y + d + 4],
            ];
            for (const cand of candidates) {
              if (free([cand[0] - 1, cand[1] - h / 2, cand[0] + w + 1, cand[1] + h / 2])) {
                chosen = cand;
                break;
              }
            }
            if (chosen) break;
          }
          // No free place within reach: leave this one unlabelled rather than overlap another label
          // (the chart's CSV and tooltip still name it).
          if (!chosen) continue;
          placed.push([chosen[0] - 1, chosen[1] - h / 2, chosen[0] + w + 1, chosen[1] + h / 2]);
          const far = Math.abs(chosen[1] - p.y) > 12 || chosen[0] - p.x > 12 || p.x - (chosen[0] + w) > 12;
          if (far) {
            // A thin leader line ties a displaced label to its point.
            const tx = Math.max(chosen[0], Math.min(p.x, chosen[0] + w));
            c.strokeStyle = '#888888';
            c.lineWidth = 0.8;
            c.beginPath();
            c.moveTo(p.x, p.y);
            c.lineTo(tx, chosen[1]);
            c.stroke();
          }
          c.fillStyle = '#222222';
          c.fillText(p.name, chosen[0], chosen[1]);
        }
        c.restore();
      },
    };
  }

  function heatmapPlugin(spec: ChartSpec, env: RuntimeEnv) {
    const hm = spec.heatmap!;
    const norm = (v: number) => {
      if (hm.max === hm.min) return 0.5;
      if (hm.log && hm.min > 0) return (Math.log(v) - Math.log(hm.min)) / (Math.log(hm.max) - Math.log(hm.min));
      return (v - hm.min) / (hm.max - hm.min);
    };
    return {
      id: 'accsimHeatmap',
      beforeDatasetsDraw(chart: any) {
        const c = chart.ctx;
        const xs = chart.scales.x;
        const ys = chart.scales.y;
        c.save();
        c.font = Math.round(11 * (env.fontScale || 1)) + 'px ' + env.fontFamily;
        c.textAlign = 'center';
        c.textBaseline = 'middle';
        for (let j = 0; j < hm.yLabels.length; j++) {
          for (let i = 0; i < hm.xLabels.length; i++) {
            const left = xs.getPixelForValue(i - 0.5);
            const right = xs.getPixelForValue(i + 0.5);
            const top = ys.getPixelForValue(j + 0.5);
            const bottom = ys.getPixelForValue(j - 0.5);
            const w = right - left;
            const h = bottom - top;
            const v = hm.values[j] ? hm.values[j][i] : null;
            if (v === null || v === undefined) {
              c.fillStyle = makePattern(c, env, 'cross', '#eeeeee');
              c.fillRect(left + 1, top + 1, w - 2, h - 2);
              const tw = c.measureText('no data').width;
              if (tw < w - 10 && h > 18) {
                c.fillStyle = '#ffffff';
                c.fillRect(left + w / 2 - tw / 2 - 4, top + h / 2 - 8, tw + 8, 16);
                c.fillStyle = '#000000';
                c.fillText('no data', left + w / 2, top + h / 2);
              }
              continue;
            }
            const color = viridis(norm(v));
            c.fillStyle = color;
            c.fillRect(left + 1, top + 1, w - 2, h - 2);
            const text = formatValue(hm.format, v, true);
            if (c.measureText(text).width < w - 6 && h > 14) {
              c.fillStyle = luminance(color) < 0.5 ? '#ffffff' : '#000000';
              c.fillText(text, left + w / 2, top + h / 2);
            }
          }
        }
        c.restore();
      },
      afterDraw(chart: any) {
        // The colour bar is this chart's legend.
        const c = chart.ctx;
        const area = chart.chartArea;
        const x = area.right + 18;
        const barWidth = 14;
        const steps = 64;
        const height = area.bottom - area.top;
        c.save();
        for (let k = 0; k < steps; k++) {
          c.fillStyle = viridis((k + 0.5) / steps);
          const y0 = area.bottom - ((k + 1) * height) / steps;
          c.fillRect(x, y0, barWidth, height / steps + 0.5);
        }
        c.strokeStyle = '#333333';
        c.lineWidth = 1;
        c.strokeRect(x + 0.5, area.top + 0.5, barWidth - 1, height - 1);
        c.fillStyle = '#222222';
        c.font = Math.round(11 * (env.fontScale || 1)) + 'px ' + env.fontFamily;
        c.textAlign = 'left';
        c.textBaseline = 'middle';
        const ticks = 5;
        for (let k = 0; k < ticks; k++) {
          const t = k / (ticks - 1);
          const value = hm.log && hm.min > 0 ? Math.exp(Math.log(hm.min) + t * (Math.log(hm.max) - Math.log(hm.min))) : hm.min + t * (hm.max - hm.min);
          const y = area.bottom - t * height;
          c.beginPath();
          c.moveTo(x + barWidth, y);
          c.lineTo(x + barWidth + 4, y);
          c.stroke();
          c.fillText(formatValue(hm.format, value, true), x + barWidth + 6, y);
          if (hm.max === hm.min) break;
        }
        c.translate(chart.width - 8, area.top + height / 2);
        c.rotate(-Math.PI / 2);
        c.textAlign = 'center';
        c.textBaseline = 'bottom';
        c.font = Math.round(12 * (env.fontScale || 1)) + 'px ' + env.fontFamily;
        c.fillText(hm.label, 0, 0);
        c.restore();
      },
    };
  }

  function hydrate(spec: ChartSpec, env: RuntimeEnv, ctx: any): any {
    const config = JSON.parse(JSON.stringify(spec.config));
    const options = config.options || (config.options = {});
    options.responsive = false;
    options.maintainAspectRatio = false;
    options.animation = false;
    options.devicePixelRatio = env.devicePixelRatio;
    options.layout = options.layout || { padding: 8 };
    const plugins = options.plugins || (options.plugins = {});
    plugins.title = { display: true, text: spec.title, color: '#111111', font: font(env, 16, 'bold'), padding: { top: 4, bottom: spec.subtitle ? 2 : 10 } };
    plugins.subtitle = spec.subtitle
      ? { display: true, text: spec.subtitle, color: '#444444', font: font(env, 12), padding: { bottom: 8 } }
      : { display: false };
    const legend = plugins.legend || (plugins.legend = {});
    if (legend.display === undefined) legend.display = true;
    legend.labels = Object.assign({}, legend.labels || {}, {
      font: font(env, 12),
      color: '#222222',
      boxWidth: 36,
      boxHeight: 12,
      padding: 12,
      usePointStyle: false,
      generateLabels(chart: any) {
        // chart.js draws an invisible box; accsimLegendSamples draws colour + pattern/dash + marker.
        return env.generateLabels(chart).map((item: any) => Object.assign(item, { fillStyle: 'rgba(0,0,0,0)', strokeStyle: 'rgba(0,0,0,0)', lineWidth: 0 }));
      },
    });

    const axes = spec.axes || {};
    const valueAxis = options.indexAxis === 'y' ? 'x' : 'y';
    const scales = options.scales || (options.scales = {});
    for (const id of Object.keys(scales)) {
      const scale = scales[id];
      const format = axes[id];
      scale.ticks = scale.ticks || {};
      scale.ticks.font = font(env, 11);
      scale.ticks.color = '#333333';
      // Log axes: the callback already thins the labels; chart.js's auto-skip would drop 2·10ⁿ, 5·10ⁿ.
      if (scale.type === 'logarithmic' && scale.ticks.autoSkip === undefined) scale.ticks.autoSkip = false;
      if (format && format.kind === 'labels') {
        // One tick per label at 0, 1, 2…; chart.js would otherwise step from min (-0.5).
        const labels = format.labels;
        scale.afterBuildTicks = (axis: any) => {
          axis.ticks = labels.map((_: string, i: number) => ({ value: i }));
        };
      }
      if (format) {
        scale.ticks.callback = function (this: any, value: any, _index: number, ticks: any[]) {
          const v = typeof value === 'string' ? Number(value) : value;
          if (scale.type === 'category') return this.getLabelForValue ? this.getLabelForValue(value) : value;
          if (scale.type === 'logarithmic' && !logTickVisible(v, ticks)) return '';
          return formatValue(format, v, true);
        };
      }
      if (scale.title) {
        scale.title.display = true;
        scale.title.font = font(env, 12);
        scale.title.color = '#222222';
      }
      if (scale.type === 'logarithmic') {
        // Decade lines, faint lines at 2…9 × 10ⁿ, none at chart.js's finer steps.
        scale.grid = Object.assign(
          {
            color(context: any) {
              const v = context.tick ? context.tick.value : NaN;
              if (!(v > 0)) return 'rgba(0,0,0,0)';
              const mantissa = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
              const whole = Math.abs(mantissa - Math.round(mantissa)) < 1e-6;
              if (whole && Math.round(mantissa) === 1) return '#d4d4d4';
              return whole ? '#efefef' : 'rgba(0,0,0,0)';
            },
          },
          scale.grid || {},
        );
      } else {
        scale.grid = Object.assign({ color: '#e2e2e2' }, scale.grid || {});
      }
      scale.border = Object.assign({ color: '#666666' }, scale.border || {});
    }

    plugins.tooltip = Object.assign({}, plugins.tooltip || {}, {
      titleFont: font(env, 12, 'bold'),
      bodyFont: font(env, 12),
      callbacks: {
        label(item: any) {
          const ds = item.dataset;
          const raw = item.raw;
          if (spec.heatmap && raw && typeof raw === 'object') {
            const hm = spec.heatmap;
            const v = hm.values[raw.y] ? hm.values[raw.y][raw.x] : null;
            return hm.xLabels[raw.x] + ', ' + hm.yLabels[raw.y] + ': ' + (v === null || v === undefined ? 'no data' : formatValue(hm.format, v, false));
          }
          if (raw && typeof raw === 'object' && 'x' in raw && 'y' in raw) {
            const who = raw.name ? raw.name + ' (' + ds.label + ')' : ds.label;
            return who + ': ' + formatValue(axes.x, raw.x, false) + ', ' + formatValue(axes.y, raw.y, false);
          }
          const v = typeof raw === 'number' ? raw : item.parsed ? item.parsed[valueAxis] : NaN;
          return ds.label + ': ' + formatValue(axes[valueAxis], v, false);
        },
      },
    });

    for (const ds of config.data.datasets) {
      // Let markers on the axis limits show whole instead of cut in half.
      const kind = ds.type || config.type;
      if ((kind === 'line' || kind === 'scatter') && ds.clip === undefined) ds.clip = 10;
      if (ds.hatch) {
        ds.backgroundColor = makePattern(ctx, env, ds.hatch.pattern, ds.hatch.color);
        if (ds.borderColor === undefined) ds.borderColor = '#333333';
        if (ds.borderWidth === undefined) ds.borderWidth = 1;
        delete ds.hatch;
      }
    }

    const extra: any[] = [backgroundPlugin, legendSamplePlugin(env), pointLabelPlugin(env)];
    if (spec.heatmap) extra.push(heatmapPlugin(spec, env));
    config.plugins = extra;
    return config;
  }

  return { hydrate, formatValue, engineering, viridis };
}

/** The runtime's source as an expression evaluating to a ChartRuntime (inlined in the HTML report). */
export function chartRuntimeSource(): string {
  return `(${chartRuntime.toString()})()`;
}
