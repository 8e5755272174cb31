// Parameter declarations for sparsity patterns and storage formats. Each pattern/format declares
// its parameters once (name, type, default, description); the declaration drives validation,
// defaults and user-facing error messages (key path, expectation, did-you-mean hint).

import { didYouMean, InputError, type SpecIssue } from '../spec/errors.js';
import type { CsrMatrix } from '../matrix/csr.js';
import type { Mask } from './mask.js';

export type SparsityParamType =
  | 'number' // finite number, optionally bounded
  | 'integer' // integer, optionally bounded
  | 'integer-or-auto' // integer or the string 'auto' (a derived default, documented per parameter)
  | 'boolean'
  | 'enum'
  | 'matrix' // a CsrMatrix object (already parsed by the caller)
  | 'mask'; // a Mask bitset (already read by the caller, e.g. from a .npy file)

export interface SparsityParamDecl {
  readonly name: string;
  readonly type: SparsityParamType;
  /** Default value; absent means the parameter is required. */
  readonly default?: number | string | boolean;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
  /** min/max are exclusive bounds when set. */
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** Allowed values of an 'enum'. */
  readonly values?: readonly string[];
}

export type SparsityParamValue = number | string | boolean | CsrMatrix | Mask;
export type ResolvedParams = Readonly<Record<string, SparsityParamValue>>;

export interface ParamContext {
  file: string;
  keyPath: string;
  /** e.g. "pattern 'uniform'" or "format 'csr'". */
  owner: string;
  /** Keys that are not parameters (e.g. 'kind'). */
  reserved?: readonly string[];
}

export function joinKey(keyPath: string, key: string): string {
  return keyPath ? `${keyPath}.${key}` : key;
}

/** Human-readable expectation for a declaration ("a number in [0, 1]"). */
export function describeParamType(decl: SparsityParamDecl): string {
  const range = rangeText(decl);
  switch (decl.type) {
    case 'number':
      return `a number${range}`;
    case 'integer':
      return `an integer${range}`;
    case 'integer-or-auto':
      return `'auto' or an integer${range}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${(decl.values ?? []).join(', ')}`;
    case 'matrix':
      return 'a CSR matrix object { rows, cols, rowPtr, colIdx }';
    case 'mask':
      return 'a mask bitset { rows, cols, words }';
  }
}

function rangeText(decl: SparsityParamDecl): string {
  const { min, max } = decl;
  if (min !== undefined && max !== undefined) {
    return ` in ${decl.minExclusive ? '(' : '['}${min}, ${max}${decl.maxExclusive ? ')' : ']'}`;
  }
  if (min !== undefined) return ` ${decl.minExclusive ? '>' : '>='} ${min}`;
  if (max !== undefined) return ` ${decl.maxExclusive ? '<' : '<='} ${max}`;
  return '';
}

function inRange(decl: SparsityParamDecl, v: number): boolean {
  if (decl.min !== undefined && (decl.minExclusive ? v <= decl.min : v < decl.min)) return false;
  if (decl.max !== undefined && (decl.maxExclusive ? v >= decl.max : v > decl.max)) return false;
  return true;
}

function isCsr(value: unknown): value is CsrMatrix {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<CsrMatrix>;
  return (
    Number.isInteger(m.rows) &&
    Number.isInteger(m.cols) &&
    m.rowPtr instanceof Int32Array &&
    m.colIdx instanceof Int32Array &&
    m.rowPtr.length === (m.rows as number) + 1
  );
}

function isMask(value: unknown): value is Mask {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<Mask>;
  return Number.isInteger(m.rows) && Number.isInteger(m.cols) && m.words instanceof Uint32Array && m.words.length === (m.rows as number) * Math.ceil((m.cols as number) / 32);
}

function checkValue(decl: SparsityParamDecl, value: unknown): SparsityParamValue | undefined {
  switch (decl.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inRange(decl, value) ? value : undefined;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && inRange(decl, value) ? value : undefined;
    case 'integer-or-auto':
      if (value === 'auto') return value;
      return typeof value === 'number' && Number.isInteger(value) && inRange(decl, value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'enum':
      return typeof value === 'string' && (decl.values ?? []).includes(value) ? value : undefined;
    case 'matrix':
      return isCsr(value) ? value : undefined;
    case 'mask':
      return isMask(value) ? value : undefined;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return typeof value;
}

/**
 * Checks `raw` against the declarations: unknown keys (with did-you-mean), missing required
 * parameters, wrong types or out-of-range values. Returns every parameter with defaults applied.
 * Throws one InputError listing every issue found.
 */
export function resolveParams(
  decls: readonly SparsityParamDecl[],
  raw: Readonly<Record<string, unknown>>,
  ctx: ParamContext,
): ResolvedParams {
  const issues: SpecIssue[] = [];
  const names = decls.map((d) => d.name);
  const reserved = ctx.reserved ?? [];
  for (const key of Object.keys(raw)) {
    if (reserved.includes(key) || names.includes(key)) continue;
    issues.push({
      file: ctx.file,
      keyPath: joinKey(ctx.keyPath, key),
      message: `unknown parameter '${key}' for ${ctx.owner}`,
      expected: names.length ? `one of ${names.join(', ')}` : 'no parameters',
      hint: didYouMean(key, names),
    });
  }
  const out: Record<string, SparsityParamValue> = {};
  for (const decl of decls) {
    const value = raw[decl.name];
    if (value === undefined) {
      if (decl.default === undefined) {
        issues.push({
          file: ctx.file,
          keyPath: joinKey(ctx.keyPath, decl.name),
          message: `missing required parameter '${decl.name}' for ${ctx.owner}`,
          expected: describeParamType(decl),
        });
      } else {
        out[decl.name] = decl.default;
      }
      continue;
    }
    const checked = checkValue(decl, value);
    if (checked === undefined) {
      issues.push({
        file: ctx.file,
        keyPath: joinKey(ctx.keyPath, decl.name),
        message: `invalid value ${show(value)} for '${decl.name}' of ${ctx.owner}`,
        expected: describeParamType(decl),
      });
    } else {
      out[decl.name] = checked;
    }
  }
  if (issues.length) throw new InputError(issues);
  return out;
}

export function num(params: ResolvedParams, name: string): number {
  return params[name] as number;
}

export function str(params: ResolvedParams, name: string): string {
  return params[name] as string;
}

/** A number-or-'auto' parameter: the number, or `auto` when the value is 'auto'. */
export function numOrAuto(params: ResolvedParams, name: string, auto: number): number {
  const v = params[name];
  return v === 'auto' ? auto : (v as number);
}
