// Machine-level behaviour: latency hiding by threads, DRAM access granularity, invariants.
import { describe, it, expect } from 'vitest';
import type { MatrixSource } from '../../../src/core/types.js';
import { mtx, piuma, run, sparseOp, xeonLike } from './helpers.js';

describe('thread-count sweep (SpMV, threads load x themselves)', () => {
  // PIUMA preset with the STPs off and gathers done by the in-order threads (one load in flight
  // each) instead of the DMA engine, so that only MTP threads hide the DRAM latency.
  const source: MatrixSource = { kind: 'uniform', rows: 40000, cols: 400000, density: 8 / 400000 };
  const threads = [1, 2, 4, 8, 16, 32, 64];
  const sweep = threads.map((t) => run(piuma({ threads_per_mtp: t, stp_per_core: 0, 'dma.gather': false }), sparseOp('spmv', source)));
  const throughput = sweep.map((r) => r.macs.effectual / r.cycles);

  it('throughput rises with threads, then flattens', () => {
    for (let i = 1; i < throughput.length; i++) expect(throughput[i]).toBeGreaterThanOrEqual(0.98 * throughput[i - 1]);
    // Latency-bound start: doubling the threads nearly doubles the throughput.
    expect(throughput[1] / throughput[0]).toBeGreaterThan(1.8);
    expect(throughput[2] / throughput[1]).toBeGreaterThan(1.8);
    // Saturated end: flat within 5%.
    expect(throughput[6] / throughput[5]).toBeLessThan(1.05);
    expect(throughput[6] / throughput[0]).toBeGreaterThan(15);
  });

  it('the bottleneck moves from latency to DRAM bandwidth', () => {
    expect(sweep[0].bottleneck).toBe('latency');
    expect(sweep[1].bottleneck).toBe('latency');
    expect(sweep[6].bottleneck).toBe('dram-bandwidth');
    expect(sweep[6].stats['utilization.dram']).toBeGreaterThan(0.7);
    expect(sweep[0].stats['utilization.dram']).toBeLessThan(0.1);
    // Queues build up once the channels saturate.
    expect(sweep[6].stats['dram.mean_queue_cycles']).toBeGreaterThan(10 * sweep[0].stats['dram.mean_queue_cycles']);
  });
});

describe('8-byte vs 64-byte DRAM accesses on random gathers', () => {
  // SpMV on a uniform random matrix, 20000 x 2^21, 8 nonzeros per row on average, fp32 (4 B)
  // values, one core, rows in blocks. x is 8 MiB, the cache 192 KiB = C = 3072 lines of 64 B.
  //
  // Analytic expectation (independent uniform references):
  //   nnz gathers of x; a gather hits a resident line with probability h ≈ C·16 / N (16 entries per
  //   line, N = 2^21 entries); a miss moves one access of g bytes for 4 useful bytes; another
  //   entry of the same access is used before eviction with probability ρ ≈ (g/4 − 1)·C / N.
  //   The matrix streams (row pointers, indices, values) and the y stores are used in full.
  //   wasted fraction ≈ nnz·(1 − h)·(g − 4)·(1 − ρ) / (streams + nnz·(1 − h)·g)
  // Tolerance 0.03 absolute: the analytic model ignores stream lines evicted before their last
  // word is used and y stores that split a 64-byte block (≈2 points at 64 B).
  const N = 2 ** 21;
  const rows = 20000;
  const source: MatrixSource = { kind: 'uniform', rows, cols: N, density: 8 / N };
  const arch = (g: number) => piuma({ 'dram.access_granularity': g, cores: 1, 'network.mesh_width': 1, schedule: 'block' });
  const expected = (g: number, nnz: number): number => {
    const lines = (192 * 1024) / 64;
    const h = (lines * 16) / N;
    const rho = ((g / 4 - 1) * lines) / N;
    const streams = (rows + 1) * 4 + nnz * 8 + rows * 4;
    return (nnz * (1 - h) * (g - 4) * (1 - rho)) / (streams + nnz * (1 - h) * g);
  };

  it('8-byte accesses waste half of each x access and nothing else', () => {
    const r = run(arch(8), sparseOp('spmv', source));
    const want = expected(8, r.macs.effectual);
    expect(want).toBeGreaterThan(0.2);
    expect(Math.abs(r.stats['dram.wasted_fraction'] - want)).toBeLessThan(0.03);
  });

  it('64-byte accesses waste most of the DRAM traffic', () => {
    const r8 = run(arch(8), sparseOp('spmv', source));
    const r64 = run(arch(64), sparseOp('spmv', source));
    const want = expected(64, r64.macs.effectual);
    expect(want).toBeGreaterThan(0.75);
    expect(Math.abs(r64.stats['dram.wasted_fraction'] - want)).toBeLessThan(0.03);
    // x traffic is ~8x larger with lines; useful bytes are about the same.
    const x8 = r8.memory.dram.perTensor['x'].readBytes;
    const x64 = r64.memory.dram.perTensor['x'].readBytes;
    expect(x64 / x8).toBeGreaterThan(7);
    expect(x64 / x8).toBeLessThan(8.2);
    expect(r64.stats['dram.useful_bytes'] / r8.stats['dram.useful_bytes']).toBeGreaterThan(0.95);
    expect(r64.stats['dram.useful_bytes'] / r8.stats['dram.useful_bytes']).toBeLessThan(1.1);
  });
});

