// A base spec file parsed once per process, kept both as the loaders' positioned tree and as plain
// data. Sweep variants are made from the plain data with immer (structural sharing) and turned
// back into a positioned tree for the loaders: subtrees immer left untouched are the very same
// objects, so they map back to the original tree nodes through a WeakMap in O(1), and changed
// values keep the line and column of the value they replace. A variant's validation errors thus
// point at the base file's lines, exactly like errors in a user-written file.

import { parseSpecText, type SpecNode } from '../spec/yaml-source.js';
import type { SourcePosition } from '../spec/errors.js';

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

export interface BaseTree {
  file: string;
  root: SpecNode;
  plain: PlainValue;
  /** Plain objects/arrays of `plain` → the tree node they were made from. */
  nodeOf: WeakMap<object, SpecNode>;
}

export function baseTreeFromText(text: string, file: string): BaseTree {
  const { root } = parseSpecText(text, file);
  const nodeOf = new WeakMap<object, SpecNode>();
  const toPlain = (node: SpecNode): PlainValue => {
    if (node.kind === 'scalar') return node.value;
    if (node.kind === 'seq') {
      const items = node.items.map(toPlain);
      nodeOf.set(items, node);
      return items;
    }
    // Object.create(null) is avoided: immer drafts plain objects only.
    const object: { [key: string]: PlainValue } = {};
    for (const [key, { node: child }] of node.entries) object[key] = toPlain(child);
    nodeOf.set(object, node);
    return object;
  };
  return { file, root, plain: toPlain(root), nodeOf };
}

/** The positioned tree of a variant of `base.plain`. */
export function treeOfVariant(base: BaseTree, variant: PlainValue): SpecNode {
  if (variant === base.plain) return base.root;
  return convert(base, variant, base.root, base.root.position);
}

function convert(base: BaseTree, value: PlainValue, baseNode: SpecNode | undefined, fallback: SourcePosition): SpecNode {
  if (value !== null && typeof value === 'object') {
    const shared = base.nodeOf.get(value);
    if (shared) return shared;
    const position = baseNode?.position ?? fallback;
    if (Array.isArray(value)) {
      const baseItems = baseNode?.kind === 'seq' ? baseNode.items : [];
      return { kind: 'seq', position, items: value.map((item, i) => convert(base, item, baseItems[i], position)) };
    }
    const baseEntries = baseNode?.kind === 'map' ? baseNode.entries : undefined;
    const entries = new Map<string, { keyPosition: SourcePosition; node: SpecNode }>();
    for (const [key, child] of Object.entries(value)) {
      const baseEntry = baseEntries?.get(key);
      const keyPosition = baseEntry?.keyPosition ?? position;
      entries.set(key, { keyPosition, node: convert(base, child, baseEntry?.node, keyPosition) });
    }
    return { kind: 'map', position, entries };
  }
  if (baseNode?.kind === 'scalar' && baseNode.value === value) return baseNode;
  return { kind: 'scalar', position: baseNode?.position ?? fallback, value };
}
