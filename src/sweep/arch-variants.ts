// Fast architecture variants for sweeps: when every architecture axis sets a declared family
// parameter that the base file writes as a plain value, a point's ArchSpec is the base's resolved
// values with only the swept keys re-resolved (same declaration, same source position, same
// `parameters:` scope), then the family's cross-field checks, hash and freeze — instead of
// re-walking and re-resolving the whole file. A point whose fast variant throws is handed back
// to the full path (archFromTree on the variant tree), so error text never differs; a successful
// one equals the full path's spec key for key (the swept keys exist in the base file, so they
// keep their place in `values`).

import type { ArchSpec } from '../core/types.js';
import { findFamily } from '../families/registry.js';
import { archFromTree, deepFreeze, hashOf } from '../spec/load-arch.js';
import type { ParamDecl, ParamValue } from '../spec/params.js';
import { resolveNamedParameters, resolveParam, type ResolveContext } from '../spec/resolve.js';
import type { SpecNode } from '../spec/yaml-source.js';
import type { SweepAxis } from './plan.js';

type ScalarNode = Extract<SpecNode, { kind: 'scalar' }>;

export interface FastArchAxis {
  /** Index of the axis in the definition (PointTask.values is indexed by it). */
  axis: number;
  decl: ParamDecl;
  /** The base file's node of this key: its position is the variant value's position. */
  node: ScalarNode;
}

/** Builds a point's ArchSpec from the values chosen on each fast axis. */
export type FastArch = (values: ReadonlyArray<{ axis: FastArchAxis; value: string | number | boolean }>, file: string) => ArchSpec;

function scalarAt(root: SpecNode, segments: readonly string[]): ScalarNode | undefined {
  let node: SpecNode | undefined = root;
  for (const segment of segments) {
    if (node?.kind !== 'map') return undefined;
    node = node.entries.get(segment)?.node;
  }
  return node?.kind === 'scalar' ? node : undefined;
}

/**
 * The fast path for these axes on this base file, or undefined when one axis is not a declared
 * parameter written in the file (aliases, list items, `parameters.*`, defaults) or the base file
 * itself does not resolve.
 */
export function fastArchVariants(root: SpecNode, baseFile: string, axes: ReadonlyArray<{ axis: SweepAxis; i: number }>): { axes: FastArchAxis[]; build: FastArch } | undefined {
  let base: ArchSpec;
  try {
    base = archFromTree(root, baseFile);
  } catch {
    return undefined;
  }
  const family = findFamily(base.family);
  if (!family || root.kind !== 'map') return undefined;
  const fast: FastArchAxis[] = [];
  for (const { axis, i } of axes) {
    const { segments, alias } = axis.target;
    if (alias || !segments.every((s): s is string => typeof s === 'string')) return undefined;
    const decl = family.params.find((d) => d.key === segments.join('.'));
    const node = decl ? scalarAt(root, segments) : undefined;
    if (!decl || !node) return undefined;
    fast.push({ axis: i, decl, node });
  }
  const parameters = root.entries.get('parameters')?.node;
  const hasName = root.entries.has('name');
  const build: FastArch = (values, file) => {
    const context: ResolveContext = { file, scope: new Map() };
    if (parameters) resolveNamedParameters(parameters, context);
    const resolved: Record<string, ParamValue> = { ...base.values };
    for (const { axis, value } of values) resolved[axis.decl.key] = resolveParam(axis.decl, { kind: 'scalar', position: axis.node.position, value }, context, axis.decl.key);
    const spec: ArchSpec = {
      family: base.family,
      name: hasName ? base.name : file,
      file,
      description: base.description,
      sources: [...base.sources],
      values: resolved,
      energy: { table: base.energy.table, overrides: { ...base.energy.overrides } },
      hash: '',
    };
    spec.hash = hashOf({ family: spec.family, values: resolved, energy: spec.energy });
    family.configure(spec);
    return deepFreeze(spec);
  };
  return { axes: fast, build };
}
