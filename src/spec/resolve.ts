// Declaration-driven validation: walks a positioned YAML tree against a list of ParamDecls
// (dotted keys) and produces SI values, or errors that name file:line:col, key path, expectation
// and a "did you mean" for misspelled keys.

import { didYouMean, inputError, type SourcePosition } from './errors.js';
import { describeType, type ParamDecl, type ParamValue } from './params.js';
import { evaluateExpression, ExpressionError, type Quantity } from './quantity.js';
import { nodeTypeName, type SpecNode } from './yaml-source.js';

export interface ResolveContext {
  file: string;
  /** Named parameters from the file's `parameters:` section, usable in expressions. */
  scope: Map<string, Quantity>;
}

export type MapNode = Extract<SpecNode, { kind: 'map' }>;

/** `what` may be a function: error text is then only built when there is an error. */
export function expectMap(node: SpecNode, context: ResolveContext, keyPath: string, what: string | (() => string)): MapNode {
  if (node.kind !== 'map') {
    throw inputError({ file: context.file, position: node.position, keyPath, message: `found ${nodeTypeName(node)}`, expected: typeof what === 'function' ? what() : what });
  }
  return node;
}

export function expectString(node: SpecNode, context: ResolveContext, keyPath: string): string {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') {
    throw inputError({ file: context.file, position: node.position, keyPath, message: `found ${nodeTypeName(node)}`, expected: 'a string' });
  }
  return node.value;
}

export function expectStringList(node: SpecNode, context: ResolveContext, keyPath: string): string[] {
  if (node.kind === 'scalar' && typeof node.value === 'string') return [node.value];
  if (node.kind !== 'seq') {
    throw inputError({ file: context.file, position: node.position, keyPath, message: `found ${nodeTypeName(node)}`, expected: 'a list of strings' });
  }
  return node.items.map((item, index) => expectString(item, context, `${keyPath}[${index}]`));
}

/** Rejects keys not in `allowed`, with a did-you-mean among them. */
export function rejectUnknownKeys(map: MapNode, allowed: readonly string[], context: ResolveContext, prefix: string): void {
  for (const [key, { keyPosition }] of map.entries) {
    if (!allowed.includes(key)) throw unknownKey(key, keyPosition, allowed, context, prefix);
  }
}

function unknownKey(key: string, position: SourcePosition, allowed: readonly string[], context: ResolveContext, prefix: string) {
  return inputError({
    file: context.file,
    position,
    keyPath: join(prefix, key),
    message: `unknown key '${key}'`,
    expected: allowed.length ? `one of ${allowed.join(', ')}` : 'no keys here',
    hint: didYouMean(key, allowed),
  });
}

const join = (prefix: string, key: string): string => (prefix && key ? `${prefix}.${key}` : prefix || key);

/**
 * Resolves every declared parameter found under `map` (whose own path is `prefix`). Keys listed in
 * `skip` are left for the caller. Missing parameters take their default; a missing parameter
 * without one is an error at the map's position.
 */
export function resolveDeclared(
  map: MapNode,
  decls: readonly ParamDecl[],
  context: ResolveContext,
  prefix = '',
  skip: readonly string[] = [],
): Record<string, ParamValue> {
  const values: Record<string, ParamValue> = {};
  const byKey = declsByKey(decls);
  // `relative` is the path below `map` (what declarations are keyed by); `prefix` is only for messages.
  const walk = (node: MapNode, relative: string): void => {
    const childNames = childSegments(decls, relative);
    for (const [key, { keyPosition, node: child }] of node.entries) {
      if (!relative && skip.includes(key)) continue;
      const declKey = join(relative, key);
      const shown = join(prefix, declKey);
      const decl = byKey.get(declKey);
      if (decl) {
        values[declKey] = resolveParam(decl, child, context, shown);
      } else if (childNames.includes(key)) {
        walk(expectMap(child, context, shown, () => `a mapping with keys ${childSegments(decls, declKey).join(', ')}`), declKey);
      } else {
        throw unknownKey(key, keyPosition, relative ? childNames : [...childNames, ...skip], context, join(prefix, relative));
      }
    }
  };
  walk(map, '');
  for (const decl of decls) {
    if (decl.key in values) continue;
    if (decl.default === undefined) {
      throw inputError({
        file: context.file,
        position: map.position,
        keyPath: join(prefix, decl.key),
        message: `missing required key '${decl.key}'`,
        expected: `${describeType(decl)}: ${decl.description}`,
      });
    }
    values[decl.key] = resolveDefault(decl, context);
  }
  return values;
}

// Declaration tables are constants (a family's parameter list), resolved once per spec — and once
// per point of a sweep: their key index and child names are memoised per table.
const KEY_INDEX = new WeakMap<readonly ParamDecl[], Map<string, ParamDecl>>();
const CHILD_NAMES = new WeakMap<readonly ParamDecl[], Map<string, string[]>>();

function declsByKey(decls: readonly ParamDecl[]): Map<string, ParamDecl> {
  let index = KEY_INDEX.get(decls);
  if (!index) KEY_INDEX.set(decls, (index = new Map(decls.map((decl) => [decl.key, decl]))));
  return index;
}

