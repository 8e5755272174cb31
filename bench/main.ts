// `npm run bench`: timings that back the performance targets (printed, never asserted in tests).
//
// Every case reports rows of this shape (BenchRow in bench/harness.ts):
//   { name: string,      what was measured
//     value: number,     the figure, in `unit`
//     unit: string,      's', 'ms', 'µs', 'points/min', 'MB', '×', …
//     target?: string,   the target in words ('< 8 s', '≥ 400000 points/min', '≥ 2 ×'); absent if none
//     pass?: boolean,    whether value meets target; present exactly when target is
//     detail?: string }  context (runs, counts, what a ratio is measured against)
// A relative target (a speed-up, an overhead) is measured against a baseline run in the same
// process, next to it, so that both see the same machine load (harness.ts: ratioRow).
//
// Adding a case file: export a function returning BenchRow[] (or a Promise of them), import it
// here and add one { title, run } line to SECTIONS. Sections run in order; the scratchpad section
// comes before the sweeps because its peak-RSS row reads the process's peak so far.
//
// Usage: npm run bench [-- WORD ...] [-- --json FILE]: only the sections whose title contains one
// of the WORDs (case-insensitive); --json also writes every row with the machine load.

import { writeFileSync } from 'node:fs';
import { formatLoad, formatRow, machineLoad, type BenchRow, type BenchSection, type MachineLoad } from './harness.js';
import { benchSystolicLayers, benchNetworks } from './systolic.js';
import { benchSparsity } from './sparsity.js';
import { benchScratchpadRows } from './scratchpad.js';
import { benchSweeps } from './sweep.js';
import { benchCli } from './cli.js';
import { benchSpatial } from './spatial.js';
import { benchSystolicEngines } from './systolic-engines.js';

const SECTIONS: BenchSection[] = [
  { title: 'Systolic family, one layer', run: benchSystolicLayers },
  { title: 'Systolic engines: exact SCALE-Sim emulation and event pipeline on many-fold layers', run: benchSystolicEngines },
  { title: 'Systolic family, whole networks', run: benchNetworks },
  { title: 'Sparsity library', run: benchSparsity },
  { title: 'Scratchpad family (PIUMA preset), SpGEMM A·A of R-MAT matrices', run: benchScratchpadRows },
  { title: 'Sweeps (worker threads, JSONL streamed to a temp dir)', run: benchSweeps },
  { title: 'Spatial family mapper (Timeloop case 02 hardware and problem)', run: benchSpatial },
  { title: 'CLI start-up', run: benchCli },
];

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const words = args.filter((_, i) => jsonAt < 0 || (i !== jsonAt && i !== jsonAt + 1)).map((w) => w.toLowerCase());
const selected = SECTIONS.filter((s) => words.length === 0 || words.some((w) => s.title.toLowerCase().includes(w)));

const start = machineLoad();
console.log(`accsim benchmark (Node ${process.version}, ${start.cpuModel}); ${formatLoad(start)} at the start`);
console.log('Absolute times depend on the machine and its load; ratios are measured in one process.');
const report: Array<{ section: string; load: MachineLoad; rows: BenchRow[] }> = [];
for (const section of selected) {
  const load = machineLoad();
  console.log(`\n${section.title} (${formatLoad(load)}):`);
  const rows = await section.run();
  for (const row of rows) console.log(formatRow(row));
  report.push({ section: section.title, load, rows });
}

const all = report.flatMap((s) => s.rows);
const targeted = all.filter((row) => row.target !== undefined);
const failed = targeted.filter((row) => !row.pass);
console.log(`\nTargets: ${targeted.length - failed.length} of ${targeted.length} met; ${formatLoad(machineLoad())} at the end.`);
for (const row of failed) console.log(`  FAIL ${row.name}: ${row.value.toPrecision(4)} ${row.unit}, target ${row.target}`);
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ node: process.version, start, end: machineLoad(), sections: report }, null, 2) + '\n');
