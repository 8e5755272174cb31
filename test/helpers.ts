// Shared test helpers: bundled presets and workloads, and 6-significant-digit rounding for goldens.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadArchFile, loadWorkloadFile } from '../src/io/files.js';

export const ROOT = join(import.meta.dirname, '..');

export function bundled(folder: 'arch' | 'workloads'): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(ROOT, folder, f));
}

export const loadArch = (name: string) => loadArchFile(join(ROOT, 'arch', name));
export const loadWorkload = (name: string) => loadWorkloadFile(join(ROOT, 'workloads', name));

/** Rounds every number to 6 significant digits so goldens survive harmless float noise. */
export function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(6)) : value;
  if (Array.isArray(value)) return value.map(roundDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundDeep(v);
    return out;
  }
  return value;
}
