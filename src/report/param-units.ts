// The unit of a swept parameter, from its declaration (a family's quantity parameter says its
// dimension), so sweep tables print `51.2 GB/s` rather than `51.20 G`.

import { FAMILIES } from '../families/registry.js';
import { SI_UNIT } from '../spec/params.js';
import { specValue } from './units.js';

let declared: Map<string, string> | undefined;

function declaredUnits(): Map<string, string> {
  if (!declared) {
    declared = new Map();
    for (const family of FAMILIES) for (const decl of family.params) if (decl.type === 'quantity' && SI_UNIT[decl.dimension]) declared.set(decl.key, SI_UNIT[decl.dimension]);
  }
  return declared;
}

/** SI unit of a sweep path (`memory.dram.bandwidth` → `B/s`), '' when it is a plain number. */
export function paramUnit(path: string): string {
  const key = path.replace(/^(arch|workload):/, '');
  const unit = declaredUnits().get(key);
  if (unit !== undefined) return unit;
  // Undeclared paths (workload keys, energy overrides): judge by the last key's name.
  if (/bandwidth|bytes_?per_?s/i.test(key)) return 'B/s';
  if (/clock|freq/i.test(key)) return 'Hz';
  if (/capacity|bytes/i.test(key)) return 'B';
  return '';
}

/** A swept value for people, with its unit: `51.2 GB/s`, `1 MiB`, `128`, `tiled-csl`. */
export function paramText(path: string, value: unknown): string {
  return typeof value === 'number' ? specValue(value, paramUnit(path)) : String(value);
}
