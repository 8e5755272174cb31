// Units and expressions in spec files, resolved once at load time to SI numbers.
//
// Plain numbers, `number unit` strings (`34 GB/s`, `24 MiB`) and arithmetic in which at most one
// factor of a product carries a unit (`rows * cols`, `4 * 64 KiB`, `ceil(seq / 64)`) take a fast
// path with our own small parser and unit table, so most files never load mathjs (1–2 s to import).
// Anything else (`8 B * 90 MHz`) is parsed by mathjs and then *checked node by node*
// against an allowlist (numbers, units, the file's own named parameters, arithmetic operators and
// a few pure functions) before it is evaluated, so a shared spec file can never run code, define
// units, allocate matrices or hang the tool.

import { createRequire } from 'node:module';
import { SI_UNIT, type Dimension } from './params.js';

export interface Quantity {
  /** SI value (Hz, B, B/s, J, s, W, J/bit) or a plain number. */
  value: number;
  dimension: Dimension;
}

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

interface UnitDef {
  dimension: Dimension;
  /** Multiplier to SI as base-10 exponent plus a binary factor, so decimal prefixes stay exact. */
  pow10: number;
  factor: number;
}

const DECIMAL_PREFIX: Record<string, number> = { '': 0, k: 3, K: 3, M: 6, G: 9, T: 12, P: 15 };
const SMALL_PREFIX: Record<string, number> = { '': 0, m: -3, u: -6, µ: -6, n: -9, p: -12, f: -15, k: 3, M: 6, G: 9, T: 12 };
const BINARY_PREFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

function buildUnitTable(): Map<string, UnitDef> {
  const table = new Map<string, UnitDef>();
  const add = (name: string, dimension: Dimension, pow10: number, factor = 1): void => {
    table.set(name, { dimension, pow10, factor });
  };
  for (const [prefix, exponent] of Object.entries(DECIMAL_PREFIX)) {
    add(`${prefix}Hz`, 'frequency', exponent);
    add(`${prefix}B`, 'bytes', exponent);
    add(`${prefix}b`, 'bytes', exponent, 1 / 8);
    add(`${prefix}bit`, 'bytes', exponent, 1 / 8);
    add(`${prefix}B/s`, 'bandwidth', exponent);
    add(`${prefix}b/s`, 'bandwidth', exponent, 1 / 8);
    add(`${prefix}bps`, 'bandwidth', exponent, 1 / 8);
  }
  for (const [prefix, factor] of Object.entries(BINARY_PREFIX)) {
    add(`${prefix}B`, 'bytes', 0, factor);
    add(`${prefix}b`, 'bytes', 0, factor / 8);
    add(`${prefix}B/s`, 'bandwidth', 0, factor);
  }
  for (const [prefix, exponent] of Object.entries(SMALL_PREFIX)) {
    add(`${prefix}s`, 'time', exponent);
    add(`${prefix}J`, 'energy', exponent);
    add(`${prefix}W`, 'power', exponent);
    add(`${prefix}J/bit`, 'energy-per-bit', exponent);
    add(`${prefix}J/b`, 'energy-per-bit', exponent);
  }
  return table;
}

const UNITS = buildUnitTable();
const SIMPLE = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-zµ/]+)?\s*$/;

function scale(value: number, unit: UnitDef): number {
  const decimal = unit.pow10 >= 0 ? value * 10 ** unit.pow10 : value / 10 ** -unit.pow10;
  return decimal * unit.factor;
}

/** Fast path: a number with an optional simple unit. Returns undefined if the text is more complex. */
export function parseSimpleQuantity(text: string): Quantity | undefined {
  const match = SIMPLE.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  if (!match[2]) return { value, dimension: 'dimensionless' };
  const unit = UNITS.get(match[2]);
  if (!unit) return undefined;
  return { value: scale(value, unit), dimension: unit.dimension };
}

// ---- restricted mathjs ------------------------------------------------------------------------

type MathJs = typeof import('mathjs');
let mathjsInstance: { math: ReturnType<MathJs['create']>; base: Record<Dimension, unknown> } | undefined;

function restrictedMath(): NonNullable<typeof mathjsInstance> {
  if (!mathjsInstance) {
    // Loaded lazily: only files with real expressions pay mathjs's import time.
    const require = createRequire(import.meta.url);
    const mathjs = require('mathjs') as MathJs;
    const math = mathjs.create(mathjs.all, {});
    const base = {
      frequency: math.unit('1 Hz'),
      bytes: math.unit('1 B'),
      bandwidth: math.unit('1 B/s'),
      energy: math.unit('1 J'),
      time: math.unit('1 s'),
      power: math.unit('1 W'),
      'energy-per-bit': math.unit('1 J/b'),
      dimensionless: undefined,
    } as Record<Dimension, unknown>;
    mathjsInstance = { math, base };
  }
  return mathjsInstance;
}

