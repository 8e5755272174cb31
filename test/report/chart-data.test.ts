// Chart data builders against hand-computed values (see fixtures.ts for the arithmetic).
import { describe, expect, it } from 'vitest';
import { deriveBandwidth, memoryLevels, rooflineChart, rooflineData } from '../../src/report/charts/roofline.js';
import { paretoChart, paretoFront } from '../../src/report/charts/pareto.js';
import { axisValues, heatmapChart, heatmapMatrix, paramValueLabel } from '../../src/report/charts/heatmap.js';
import { observationsFromPoints, observationsFromResults, speedupChart, speedupSeries } from '../../src/report/charts/speedup.js';
import { cycleBreakdownChart, energyBreakdownChart, layerTimeChart, operatorTimeComparisonChart, totalsComparisonChart } from '../../src/report/charts/breakdown.js';
import { chartRuntime, chartRuntimeSource } from '../../src/report/charts/runtime.js';
import { seriesStyle, SERIES_COLORS, PATTERNS, DASHES, MARKERS } from '../../src/report/charts/palette.js';
import { slug } from '../../src/report/charts/spec.js';
import { engineering } from '../../src/report/units.js';
import { sampleObservations, sampleResult, sampleSweep } from './fixtures.js';

const close = (actual: number | null | undefined, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('roofline', () => {
  const result = sampleResult();

  it('lists memory levels in order of appearance', () => {
    expect(memoryLevels(result)).toEqual(['dram', 'sram']);
  });

  it('derives dram bandwidth from bytes / bounds.dram (largest ratio) and the compute ceiling from the arch', () => {
    const bw = deriveBandwidth(result, 'dram')!;
    close(bw.bytesPerCycle, 10); // A: 100 B / 10 cycles beats B: 250 / 30
    close(bw.bytesPerSecond, 1e10);
    expect(bw.operator).toBe('A');
    const data = rooflineData(result, 'dram');
    close(data.peakOpsPerSecond, 2e11); // 2 × 100 MAC/cycle × 1 GHz
    close(data.ridge!, 20); // 2e11 / 1e10
  });

  it('places each operator at OI = 2·MACs/bytes and P = 2·MACs/s, and says which are left out', () => {
    const data = rooflineData(result, 'dram');
    expect(data.points.map((p) => p.name)).toEqual(['A', 'B']);
    close(data.points[0].operationalIntensity, 20);
    close(data.points[0].attained / 1e11, 1);
    close(data.points[1].operationalIntensity, 40);
    close(data.points[1].attained / 1e11, 10 / 6);
    expect(data.notes.join(' ')).toMatch(/Not placed.*C/);
  });

  it('skips the bandwidth ceiling of a level without bounds and says so', () => {
    const data = rooflineData(result, 'sram');
    expect(data.bandwidth).toBeNull();
    expect(data.ridge).toBeNull();
    expect(data.notes[0]).toMatch(/No sram bandwidth ceiling.*bounds\.sram/);
    expect(data.points.map((p) => [p.name, p.operationalIntensity])).toEqual([
      ['A', 4],
      ['B', 10000 / 1500],
      ['C', 4],
    ]);
    const chart = rooflineChart(data, 'r', 'ctx');
    const ceilings = chart.config.data.datasets.filter((d) => d.pointRadius === 0);
    expect(ceilings.map((d) => d.label)).toEqual(['compute ceiling (200 GOP/s)']);
    expect(chart.notes).toEqual(data.notes);
  });

  it('draws the bandwidth ceiling up to the ridge and the compute ceiling from there, on decade-aligned log axes', () => {
    const chart = rooflineChart(rooflineData(result, 'dram'), 'r', 'ctx');
    const [memory, compute] = chart.config.data.datasets;
    expect(memory.label).toBe('dram bandwidth ceiling (10.0 GB/s)');
    // x range: min(20, 40, ridge 20)/2 = 10 → 10; max·2 = 80 → 100.
    expect(memory.data).toEqual([{ x: 10, y: 1e11 }, { x: 20, y: 2e11 }]);
    expect(compute.data).toEqual([{ x: 20, y: 2e11 }, { x: 100, y: 2e11 }]);
    const scales = chart.config.options.scales as Record<string, { type: string; min: number; max: number }>;
    expect([scales.x.type, scales.x.min, scales.x.max]).toEqual(['logarithmic', 10, 100]);
    expect(scales.y.max).toBe(1e12);
    // One scatter series per bottleneck, each with its own marker.
    const groups = chart.config.data.datasets.slice(2);
    expect(groups.map((g) => [g.label, g.pointStyle, (g.data as Array<{ name: string }>).map((p) => p.name)])).toEqual([
      ['operators bound by dram-bandwidth', 'circle', ['A']],
      ['operators bound by compute', 'triangle', ['B']],
    ]);
    expect(chart.table.rows).toHaveLength(2);
  });
});

describe('Pareto front', () => {
  it('keeps the non-dominated points, best x first, duplicates included', () => {
    const pts = [
      { x: 1, y: 5 },
      { x: 2, y: 3 },
      { x: 3, y: 4 }, // dominated by (2, 3)
      { x: 4, y: 1 },
      { x: 2, y: 3 }, // duplicate of a front point
      { x: 4, y: 2 }, // dominated by (4, 1)
      { x: 5, y: 1 }, // dominated by (4, 1): same y, larger x
      { x: NaN, y: 0 }, // ignored
    ];
    expect(paretoFront(pts)).toEqual([0, 1, 4, 3]);
  });

  it('handles maximised axes', () => {
    const pts = [
      { x: 1, y: 1 },
      { x: 2, y: 3 },
      { x: 3, y: 2 },
      { x: 0, y: 4 },
    ];
    expect(paretoFront(pts, { minimizeX: false, minimizeY: false })).toEqual([2, 1, 3]);
    expect(paretoFront(pts, { minimizeX: true, minimizeY: false })).toEqual([3]);
    expect(paretoFront([])).toEqual([]);
  });

  it('highlights the front of a sweep (time vs energy)', () => {
    const { points } = sampleSweep();
    const { chart, front } = paretoChart(points, 'p', { x: 'seconds', y: 'energyJ', context: 'ctx' });
    expect(front.map((p) => p.index)).toEqual([2, 4, 1, 0]);
    const [frontSet, dominated] = chart.config.data.datasets;
    expect(frontSet.label).toBe('Pareto front (4)');
    expect(dominated.label).toBe('dominated design points (1)');
    expect((dominated.data as Array<{ name: string }>)[0].name).toBe('compute.rows=64, memory.dram.bandwidth=20 GB/s');
    expect(chart.table.rows.map((r) => r[r.length - 1])).toEqual([1, 1, 1, 0, 1]);
  });
});

describe('heatmap', () => {
  it('builds the matrix [y][x] over two parameters, null where no point succeeded', () => {
    const { points } = sampleSweep();
    const m = heatmapMatrix(points, 'compute.rows', 'memory.dram.bandwidth', 'seconds');
    expect(m.xValues).toEqual([64, 128, 256]);
    expect(m.yValues).toEqual([1e10, 2e10]);
    const expected = [
      [1e-3, 0.5e-3, 0.25e-3],
      [0.75e-3, 0.375e-3, null],
    ];
    m.values.forEach((row, j) => row.forEach((v, i) => (expected[j][i] === null ? expect(v).toBeNull() : close(v, expected[j][i]!))));
    expect(m.counts).toEqual([
      [1, 1, 1],
      [1, 1, 0],
    ]);
  });

  it('aggregates over other varying parameters (min, max, mean)', () => {
    const { points } = sampleSweep();
    const m = heatmapMatrix(points, 'compute.rows', 'compute.rows', 'energyJ', 'mean');
    // Diagonal only; rows 64: mean of 2 mJ and 3 mJ.
    close(m.values[0][0], 2.5e-3);
    expect(m.values[0][1]).toBeNull();
    close(heatmapMatrix(points, 'compute.rows', 'compute.rows', 'energyJ', 'max').values[0][0], 3e-3);
    expect(axisValues(points, 'memory.dram.bandwidth')).toEqual([1e10, 2e10]);
  });

  it('becomes a chart with labelled axes, a colour scale and a note for empty cells', () => {
    const { points } = sampleSweep();
    const chart = heatmapChart(heatmapMatrix(points, 'compute.rows', 'memory.dram.bandwidth', 'seconds'), 'h', 'ctx');
    expect(chart.axes.x).toEqual({ kind: 'labels', labels: ['64', '128', '256'] });
    expect(chart.axes.y).toEqual({ kind: 'labels', labels: ['10 GB/s', '20 GB/s'] });
    expect(chart.heatmap!.min).toBeCloseTo(0.25e-3, 12);
    expect(chart.heatmap!.max).toBeCloseTo(1e-3, 12);
    expect(chart.heatmap!.log).toBe(false);
    expect(chart.config.data.datasets[0].data).toHaveLength(6);
    expect(chart.notes.join(' ')).toMatch(/1 cell\(s\) have no successful design point/);
    expect(chart.table.headers).toEqual(['memory.dram.bandwidth \\ compute.rows', '64', '128', '256']);
    expect(paramValueLabel('clock', 1.5e9)).toBe('1.5 GHz');
    expect(paramValueLabel('batch', 8)).toBe('8');
    expect(paramValueLabel('format', 'csr')).toBe('csr');
  });
});

describe('speedup vs sparsity', () => {
  it('divides the dense time on the same target and sparsity by the format time', () => {
    const { series, notes } = speedupSeries(sampleObservations());
    expect(notes).toEqual([]);
    expect(series.map((s) => `${s.target}/${s.format}`)).toEqual(['GPU/csr', 'GPU/2:4', 'FPGA/csr', 'FPGA/2:4']);
    const gpuCsr = series[0].points;
    expect(gpuCsr.map((p) => p.sparsity)).toEqual([0.5, 0.75, 0.9]);
    close(gpuCsr[0].speedup, 1 / 0.9);
    close(gpuCsr[2].speedup, 2);
    close(series[3].points[1].speedup, 1.25);
  });

  it('reads observations from Results the caller labels with format and sparsity', () => {
    const dense = sampleResult();
    const sparse = sampleResult({ scale: 0.5 });
    const obs = observationsFromResults([
      { result: dense, format: 'dense', sparsity: 0.8 },
      { result: sparse, format: 'csr', sparsity: 0.8 },
    ]);
    expect(obs.map((o) => [o.target, o.format])).toEqual([
      ['Toy 10x10', 'dense'],
      ['Toy 10x10', 'csr'],
    ]);
    close(speedupSeries(obs).series[0].points[0].speedup, 90 / 45);
  });

  it('borrows a single dense run for every sparsity and drops points without a baseline, with notes', () => {
    const obs = [
      { target: 'T', format: 'dense', sparsity: 0.5, seconds: 2 },
      { target: 'T', format: 'csr', sparsity: 0.5, seconds: 1 },
      { target: 'T', format: 'csr', sparsity: 0.9, seconds: 0.5 },
      { target: 'U', format: 'dense', sparsity: 0.1, seconds: 2 },
      { target: 'U', format: 'dense', sparsity: 0.2, seconds: 2 },
      { target: 'U', format: 'csr', sparsity: 0.3, seconds: 1 },
    ];
    const { series, notes } = speedupSeries(obs);
    expect(series).toHaveLength(1);
    expect(series[0].points.map((p) => p.speedup)).toEqual([2, 4]);
    expect(notes).toEqual(['dense on T ran at one sparsity only; its time is the baseline at every sparsity.', 'No dense baseline on U at sparsity 30 %; those points are left out.']);
  });

  it('reads observations from sweep points (density → sparsity) and styles format by colour, target by dash', () => {
    const points = [
      { schema: 'accsim.sweep-point' as const, version: 1 as const, index: 0, params: { density: 0.25, format: 'csr' }, workload: 'w', status: 'ok' as const, metrics: { ...sampleSweep().points[0].metrics!, seconds: 2 } },
      { schema: 'accsim.sweep-point' as const, version: 1 as const, index: 1, params: { density: 0.25 }, workload: 'w', status: 'ok' as const, metrics: sampleSweep().points[0].metrics },
    ];
    expect(observationsFromPoints(points, { sparsityParam: 'density', isDensity: true, formatParam: 'format' })).toEqual([{ target: '', format: 'csr', sparsity: 0.75, seconds: 2 }]);
    const chart = speedupChart(speedupSeries(sampleObservations()).series, 's', 'ctx');
    const [baseline, gpuCsr, gpu24, fpgaCsr] = chart.config.data.datasets;
    expect(baseline.label).toBe('dense baseline (1×)');
    expect(baseline.data).toEqual([{ x: 0.5, y: 1 }, { x: 0.9, y: 1 }]);
    expect([gpuCsr.label, gpuCsr.borderColor, gpuCsr.borderDash, gpuCsr.pointStyle]).toEqual(['csr on GPU', SERIES_COLORS[0], [], 'circle']);
    expect([gpu24.borderColor, gpu24.pointStyle]).toEqual([SERIES_COLORS[1], 'triangle']);
    expect([fpgaCsr.borderColor, fpgaCsr.borderDash]).toEqual([SERIES_COLORS[0], DASHES[1]]);
    expect(chart.table.rows).toHaveLength(12);
  });
});

describe('breakdowns and comparisons', () => {
  const result = sampleResult();

  it('stacks energy per component and cycles into compute + stall per operator', () => {
    const energy = energyBreakdownChart(result, 'e');
    expect(energy.config.data.labels).toEqual(['A', 'B ×2', 'C']);
    expect(energy.config.data.datasets.map((d) => d.label)).toEqual(['array', 'sram', 'dram']);
    expect(energy.config.data.datasets[2].data).toEqual([5e-10, 9e-10, 0]);
    expect(energy.config.data.datasets.map((d) => d.hatch!.pattern)).toEqual(['solid', 'diagonal', 'dots']);
    const cyclesChart = cycleBreakdownChart(result, 'c');
    expect(cyclesChart.config.data.datasets.map((d) => d.data)).toEqual([
      [12, 50, 10],
      [8, 10, 0],
    ]);
  });

  it('groups per-layer time by bottleneck and compares targets relative to the first', () => {
    const time = layerTimeChart(result, 't');
    expect(time.config.data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['bound by dram-bandwidth', [2e-8, null, null]],
      ['bound by compute', [null, 6e-8, 1e-8]],
    ]);
    const other = sampleResult({ archName: 'Toy 2', scale: 2 });
    const totals = totalsComparisonChart([{ label: 'one', result }, { label: 'two', result: other }], 'x');
    expect(totals.config.data.datasets[0].data).toEqual([1, 2]);
    const ops = operatorTimeComparisonChart([{ label: 'one', result }, { label: 'two', result: other }], 'o');
    expect(ops.config.data.labels).toEqual(['A', 'B', 'C']);
    expect(ops.config.data.datasets[1].data).toEqual([4e-8, 1.2e-7, 2e-8]);
  });
});

