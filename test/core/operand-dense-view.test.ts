// Operands without declared sparsity take a memoised dense view; it must equal the view the
// general path computes for an operand declared dense (pattern, format, storage, seed, mode).
import { describe, expect, it } from 'vitest';
import { operandView } from '../../src/core/operand-sparsity.js';
import type { GemmOperator } from '../../src/core/types.js';

const op = (sparsity?: GemmOperator['sparsity']): GemmOperator => ({
  kind: 'gemm', name: 'fc', count: 1, batch: 1, m: 96, n: 320, k: 200, dtype: 'int4', outputDtype: 'int32', phase: 'inference', weightKind: 'parameters', sparsity,
});

describe('dense view of an operand without declared sparsity', () => {
  for (const sparsityMode of ['statistical', 'concrete'] as const) {
    it(`equals the general path's view of a dense-declared operand (${sparsityMode})`, () => {
      for (const role of ['weight', 'input'] as const) {
        const options = { sparsityMode, seed: 11 };
        const declared = operandView(op({ [role]: { pattern: { kind: 'dense' } } }), role, options);
        // Twice: the first call fills the memo, the second reads it.
        for (let i = 0; i < 2; i++) expect(JSON.stringify(operandView(op(), role, options))).toBe(JSON.stringify(declared));
      }
    });
  }

  it('depends on the shape and value width (memo key), not only on the operator name', () => {
    const a = operandView(op(), 'weight', { sparsityMode: 'statistical', seed: 1 });
    const b = operandView({ ...op(), k: 201, dtype: 'int8' }, 'weight', { sparsityMode: 'statistical', seed: 1 });
    expect(b.storage.bytes).not.toBe(a.storage.bytes);
    expect(b.storage.bytes).toBe(320 * 201);
  });
});
