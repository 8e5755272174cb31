import { describe, it, expect } from 'vitest';
import {
  FORMATS,
  formatStorage,
  formatStorageStatistical,
  fullMask,
  generateMask,
  maskFromStrings,
  parseFormatName,
  patternStats,
  validateFormatSpec,
  type StorageBreakdown,
  type PatternSpec,
} from '../../src/sparsity/index.js';
import { InputError } from '../../src/spec/errors.js';

function catchInput(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

function bits(b: StorageBreakdown): [number, number, number, number, number, number] {
  return [b.valueBits, b.metadataBits, b.pointerBits, b.paddingBits, b.totalBits, b.storedValues];
}

// 8 x 8, 13 nonzeros. Row-major linear positions: 0 1 5 7 | 16 19 | 26 30 | 49 52 55 | 62 63.
const M8 = maskFromStrings([
  '11000101', // r0: cols 0 1 5 7   (2:4 groups: 2, 2)
  '00000000', // r1
  '10010000', // r2: cols 0 3       (2, 0)
  '00100010', // r3: cols 2 6       (1, 1)
  '00000000', // r4
  '00000000', // r5
  '01001001', // r6: cols 1 4 7     (1, 2)
  '00000011', // r7: cols 6 7       (0, 2)
]);

// 4 x 16, 19 nonzeros. Row-major positions: 0..8 | 16 31 | 48 50 52 ... 62.
const M4x16 = maskFromStrings([
  '1111 1111 1000 0000', // r0: cols 0..8 (9)
  '1000 0000 0000 0001', // r1: cols 0, 15 (2)
  '0000 0000 0000 0000', // r2
  '1010 1010 1010 1010', // r3: even cols (8)
]);

describe('hand-computed storage, 8x8 mask (13 nonzeros, FP16 values)', () => {
  it('dense: 64 slots x 16 = 1024 bits; 13 values, 51 zeros as padding', () => {
    // value 13*16 = 208, padding 51*16 = 816
    expect(bits(formatStorage('dense', M8))).toEqual([208, 0, 0, 816, 1024, 64]);
    expect(formatStorage('dense', M8).bytes).toBe(128);
  });

  it('COO: 3-bit row + 3-bit column index per nonzero', () => {
    // metadata 13 * (3 + 3) = 78; total 208 + 78 = 286 bits -> 36 bytes
    const b = formatStorage('coo', M8);
    expect(bits(b)).toEqual([208, 78, 0, 0, 286, 13]);
    expect(b.bytes).toBe(36);
    // fixed 16-bit indices: 13 * 32 = 416
    expect(formatStorage({ kind: 'coo', indexBits: 16 }, M8).metadataBits).toBe(416);
  });

  it('CSR / CSC: 3-bit indices, 9 pointers of ceil(log2(64 + 1)) = 7 bits', () => {
    // CSR: 13*3 = 39 index bits, (8+1)*7 = 63 pointer bits, total 208 + 39 + 63 = 310
    expect(bits(formatStorage('csr', M8))).toEqual([208, 39, 63, 0, 310, 13]);
    expect(formatStorage('csr', M8).bytes).toBe(39);
    expect(bits(formatStorage('csc', M8))).toEqual([208, 39, 63, 0, 310, 13]);
    // 32-bit pointers and indices: 13*32 + 9*32 = 704 + values 208 = 912
    expect(formatStorage({ kind: 'csr', indexBits: 32, pointerBits: 32 }, M8).totalBits).toBe(912);
  });

  it('bitmap: 64 presence bits + values', () => {
    expect(bits(formatStorage('bitmap', M8))).toEqual([208, 64, 0, 0, 272, 13]);
  });

  it('2:4 along cols: 32 slots, 2-bit positions, 19 padded slots -> 9 bits per dense element', () => {
    // slots 8 rows * 2 groups * 2 = 32; metadata 13*2 = 26; padding (32-13)*(16+2) = 342
    // total 208 + 26 + 342 = 576 = 64 * 9
    const b = formatStorage('2:4', M8);
    expect(bits(b)).toEqual([208, 26, 0, 342, 576, 32]);
    expect(b.totalBits / 64).toBe(9);
    // along rows (groups down columns, rows 0-3 and 4-7): max 2 per group (col 0 rows 0-3; col 7 rows 4-7)
    expect(bits(formatStorage({ kind: 'nm', n: 2, m: 4, dim: 'rows' }, M8))).toEqual([208, 26, 0, 342, 576, 32]);
  });

  it('blocked-ELL 2x2: widths 3 3 0 3 -> ELL width 3, 12 stored blocks, 3 padding blocks', () => {
    // non-empty 2x2 blocks per block row: BR0 {0,2,3}, BR1 {0,1,3}, BR2 {}, BR3 {0,2,3} -> 9
    // block-column index bits ceil(log2 4) = 2: metadata 9*2 = 18
    // padding (12*4 - 13)*16 + (12 - 9)*2 = 560 + 6 = 566; total 208 + 18 + 566 = 792
    const b = formatStorage({ kind: 'blocked-ell', bh: 2, bw: 2 }, M8);
    expect(bits(b)).toEqual([208, 18, 0, 566, 792, 48]);
    expect(b.details).toMatchObject({ storedBlocks: 12, nonEmptyBlocks: 9, ellWidth: 3 });
    // default 16x16 blocks: one padded block of 256 slots, 0-bit block index (1 block column)
    // padding (256 - 13)*16 = 3888; total 4096
    expect(bits(formatStorage('blocked-ell', M8))).toEqual([208, 0, 0, 3888, 4096, 256]);
  });

  it('block-CSR: 2x2 and the default 4x4 blocks', () => {
    // 2x2: 9 blocks, index 9*2 = 18, pointers (4+1)*ceil(log2(16+1)) = 5*5 = 25,
    // padding (36 - 13)*16 = 368; total 208 + 18 + 25 + 368 = 619 -> 78 bytes
    const b = formatStorage({ kind: 'bcsr', bh: 2, bw: 2 }, M8);
    expect(bits(b)).toEqual([208, 18, 25, 368, 619, 36]);
    expect(b.bytes).toBe(78);
    // 4x4: tiles hold 5 3 1 4 -> all 4 blocks stored; index 4*1, pointers 3*ceil(log2 5) = 9,
    // padding (64 - 13)*16 = 816; total 208 + 4 + 9 + 816 = 1037
    expect(bits(formatStorage('bsr', M8))).toEqual([208, 4, 9, 816, 1037, 64]);
  });

  it('Tiled-CSL: one 128x64 tile, 13 entries padded to 16, one offset + 2 padding offsets', () => {
    // values 13*16 = 208, locations 13*16 = 208, offsets 1*32 = 32,
    // padding 3 entries * 32 + 2 * 32 = 160; total 608
    const b = formatStorage('tiled-csl', M8);
    expect(bits(b)).toEqual([208, 208, 32, 160, 608, 16]);
    expect(b.details).toMatchObject({ tiles: 1, paddedEntries: 3 });
    // 4x4 tiles: 5 3 1 4 -> padded to 8 4 4 4 (7 padding entries); offsets 4*32 = 128;
    // padding 7*32 + 64 = 288; total 208 + 208 + 128 + 288 = 832
    expect(bits(formatStorage({ kind: 'tiled-csl', tileRows: 4, tileCols: 4 }, M8))).toEqual([208, 208, 128, 288, 832, 20]);
  });

  it('RLE: zero runs before each nonzero, overflow zeros for long runs', () => {
    // row-major gaps: 0 0 3 1 8 2 6 3 18 2 2 6 0
    // 4-bit runs (span 16): only 18 overflows, floor(18/16) = 1 explicit zero
    // metadata 13*4 = 52, padding 1*(16+4) = 20, total 208 + 52 + 20 = 280
    const b4 = formatStorage('rle', M8);
    expect(bits(b4)).toEqual([208, 52, 0, 20, 280, 14]);
    expect(b4.details).toMatchObject({ overflowZeros: 1 });
    // 2-bit runs (span 4): floor(g/4) = 2 (8) + 1 (6) + 4 (18) + 1 (6) = 8 overflow zeros
    // metadata 26, padding 8*18 = 144, total 378
    expect(bits(formatStorage({ kind: 'rle', runBits: 2 }, M8))).toEqual([208, 26, 0, 144, 378, 21]);
    // column-major positions 0 2 8 14 19 26 38 40 51 55 56 62 63, gaps 0 1 5 5 4 6 11 1 10 3 0 5 0
    // floor(g/4): 1 1 1 1 2 2 1 = 9; padding 9*18 = 162; total 208 + 26 + 162 = 396
    expect(bits(formatStorage({ kind: 'rle', runBits: 2, order: 'cols' }, M8))).toEqual([208, 26, 0, 162, 396, 22]);
  });

  it('FlightLLM N:16: one padded 16x16 block, max 4 per group -> N = 4', () => {
    // slots 16*4 = 64; INT8: values 13*8 = 104; metadata 1 code byte + 13*4 = 60;
    // padding (64 - 13)*(8+4) = 612; total 104 + 60 + 612 = 776
    const b = formatStorage('flightllm', M8);
    expect(bits(b)).toEqual([104, 60, 0, 612, 776, 64]);
    expect(b.details).toMatchObject({ blocksN4: 1 });
  });
});

describe('hand-computed storage, 4x16 mask (19 nonzeros)', () => {
  it('dense, COO, CSR, CSC, bitmap', () => {
    // values 19*16 = 304 throughout
    expect(bits(formatStorage('dense', M4x16))).toEqual([304, 0, 0, 720, 1024, 64]); // 45 zeros * 16
    // COO: (2 + 4) bits * 19 = 114; total 418 -> 53 bytes
    expect(bits(formatStorage('coo', M4x16))).toEqual([304, 114, 0, 0, 418, 19]);
    expect(formatStorage('coo', M4x16).bytes).toBe(53);
    // CSR: 4-bit cols * 19 = 76; (4+1) pointers * 7 bits = 35; total 415
    expect(bits(formatStorage('csr', M4x16))).toEqual([304, 76, 35, 0, 415, 19]);
    // CSC: 2-bit rows * 19 = 38; (16+1) pointers * 7 bits = 119; total 461
    expect(bits(formatStorage('csc', M4x16))).toEqual([304, 38, 119, 0, 461, 19]);
    expect(bits(formatStorage('bitmap', M4x16))).toEqual([304, 64, 0, 0, 368, 19]);
  });

  it('N:M: 2:4 along cols is violated; 3:4 down the columns fits', () => {
    // groups down each column (rows 0..3): col 0 holds 3, the rest <= 2
    // slots 16 * 3 = 48; metadata 19*2 = 38; padding (48 - 19)*18 = 522; total 864
    expect(bits(formatStorage({ kind: 'nm', n: 3, m: 4, dim: 'rows' }, M4x16))).toEqual([304, 38, 0, 522, 864, 48]);
  });

  it('blocked-ELL and block-CSR with 1x4 blocks', () => {
    // non-empty 1x4 blocks per row: r0 {0,1,2}, r1 {0,3}, r2 {}, r3 {0,1,2,3} -> 9; ELL width 4
    // ELL: 16 stored blocks * 4 = 64 slots; metadata 9*2 = 18; padding (64-19)*16 + 7*2 = 734; total 1056
    expect(bits(formatStorage({ kind: 'ell', bh: 1, bw: 4 }, M4x16))).toEqual([304, 18, 0, 734, 1056, 64]);
    // BSR: 9 blocks, metadata 18, pointers (4+1)*ceil(log2(16+1)) = 25, padding (36-19)*16 = 272; total 619
    expect(bits(formatStorage({ kind: 'block-csr', bh: 1, bw: 4 }, M4x16))).toEqual([304, 18, 25, 272, 619, 36]);
  });

  it('Tiled-CSL, RLE, FlightLLM', () => {
    // Tiled-CSL: 19 entries -> 20; values 304, locations 304, offset 32, padding 32 + 64; total 736
    expect(bits(formatStorage('tiled-csl', M4x16))).toEqual([304, 304, 32, 96, 736, 20]);
    // RLE gaps: 0 x9, 7 (to 16), 14 (to 31), 16 (to 48), then 1 x7
    // 4-bit runs: floor(16/16) = 1 overflow; metadata 76, padding 20; total 400
    expect(bits(formatStorage('rle', M4x16))).toEqual([304, 76, 0, 20, 400, 20]);
    // 3-bit runs (span 8): 14 -> 1, 16 -> 2: 3 overflows; metadata 57, padding 3*19 = 57; total 418
    expect(bits(formatStorage({ kind: 'rle', runBits: 3 }, M4x16))).toEqual([304, 57, 0, 57, 418, 22]);
    // FlightLLM: one block, row 0 has 9 in its 16-group -> N = 16; slots 256;
    // values 19*8 = 152; metadata 8 + 19*4 = 84; padding (256-19)*12 = 2844; total 3080
    const f = formatStorage('flightllm-n16', M4x16);
    expect(bits(f)).toEqual([152, 84, 0, 2844, 3080, 256]);
    expect(f.details).toMatchObject({ blocksN16: 1 });
  });
});

describe('N:M violations', () => {
  it('names the first violating group and counts the rest', () => {
    const e = catchInput(() => formatStorage('2:4', M4x16));
    // row 0 groups 0..3 and 4..7 each hold 4
    expect(e.issues[0].message).toBe('2:4 storage cannot represent this mask: group at row 0, cols 0..3 has 4 nonzeros (2 groups violate 2:4)');
    expect(e.issues[0].expected).toBe('at most 2 nonzeros in every group of 4 along cols');
    const rows = catchInput(() => formatStorage({ kind: 'nm', n: 2, m: 4, dim: 'rows' }, M4x16));
    expect(rows.issues[0].message).toBe('2:4 storage cannot represent this mask: group at col 0, rows 0..3 has 3 nonzeros');
    const single = catchInput(() => formatStorage('1:4', M8));
    // r0 (2, 2), r2 (2, _), r6 (_, 2), r7 (_, 2): 5 groups with 2
    expect(single.issues[0].message).toBe('1:4 storage cannot represent this mask: group at row 0, cols 0..3 has 2 nonzeros (5 groups violate 1:4)');
  });

  it('a dense operand needs N = M', () => {
    expect(() => formatStorage('2:4', fullMask(4, 8))).toThrow(InputError);
    expect(FORMATS.nm.canRepresent('dense')).toMatch(/keeps at most 2/);
    expect(FORMATS.nm.canRepresent('dense', { n: 4, m: 4 })).toBe(true);
  });

  it('canRepresent for patterns', () => {
    expect(FORMATS.nm.canRepresent('2:4')).toBe(true);
    expect(FORMATS.nm.canRepresent('1:4')).toBe(true);
    expect(FORMATS.nm.canRepresent({ kind: 'nm', n: 2, m: 8 })).toBe(true); // at most 2 in any aligned 4
    expect(FORMATS.nm.canRepresent({ kind: 'nm', n: 4, m: 8 })).toMatch(/can put 4 nonzeros/);
    expect(FORMATS.nm.canRepresent({ kind: 'nm', n: 1, m: 2 })).toBe(true); // 2 per 4
    expect(FORMATS.nm.canRepresent({ kind: 'nm', n: 2, m: 4, dim: 'rows' })).toMatch(/along rows/);
    expect(FORMATS.nm.canRepresent({ kind: 'uniform', density: 0.1 })).toMatch(/uniform/);
    expect(FORMATS.nm.canRepresent({ kind: 'banded', halfBandwidth: 0 })).toBe(true);
    for (const def of Object.values(FORMATS)) if (def.id !== 'nm') expect(def.canRepresent({ kind: 'uniform', density: 0.3 })).toBe(true);
    expect(() => FORMATS.nm.storageStatistical({ rows: 8, cols: 8 }, 0.3)).not.toThrow(); // no pattern: assumed to fit
    expect(() => FORMATS.nm.storageStatistical({ rows: 8, cols: 8 }, 0, patternStats({ kind: 'uniform', density: 0.3 }, { rows: 8, cols: 8 }))).toThrow(InputError);
  });
});

describe('density 1.0', () => {
  it('every format represents a dense operand with rows*cols values', () => {
    const shape = { rows: 32, cols: 64 };
    const mask = fullMask(32, 64);
    for (const def of Object.values(FORMATS)) {
      const params = def.id === 'nm' ? { n: 4, m: 4 } : {};
      expect(def.canRepresent('dense', params)).toBe(true);
      const b = def.storage(mask, params);
      const vb = def.id === 'flightllm-n16' ? 8 : def.id === 'gqsa' ? 4 : 16; // each format's default valueBits
      expect(b.valueBits).toBe(32 * 64 * vb);
      expect(b.storedValues).toBe(32 * 64);
      // structural overhead only: the two Tiled-CSL padding offsets
      expect(b.paddingBits).toBe(def.id === 'tiled-csl' ? 64 : 0);
      const s = def.storageStatistical(shape, 1, undefined, params);
      expect(bits(s)).toEqual(bits(b));
    }
  });
});

describe('statistical closed forms versus concrete storage', () => {
  // Expected bits from the closed form versus the average over 24 seeds. Formats whose closed form
  // is an exact expectation (exact: true) agree to 1.5% (sampling error); approximations to 10%.
  const SHAPE = { rows: 64, cols: 128 };
  const CASES: PatternSpec[] = [
    { kind: 'uniform', density: 0.2 },
    { kind: 'uniform', density: 0.02 },
    { kind: 'nm', n: 2, m: 4 },
    { kind: 'nm', n: 1, m: 8 },
    { kind: 'block', bh: 4, bw: 8, density: 0.3 },
    { kind: 'banded', halfBandwidth: 5 },
  ];
  for (const spec of CASES) {
    it(JSON.stringify(spec), () => {
      const stats = patternStats(spec, SHAPE);
      const sums: Record<string, number> = {};
      const seeds = 24;
      for (let seed = 0; seed < seeds; seed++) {
        const mask = generateMask(spec, SHAPE, seed);
        for (const def of Object.values(FORMATS)) {
          if (def.canRepresent(spec) !== true) continue;
          sums[def.id] = (sums[def.id] ?? 0) + def.storage(mask).totalBits;
        }
      }
      for (const def of Object.values(FORMATS)) {
        if (def.canRepresent(spec) !== true) continue;
        const s = def.storageStatistical(SHAPE, stats.density, stats);
        const concrete = sums[def.id] / seeds;
        const err = Math.abs(s.totalBits - concrete) / concrete;
        expect(err, `${def.id}: statistical ${s.totalBits} vs concrete ${concrete}`).toBeLessThan(s.exact ? 0.015 : 0.1);
        if (stats.deterministic) expect(s.totalBits).toBeCloseTo(concrete, 6);
      }
    });
  }

  it('2:4 FP16 is 9 bits per dense element in both modes', () => {
    const s = formatStorageStatistical('2:4', { rows: 128, cols: 256 }, '2:4');
    expect(s.totalBits / (128 * 256)).toBe(9);
    expect(s.exact).toBe(true);
  });

  it('CSR closed form is linear in the density', () => {
    const s = formatStorageStatistical({ kind: 'csr', indexBits: 16, pointerBits: 32 }, { rows: 100, cols: 200 }, 0.1);
    // 2000 nonzeros * (16 + 16) + 101 * 32
    expect(s.totalBits).toBe(2000 * 32 + 101 * 32);
  });
});

describe('format names', () => {
  it('parses names, aliases and N:M', () => {
    expect(parseFormatName('2:4')).toMatchObject({ id: 'nm', params: { n: 2, m: 4 } });
    expect(parseFormatName('Tiled-CSL').id).toBe('tiled-csl');
    expect(parseFormatName('bsr').id).toBe('bcsr');
    expect(parseFormatName('n:16').id).toBe('flightllm-n16');
    expect(parseFormatName('csr').id).toBe('csr');
    expect(validateFormatSpec('1:8')).toEqual({ kind: 'nm', n: 1, m: 8, dim: 'cols', valueBits: 16, indexBits: 'auto' });
  });

  it('unknown names and parameters get did-you-mean hints', () => {
    const e = catchInput(() => parseFormatName('tiled-cls', 'arch.yaml', 'weights.format'));
    expect(e.issues[0].keyPath).toBe('weights.format');
    expect(e.issues[0].hint).toBe("did you mean 'tiled-csl'?");
    const p = catchInput(() => validateFormatSpec({ kind: 'csr', idxBits: 16 }, 'a.yaml', 'fmt'));
    expect(p.issues[0].keyPath).toBe('fmt.idxBits');
    expect(p.issues[0].hint).toBe("did you mean 'indexBits'?");
    const loc = catchInput(() => validateFormatSpec({ kind: 'tiled-csl', locationBits: 12 }));
    expect(loc.issues[0].expected).toBe('an integer >= 13');
  });
});
