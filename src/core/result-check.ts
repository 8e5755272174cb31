// Every number in a result is finite. A NaN or an infinity (an overflow from an absurd but
// in-bounds spec, a division by a zero parameter) would otherwise print as `null` in JSON or as
// "NaN s" in a table; instead the run fails with an error at the operator it came from.

import { inputError } from '../spec/errors.js';
import { operatorKindPosition } from '../spec/load-workload.js';
import type { Result, Workload } from './types.js';

/** The dotted path of the first non-finite number in `value`, or undefined when all are finite. */
export function firstNonFinite(value: unknown, path = ''): { path: string; value: number } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, value };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstNonFinite(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const found = firstNonFinite(child, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Throws an InputError at the offending operator (or the workload) if `result` has a non-finite number. */
export function assertFiniteResult(result: Result, workload: Workload): void {
  const found = firstNonFinite(result);
  if (!found) return;
  const index = /^operators\[(\d+)\]/.exec(found.path)?.[1];
  const op = index === undefined ? undefined : workload.operators[Number(index)];
  throw inputError({
    file: workload.file,
    position: op ? operatorKindPosition(op) : { line: 1, column: 1 },
    keyPath: index === undefined ? '' : `operators[${index}]`,
    message: `the result's ${found.path} is ${found.value} (not a finite number)`,
    hint: op ? `'${op.name}' is too large or degenerate for this architecture: reduce its shape or count` : 'some operator is too large or degenerate for this architecture',
  });
}
