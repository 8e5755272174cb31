// Architecture files: YAML/JSON → validated, SI-valued, frozen ArchSpec.
// Stages: parse with positions → top-level keys → named parameters → the family's declared
// parameters → energy table → the family's cross-field checks.

import { createHash } from 'node:crypto';
import type { ArchSpec } from '../core/types.js';
import { ENERGY_TABLES } from '../core/energy-tables.js';
import { FAMILIES, findFamily } from '../families/registry.js';
import { didYouMean, inputError, InputError } from './errors.js';
import { positionOfKey, rememberSpecTree } from './positions.js';
import type { ParamValue } from './params.js';
import { expectMap, expectString, expectStringList, resolveDeclared, resolveNamedParameters, resolveParam, rejectUnknownKeys, type ResolveContext } from './resolve.js';
import { parseSpecText, type SpecNode } from './yaml-source.js';

const ARCH_RESERVED = ['family', 'name', 'description', 'sources', 'parameters', 'energy'] as const;

export function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

export function loadArchText(text: string, file: string): ArchSpec {
  const { root } = parseSpecText(text, file);
  return archFromTree(root, file);
}

export function archFromTree(root: SpecNode, file: string): ArchSpec {
  rememberSpecTree(file, root);
  const context: ResolveContext = { file, scope: new Map() };
  const map = expectMap(root, context, '', 'a mapping with family, name and the family parameters');
  const familyEntry = map.entries.get('family');
  if (!familyEntry) {
    throw inputError({ file, position: map.position, keyPath: 'family', message: 'missing required key', expected: `one of ${FAMILIES.map((f) => f.id).join(', ')}` });
  }
  const familyId = expectString(familyEntry.node, context, 'family');
  const family = findFamily(familyId);
  if (!family) {
    const ids = FAMILIES.map((f) => f.id);
    throw inputError({ file, position: familyEntry.node.position, keyPath: 'family', message: `unknown family '${familyId}'`, expected: `one of ${ids.join(', ')}`, hint: didYouMean(familyId, ids) });
  }
  const nameEntry = map.entries.get('name');
  const name = nameEntry ? expectString(nameEntry.node, context, 'name') : file;
  const descriptionEntry = map.entries.get('description');
  const description = descriptionEntry ? expectString(descriptionEntry.node, context, 'description') : undefined;
  const sourcesEntry = map.entries.get('sources');
  const sources = sourcesEntry ? expectStringList(sourcesEntry.node, context, 'sources') : [];
  const parametersEntry = map.entries.get('parameters');
  if (parametersEntry) resolveNamedParameters(parametersEntry.node, context);

  const values = family.resolveSpec ? family.resolveSpec(map, context, ARCH_RESERVED) : resolveDeclared(map, family.params, context, '', [...ARCH_RESERVED]);
  const energy = resolveEnergy(map.entries.get('energy')?.node, context);
  const spec: ArchSpec = {
    family: family.id,
    name,
    file,
    description,
    sources,
    values,
    energy,
    hash: '',
  };
  spec.hash = hashOf({ family: spec.family, values, energy });
  // Cross-field checks now, so errors surface at load time, at the key they are about.
  try {
    family.configure(spec);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.issues.map((issue) => (issue.position || issue.file !== file ? issue : { ...issue, position: positionOfKey(root, issue.keyPath) })));
    throw error;
  }
  return deepFreeze(spec);
}


function resolveEnergy(node: SpecNode | undefined, context: ResolveContext): ArchSpec['energy'] {
  if (!node) return { table: 'horowitz-45nm', overrides: {} };
  const map = expectMap(node, context, 'energy', 'a mapping with table and optional overrides');
  rejectUnknownKeys(map, ['table', 'overrides'], context, 'energy');
  const tableEntry = map.entries.get('table');
  const table = tableEntry ? expectString(tableEntry.node, context, 'energy.table') : 'horowitz-45nm';
  const tableIds = Object.keys(ENERGY_TABLES);
  if (!ENERGY_TABLES[table]) {
    throw inputError({ file: context.file, position: tableEntry?.node.position, keyPath: 'energy.table', message: `unknown energy table '${table}'`, expected: `one of ${tableIds.join(', ')}`, hint: didYouMean(table, tableIds) });
  }
  const overrides: Record<string, number> = {};
  const overridesEntry = map.entries.get('overrides');
  if (overridesEntry) {
    const overridesMap = expectMap(overridesEntry.node, context, 'energy.overrides', 'a mapping of action: energy (e.g. mac.int8: 0.2 pJ)');
    const known = Object.keys(ENERGY_TABLES[table].entries);
    for (const [key, { keyPosition, node: child }] of overridesMap.entries) {
      if (!known.includes(key)) {
        throw inputError({ file: context.file, position: keyPosition, keyPath: `energy.overrides.${key}`, message: `unknown energy entry '${key}'`, expected: `one of ${known.join(', ')}`, hint: didYouMean(key, known) });
      }
      const value: ParamValue = resolveParam(
        { key, type: 'quantity', dimension: 'energy', min: 0, description: 'energy per action' },
        child,
        context,
        `energy.overrides.${key}`,
      );
      overrides[key] = value as number;
    }
  }
  return { table, overrides };
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