describe('chart runtime and styles', () => {
  const runtime = chartRuntime();

  it('formats like units.ts engineering notation', () => {
    for (const v of [0, 1, 999.4, 999.6, 1234, 2.5e-7, -3.3e9, 4.2e15, 1e-17, Infinity]) {
      for (const unit of ['s', 'B/s', 'J']) expect(runtime.engineering(v, unit)).toBe(engineering(v, unit));
    }
    expect(runtime.formatValue({ kind: 'eng', unit: 's' }, 1.5e-3, true)).toBe('1.5 ms');
    expect(runtime.formatValue({ kind: 'eng', unit: 's' }, 1e-3, true)).toBe('1 ms');
    expect(runtime.formatValue({ kind: 'eng', unit: 's' }, 1e-3, false)).toBe('1.00 ms');
    expect(runtime.formatValue({ kind: 'eng', unit: 'B' }, 120e3, true)).toBe('120 kB');
    expect(runtime.formatValue({ kind: 'percent' }, 0.75, true)).toBe('75 %');
    expect(runtime.formatValue({ kind: 'ratio' }, 2, true)).toBe('2×');
    expect(runtime.formatValue({ kind: 'labels', labels: ['a', 'b'] }, 1, true)).toBe('b');
    expect(runtime.formatValue({ kind: 'labels', labels: ['a', 'b'] }, 0.5, true)).toBe('');
  });

  it('is self-contained: it rebuilds from its source text alone', () => {
    const rebuilt = new Function(`return ${chartRuntimeSource()};`)();
    expect(rebuilt.formatValue({ kind: 'ratio' }, 1.5, false)).toBe('1.50×');
    expect(rebuilt.viridis(0)).toBe('#440154');
    expect(rebuilt.viridis(1)).toBe('#fde725');
  });

  it('gives every series a distinct colour, pattern, dash and marker', () => {
    const styles = [0, 1, 2, 3, 4, 5, 6, 7].map(seriesStyle);
    for (const key of ['color', 'pattern', 'marker'] as const) expect(new Set(styles.map((s) => s[key])).size).toBe(8);
    expect(new Set(styles.map((s) => s.dash.join(','))).size).toBe(8);
    expect(PATTERNS.length).toBeGreaterThanOrEqual(8);
    expect(MARKERS.length).toBe(8);
    expect(slug('TPU v1 × ResNet-18 (224x224)')).toBe('tpu-v1-resnet-18-224x224');
  });
});
