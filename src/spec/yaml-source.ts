// Parses YAML (or JSON, which is YAML) into a small tree that keeps the line and column of every
// key and value, so that every later validation error can point at the exact spot in the file.

import { LineCounter, parseDocument, isMap, isSeq, isScalar, isAlias, type Node } from 'yaml';
import { inputError, quoteValue, type SourcePosition } from './errors.js';

export type SpecNode =
  | { kind: 'map'; position: SourcePosition; entries: Map<string, { keyPosition: SourcePosition; node: SpecNode }> }
  | { kind: 'seq'; position: SourcePosition; items: SpecNode[] }
  | { kind: 'scalar'; position: SourcePosition; value: string | number | boolean | null };

export interface SpecDocument {
  file: string;
  root: SpecNode;
}

/** Spec files are small documents; deeper nesting is a mistake or an attack on the parser. */
export const MAX_SPEC_DEPTH = 64;
/** Spec text longer than this is refused before parsing (a workload is kilobytes). */
export const MAX_SPEC_CHARS = 4 * 1024 * 1024;
// The YAML 1.2 core schema: anything else (`!custom`, `!!binary`, `!!set`) is refused, because a
// tag changes what a value means and a spec must read the same to every tool.
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * `localTags: 'ignore'` accepts local tags (`!Container`, `!Component`): Timeloop v0.4 files tag
 * each node with its class, which the importer reads from the node's keys instead. Native spec
 * files take core-schema tags only.
 */
export function parseSpecText(text: string, file: string, options: { localTags?: 'reject' | 'ignore' } = {}): SpecDocument {
  if (text.length > MAX_SPEC_CHARS) {
    throw inputError({ file, position: { line: 1, column: 1 }, keyPath: '', message: `the file has ${text.length} characters`, expected: `at most ${MAX_SPEC_CHARS}` });
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line, column: col };
  };
  const firstError = document.errors[0];
  if (firstError) {
    throw inputError({
      file,
      position: at(firstError.pos[0]),
      keyPath: '',
      message: `not valid YAML/JSON: ${firstError.message.split('\n')[0]}`,
    });
  }
  if (!document.contents) {
    throw inputError({ file, position: { line: 1, column: 1 }, keyPath: '', message: 'the file is empty', expected: 'a mapping of keys' });
  }
  const convert = (node: Node | null, fallback: SourcePosition, depth = 0): SpecNode => {
    if (node === null) return { kind: 'scalar', position: fallback, value: null };
    const position = at(node.range?.[0]);
    if (depth > MAX_SPEC_DEPTH) throw inputError({ file, position, keyPath: '', message: `nesting deeper than ${MAX_SPEC_DEPTH} levels` });
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && !CORE_TAGS.has(tag) && !(options.localTags === 'ignore' && /^![A-Za-z][\w-]*$/.test(tag))) {
      throw inputError({ file, position, keyPath: '', message: `YAML tag ${quoteValue(tag)} is not supported`, expected: 'plain values (tags of the YAML core schema only: !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)' });
    }
    if (isAlias(node)) {
      throw inputError({ file, position, keyPath: '', message: 'YAML aliases are not supported in spec files' });
    }
    if (isMap(node)) {
      const entries = new Map<string, { keyPosition: SourcePosition; node: SpecNode }>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyPosition = at(keyNode?.range?.[0]);
        const key = isScalar(keyNode) ? String(keyNode.value) : '';
        if (!isScalar(keyNode)) {
          throw inputError({ file, position: keyPosition, keyPath: '', message: 'mapping keys must be plain strings' });
        }
        entries.set(key, { keyPosition, node: convert(pair.value as Node | null, keyPosition, depth + 1) });
      }
      return { kind: 'map', position, entries };
    }
    if (isSeq(node)) {
      return { kind: 'seq', position, items: node.items.map((item) => convert(item as Node | null, position, depth + 1)) };
    }
    if (isScalar(node)) {
      const value = node.value;
      if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        return { kind: 'scalar', position, value };
      }
      return { kind: 'scalar', position, value: String(value) };
    }
    throw inputError({ file, position, keyPath: '', message: 'unsupported YAML node' });
  };
  return { file, root: convert(document.contents as Node, { line: 1, column: 1 }) };
}

export function nodeTypeName(node: SpecNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'nothing (null)';
  return `${typeof node.value} ${quoteValue(String(node.value))}`;
}
