// Sweep constraints such as `compute.rows * compute.cols <= 65536` or
// `memory.dram.bandwidth >= 20 GB/s`. A constraint is `EXPR OP EXPR` with OP one of
// <=, <, >=, >, ==, != (exactly one). Each side is evaluated by the spec loader's *safe*
// expression evaluator (evaluateExpression: numbers, units, + - * / ^, ceil/floor/round/min/max/
// sqrt/log2/abs/pow, nothing else), so a shared sweep file can never run code.
//
// Names in scope (the "sanitized names"): every swept path and every resolved numeric parameter of
// the base architecture (e.g. compute.cols when only compute.rows is swept), with the `arch:` /
// `workload:` prefix dropped and every run of characters other than letters, digits and `_`
// replaced by one `_`: compute.rows → compute_rows, memory.dram.bandwidth →
// memory_dram_bandwidth, operators[2].m → operators_2_m, weights.density → weights_density.
// The constraint may be written with either form; paths are rewritten to sanitized names first.
// Values are SI quantities (a bandwidth compares with `20 GB/s`); `==` / `!=` compare within a
// relative 1e-9. String and boolean values (e.g. a dataflow) are not in scope.

import { inputError } from '../spec/errors.js';
import { evaluateExpression, ExpressionError, parseSimpleQuantity, type Quantity } from '../spec/quantity.js';
import type { ValueSource, ScalarValue } from './values.js';
import type { AxisValue } from './values.js';

export type Comparison = '<=' | '<' | '>=' | '>' | '==' | '!=';

export interface Constraint {
  text: string;
  left: string;
  op: Comparison;
  right: string;
  /** Indices of the axes whose names occur in the constraint (the result depends only on them). */
  axes: number[];
  where: ValueSource;
}

/** `compute.rows` → `compute_rows`; see the header for the rule. */
export function sanitizeName(path: string): string {
  const bare = path.trim().replace(/^(arch|workload):/, '');
  let name = bare.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (/^\d/.test(name)) name = `_${name}`;
  return name;
}

/** The quantity an axis value contributes to a constraint's scope (undefined for words/booleans). */
export function quantityOf(value: AxisValue): Quantity | undefined {
  if (typeof value.spec === 'number') return { value: value.spec, dimension: 'dimensionless' };
  if (typeof value.spec === 'string') return parseSimpleQuantity(value.spec);
  return undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileConstraint(text: string, axisPaths: readonly string[], where: ValueSource): Constraint {
  // Rewrite paths (longest first, so operators[2].m wins over a shorter overlapping path).
  const forms = axisPaths
    .flatMap((path, axis) => {
      const bare = path.trim().replace(/^(arch|workload):/, '');
      return [...new Set([path.trim(), bare])].map((form) => ({ form, axis }));
    })
    .sort((a, b) => b.form.length - a.form.length);
  let rewritten = text;
  for (const { form } of forms) {
    const pattern = new RegExp(`(?<![A-Za-z0-9_.\\]:])${escape(form)}(?![A-Za-z0-9_[])`, 'g');
    rewritten = rewritten.replace(pattern, sanitizeName(form));
  }
  // Other dotted names (base parameters that are not swept) get sanitized too.
  rewritten = rewritten.replace(/[A-Za-z_][A-Za-z0-9_]*(?:(?:\.[A-Za-z_][A-Za-z0-9_]*)|(?:\[\d+\]))+/g, (name) => sanitizeName(name));

  const operators = [...rewritten.matchAll(/<=|>=|==|!=|<|>/g)];
  if (operators.length !== 1) {
    throw inputError({ ...where, message: `constraint '${text}' needs exactly one comparison`, expected: 'EXPR OP EXPR with OP one of <=, <, >=, >, ==, !=' });
  }
  const match = operators[0];
  const left = rewritten.slice(0, match.index).trim();
  const right = rewritten.slice(match.index! + match[0].length).trim();
  if (!left || !right) throw inputError({ ...where, message: `constraint '${text}' has an empty side` });
  const identifiers = new Set(rewritten.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
  const axes = axisPaths.map((path, axis) => ({ name: sanitizeName(path), axis })).filter(({ name }) => identifiers.has(name)).map(({ axis }) => axis);
  return { text, left, op: match[0] as Comparison, right, axes, where };
}

/** Evaluates a compiled constraint; an evaluation problem is an InputError naming the constraint. */
export function evaluateConstraint(constraint: Constraint, scope: ReadonlyMap<string, Quantity>): boolean {
  const side = (expression: string): Quantity => {
    try {
      return evaluateExpression(expression, scope);
    } catch (error) {
      if (error instanceof ExpressionError) {
        throw inputError({ ...constraint.where, message: `constraint '${constraint.text}': ${error.message}`, hint: `names in scope: ${[...scope.keys()].join(', ')}` });
      }
      throw error;
    }
  };
  const left = side(constraint.left);
  const right = side(constraint.right);
  if (left.dimension !== right.dimension) {
    throw inputError({ ...constraint.where, message: `constraint '${constraint.text}' compares a ${left.dimension} quantity with a ${right.dimension} one` });
  }
  const a = left.value;
  const b = right.value;
  const close = Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  switch (constraint.op) {
    case '<=':
      return a <= b || close;
    case '<':
      return a < b && !close;
    case '>=':
      return a >= b || close;
    case '>':
      return a > b && !close;
    case '==':
      return close;
    case '!=':
      return !close;
  }
}

/** Scope entries for the base architecture's resolved values (numbers only). */
export function baseScope(values: Readonly<Record<string, ScalarValue>>, dimensions: ReadonlyMap<string, Quantity['dimension']>): Map<string, Quantity> {
  const scope = new Map<string, Quantity>();
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'number') scope.set(sanitizeName(key), { value, dimension: dimensions.get(key) ?? 'dimensionless' });
  }
  return scope;
}
