// Reference cases small enough to count by hand. One core, one thread, so the order of every
// access is the program order and nothing is hidden by concurrency.
import { describe, it, expect } from 'vitest';
import type { CsrMatrix } from '../../../src/matrix/csr.js';
import type { MatrixSource } from '../../../src/core/types.js';
import { hashKey } from '../../../src/families/scratchpad/kernels/rowwise.js';
import { archSpec, presetValues, run, sparseOp } from './helpers.js';

// A (3 x 3, pattern):  row 0: {0}    row 1: {1, 2}    row 2: {2}
// C = A·A:
//   row 0: k=0 → B[0,:] = {0}         → (0,0)                 1 partial product
//   row 1: k=1 → B[1,:] = {1,2}; k=2 → B[2,:] = {2}
//                                      → (1,1) (1,2) (1,2)     3 partial products, 2 distinct
//   row 2: k=2 → B[2,:] = {2}         → (2,2)                 1 partial product
//   5 partial products, nnz(C) = 4.
const A: CsrMatrix = { rows: 3, cols: 3, rowPtr: Int32Array.from([0, 1, 3, 4]), colIdx: Int32Array.from([0, 1, 2, 2]) };
const SOURCE: MatrixSource = { kind: 'mtx', file: 'tiny.mtx', matrix: A };

/** One thread on one core; 256 B scratchpad → 0.75·256 / 12 B = 16 hash slots; big cache. */
function tinyArch(granularity: number) {
  return archSpec({
    ...presetValues('arch/piuma.yaml').values,
    cores: 1,
    mtp_per_core: 1,
    threads_per_mtp: 1,
    stp_per_core: 0,
    'network.mesh_width': 1,
    'scratchpad.capacity': 256,
    'hash.scratchpad_fraction': 0.75,
    'hash.load_factor': 0.5,
    'cache.capacity': 64 * 1024,
    'cache.line': 64,
    'dram.access_granularity': granularity,
  });
}

describe('row-wise SpGEMM on a 3 x 3 matrix, by hand', () => {
  it('the hash slots used below', () => {
    // 16 slots: slot = hashKey(i, j) & 15.
    expect(hashKey(0, 0) & 15).toBe(0); // 0x00000000
    expect(hashKey(1, 1) & 15).toBe(10); // 0x0db3f8ca
    expect(hashKey(1, 2) & 15).toBe(0); // 0x7345bc40 — same home slot as (0,0)
    expect(hashKey(2, 2) & 15).toBe(13); // 0xde1a473d
  });

  it('partial products, probes and collisions', () => {
    const result = run(tinyArch(8), sparseOp('spgemm', SOURCE, { dataflow: 'row-wise' }));
    const s = result.stats;
    // All 5 partial products fit one window (load 5 <= 0.5 · 16 = 8). The window's pieces are
    // queued heaviest first: row 1 (3 products), then row 0 and row 2 (1 each, in row order).
    // One thread inserts in that order:
    //   (1,1): slot 10 free                                  1 probe
    //   (1,2): slot 0 free                                   1 probe
    //   (1,2): slot 0 holds (1,2)                            1 probe
    //   (0,0): slot 0 holds (1,2) → collision; slot 1 free   2 probes
    //   (2,2): slot 13 free                                  1 probe
    expect(s['spgemm.partial_products']).toBe(5);
    expect(s['spgemm.output_nnz']).toBe(4);
    expect(s['hash.inserts']).toBe(5);
    expect(s['hash.probes']).toBe(6);
    expect(s['hash.collisions']).toBe(1);
    expect(s['hash.windows']).toBe(1);
    // Atomics: 6 CAS probes + 4 list links (new keys) + 5 adds = 15 in the hash table, plus
    // 3 piece grabs, 3 write-back grabs and 3 C-space fetch-adds = 24.
    expect(s['atomics.ops']).toBe(24);
    expect(result.macs).toEqual({ dense: 5, issued: 5, effectual: 5 });
  });

  it('DRAM bytes with 8-byte accesses', () => {
    // Layout (4 KiB-aligned regions, 4 KiB apart): A.ptr 0, A.idx 8192, A.val 16384, B.ptr 24576,
    // B.idx 32768, B.val 40960, C row info 49152, C idx 57344, C val 65536.
    // Reads (8-byte sectors through the cache, first touch only), pieces in queue order:
    //   piece row 1: A.idx[1..2] = bytes 8196..8203 → sectors 8192, 8200; A.val the same     4
    //                k=1: B.ptr[1..2] → 24576, 24584; B.idx[1..2] → 32768, 32776;
    //                     B.val[1..2] → 40960, 40968                                          6
    //                k=2: B.ptr[2..3], B.idx[3], B.val[3] all in fetched sectors             0
    //   piece row 0: A.idx[0], A.val[0], B.ptr[0..1], B.idx[0], B.val[0] all fetched         0
    //   piece row 2: all hits                                                                0
    //   = 10 sectors = 80 B, every word of them used (A.idx, A.val, B.idx, B.val: 4 words each;
    //   B.ptr: 4 words) → 80 B useful.
    // Writes (posted; C streams combine a sector already opened by the previous write):
    //   C idx: row 0 4 B (sector 7168), row 1 8 B (7168 open → 7169), row 2 4 B (7169 open)  2
    //   C val: the same                                                                       2
    //   row info: 3 separate 8-byte writes                                                    3
    //   = 7 sectors = 56 B, 16 + 16 + 24 = 56 B useful.
    const result = run(tinyArch(8), sparseOp('spgemm', SOURCE, { dataflow: 'row-wise' }));
    expect(result.memory.dram.readBytes).toBe(80);
    expect(result.memory.dram.writeBytes).toBe(56);
    expect(result.stats['dram.useful_bytes']).toBe(136);
    expect(result.stats['dram.wasted_bytes']).toBe(0);
    expect(result.memory.dram.perTensor['A']).toEqual({ readBytes: 32, writeBytes: 0 });
    expect(result.memory.dram.perTensor['B']).toEqual({ readBytes: 48, writeBytes: 0 });
    expect(result.memory.dram.perTensor['C']).toEqual({ readBytes: 0, writeBytes: 56 });
  });

  it('DRAM bytes with 64-byte accesses', () => {
    // Reads: one 64-byte line each for A.idx, A.val, B.ptr, B.idx, B.val = 320 B, of which the
    // same 80 B are used. Writes: C idx and C val one block each (the later rows combine into the
    // open block), row info three 64-byte writes = 5 blocks = 320 B for 56 useful bytes.
    // Wasted = (320 - 80) + (320 - 56) = 504 of 640.
    const result = run(tinyArch(64), sparseOp('spgemm', SOURCE, { dataflow: 'row-wise' }));
    expect(result.memory.dram.readBytes).toBe(320);
    expect(result.memory.dram.writeBytes).toBe(320);
    expect(result.stats['dram.wasted_bytes']).toBe(504);
    expect(result.stats['dram.wasted_fraction']).toBeCloseTo(504 / 640, 12);
  });
});

