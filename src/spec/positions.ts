// Positions for errors found after loading. A family's checks run on resolved values (SI numbers
// without source positions), so their errors name a file and a key path only; the loaders
// remember each spec file's positioned tree, and the CLI fills in the line and column of that key
// (or of its deepest written ancestor) before printing.

import { InputError, type SourcePosition, type SpecIssue } from './errors.js';
import type { SpecNode } from './yaml-source.js';

const TREES = new Map<string, SpecNode>();
/** Spec files a process loads are few; this bounds the memory even for long sweeps. */
const MAX_TREES = 256;

export function rememberSpecTree(file: string, root: SpecNode): void {
  TREES.delete(file);
  if (TREES.size >= MAX_TREES) TREES.delete(TREES.keys().next().value as string);
  TREES.set(file, root);
}

/**
 * Where a key path (`memory.hbm.channels`, `operators[2].k`) is written in a tree: the key
 * itself, or its deepest ancestor that is written, or the document's start.
 */
export function positionOfKey(root: SpecNode, keyPath: string): SourcePosition {
  let node: SpecNode = root;
  let position = root.position;
  for (const segment of keyPath.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (segment.startsWith('[')) {
      const item: SpecNode | undefined = node.kind === 'seq' ? node.items[Number(segment.slice(1, -1))] : undefined;
      if (!item) break;
      node = item;
      position = item.position;
      continue;
    }
    const entry = node.kind === 'map' ? node.entries.get(segment) : undefined;
    if (!entry) break;
    position = entry.keyPosition;
    node = entry.node;
  }
  return position;
}

/** The issue with a position, when it has none and its file's tree is known. */
export function withPosition(issue: SpecIssue): SpecIssue {
  if (issue.position) return issue;
  const root = TREES.get(issue.file);
  return root ? { ...issue, position: positionOfKey(root, issue.keyPath) } : issue;
}

export function withPositions(error: InputError): InputError {
  return error.issues.every((issue) => issue.position) ? error : new InputError(error.issues.map(withPosition));
}