const ALLOWED_FUNCTIONS = new Set(['ceil', 'floor', 'round', 'min', 'max', 'sqrt', 'log2', 'abs', 'pow']);
const ALLOWED_OPERATORS = new Set(['+', '-', '*', '/', '^']);
// mathjs spells bits `b`; otherwise the SI units are the declarations' own.
const SI_OF: Record<Dimension, string> = { ...SI_UNIT, 'energy-per-bit': 'J/b' };

/**
 * Evaluates an expression against named parameters (already-resolved quantities). Throws
 * ExpressionError for anything outside the allowlist or for unknown names.
 */
export function evaluateExpression(text: string, scope: ReadonlyMap<string, Quantity>): Quantity {
  // Limits first, on every path: both parsers recurse once per nesting level.
  if (text.length > MAX_EXPRESSION_CHARS) throw new ExpressionError(`expression is longer than ${MAX_EXPRESSION_CHARS} characters`);
  if (nestingDepth(text) > MAX_EXPRESSION_DEPTH) throw new ExpressionError(`expression nests parentheses or signs deeper than ${MAX_EXPRESSION_DEPTH} levels`);
  const simple = parseSimpleQuantity(text) ?? evaluateFast(text, scope);
  if (simple) return simple;
  const { math, base } = restrictedMath();
  let tree;
  try {
    tree = math.parse(text);
  } catch (error) {
    throw new ExpressionError(`cannot parse expression '${text}': ${(error as Error).message}`);
  }
  const mathScope: Record<string, unknown> = {};
  for (const [name, quantity] of scope) {
    mathScope[name] = quantity.dimension === 'dimensionless' ? quantity.value : math.unit(quantity.value, SI_OF[quantity.dimension]);
  }
  tree.traverse((node, _path, parent) => {
    const anyNode = node as unknown as { type: string; op?: string; fn?: string; name?: string; value?: unknown };
    switch (anyNode.type) {
      case 'ConstantNode':
        if (typeof anyNode.value !== 'number') throw new ExpressionError(`only numbers are allowed as constants in '${text}'`);
        return;
      case 'ParenthesisNode':
        return;
      case 'OperatorNode':
        if (!ALLOWED_OPERATORS.has(anyNode.op ?? '')) throw new ExpressionError(`operator '${anyNode.op}' is not allowed in spec expressions`);
        return;
      case 'FunctionNode': {
        const name = (node as unknown as { fn: { name: string } }).fn.name;
        if (!ALLOWED_FUNCTIONS.has(name)) {
          throw new ExpressionError(`function '${name}' is not allowed in spec expressions`, `allowed: ${[...ALLOWED_FUNCTIONS].join(', ')}`);
        }
        return;
      }
      case 'SymbolNode': {
        const name = anyNode.name ?? '';
        const parentNode = parent as unknown as { type?: string; fn?: unknown } | null;
        if (parentNode?.type === 'FunctionNode' && parentNode.fn === node) return; // the function's own name
        if (scope.has(name)) return;
        if (isKnownUnit(math, name)) return;
        const names = [...scope.keys()];
        throw new ExpressionError(`unknown name '${name}' in '${text}'`, names.length ? `named parameters here: ${names.join(', ')}` : 'declare it under `parameters:`');
      }
      default:
        throw new ExpressionError(`'${anyNode.type}' is not allowed in spec expressions ('${text}')`);
    }
  });
  let result: unknown;
  try {
    result = tree.compile().evaluate(mathScope);
  } catch (error) {
    throw new ExpressionError(`cannot evaluate '${text}': ${(error as Error).message}`);
  }
  if (typeof result === 'number') return { value: result, dimension: 'dimensionless' };
  if (math.isUnit(result)) {
    for (const [dimension, unit] of Object.entries(base) as Array<[Dimension, unknown]>) {
      if (unit && (result as { equalBase(u: unknown): boolean }).equalBase(unit)) {
        return { value: (result as { toNumber(u: string): number }).toNumber(SI_OF[dimension]), dimension };
      }
    }
    throw new ExpressionError(`'${text}' has units ${String(result)} that accsim does not use`, 'use Hz, B, B/s, s, J, W or J/bit');
  }
  throw new ExpressionError(`'${text}' does not evaluate to a number or quantity`);
}

export const MAX_EXPRESSION_CHARS = 500;
export const MAX_EXPRESSION_DEPTH = 32;

/**
 * An upper bound on the parsers' recursion depth: open parentheses plus consecutive prefix signs
 * (each `-` or `+` in `- - - 1` is one level of unary recursion).
 */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let signs = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === '-' || c === '+') signs++;
    else if (c !== ' ' && c !== '(') signs = 0;
    deepest = Math.max(deepest, depth + signs);
  }
  return deepest;
}

function isKnownUnit(math: ReturnType<MathJs['create']>, name: string): boolean {
  // `cycle` is an angle unit in mathjs; cycles stay dimensionless integers in accsim.
  if (name === 'cycle' || name === 'cycles') return false;
  try {
    return math.Unit.isValuelessUnit(name);
  } catch {
    return false;
  }
}

// ---- fast path: arithmetic without unit algebra ---------------------------------------------------

