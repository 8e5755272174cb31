// `accsim compare` as a report input and as JSON: the JSON keeps each row's full Result, so
// `accsim compare -f json -o c.json && accsim report c.json -o dir` gives the same report as
// `accsim compare --report dir`.

import type { CompareRow } from '../core/compare.js';
import type { WeightStorage } from '../core/weight-storage.js';
import { RESULT_SCHEMA } from '../core/types.js';
import { inputError } from '../spec/errors.js';

export const COMPARE_SCHEMA = 'accsim.compare';
export const COMPARE_VERSION = 2;

/** A compare row with the weights' storage in its format (computed by the caller from the workload). */
export type CompareReportRow = CompareRow & { weightStorage?: WeightStorage };

export interface CompareInput {
  kind: 'compare';
  rows: CompareReportRow[];
  /** Weight density given for the formats that do not fix their own. */
  density: number;
  source?: string;
}

export function compareJson(rows: CompareReportRow[], density: number): string {
  return JSON.stringify({ schema: COMPARE_SCHEMA, version: COMPARE_VERSION, density, rows }, null, 2) + '\n';
}

export function isCompareJson(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { schema?: unknown }).schema === COMPARE_SCHEMA;
}

/** A parsed compare JSON file → a report input; `file` names it in errors. */
export function compareInputFromJson(value: unknown, file: string): CompareInput {
  const v = value as { version?: unknown; density?: unknown; rows?: unknown };
  if (v.version !== COMPARE_VERSION) {
    throw inputError({ file, keyPath: 'version', message: `compare JSON version ${String(v.version)} is not supported`, expected: `version ${COMPARE_VERSION} (write it again with accsim compare -f json)` });
  }
  if (!Array.isArray(v.rows) || !v.rows.length) throw inputError({ file, keyPath: 'rows', message: 'no rows', expected: 'the rows accsim compare -f json writes' });
  v.rows.forEach((row: { result?: { schema?: unknown } }, i: number) => {
    if (row?.result?.schema !== RESULT_SCHEMA) throw inputError({ file, keyPath: `rows[${i}].result`, message: 'not an accsim Result', expected: `"schema": "${RESULT_SCHEMA}"` });
  });
  return { kind: 'compare', rows: v.rows as CompareReportRow[], density: typeof v.density === 'number' ? v.density : NaN, source: file };
}
