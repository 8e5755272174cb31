// The shipped scratchpad workloads load with the project's loader and run on both presets.
import { describe, it, expect } from 'vitest';
import { loadWorkloadFile } from '../../../src/io/files.js';
import type { SparseOperator } from '../../../src/core/types.js';
import { ROOT, piuma, run } from './helpers.js';

describe('shipped workloads', () => {
  for (const file of ['spgemm-wiki-vote', 'spgemm-ca-grqc', 'spgemm-rmat', 'graph-wiki-vote', 'graph-rmat']) {
    it(`${file}.yaml loads`, () => {
      const workload = loadWorkloadFile(`${ROOT}workloads/${file}.yaml`);
      expect(workload.operators.length).toBeGreaterThan(0);
      for (const op of workload.operators) expect(['spgemm', 'spmv', 'pagerank', 'bfs']).toContain(op.kind);
    });
  }

  it('the dataflow key reaches the family', () => {
    const workload = loadWorkloadFile(`${ROOT}workloads/spgemm-ca-grqc.yaml`);
    const flows = workload.operators.map((op) => (op as SparseOperator & { dataflow?: string }).dataflow);
    expect(flows).toEqual(['inner', 'outer', 'row-wise']);
    const cycles = workload.operators.map((op) => run(piuma(), op as SparseOperator).cycles);
    expect(cycles[2]).toBeLessThan(Math.min(cycles[0], cycles[1]));
  });
});
