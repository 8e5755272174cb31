// `accsim import timeloop FILE… --out-dir DIR` and `accsim run --timeloop FILE…`: Timeloop inputs
// recognised by content, converted to native spatial-family files (written, or simulated directly).

import { basename, join } from 'node:path';
import { importTimeloop, type TimeloopImport } from '../io/timeloop.js';
import { displayName, readText, writeFileAtomic } from '../io/files.js';
import { loadArchText } from '../spec/load-arch.js';
import { loadWorkloadText } from '../spec/load-workload.js';
import type { ArchSpec, Workload } from '../core/types.js';

function importFiles(files: readonly string[]): TimeloopImport {
  return importTimeloop(files.map((path) => ({ file: displayName(path), text: readText(path, 'Timeloop input') })));
}

/** The native architecture and workload of a set of Timeloop files, loaded in memory. */
export function loadTimeloopRun(files: readonly string[]): { arch: ArchSpec; workload: Workload } {
  const imported = importFiles(files);
  const stem = displayName(files[0]).replace(/\.ya?ml$/i, '');
  return { arch: loadArchText(imported.archYaml, `${stem}.spatial-arch.yaml`), workload: loadWorkloadText(imported.workloadYaml, `${stem}.spatial-workload.yaml`) };
}

export function importTimeloopCommand(files: string[], flags: { outDir: string; quiet?: boolean }): void {
  const imported = importFiles(files);
  const stem = basename(files.find((f) => /arch/i.test(basename(f))) ?? files[0]).replace(/\.ya?ml$/i, '');
  const archOut = join(flags.outDir, `${stem}.spatial.yaml`);
  const workloadOut = join(flags.outDir, `${stem}.workload.yaml`);
  // Validate before writing: a file that does not load is never left behind.
  loadArchText(imported.archYaml, archOut);
  loadWorkloadText(imported.workloadYaml, workloadOut);
  writeFileAtomic(archOut, imported.archYaml);
  writeFileAtomic(workloadOut, imported.workloadYaml);
  if (!flags.quiet) process.stderr.write(`wrote ${archOut}\nwrote ${workloadOut}\n`);
}
