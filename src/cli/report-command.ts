// `accsim report <result.json|results-dir…> --out <dir>`: the design-review report from saved
// Results (accsim run -f json -o FILE) and sweep result directories (run.json + points.jsonl).

import { Command, Option } from 'commander';
import { didYouMean, inputError } from '../spec/errors.js';
import { loadReportInputs, writeReport, DEFAULT_REPORT_FORMATS, REPORT_FORMATS, type ReportInput, type WrittenReport } from '../report/report-writer.js';
import { isMetricName, METRIC_NAMES, type MetricName } from '../report/charts/metrics.js';
import { axisValues } from '../report/charts/heatmap.js';
import type { MacKind } from '../report/charts/roofline.js';

export interface ReportFlags {
  out: string;
  formats: string;
  title?: string;
  heatmap?: string;
  metric?: MetricName;
  pareto?: string;
  rooflineMacs: MacKind;
  scale: number;
  theme: 'report' | 'slides';
  quiet?: boolean;
}

function pair(value: string, flag: string): [string, string] {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length !== 2) throw inputError({ file: '<command line>', keyPath: flag, message: `'${value}' is not two comma-separated names`, expected: 'X,Y' });
  return [parts[0], parts[1]];
}

function checkMetric(name: string, flag: string): MetricName {
  if (!isMetricName(name)) throw inputError({ file: '<command line>', keyPath: flag, message: `unknown metric '${name}'`, expected: `one of ${METRIC_NAMES.join(', ')}`, hint: didYouMean(name, METRIC_NAMES) });
  return name;
}

function parseScale(value: string): number {
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale < 0.5 || scale > 4) throw inputError({ file: '<command line>', keyPath: '--scale', message: `'${value}' is not a valid scale`, expected: 'a number from 0.5 to 4' });
  return scale;
}

/** Applies --heatmap/--metric/--pareto to the sweep inputs, checking the names against each sweep. */
function applySweepFlags(inputs: ReportInput[], flags: ReportFlags): void {
  const pareto = flags.pareto ? pair(flags.pareto, '--pareto').map((m) => checkMetric(m, '--pareto')) : undefined;
  const heatmap = flags.heatmap ? pair(flags.heatmap, '--heatmap') : undefined;
  for (const input of inputs) {
    if (input.kind !== 'sweep') continue;
    if (pareto) input.pareto = { x: pareto[0], y: pareto[1] };
    if (heatmap) {
      const params = [...new Set([...input.run.axes.map((a) => a.path), ...input.points.flatMap((p) => Object.keys(p.params))])];
      for (const name of heatmap) {
        if (!params.includes(name)) throw inputError({ file: input.source ?? '<sweep>', keyPath: '--heatmap', message: `the sweep has no parameter '${name}'`, expected: `one of ${params.join(', ')}`, hint: didYouMean(name, params) });
        if (axisValues(input.points, name).length < 2) throw inputError({ file: input.source ?? '<sweep>', keyPath: '--heatmap', message: `parameter '${name}' takes a single value in this sweep`, expected: 'a swept parameter with several values' });
      }
      input.heatmap = { x: heatmap[0], y: heatmap[1], metric: flags.metric };
    } else if (flags.metric) {
      // --metric alone: the automatic axes (the first two that vary), only that metric.
      const varied = input.run.axes.map((a) => a.path).filter((p) => axisValues(input.points, p).length > 1);
      if (varied.length >= 2) input.heatmap = { x: varied[0], y: varied[1], metric: flags.metric };
    }
  }
}

export async function reportCommand(paths: string[], flags: ReportFlags): Promise<WrittenReport> {
  const started = performance.now();
  const inputs = loadReportInputs(paths);
  applySweepFlags(inputs, flags);
  const written = await writeReport(inputs, flags.out, flags.formats.split(','), { title: flags.title, macKind: flags.rooflineMacs, scale: flags.scale, theme: flags.theme });
  if (!flags.quiet) {
    const charts = written.model.sections.reduce((n, s) => n + s.charts.length, 0);
    process.stderr.write(`wrote ${written.files.length} files (${charts} charts) to ${flags.out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return written;
}

/** Adds `report` to the program (one line in src/cli/main.ts: `addReportCommand(program);`). */
export function addReportCommand(program: Command): Command {
  return program
    .command('report')
    .description('Write a design-review report (self-contained HTML, Markdown with PNG charts, CSV, PNG/SVG) from saved Results and sweep result directories')
    .argument('<inputs...>', 'Result JSON files (accsim run -f json -o FILE.json) and/or sweep result directories (run.json + points.jsonl)')
    .requiredOption('-o, --out <dir>', 'output directory (created if needed; files are replaced atomically)')
    .option('--formats <list>', `comma-separated subset of ${REPORT_FORMATS.join(',')}; md implies png charts`, DEFAULT_REPORT_FORMATS.join(','))
    .option('--title <text>', 'report title')
    .option('--heatmap <x,y>', 'sweeps: the two swept parameters on the heatmap axes (default: the first two that vary)')
    .addOption(new Option('--metric <name>', 'sweeps: heatmap metric (default: seconds and energyJ)').choices(METRIC_NAMES as string[]))
    .option('--pareto <x,y>', `sweeps: two metrics for the Pareto front (${METRIC_NAMES.join(', ')})`, 'seconds,energyJ')
    .addOption(new Option('--roofline-macs <kind>', 'which MACs the roofline counts').choices(['issued', 'dense', 'effectual']).default('issued'))
    .option('--scale <n>', 'PNG pixels per CSS pixel', parseScale, 2)
    .addOption(new Option('--theme <theme>', "PNG/SVG charts: 'report' or 'slides' (16:9, larger fonts)").choices(['report', 'slides']).default('report'))
    .option('-q, --quiet', 'no log lines on stderr')
    .action(async (paths: string[], flags: ReportFlags) => {
      await reportCommand(paths, flags);
    });
}
