// writeReport end to end on hand-made inputs, loading saved results, and the report command.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { buildReport, loadReportInputs, renderMarkdownReport, writeReport, type ReportInput } from '../../src/report/report-writer.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { addReportCommand } from '../../src/cli/report-command.js';
import { InputError } from '../../src/spec/errors.js';
import { sampleObservations, sampleResult, sampleSweep } from './fixtures.js';

const scratchDirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accsim-report-'));
  scratchDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

function inputs(): ReportInput[] {
  const { run, points } = sampleSweep();
  return [
    { kind: 'result', result: sampleResult() },
    { kind: 'result', result: sampleResult({ archName: 'Toy 2', scale: 2 }) },
    { kind: 'sweep', run, points, label: 'toy-sweep' },
    { kind: 'speedup', title: 'Sparse formats', context: 'toy study', observations: sampleObservations() },
  ];
}

function saveSweep(dir: string, partialLastLine = false): void {
  const { run, points } = sampleSweep();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
  // Written out of order, as a running sweep appends them.
  const lines = [...points].reverse().map((p) => JSON.stringify(p));
  writeFileSync(join(dir, 'points.jsonl'), lines.join('\n') + (partialLastLine ? '\n{"schema":"accsim.sweep-po' : '\n'));
}

describe('report model', () => {
  it('has the summary first, then the speedup study and the sweep, then one collapsed detail section per result', () => {
    const model = buildReport(inputs());
    expect(model.sections.map((s) => s.title)).toEqual(['Summary', 'Sparse formats', 'Sweep: toy-sweep', 'Toy 10x10', 'Toy 2']);
    expect(model.sections.map((s) => s.detail ?? false)).toEqual([false, false, false, true, true]);
    expect(model.title).toBe('Design review: Toy 10x10 vs Toy 2');
    const [overview, speedup, sweep, toy] = model.sections;
    expect(overview.tables[0].rows.map((r) => r[r.length - 1])).toEqual(['1×', '0.5×']);
    expect(overview.charts.map((c) => c.id)).toEqual(['comparison-totals', 'summary-time-by-bottleneck', 'summary-energy', 'comparison-operators']);
    expect(speedup.tables[0].rows).toHaveLength(12);
    // Per result: time, cycles, energy, and a roofline only where the level has a bandwidth ceiling
    // (the toy's sram never bounds an operator); the operator table ends with TOTAL.
    expect(toy.charts.map((c) => c.id)).toEqual(['toy-10x10-time', 'toy-10x10-cycles', 'toy-10x10-energy', 'toy-10x10-roofline-dram']);
    expect(toy.tables[0].rows.map((r) => r[0])).toEqual(['A', 'B ×2', 'C', 'TOTAL']);
    expect(toy.notes).toEqual(['toy result for tests']);
    expect(sweep.charts.map((c) => c.id)).toEqual(['sweep-toy-sweep-heatmap-seconds', 'sweep-toy-sweep-heatmap-energyj', 'sweep-toy-sweep-pareto']);
    expect(sweep.tables[0].rows.map((r) => r[0])).toEqual(['2', '4', '1', '0']);
    expect(sweep.paragraphs[0]).toMatch(/6 in points\.jsonl \(5 ok, 1 failed\)/);
    // Chart ids are unique across the report.
    const ids = model.sections.flatMap((s) => s.charts.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('accepts bare Results and labels one result by arch × workload', () => {
    const model = buildReport([sampleResult()]);
    expect(model.title).toBe('Design review: Toy 10x10 × Toy net');
    expect(model.sections.map((s) => s.title)).toEqual(['Summary', 'Toy 10x10 × Toy net']);
    // One result: its time, energy and DRAM roofline are in the summary, not drawn again below.
    expect(model.sections.map((s) => s.charts.map((c) => c.id))).toEqual([['summary-time', 'summary-energy', 'summary-roofline-dram'], ['toy-10x10-toy-net-cycles']]);
    expect(() => buildReport([])).toThrow(InputError);
  });

  it('labels heatmap axes with the values as the sweep file wrote them, when the run recorded them', () => {
    const { run, points } = sampleSweep();
    const written = { ...run, axes: [run.axes[0], { ...run.axes[1], written: ['10 GB/s', '20GB/s'] }] };
    const chart = buildReport([{ kind: 'sweep', run: written, points }]).sections[0].charts[0];
    expect(chart.heatmap!.yLabels).toEqual(['10 GB/s', '20GB/s']);
    expect(chart.heatmap!.xLabels).toEqual(['64', '128', '256']);
  });

  it('adds a speedup chart to sweeps with a density and a format axis', () => {
    const obs = sampleObservations().filter((o) => o.target === 'GPU');
    const points = obs.map((o, index) => ({
      schema: 'accsim.sweep-point' as const,
      version: 1 as const,
      index,
      params: { 'workload.density': 1 - o.sparsity, 'workload.format': o.format },
      workload: 'w.yaml',
      status: 'ok' as const,
      metrics: { ...sampleSweep().points[0].metrics!, seconds: o.seconds },
    }));
    const run = { ...sampleSweep().run, axes: [{ path: 'workload.density', values: [0.5, 0.25, 0.1] }, { path: 'workload.format', values: ['dense', 'csr', '2:4'] }] };
    const model = buildReport([{ kind: 'sweep', run, points }]);
    const speedup = model.sections[0].charts.find((c) => c.id.endsWith('speedup'))!;
    expect(speedup.config.data.datasets.map((d) => d.label)).toEqual(['dense baseline (1×)', 'csr', '2:4']);
    expect(speedup.table.rows.map((r) => r[2])).toEqual([0.5, 0.75, 0.9, 0.5, 0.75, 0.9]);
  });
});

describe('writeReport', () => {
  it('writes HTML, Markdown, CSV, PNG and SVG; every Markdown link resolves; output is reproducible', async () => {
    const out = scratch();
    const some = inputs().filter((_, i) => i !== 1); // one result: fewer images to render
    const written = await writeReport(some, out, ['html', 'md', 'csv', 'png', 'svg'], { scale: 1 });
    const charts = written.model.sections.flatMap((s) => s.charts);
    expect(charts.length).toBe(8); // summary 3 + speedup 1 + sweep 3 + result detail 1
    for (const chart of charts) {
      expect(written.files).toContain(`charts/${chart.id}.png`);
      expect(written.files).toContain(`charts/${chart.id}.svg`);
      expect(written.files).toContain(`csv/${chart.id}.csv`);
    }
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const links = [...md.matchAll(/\]\(((?:charts|csv)\/[^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(charts.length * 2);
    for (const link of links) expect(existsSync(join(out, link)), link).toBe(true);
    expect(md).toContain('| A | 20 cycles |');
    // CSV: raw SI numbers, one row per record.
    const summary = readFileSync(join(out, 'csv', 'summary.csv'), 'utf8').trim().split('\n');
    expect(summary[0]).toBe('result,arch,family,workload,cycles,seconds,energy_J,pJ_per_MAC,pJ_per_effectual_MAC,utilization_fraction,bottleneck,speedup_ratio');
    expect(summary).toHaveLength(2);
    expect(summary[1].split(',').slice(0, 5)).toEqual(['Toy 10x10 × Toy net', 'Toy 10x10', 'systolic', 'Toy net', '90']);
    const points = readFileSync(join(out, 'csv', 'sweep-toy-sweep-points.csv'), 'utf8').trim().split('\n');
    expect(points).toHaveLength(1 + 6);
    expect(points[6]).toMatch(/^5,256,20000000000,workloads\/toy\.yaml,error,,+does not fit$/);
    expect(readFileSync(join(out, 'csv', 'toy-10x10-toy-net-operators.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 3 + 1);
    // No temp files left behind; a second run gives identical bytes.
    const all = readdirSync(out, { recursive: true }) as string[];
    expect(all.filter((f) => f.includes('.tmp-'))).toEqual([]);
    // (Chart images are covered by the golden tests; the text outputs are checked here.)
    const again = scratch();
    const second = await writeReport(some, again, ['html', 'md', 'csv'], { scale: 1 });
    expect(second.files.length).toBeGreaterThan(20);
    for (const file of second.files) expect(readFileSync(join(again, file)).equals(readFileSync(join(out, file))), file).toBe(true);
  });

  it('renders Markdown with SVG images when only SVG is asked for, and md alone still gets PNGs', async () => {
    const out = scratch();
    const written = await writeReport([sampleResult()], out, ['md', 'svg'], { scale: 1 });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\(charts\/summary-time\.svg\)/);
    expect(written.files.some((f) => f.endsWith('.png'))).toBe(false);
    const mdOnly = await writeReport([sampleResult()], scratch(), ['md'], { scale: 1 });
    expect(mdOnly.files.filter((f) => f.endsWith('.png'))).toHaveLength(4);
    expect(mdOnly.files.some((f) => f.endsWith('.csv'))).toBe(false);
    await expect(writeReport([sampleResult()], scratch(), ['pdf'])).rejects.toThrow(/unknown report format 'pdf'/);
  });

  it('makes a self-contained HTML page: inline scripts and data only, nothing to fetch', () => {
    const html = renderHtmlReport(buildReport(inputs()));
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<img\b/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).not.toContain('sourceMappingURL');
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<canvas /g)).toHaveLength(16);
    // Detail sections are collapsed behind the summary.
    expect(html.match(/<details class="detail"/g)).toHaveLength(2);
    // The embedded JSON cannot end its <script> early.
    const data = /<script type="application\/json" id="accsim-chart-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(JSON.parse(data)).toHaveLength(16);
  });
});

describe('loading saved results', () => {
  it('reads Result JSON files, sweep directories and directories of both', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.json'), JSON.stringify(sampleResult()));
    writeFileSync(join(dir, 'notes.json'), JSON.stringify({ hello: 1 })); // not a Result: ignored in a directory
    saveSweep(join(dir, 'sweep1'), true);
    const loaded = loadReportInputs([dir]);
    expect(loaded.map((i) => i.kind)).toEqual(['result', 'sweep']);
    const sweep = loaded[1] as Extract<ReportInput, { kind: 'sweep' }>;
    expect(sweep.points.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]); // sorted
    expect(sweep.notes![0]).toMatch(/line 7 is incomplete/);
    expect(loadReportInputs([join(dir, 'sweep1', 'run.json')])[0].kind).toBe('sweep');
  });

  it('rejects bad inputs with a file name and an expectation', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ schema: 'something' }));
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ ...sampleResult(), version: 99 }));
    mkdirSync(join(dir, 'empty'));
    saveSweep(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'points.jsonl'), '{"schema":"accsim.sweep-point"}\n{oops\n{}\n');
    const message = (paths: string[]) => {
      try {
        loadReportInputs(paths);
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message([join(dir, 'missing.json')])).toMatch(/no such file or directory/);
    expect(message([join(dir, 'bad.json')])).toMatch(/bad\.json: error: file is not valid JSON/);
    expect(message([join(dir, 'other.json')])).toMatch(/other\.json: error: schema: not an accsim Result \(expected "schema": "accsim\.result"/);
    expect(message([join(dir, 'old.json')])).toMatch(/version 99 is not supported/);
    expect(message([join(dir, 'empty')])).toMatch(/holds no Result JSON files and no sweep runs/);
    expect(message([join(dir, 'broken')])).toMatch(/points\.jsonl:2:1: error: not valid JSON/);
  });
});

