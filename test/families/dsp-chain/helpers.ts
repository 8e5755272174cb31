// Test helpers for the dsp-chain family: presets and workloads through the real loaders (with
// the real matrix reader, so every bundled workload loads) and results from the core's simulate().
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../../src/core/simulate.js';
import type { ArchSpec, Result, SimulateOptions, Workload } from '../../../src/core/types.js';
import { readMatrixRelative } from '../../../src/io/files.js';
import { loadArchText } from '../../../src/spec/load-arch.js';
import { loadWorkloadText } from '../../../src/spec/load-workload.js';
import { ROOT } from '../../helpers.js';

/** An ArchSpec from YAML text, validated by the real loader. */
export const dspArch = (text: string, file = 'test-arch.yaml'): ArchSpec => loadArchText(text, file);

export const presetText = (name: string): string => readFileSync(join(ROOT, 'arch', name), 'utf8');
export const workloadText = (name: string): string => readFileSync(join(ROOT, 'workloads', name), 'utf8');
export const preset = (name: string, edit: (text: string) => string = (t) => t): ArchSpec => dspArch(edit(presetText(name)), name);
export const workload = (name: string, edit: (text: string) => string = (t) => t): Workload =>
  loadWorkloadText(edit(workloadText(name)), join(ROOT, 'workloads', name), readMatrixRelative);

export const run = (arch: ArchSpec, w: Workload, options: Partial<SimulateOptions> = {}): Result => simulate(arch, w, options);

/** Tokens per second of a one-token decode workload: 1 / seconds of the step. */
export const tokensPerSecond = (result: Result): number => 1 / result.total.seconds;

/** Seconds per operator phase (the workload's operators, in order, carry the phase). */
export function secondsByPhase(result: Result, w: Workload): Record<string, number> {
  const out: Record<string, number> = {};
  result.operators.forEach((op, i) => {
    const source = w.operators[i];
    const phase = 'phase' in source ? source.phase : 'inference';
    out[phase] = (out[phase] ?? 0) + op.seconds;
  });
  return out;
}