class NeedsMathjs extends Error {}

const TOKEN = /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-zµ_][A-Za-z0-9_µ]*(?:\/[A-Za-z]+)?)|(\*\*|[-+*/^(),]))/y;

// A null-prototype table: a name like `constructor`, `valueOf` or `__proto__` must not find
// Object.prototype's members (it then falls through to mathjs, whose allowlist refuses it).
const FAST_FUNCTIONS: Record<string, (args: number[]) => number> = Object.assign(Object.create(null) as Record<string, (args: number[]) => number>, {
  ceil: ([x]) => Math.ceil(x),
  floor: ([x]) => Math.floor(x),
  round: ([x]) => Math.round(x),
  sqrt: ([x]) => Math.sqrt(x),
  log2: ([x]) => Math.log2(x),
  abs: ([x]) => Math.abs(x),
  pow: ([x, y]) => x ** y,
  min: (xs) => Math.min(...xs),
  max: (xs) => Math.max(...xs),
} satisfies Record<string, (args: number[]) => number>);

/**
 * Evaluates arithmetic over numbers, `number unit` literals and named parameters where unit
 * algebra is trivial (sums of one dimension, products with at most one dimensioned factor).
 * Returns undefined when the text needs more (mathjs then handles it).
 */
function evaluateFast(text: string, scope: ReadonlyMap<string, Quantity>): Quantity | undefined {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    if (/^\s*$/.test(text.slice(position))) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(text);
    if (!match) return undefined;
    tokens.push((match[1] ?? match[2] ?? match[3]).trim());
    position = TOKEN.lastIndex;
  }
  let index = 0;
  const peek = () => tokens[index];
  const take = () => tokens[index++];
  const dimensionless = (value: number): Quantity => ({ value, dimension: 'dimensionless' });

  const expression = (): Quantity => {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const right = term();
      if (left.dimension !== right.dimension) throw new NeedsMathjs();
      left = { value: op === '+' ? left.value + right.value : left.value - right.value, dimension: left.dimension };
    }
    return left;
  };
  const term = (): Quantity => {
    let left = power();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const right = power();
      if (op === '*') {
        if (left.dimension !== 'dimensionless' && right.dimension !== 'dimensionless') throw new NeedsMathjs();
        left = { value: left.value * right.value, dimension: left.dimension === 'dimensionless' ? right.dimension : left.dimension };
      } else if (right.dimension === 'dimensionless') {
        left = { value: left.value / right.value, dimension: left.dimension };
      } else if (right.dimension === left.dimension) {
        left = dimensionless(left.value / right.value);
      } else {
        throw new NeedsMathjs();
      }
    }
    return left;
  };
  const power = (): Quantity => {
    const base = unary();
    if (peek() === '^' || peek() === '**') {
      take();
      const exponent = power();
      if (base.dimension !== 'dimensionless' || exponent.dimension !== 'dimensionless') throw new NeedsMathjs();
      return dimensionless(base.value ** exponent.value);
    }
    return base;
  };
  const unary = (): Quantity => {
    if (peek() === '-') {
      take();
      const inner = unary();
      return { value: -inner.value, dimension: inner.dimension };
    }
    if (peek() === '+') take();
    return primary();
  };
  const primary = (): Quantity => {
    const token = take();
    if (token === undefined) throw new NeedsMathjs();
    if (token === '(') {
      const inner = expression();
      if (take() !== ')') throw new NeedsMathjs();
      return inner;
    }
    if (/^[\d.]/.test(token)) {
      const value = Number(token);
      const unit = peek() !== undefined ? UNITS.get(peek()) : undefined;
      if (unit) {
        take();
        return { value: scale(value, unit), dimension: unit.dimension };
      }
      return dimensionless(value);
    }
    if (/^[A-Za-zµ_]/.test(token)) {
      if (peek() === '(') {
        const fn = FAST_FUNCTIONS[token];
        if (!fn) throw new NeedsMathjs();
        take();
        const args: Quantity[] = [expression()];
        while (peek() === ',') {
          take();
          args.push(expression());
        }
        if (take() !== ')') throw new NeedsMathjs();
        const dimension = args[0].dimension;
        if (args.some((a) => a.dimension !== dimension)) throw new NeedsMathjs();
        if (dimension !== 'dimensionless' && token !== 'min' && token !== 'max') throw new NeedsMathjs();
        return { value: fn(args.map((a) => a.value)), dimension };
      }
      const named = scope.get(token);
      if (named) return named;
      if (UNITS.has(token)) throw new NeedsMathjs(); // a bare unit: let mathjs interpret it
      const names = [...scope.keys()];
      throw new ExpressionError(`unknown name '${token}' in '${text}'`, names.length ? `named parameters here: ${names.join(', ')}` : 'declare it under `parameters:`');
    }
    throw new NeedsMathjs();
  };

  try {
    const result = expression();
    return index === tokens.length ? result : undefined;
  } catch (error) {
    if (error instanceof NeedsMathjs) return undefined;
    throw error;
  }
}
