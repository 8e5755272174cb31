// `--set PATH=VALUE` on `run` and `compare`: one-off overrides of an architecture or workload key,
// with the same dotted paths, aliases and value syntax as `accsim sweep --set` (src/sweep/paths.ts,
// src/sweep/values.ts), applied to the parsed file and validated exactly as a file would be.

import { extname } from 'node:path';
import { inputError } from '../spec/errors.js';
import { archFromTree } from '../spec/load-arch.js';
import { workloadFromTree } from '../spec/load-workload.js';
import { displayName, loadArchFile, loadWorkloadFile, readMatrixRelative, readText } from '../io/files.js';
import { baseTreeFromText, treeOfVariant } from '../sweep/spec-tree.js';
import { applyAssignments, resolveAxisTarget, type Assignment } from '../sweep/paths.js';
import { parseLiteral } from '../sweep/values.js';
import type { ArchSpec, Workload } from '../core/types.js';

const COMMAND_LINE = '<command line>';

interface Override {
  path: string;
  valueText: string;
}

function parseSet(text: string): Override {
  const equals = text.indexOf('=');
  if (equals <= 0) throw inputError({ file: COMMAND_LINE, keyPath: `--set ${text}`, message: `'${text}' has no PATH=VALUE form`, expected: 'e.g. compute.rows=128 or memory.dram.bandwidth=68GB/s' });
  return { path: text.slice(0, equals).trim(), valueText: text.slice(equals + 1) };
}

function checkEditable(path: string, what: string): void {
  const ext = extname(path).toLowerCase();
  if (ext === '.cfg' || ext === '.csv') {
    throw inputError({ file: COMMAND_LINE, keyPath: '--set', message: `--set edits YAML/JSON spec files; ${displayName(path)} is a SCALE-Sim ${what}`, expected: 'convert it first with accsim import scalesim' });
  }
}

/**
 * The architecture and workload with `sets` applied; without sets, the files as loaded normally.
 * A path is resolved against both files (prefix arch: or workload: when it is ambiguous).
 */
export function loadWithOverrides(archPath: string, workloadPath: string, sets: readonly string[] = []): { arch: ArchSpec; workload: Workload } {
  if (!sets.length) return { arch: loadArchFile(archPath), workload: loadWorkloadFile(workloadPath) };
  checkEditable(archPath, 'config');
  checkEditable(workloadPath, 'topology');
  const archFile = displayName(archPath);
  const workloadFile = displayName(workloadPath);
  const archBase = baseTreeFromText(readText(archPath, 'architecture'), archFile);
  const workloadBase = baseTreeFromText(readText(workloadPath, 'workload'), workloadFile);
  const bases = { arch: { file: archFile, plain: archBase.plain }, workloads: [{ file: workloadFile, plain: workloadBase.plain }] };
  const archSets: Assignment[] = [];
  const workloadSets: Assignment[] = [];
  const written = { arch: [] as string[], workload: [] as string[] };
  for (const set of sets) {
    const { path, valueText } = parseSet(set);
    const where = { file: COMMAND_LINE, keyPath: `--set ${path}` };
    const target = resolveAxisTarget(path, bases, where);
    (target.target === 'arch' ? archSets : workloadSets).push({ target, value: parseLiteral(valueText, where).spec });
    written[target.target].push(`${path}=${valueText.trim()}`);
  }
  // The label says the spec was edited, so a Result never passes for the file as it is on disk.
  const label = (file: string, mine: string[]) => (mine.length ? `${file} [--set ${mine.join(' ')}]` : file);
  const arch = archFromTree(treeOfVariant(archBase, applyAssignments(archBase.plain, archSets)), label(archFile, written.arch));
  const workload = workloadFromTree(treeOfVariant(workloadBase, applyAssignments(workloadBase.plain, workloadSets)), label(workloadFile, written.workload), (path, from) =>
    readMatrixRelative(path, { ...from, file: workloadPath }),
  );
  return { arch, workload };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The commander option: repeatable `--set PATH=VALUE`. */
export const SET_OPTION = ['--set <PATH=VALUE>', 'override one key of the architecture or workload, with the paths of accsim sweep --set (e.g. compute.rows=128, memory.dram.bandwidth=68GB/s, weights.density=0.3); repeatable', collect] as const;