/** Names one level below `path` in the declarations' dotted keys. */
function childSegments(decls: readonly ParamDecl[], path: string): string[] {
  let memo = CHILD_NAMES.get(decls);
  if (!memo) CHILD_NAMES.set(decls, (memo = new Map()));
  const known = memo.get(path);
  if (known) return known;
  const names = new Set<string>();
  for (const decl of decls) {
    if (!path) names.add(decl.key.split('.')[0]);
    else if (decl.key.startsWith(`${path}.`)) names.add(decl.key.slice(path.length + 1).split('.')[0]);
  }
  const list = [...names];
  memo.set(path, list);
  return list;
}

function resolveDefault(decl: ParamDecl, context: ResolveContext): ParamValue {
  if (decl.type === 'quantity') {
    return toQuantity(decl, String(decl.default), context, decl.key, { line: 0, column: 0 });
  }
  return decl.default as ParamValue;
}

export function resolveParam(decl: ParamDecl, node: SpecNode, context: ResolveContext, keyPath: string): ParamValue {
  const fail = (message: string, hint?: string) =>
    inputError({ file: context.file, position: node.position, keyPath, message, expected: describeType(decl), hint });
  if (node.kind !== 'scalar' || node.value === null) throw fail(`found ${nodeTypeName(node)}`);
  const raw = node.value;
  switch (decl.type) {
    case 'boolean':
      if (typeof raw !== 'boolean') throw fail(`found ${nodeTypeName(node)}`);
      return raw;
    case 'string':
      if (typeof raw !== 'string') throw fail(`found ${nodeTypeName(node)}`);
      return raw;
    case 'enum': {
      const text = String(raw);
      if (!decl.choices.includes(text)) throw fail(`'${text}' is not a valid choice`, didYouMean(text, decl.choices));
      return text;
    }
    case 'integer': {
      const quantity = evaluate(String(raw), context, fail);
      if (quantity.dimension !== 'dimensionless') throw fail(`'${raw}' has a unit (${quantity.dimension})`);
      if (!Number.isInteger(quantity.value)) throw fail(`'${raw}' is ${quantity.value}, not a whole number`);
      if (decl.min !== undefined && quantity.value < decl.min) throw fail(`${quantity.value} is below the minimum ${decl.min}`);
      if (decl.max !== undefined && quantity.value > decl.max) throw fail(`${quantity.value} is above the maximum ${decl.max}`);
      // Above 2^53 integers are no longer exact in a double, so counts derived from them are not either.
      if (!Number.isSafeInteger(quantity.value)) throw fail(`${quantity.value} is not a safe integer`, `integers must be at most ${Number.MAX_SAFE_INTEGER} in magnitude`);
      return quantity.value;
    }
    case 'quantity':
      return toQuantity(decl, String(raw), context, keyPath, node.position, typeof raw === 'number');
  }
}

function toQuantity(
  decl: Extract<ParamDecl, { type: 'quantity' }>,
  text: string,
  context: ResolveContext,
  keyPath: string,
  position: SourcePosition,
  bareNumber = false,
): number {
  const fail = (message: string, hint?: string) =>
    inputError({ file: context.file, position, keyPath, message, expected: describeType(decl), hint });
  const quantity = evaluate(text, context, fail);
  if (quantity.dimension !== decl.dimension) {
    if (bareNumber || quantity.dimension === 'dimensionless') {
      throw fail(`'${text}' has no unit`, `write it with a unit, e.g. '${text} ${exampleUnit(decl.dimension)}'`);
    }
    throw fail(`'${text}' is a ${quantity.dimension}, not a ${decl.dimension}`);
  }
  if (!Number.isFinite(quantity.value)) throw fail(`'${text}' is not finite`);
  if (decl.positive && !(quantity.value > 0)) throw fail(`'${text}' must be greater than zero`);
  if (decl.min !== undefined && quantity.value < decl.min) throw fail(`'${text}' is below the minimum ${decl.min}`);
  if (decl.max !== undefined && quantity.value > decl.max) throw fail(`'${text}' is above the maximum ${decl.max}`);
  return quantity.value;
}

function exampleUnit(dimension: string): string {
  const examples: Record<string, string> = {
    frequency: 'MHz',
    bytes: 'KiB',
    bandwidth: 'GB/s',
    energy: 'pJ',
    time: 'ns',
    power: 'W',
    'energy-per-bit': 'pJ/bit',
  };
  return examples[dimension] ?? '';
}

function evaluate(text: string, context: ResolveContext, fail: (message: string, hint?: string) => Error): Quantity {
  try {
    return evaluateExpression(text, context.scope);
  } catch (error) {
    if (error instanceof ExpressionError) throw fail(error.message, error.hint);
    throw error;
  }
}

/** Resolves a `parameters:` section: named values, each may use the ones before it. */
export function resolveNamedParameters(node: SpecNode, context: ResolveContext, keyPath = 'parameters'): void {
  const map = expectMap(node, context, keyPath, 'a mapping of name: value');
  for (const [name, { keyPosition, node: child }] of map.entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw inputError({ file: context.file, position: keyPosition, keyPath: `${keyPath}.${name}`, message: `'${name}' is not a valid parameter name`, expected: 'letters, digits and _' });
    }
    if (child.kind !== 'scalar' || (typeof child.value !== 'number' && typeof child.value !== 'string')) {
      throw inputError({ file: context.file, position: child.position, keyPath: `${keyPath}.${name}`, message: `found ${nodeTypeName(child)}`, expected: 'a number, quantity or expression' });
    }
    const fail = (message: string, hint?: string) =>
      inputError({ file: context.file, position: child.position, keyPath: `${keyPath}.${name}`, message, hint });
    context.scope.set(name, evaluate(String(child.value), context, fail));
  }
}
