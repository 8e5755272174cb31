import { describe, it, expect } from 'vitest';
import {
  colNnz,
  countRowRange,
  createMask,
  forEachNonzero,
  fullMask,
  generateMask,
  invertMask,
  maskBytes,
  maskEquals,
  maskFromCsr,
  maskFromStrings,
  maskGet,
  maskNnz,
  maskSet,
  maskToCsr,
  maskToStrings,
  popcount32,
  rowIndices,
  rowNnz,
  setRowRange,
  tileNnz,
  transposeMask,
  wordsPerRow,
} from '../../src/sparsity/index.js';
import type { CsrMatrix } from '../../src/matrix/csr.js';

// 8 x 8 mask used across the sparsity tests (13 nonzeros).
const M8 = [
  '11000101', // r0: cols 0 1 5 7
  '00000000', // r1
  '10010000', // r2: cols 0 3
  '00100010', // r3: cols 2 6
  '00000000', // r4
  '00000000', // r5
  '01001001', // r6: cols 1 4 7
  '00000011', // r7: cols 6 7
];

/** Reference counts by per-bit loops, to check the word-level versions. */
function slowTiles(lines: string[], th: number, tw: number): number[] {
  const rows = lines.length;
  const cols = lines[0].length;
  const gc = Math.ceil(cols / tw);
  const out = new Array<number>(Math.ceil(rows / th) * gc).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (lines[r][c] === '1') out[Math.floor(r / th) * gc + Math.floor(c / tw)]++;
  return out;
}

describe('mask layout', () => {
  it('pads each row to whole 32-bit words, LSB first', () => {
    const m = createMask(3, 40);
    expect(wordsPerRow(40)).toBe(2);
    expect(m.words.length).toBe(6);
    maskSet(m, 1, 0);
    maskSet(m, 1, 33);
    expect(m.words[2]).toBe(1);
    expect(m.words[3]).toBe(2);
    expect(maskGet(m, 1, 33)).toBe(true);
    expect(maskGet(m, 1, 32)).toBe(false);
    maskSet(m, 1, 33, false);
    expect(maskGet(m, 1, 33)).toBe(false);
  });

  it('keeps padding bits clear in full and inverted masks', () => {
    const full = fullMask(2, 40);
    expect(full.words[1]).toBe(0xff); // 8 valid bits in the second word
    expect(maskNnz(full)).toBe(80);
    const inv = invertMask(createMask(2, 40));
    expect(maskEquals(inv, full)).toBe(true);
    expect(maskNnz(invertMask(full))).toBe(0);
  });

  it('round-trips text', () => {
    const m = maskFromStrings(M8);
    expect(maskToStrings(m).map((s) => s.replace(/\./g, '0'))).toEqual(M8);
  });

  it('a 16k x 16k mask is exactly 32 MiB', () => {
    const m = generateMask({ kind: 'uniform', density: 0.5 }, { rows: 16384, cols: 16384 }, 7);
    expect(m.words.length * 4).toBe(32 * 1024 * 1024);
    expect(maskBytes(m)).toBe(32 * 1024 * 1024);
    expect(maskNnz(m)).toBe(Math.round(0.5 * 16384 * 16384));
  });
});

describe('popcount helpers', () => {
  it('popcount32', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    expect(popcount32(0x12345678)).toBe(13);
  });

  it('counts the 8x8 mask by row, column and tile', () => {
    const m = maskFromStrings(M8);
    expect(maskNnz(m)).toBe(13);
    expect([...rowNnz(m)]).toEqual([4, 0, 2, 2, 0, 0, 3, 2]);
    // columns: c0 r0 r2 | c1 r0 r6 | c2 r3 | c3 r2 | c4 r6 | c5 r0 | c6 r3 r7 | c7 r0 r6 r7
    expect([...colNnz(m)]).toEqual([2, 2, 1, 1, 1, 1, 2, 3]);
    const t = tileNnz(m, 4, 4);
    expect([t.gridRows, t.gridCols]).toEqual([2, 2]);
    expect([...t.counts]).toEqual([5, 3, 1, 4]);
    const t3 = tileNnz(m, 3, 3); // partial edge tiles
    expect([...t3.counts]).toEqual(slowTiles(M8, 3, 3));
    expect(countRowRange(m, 0, 1, 6)).toBe(2); // cols 1 and 5
    expect([...rowIndices(m, 6)]).toEqual([1, 4, 7]);
  });

  it('word-aligned and unaligned tile counts match a per-bit reference on a random mask', () => {
    const m = generateMask({ kind: 'uniform', density: 0.37 }, { rows: 77, cols: 150 }, 3);
    const lines = maskToStrings(m).map((s) => s.replace(/\./g, '0'));
    for (const [th, tw] of [
      [8, 64],
      [5, 32],
      [7, 13],
      [1, 150],
      [77, 1],
    ]) {
      expect([...tileNnz(m, th, tw).counts]).toEqual(slowTiles(lines, th, tw));
    }
    const cols = new Array<number>(150).fill(0);
    for (const line of lines) for (let c = 0; c < 150; c++) if (line[c] === '1') cols[c]++;
    expect([...colNnz(m)]).toEqual(cols);
  });

  it('column counts survive more than 255 rows (byte-lane flushing)', () => {
    const m = fullMask(1000, 33);
    expect([...colNnz(m)]).toEqual(new Array(33).fill(1000));
  });

  it('setRowRange fills across word boundaries', () => {
    const m = createMask(1, 100);
    setRowRange(m, 0, 30, 70);
    expect(maskNnz(m)).toBe(40);
    expect(countRowRange(m, 0, 0, 30)).toBe(0);
    expect(countRowRange(m, 0, 69, 71)).toBe(1);
  });
});

describe('conversions', () => {
  it('CSR round trip', () => {
    const csr: CsrMatrix = {
      rows: 3,
      cols: 5,
      rowPtr: Int32Array.from([0, 2, 2, 5]),
      colIdx: Int32Array.from([1, 4, 0, 2, 3]),
    };
    const m = maskFromCsr(csr);
    expect(maskToStrings(m)).toEqual(['.1..1', '.....', '1.11.']);
    const back = maskToCsr(m);
    expect([...back.rowPtr]).toEqual([...csr.rowPtr]);
    expect([...back.colIdx]).toEqual([...csr.colIdx]);
  });

  it('transpose and nonzero iteration', () => {
    const m = maskFromStrings(M8);
    const t = transposeMask(m);
    const seen: string[] = [];
    forEachNonzero(m, (r, c) => {
      seen.push(`${r},${c}`);
      expect(maskGet(t, c, r)).toBe(true);
    });
    expect(seen.length).toBe(13);
    expect(maskNnz(t)).toBe(13);
    expect(maskEquals(transposeMask(t), m)).toBe(true);
  });
});
