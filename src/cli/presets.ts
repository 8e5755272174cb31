// Bundled presets: architecture and workload files shipped in arch/ and workloads/, found by path
// or by bare name.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean, inputError } from '../spec/errors.js';

/** The package root (dist/src/cli/ → three levels up). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Finds a preset by path or by bare name in the bundled arch/ or workloads/ folder. */
export function resolvePresetPath(value: string, folder: 'arch' | 'workloads'): string {
  if (existsSync(value)) return resolve(value);
  for (const extension of ['', '.yaml', '.yml', '.json']) {
    const candidate = join(PACKAGE_ROOT, folder, `${value}${extension}`);
    if (existsSync(candidate)) return candidate;
  }
  const names = presetNames(folder);
  throw inputError({ file: '<command line>', keyPath: folder === 'arch' ? '--arch' : '--workload', message: `'${value}' is no file and no bundled preset`, expected: `a file path or one of ${names.join(', ')}`, hint: didYouMean(basename(value).replace(/\.(ya?ml|json)$/, ''), names) });
}

export function presetNames(folder: 'arch' | 'workloads'): string[] {
  const dir = join(PACKAGE_ROOT, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ''))
    .sort();
}


/** A path or bare name as an architecture preset, else as a workload; undefined if neither. */
export function findPreset(value: string): { kind: 'arch' | 'workloads'; path: string } | undefined {
  for (const folder of ['arch', 'workloads'] as const) {
    for (const extension of ['', '.yaml', '.yml', '.json']) {
      const candidate = join(PACKAGE_ROOT, folder, `${value}${extension}`);
      if (existsSync(candidate)) return { kind: folder, path: candidate };
    }
  }
  // A file given by path: a workload has `operators`; everything else is read as an architecture.
  if (existsSync(value)) return { kind: /^\s*operators\s*:/m.test(readFileSync(value, 'utf8')) ? 'workloads' : 'arch', path: resolve(value) };
  return undefined;
}