describe('accsim report (command)', () => {
  async function run(args: string[]) {
    const program = new Command().exitOverride();
    addReportCommand(program);
    await program.parseAsync(['node', 'accsim', 'report', ...args]);
  }

  it('writes the requested formats from files and sweep directories', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'r.json'), JSON.stringify(sampleResult()));
    saveSweep(join(dir, 'sw'));
    const out = join(dir, 'out');
    await run([join(dir, 'r.json'), join(dir, 'sw'), '--out', out, '--formats', 'md,csv', '--heatmap', 'memory.dram.bandwidth,compute.rows', '--metric', 'energyJ', '--pareto', 'seconds,peakMacsPerCycle', '--scale', '1', '-q']);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('Energy over memory.dram.bandwidth × compute.rows');
    expect(md).toContain('Pareto front: Time vs peak MACs per cycle');
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    expect(readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.png'))).toHaveLength(4 + 2); // the result's summary 3 + detail 1; the sweep's heatmap and Pareto
  });

  it('rejects unknown heatmap parameters and metrics with a hint', async () => {
    const dir = scratch();
    saveSweep(join(dir, 'sw'));
    await expect(run([join(dir, 'sw'), '--out', join(dir, 'o'), '--heatmap', 'compute.row,memory.dram.bandwidth'])).rejects.toThrow(/no parameter 'compute\.row'.*did you mean 'compute\.rows'/);
    await expect(run([join(dir, 'sw'), '--out', join(dir, 'o'), '--pareto', 'seconds,energy'])).rejects.toThrow(/unknown metric 'energy'.*did you mean 'energyJ'/);
    await expect(run([join(dir, 'sw'), '--out', join(dir, 'o'), '--scale', '9'])).rejects.toThrow(/not a valid scale/);
  });
});

describe('markdown', () => {
  it('escapes pipes in table cells', () => {
    const model = buildReport([{ kind: 'result', result: sampleResult(), label: 'a|b' }]);
    expect(renderMarkdownReport(model)).toContain('a\\|b');
  });
});
