// Inner vs outer vs row-wise (atomic hashing in the scratchpad) on power-law matrices, PIUMA preset.
import { describe, it, expect } from 'vitest';
import type { MatrixSource } from '../../../src/core/types.js';
import type { OperatorSimulation } from '../../../src/families/family.js';
import { resolveMatrix } from '../../../src/matrix/generators.js';
import { operandSeed } from '../../../src/families/scratchpad/simulate.js';
import { dramBytes, mtx, piuma, run, sparseOp, type Dataflow } from './helpers.js';

const CASES: Array<[string, () => MatrixSource]> = [
  ['R-MAT scale 12, edge factor 8', () => ({ kind: 'rmat', scale: 12, edgeFactor: 8, a: 0.57, b: 0.19, c: 0.19 })],
  ['wiki-Vote', () => mtx('wiki-Vote')],
];

describe.each(CASES)('SpGEMM A·A on %s, PIUMA preset', (_label, source) => {
  const results = {} as Record<Dataflow, OperatorSimulation>;
  const get = (dataflow: Dataflow): OperatorSimulation => {
    results[dataflow] ??= run(piuma(), sparseOp('spgemm', source(), { dataflow }));
    return results[dataflow];
  };

  it('all dataflows do the same multiply-adds', () => {
    const pp = get('row-wise').stats['spgemm.partial_products'];
    for (const dataflow of ['inner', 'outer', 'row-wise'] as const) {
      expect(get(dataflow).macs.effectual).toBe(pp);
      expect(get(dataflow).stats['spgemm.output_nnz']).toBe(get('row-wise').stats['spgemm.output_nnz']);
    }
    expect(get('row-wise').stats['hash.inserts']).toBe(pp);
  });

  it('row-wise with atomic hashing is the fastest', () => {
    const rowwise = get('row-wise').cycles;
    expect(rowwise).toBeLessThan(get('inner').cycles);
    expect(rowwise).toBeLessThan(get('outer').cycles);
  });

  it('inner product pays for redundant fetches of B and ineffectual intersections', () => {
    const inner = get('inner');
    const rowwise = get('row-wise');
    const pp = rowwise.stats['spgemm.partial_products'];
    // Every index of B is tested once per block of 16 rows of each core (8 cores, rows r mod 8).
    const a = resolveMatrix(source(), operandSeed(source(), 'a', 1));
    let blocks = 0;
    for (let core = 0; core < 8; core++) blocks += Math.ceil(Math.ceil((a.rows - core) / 8) / 16);
    expect(inner.stats['spgemm.intersections']).toBe(blocks * a.rowPtr[a.rows]);
    // Most tests are ineffectual: several per partial product.
    expect(inner.stats['spgemm.intersections']).toBeGreaterThan(3 * pp);
    // B is streamed again for every row block: more of B comes from DRAM than for row-wise.
    expect(inner.memory.dram.perTensor['B'].readBytes).toBeGreaterThan(2 * rowwise.memory.dram.perTensor['B'].readBytes);
    expect(inner.stats['spgemm.b_fetch_bytes']).toBeGreaterThan(rowwise.stats['spgemm.b_fetch_bytes']);
  });

  it('outer product pays for partial-product traffic', () => {
    const outer = get('outer');
    const pp = outer.stats['spgemm.partial_products'];
    // Every partial product (4 B index + 4 B value) is written to DRAM and read back.
    expect(outer.stats['spgemm.partial_bytes']).toBe(8 * pp);
    const partials = outer.memory.dram.perTensor['partials'];
    expect(partials.writeBytes).toBeGreaterThanOrEqual(8 * pp);
    expect(partials.readBytes).toBeGreaterThanOrEqual(8 * pp);
    // The partial products are the largest DRAM stream of the outer product…
    for (const [name, t] of Object.entries(outer.memory.dram.perTensor)) {
      if (name !== 'partials') expect(t.readBytes + t.writeBytes).toBeLessThan(partials.readBytes + partials.writeBytes);
    }
    // …and make it move more DRAM bytes than row-wise, which keeps them in the scratchpad.
    expect(dramBytes(outer)).toBeGreaterThan(dramBytes(get('row-wise')));
    expect(get('row-wise').memory.scratchpad.perTensor['hash-table'].writeBytes).toBeGreaterThan(0);
  });

  it('row-wise hashing: real probes, collisions and atomics', () => {
    const s = get('row-wise').stats;
    expect(s['hash.probes']).toBeGreaterThan(s['hash.inserts']);
    expect(s['hash.collisions']).toBeGreaterThan(0);
    expect(s['hash.probes_per_insert']).toBeLessThan(2);
    expect(s['atomics.ops']).toBeGreaterThan(s['hash.probes'] + s['hash.inserts']);
  });
});