describe('invariants', () => {
  const rmat: MatrixSource = { kind: 'rmat', scale: 10, edgeFactor: 8, a: 0.57, b: 0.19, c: 0.19 };
  const uniform: MatrixSource = { kind: 'uniform', rows: 4000, cols: 40000, density: 0.0005 };
  const ops = [
    sparseOp('spgemm', rmat, { dataflow: 'row-wise' }),
    sparseOp('spgemm', rmat, { dataflow: 'inner' }),
    sparseOp('spgemm', rmat, { dataflow: 'outer' }),
    sparseOp('spmv', uniform),
    sparseOp('pagerank', rmat, { iterations: 2 }),
    sparseOp('bfs', rmat, { iterations: 64 }),
  ];

  it('cycles >= every bound, traffic adds up, energy lines are non-negative', () => {
    for (const arch of [piuma(), xeonLike()]) {
      for (const op of ops) {
        const r = run(arch, op);
        for (const [name, bound] of Object.entries(r.bounds)) expect(r.cycles, `${op.kind} ${name}`).toBeGreaterThanOrEqual(bound);
        expect(r.computeCycles + r.stallCycles).toBeCloseTo(r.cycles, 6);
        for (const level of Object.values(r.memory)) {
          const reads = Object.values(level.perTensor).reduce((sum, t) => sum + t.readBytes, 0);
          const writes = Object.values(level.perTensor).reduce((sum, t) => sum + t.writeBytes, 0);
          expect(reads).toBeCloseTo(level.readBytes, 6);
          expect(writes).toBeCloseTo(level.writeBytes, 6);
        }
        for (const action of r.actions) {
          expect(action.count).toBeGreaterThanOrEqual(0);
          expect(action.energyPerActionJ).toBeGreaterThanOrEqual(0);
        }
        expect(r.stats['dram.useful_bytes'] + r.stats['dram.wasted_bytes']).toBeCloseTo(r.memory.dram.readBytes + r.memory.dram.writeBytes, 6);
      }
    }
  });

  it('is deterministic for a seed', () => {
    for (const op of ops) expect(run(piuma(), op, 7)).toEqual(run(piuma(), op, 7));
    expect(run(piuma(), ops[0], 7).stats['spgemm.partial_products']).not.toBe(run(piuma(), ops[0], 8).stats['spgemm.partial_products']);
  });

  it('more DRAM bandwidth never slows a run (beyond scheduling noise)', () => {
    // The event simulation schedules work dynamically (threads take rows from a counter), so a
    // faster DRAM also reshuffles which thread runs what; away from the DRAM-bound regime that
    // moves the finish by a few per cent either way (the same happens on hardware). We require:
    // strictly faster while DRAM-bound, never more than 3% slower anywhere.
    const bandwidths = [10e9, 20e9, 40e9, 80e9, 160e9, 320e9, 640e9];
    for (const op of [...ops, sparseOp('spgemm', mtx('ca-GrQc'), { dataflow: 'row-wise' })]) {
      let previous: ReturnType<typeof run> | undefined;
      for (const bandwidth of bandwidths) {
        const r = run(piuma({ 'dram.bandwidth': bandwidth }), op);
        if (previous) {
          expect(r.cycles, `${op.kind} at ${bandwidth / 1e9} GB/s`).toBeLessThanOrEqual(1.03 * previous.cycles);
          if (previous.bottleneck === 'dram-bandwidth') expect(r.cycles).toBeLessThan(previous.cycles);
        }
        previous = r;
      }
    }
  });
});
