// Weight storage of a workload per format: values, metadata, pointers, padding over every instance.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { weightStorage } from '../../src/core/weight-storage.js';
import { weightSparsityFor, withWeightSparsity } from '../../src/core/compare.js';
import { isGemmLike, type GemmOperator } from '../../src/core/types.js';
import { loadWorkloadFile } from '../../src/io/files.js';
import { ROOT } from '../helpers.js';

describe('weightStorage', () => {
  const workload = loadWorkloadFile(join(ROOT, 'workloads', 'bert-base.yaml'));
  const options = { sparsityMode: 'statistical' as const, seed: 1 };
  const denseBytes = workload.operators
    .filter((op): op is GemmOperator => isGemmLike(op as never) && (op as GemmOperator).weightKind === 'parameters')
    .reduce((sum, op) => sum + op.n * op.k * op.count * op.batch, 0); // int8: one byte per weight

  it('is all values for dense weights', () => {
    const dense = weightStorage(workload, options);
    expect(dense.valueBytes).toBe(denseBytes);
    expect(dense.metadataBytes + dense.pointerBytes + dense.paddingBytes).toBe(0);
  });

  it('keeps a fifth of the values at density 0.2 and adds the format metadata', () => {
    const bitmap = weightStorage(withWeightSparsity(workload, weightSparsityFor('bitmap', 0.2, 4)), options);
    expect(bitmap.valueBytes / denseBytes).toBeCloseTo(0.2, 2);
    expect(bitmap.metadataBytes).toBeCloseTo(denseBytes / 8, -3); // one bit per position
    const csr = weightStorage(withWeightSparsity(workload, weightSparsityFor('csr', 0.2, 4)), options);
    expect(csr.pointerBytes).toBeGreaterThan(0);
    expect(csr.totalBytes).toBe(csr.valueBytes + csr.metadataBytes + csr.pointerBytes + csr.paddingBytes);
  });
});
