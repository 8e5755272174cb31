// `accsim list` and the JSON/workload side of `accsim describe`: which presets belong to which
// family and which bundled workloads each family can run (every operator kind in the family's
// list), as text for people or JSON for scripts.

import { FAMILIES, findFamily } from '../families/registry.js';
import { describeType, defaultText, SI_UNIT } from '../spec/params.js';
import { loadArchFile, loadWorkloadFile, displayName } from '../io/files.js';
import { presetNames, resolvePresetPath } from './presets.js';
import type { Workload } from '../core/types.js';

export type CatalogFormat = 'text' | 'json';

const familiesRunning = (workload: Workload) => FAMILIES.filter((f) => workload.operators.every((op) => f.operatorKinds.includes(op.kind))).map((f) => f.id);

export function catalog() {
  const presets = presetNames('arch').map((name) => ({ name, family: loadArchFile(resolvePresetPath(name, 'arch')).family }));
  const workloads = presetNames('workloads').map((name) => {
    const workload = loadWorkloadFile(resolvePresetPath(name, 'workloads'));
    return { name, title: workload.name, operatorKinds: [...new Set(workload.operators.map((op) => op.kind))], families: familiesRunning(workload) };
  });
  const families = FAMILIES.map((f) => ({
    id: f.id,
    title: f.title,
    operatorKinds: [...f.operatorKinds],
    presets: presets.filter((p) => p.family === f.id).map((p) => p.name),
    workloads: workloads.filter((w) => w.families.includes(f.id)).map((w) => w.name),
  }));
  return { families, presets, workloads };
}

export function renderList(format: CatalogFormat): string {
  const c = catalog();
  if (format === 'json') return JSON.stringify(c, null, 2) + '\n';
  const lines: string[] = [];
  for (const f of c.families) {
    lines.push(`${f.id} — ${f.title}`);
    lines.push(`  operator kinds: ${f.operatorKinds.join(', ')}`);
    lines.push(`  presets (arch/): ${f.presets.join(', ') || '(none)'}`);
    lines.push(`  workloads it can run (workloads/): ${f.workloads.join(', ') || '(none)'}`, '');
  }
  const orphans = c.workloads.filter((w) => !w.families.length);
  if (orphans.length) lines.push(`Workloads no family runs whole: ${orphans.map((w) => `${w.name} (${w.operatorKinds.join(', ')})`).join('; ')}`, '');
  lines.push('Run one with: accsim run -a PRESET -w WORKLOAD; describe one with: accsim describe NAME');
  return lines.join('\n') + '\n';
}

/** A workload for people: its operators with their shapes and counts, and the families that run it. */
export function describeWorkload(path: string, format: CatalogFormat): string {
  const w = loadWorkloadFile(path);
  const operators = w.operators.map((op) => {
    const { kind, name, count, ...rest } = op as unknown as Record<string, unknown> & { kind: string; name: string; count: number };
    const shape = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'number' || typeof v === 'string'));
    return { name, kind, count, shape };
  });
  const families = familiesRunning(w);
  if (format === 'json') return JSON.stringify({ name: w.name, file: displayName(path), description: w.description ?? null, sources: w.sources, hash: w.hash, families, operators }, null, 2) + '\n';
  const lines = [`${w.name} — ${displayName(path)} (workload)`];
  if (w.description) lines.push(w.description);
  if (w.sources.length) lines.push('', 'Sources:', ...w.sources.map((s) => `  - ${s}`));
  lines.push('', `Families that can run it: ${families.join(', ') || '(none)'}`, '', `Operators (${operators.length}):`);
  for (const op of operators) {
    const shape = Object.entries(op.shape).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`  ${op.name}${op.count > 1 ? ` ×${op.count}` : ''}: ${op.kind}${shape ? ` ${shape}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

/** A family's declarations as JSON. */
export function describeFamilyJson(id: string): string {
  const family = findFamily(id)!;
  return (
    JSON.stringify(
      {
        id: family.id,
        title: family.title,
        description: family.description,
        operatorKinds: family.operatorKinds,
        engines: family.engines ?? ['event', 'analytical'],
        params: family.params.map((decl) => ({ ...decl, unit: decl.type === 'quantity' ? SI_UNIT[decl.dimension] : undefined, typeText: describeType(decl), defaultText: defaultText(decl) })),
        stats: family.stats,
      },
      null,
      2,
    ) + '\n'
  );
}

/** An architecture preset's resolved values (raw SI) as JSON. */
export function describeArchJson(path: string): string {
  const arch = loadArchFile(path);
  const area = findFamily(arch.family)?.area?.(arch.values) ?? null;
  const resources = findFamily(arch.family)?.resources?.(arch) ?? null;
  return JSON.stringify({ name: arch.name, family: arch.family, file: displayName(path), description: arch.description ?? null, sources: arch.sources, hash: arch.hash, values: arch.values, energy: arch.energy, area, ...(resources ? { resources } : {}) }, null, 2) + '\n';
}

