// The example design-review reports committed under reports/: bundled presets run through
// simulate() and written with writeReport(). Regenerate with regenerateExampleReports(root) (the
// npm script "reports"). Adding an example is one more entry in EXAMPLES.

import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { simulate } from '../core/simulate.js';
import type { Result, SimulateOptions } from '../core/types.js';
import { loadArchFile, loadWorkloadFile } from '../io/files.js';
import { compare, weightSparsityFor, withWeightSparsity, type CompareRow } from '../core/compare.js';
import { withWeightStorage } from '../cli/compare-flags.js';
import { runSweep } from '../sweep/run.js';
import { loadSweepDir } from './report-writer.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeReport, type ReportFormat, type ReportInput, type ReportOptions, type WrittenReport } from './report-writer.js';

export interface ExampleRun {
  /** Architecture file relative to the package root, e.g. 'arch/tpu-v1.yaml'. */
  arch: string;
  /** Workload file relative to the package root. */
  workload: string;
  /** Legend/heading label; default "<arch name> × <workload name>". */
  label?: string;
  options?: Partial<SimulateOptions>;
  /** Put the workload's weights in this storage format at this density (as `accsim compare` does). */
  weights?: { format: string; density: number };
}

export interface ExampleSpec {
  /** Folder under reports/. */
  name: string;
  title: string;
  intro: string[];
  runs: ExampleRun[];
  /** More inputs made from the simulated Results (in runs order), e.g. a speedup study or a sweep. */
  extraInputs?(results: Result[], root: string): ReportInput[] | Promise<ReportInput[]>;
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
  {
    name: 'opt30b-sparse-formats',
    title: 'Design review: weight formats for OPT-30B decode on A100 and H100',
    intro: [
      'OPT-30B decode linear layers (batch 16, FP16) on the A100 and H100 presets of the tensor-core family, with the weights stored dense, as bitmaps, in Tiled-CSL (Flash-LLM), CSR (a Sputnik-like CUDA-core SpMM) or 2:4 (cuSPARSELt-like).',
      'This is what `accsim compare -a a100,h100 -w opt-30b-decode --formats dense,bitmap,tiled-csl,csr,2:4 --density 0.2 --report DIR` writes, with the speedup curves run at densities 0.5 to 0.1 (2:4 is fixed at 50 %).',
    ],
    runs: [],
    extraInputs: (_results, root) => {
      const archs = ['a100', 'h100'].map((name) => loadArchFile(join(root, 'arch', `${name}.yaml`)));
      const workload = loadWorkloadFile(join(root, 'workloads', 'opt-30b-decode.yaml'));
      const relative = (row: CompareRow): CompareRow => ({ ...row, result: { ...row.result, arch: { ...row.result.arch, file: `arch/${row.result.arch.file.split('/').pop()}` }, workload: { ...row.result.workload, file: 'workloads/opt-30b-decode.yaml' } } });
      const rows = [0.2, 0.5, 0.4, 0.3, 0.1].flatMap((density) =>
        withWeightStorage(compare({ archs, workload, formats: ['dense', 'bitmap', 'tiled-csl', 'csr', ...(density === 0.5 ? ['2:4'] : [])], density, blockSize: 4, options: {}, breakEven: density === 0.2 }), workload, 4, { seed: 1, sparsityMode: 'statistical' }).map(relative),
      );
      return [{ kind: 'compare', rows, density: 0.2, source: 'accsim compare -a a100,h100 -w opt-30b-decode --density 0.2' }];
    },
  },
  {
    name: 'edge-array-sram-sweep',
    title: 'Design review: array size × SRAM sweep of the edge array on ResNet-18',
    intro: [
      'A grid sweep of the edge-128 systolic preset: array side (rows = cols) 32–256 and ifmap/filter SRAM 256 KiB–4 MiB, running ResNet-18 (batch 1) on the event engine.',
      'The heatmaps show time and energy over the grid; the Pareto front trades latency against silicon area (the systolic area model: PE array + SRAM, 28 nm). Latency against energy alone has a single optimum here (the largest array), which is why area is on the axis.',
    ],
    runs: [],
    extraInputs: async (_results, root) => {
      const dir = mkdtempSync(join(tmpdir(), 'accsim-example-sweep-'));
      await runSweep({
        arch: join(root, 'arch', 'edge-128.yaml'),
        workloads: [join(root, 'workloads', 'resnet18.yaml')],
        sets: ['compute.rows=32,64,128,256', 'compute.cols=32,64,128,256', 'memory.ifmap_sram.capacity=256,512,1024,2048,4096KiB', 'memory.filter_sram.capacity=256,1024,4096KiB'],
        constraints: ['compute.rows == compute.cols'],
        out: dir,
        jobs: 1,
        engine: 'event',
        quiet: true,
        argv: ['accsim', 'sweep', '(example)'],
        toolVersion: 'example',
      });
      const sweep = loadSweepDir(dir);
      rmSync(dir, { recursive: true });
      // Paths and creation time would differ from machine to machine; the example shows neither.
      return [{ ...sweep, run: { ...sweep.run, createdAt: '', arch: { ...sweep.run.arch, file: 'arch/edge-128.yaml' }, workloads: sweep.run.workloads.map((w) => ({ ...w, file: 'workloads/resnet18.yaml' })) }, label: 'edge-128 array × SRAM sweep', source: 'accsim sweep -a arch/edge-128.yaml -w workloads/resnet18.yaml', heatmap: { x: 'compute.rows', y: 'memory.ifmap_sram.capacity' }, pareto: { x: 'seconds', y: 'areaMm2' } }];
    },
  },
];

/** Simulates one example's runs; file names in the Results are made root-relative so the report does not depend on the working directory. */
export function simulateExample(root: string, spec: ExampleSpec): Result[] {
  return spec.runs.map((run) => {
    const archPath = join(root, run.arch);
    const workloadPath = join(root, run.workload);
    const workload = loadWorkloadFile(workloadPath);
    const sparse = run.weights ? withWeightSparsity(workload, weightSparsityFor(run.weights.format, run.weights.density, 4)) : workload;
    const result = simulate(loadArchFile(archPath), sparse, run.options ?? {});
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
      ...(spec.extraInputs ? await spec.extraInputs(results, root) : []),
    ];
    const outDir = join(options.outDir ?? join(root, 'reports'), spec.name);
    const formats = options.formats ?? spec.formats ?? ['html', 'md', 'csv', 'png'];
    const report = await writeReport(inputs, outDir, formats, { scale: EXAMPLE_SCALE, ...spec.options, title: spec.title, intro: spec.intro });
    removeStale(outDir, new Set(report.files));
    written.push(report);
  }
  return written;
}
