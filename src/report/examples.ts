// The example design-review reports committed under reports/: bundled presets run through
// simulate() and written with writeReport(). Regenerate with regenerateExampleReports(root) (the
// npm script "reports"). Adding an example is one more entry in EXAMPLES.

import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { simulate } from '../core/simulate.js';
import type { Result, SimulateOptions } from '../core/types.js';
import { loadArchFile, loadWorkloadFile } from '../io/files.js';
import { writeReport, type ReportFormat, type ReportInput, type ReportOptions, type WrittenReport } from './report-writer.js';

export interface ExampleRun {
  /** Architecture file relative to the package root, e.g. 'arch/tpu-v1.yaml'. */
  arch: string;
  /** Workload file relative to the package root. */
  workload: string;
  /** Legend/heading label; default "<arch name> × <workload name>". */
  label?: string;
  options?: Partial<SimulateOptions>;
}

export interface ExampleSpec {
  /** Folder under reports/. */
  name: string;
  title: string;
  intro: string[];
  runs: ExampleRun[];
  /** More inputs made from the simulated Results (in runs order), e.g. a speedup study. */
  extraInputs?(results: Result[]): ReportInput[];
  formats?: ReportFormat[];
  options?: Omit<ReportOptions, 'title' | 'intro'>;
}

/** PNGs at 1.5× keep the committed examples small while staying sharp on screen and paper. */
const EXAMPLE_SCALE = 1.5;

export const EXAMPLES: ExampleSpec[] = [
  {
    name: 'tpu-v1-resnet18',
    title: 'Design review: TPU v1 running ResNet-18',
    intro: [
      'Google TPU v1 (256×256 INT8 weight-stationary systolic array, 700 MHz, 34 GB/s DDR3) modelled by accsim\'s systolic family, running ResNet-18 inference at 224×224, batch 1.',
      'Where does the time go, what limits each layer, and where is the energy spent? The rooflines place every layer against the compute ceiling and the DRAM bandwidth the model used.',
    ],
    runs: [{ arch: 'arch/tpu-v1.yaml', workload: 'workloads/resnet18.yaml' }],
  },
  {
    name: 'edge-vs-tpu-bert',
    title: 'Design review: Edge 128×128 vs TPU v1 on BERT-base',
    intro: [
      'Two systolic targets on the same BERT-base encoder (sequence 128, batch 1): a 128×128 output-stationary edge array with LPDDR4 (every parameter an assumption, see arch/edge-128.yaml) and TPU v1.',
      'The comparison section normalises time and energy to the edge array; the per-target sections show what bounds each layer.',
    ],
    runs: [
      { arch: 'arch/edge-128.yaml', workload: 'workloads/bert-base.yaml' },
      { arch: 'arch/tpu-v1.yaml', workload: 'workloads/bert-base.yaml' },
    ],
  },
];

/** Simulates one example's runs; file names in the Results are made root-relative so the report does not depend on the working directory. */
export function simulateExample(root: string, spec: ExampleSpec): Result[] {
  return spec.runs.map((run) => {
    const archPath = join(root, run.arch);
    const workloadPath = join(root, run.workload);
    const result = simulate(loadArchFile(archPath), loadWorkloadFile(workloadPath), run.options ?? {});
    return {
      ...result,
      arch: { ...result.arch, file: relative(root, archPath).split('\\').join('/') },
      workload: { ...result.workload, file: relative(root, workloadPath).split('\\').join('/') },
    };
  });
}

/** Deletes files under dir that were not just written (stale charts from an older version). */
function removeStale(dir: string, keep: Set<string>, prefix = ''): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(full).isDirectory()) {
      removeStale(full, keep, rel);
      if (!readdirSync(full).length) rmSync(full, { recursive: true });
    } else if (!keep.has(rel)) {
      rmSync(full);
    }
  }
}

export interface RegenerateOptions {
  /** Only these examples (by name). */
  only?: string[];
  /** Where the example folders go; default <root>/reports. */
  outDir?: string;
  /** Formats; default each example's own (html, md, csv, png). */
  formats?: ReportFormat[];
}

/**
 * Regenerates reports/<name>/ for every example under root (the package root, holding arch/ and
 * workloads/). Output is deterministic: the same sources give the same files byte for byte, and
 * files a previous version wrote but this one did not are removed from the example's folder.
 */
export async function regenerateExampleReports(root: string, options: RegenerateOptions = {}): Promise<WrittenReport[]> {
  const written: WrittenReport[] = [];
  for (const spec of EXAMPLES) {
    if (options.only && !options.only.includes(spec.name)) continue;
    const results = simulateExample(root, spec);
    const inputs: ReportInput[] = [
      ...results.map((result, i): ReportInput => ({ kind: 'result', result, label: spec.runs[i].label, source: `${spec.runs[i].arch} × ${spec.runs[i].workload}` })),
      ...(spec.extraInputs ? spec.extraInputs(results) : []),
    ];
    const outDir = join(options.outDir ?? join(root, 'reports'), spec.name);
    const formats = options.formats ?? spec.formats ?? ['html', 'md', 'csv', 'png'];
    const report = await writeReport(inputs, outDir, formats, { scale: EXAMPLE_SCALE, ...spec.options, title: spec.title, intro: spec.intro });
    removeStale(outDir, new Set(report.files));
    written.push(report);
  }
  return written;
}