describe('inner and outer product on the same matrix, by hand', () => {
  it('outer product writes and reads back every partial product', () => {
    // Partial products are 8 B (4 B column + 4 B value). Buckets: row 0 at entry 0, row 1 at 1..3,
    // row 2 at 4 (byte offsets 0, 8, 32 from the bucket base, 4 KiB aligned). Multiply phase:
    //   k=0: A[:,0] = {0}, B[0,:] has 1 entry  → row 0 chunk, 8 B at offset 0   1 sector
    //   k=1: A[:,1] = {1}, B[1,:] has 2        → row 1 chunk, 16 B at 8          2 sectors
    //   k=2: A[:,2] = {1,2}, B[2,:] has 1      → row 1, 8 B at 24; row 2, 8 B at 32   2 sectors
    // = 40 B of partial products written, the same 40 B streamed back in the merge phase.
    const result = run(tinyArch(8), sparseOp('spgemm', SOURCE, { dataflow: 'outer' }));
    expect(result.stats['spgemm.partial_products']).toBe(5);
    expect(result.stats['spgemm.partial_bytes']).toBe(40);
    expect(result.memory.dram.perTensor['partials'].writeBytes).toBe(40);
    // Read back: 40 B of buckets + the bucket pointers (3 reads of 16 B at 0, 8, 16 → 4 sectors).
    expect(result.memory.dram.perTensor['partials'].readBytes).toBe(40 + 32);
    // Bucket-cursor fetch-adds: one per (k, row) chunk = 4.
    expect(result.memory.scratchpad.perTensor['bucket-cursors']).toEqual({ readBytes: 32, writeBytes: 32 });
  });

  it('inner product tests every index of B once per row block', () => {
    // One core, 3 rows ≤ 16 rows per block → one block: every one of the 4 indices of B is tested
    // against the mask table once; 5 MACs, as for the other dataflows.
    const result = run(tinyArch(8), sparseOp('spgemm', SOURCE, { dataflow: 'inner' }));
    expect(result.stats['spgemm.intersections']).toBe(4);
    expect(result.macs.effectual).toBe(5);
    // B requested: values loaded for hits — (k,j) pairs with mask[k] set = all 4 nonzeros → 16 B;
    // indices streamed once → 16 B; column pointers: 2 chunks (2 per thread), balanced by
    // nnz + 1 per column (2, 2, 3 → columns [0,2) and [2,3)), each reading its columns + 1
    // pointers → 3 + 2 = 5 pointers = 20 B. Total 52 B.
    expect(result.stats['spgemm.b_fetch_bytes']).toBe(52);
  });
});
