// `accsim compare` flag checks that need more than commander's choices.

import { inputError } from '../spec/errors.js';
import { parseFormatName } from '../sparsity/index.js';
import { weightSparsityFor, withWeightSparsity, type CompareRow } from '../core/compare.js';
import { weightStorage, type WeightStorage } from '../core/weight-storage.js';
import type { CompareReportRow } from '../report/compare-input.js';
import type { SimulateOptions, Workload } from '../core/types.js';

/** A --formats entry: a known format; the N:M family needs its N and M (`2:4`, not `nm`). */
export function checkCompareFormat(name: string, index: number): void {
  const parsed = parseFormatName(name, '<command line>', `--formats[${index}]`);
  if (parsed.id === 'nm' && parsed.params.n === undefined) {
    throw inputError({ file: '<command line>', keyPath: `--formats[${index}]`, message: `'${name}' names the N:M family without N and M`, expected: 'N:M written out, e.g. 2:4 or 4:8' });
  }
}

/**
 * 1 − s without binary-fraction noise (1 − 0.8 is 0.19999999999999996 in doubles): a density given
 * as a sparsity is the decimal the user meant, to 12 significant digits.
 */
export function complement(fraction: number): number {
  return Number((1 - fraction).toPrecision(12));
}

/** Each row with its format's weight storage (the same for every target: one computation per format and density). */
export function withWeightStorage(rows: CompareRow[], workload: Workload, blockSize: number, options: Pick<SimulateOptions, 'sparsityMode' | 'seed'>): CompareReportRow[] {
  const byFormat = new Map<string, WeightStorage>();
  return rows.map((row) => {
    // Each row at the density it ran at: a density curve has one storage per (format, density).
    const key = `${row.format}@${row.density}`;
    let storage = byFormat.get(key);
    if (!storage) {
      storage = weightStorage(withWeightSparsity(workload, weightSparsityFor(row.format, row.density, blockSize)), options);
      byFormat.set(key, storage);
    }
    return { ...row, weightStorage: storage };
  });
}
