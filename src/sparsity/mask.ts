// 2-D sparsity masks as memory-lean bitsets, with word-level popcount helpers.
//
// Layout: row-major; each row occupies `wordsPerRow(cols) = ceil(cols / 32)` 32-bit words, so
// rows start on word boundaries and can be scanned word by word. Element (r, c) is bit (c & 31)
// (least significant bit first) of words[r * wordsPerRow + (c >>> 5)]. Invariant: the padding
// bits past `cols` in each row's last word are always 0, so popcounts never need masking.
// A 16384 x 16384 mask takes exactly 32 MiB.

import type { CsrMatrix } from '../matrix/csr.js';

export interface Mask {
  readonly rows: number;
  readonly cols: number;
  /** rows * wordsPerRow(cols) words; see the layout above. */
  readonly words: Uint32Array;
}

/** Number of 32-bit words per mask row. */
export function wordsPerRow(cols: number): number {
  return Math.ceil(cols / 32);
}

/** Bits of the last word of a row that belong to the row (all ones when cols is a multiple of 32). */
export function lastWordMask(cols: number): number {
  const rem = cols & 31;
  return rem === 0 ? 0xffffffff : ((1 << rem) - 1) >>> 0;
}

function checkShape(rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`mask shape must be non-negative integers, got ${rows} x ${cols}`);
  }
}

/** An all-zero mask. */
export function createMask(rows: number, cols: number): Mask {
  checkShape(rows, cols);
  return { rows, cols, words: new Uint32Array(rows * wordsPerRow(cols)) };
}

/** An all-ones mask. */
export function fullMask(rows: number, cols: number): Mask {
  const mask = createMask(rows, cols);
  mask.words.fill(0xffffffff);
  clearPadding(mask);
  return mask;
}

/** Zeroes the padding bits past `cols` in every row (restores the invariant after word-level writes). */
export function clearPadding(mask: Mask): void {
  const wpr = wordsPerRow(mask.cols);
  const last = lastWordMask(mask.cols);
  if (last === 0xffffffff || wpr === 0) return;
  for (let r = 0; r < mask.rows; r++) mask.words[r * wpr + wpr - 1] &= last;
}

/** Set-bit count of a 32-bit word. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function maskGet(mask: Mask, r: number, c: number): boolean {
  return ((mask.words[r * wordsPerRow(mask.cols) + (c >>> 5)] >>> (c & 31)) & 1) === 1;
}

/** Sets (or clears) one element in place. For building masks. */
export function maskSet(mask: Mask, r: number, c: number, value = true): void {
  const i = r * wordsPerRow(mask.cols) + (c >>> 5);
  const bit = (1 << (c & 31)) >>> 0;
  mask.words[i] = value ? (mask.words[i] | bit) >>> 0 : (mask.words[i] & ~bit) >>> 0;
}

/** Bits lo..31 of a word. */
function maskFrom(lo: number): number {
  return (0xffffffff << lo) >>> 0;
}

/** Bits 0..hi of a word (hi inclusive). */
function maskTo(hi: number): number {
  return hi === 31 ? 0xffffffff : ((1 << (hi + 1)) - 1) >>> 0;
}

/** Sets columns [c0, c1) of row r in place, word at a time. */
export function setRowRange(mask: Mask, r: number, c0: number, c1: number): void {
  if (c1 <= c0) return;
  const base = r * wordsPerRow(mask.cols);
  const w0 = c0 >>> 5;
  const w1 = (c1 - 1) >>> 5;
  if (w0 === w1) {
    mask.words[base + w0] |= maskFrom(c0 & 31) & maskTo((c1 - 1) & 31);
    return;
  }
  mask.words[base + w0] |= maskFrom(c0 & 31);
  for (let w = w0 + 1; w < w1; w++) mask.words[base + w] = 0xffffffff;
  mask.words[base + w1] |= maskTo((c1 - 1) & 31);
}

/** Popcount of bits [c0, c1) of a row whose first word is words[base]. */
export function countBits(words: Uint32Array, base: number, c0: number, c1: number): number {
  if (c1 <= c0) return 0;
  const w0 = c0 >>> 5;
  const w1 = (c1 - 1) >>> 5;
  if (w0 === w1) return popcount32(words[base + w0] & maskFrom(c0 & 31) & maskTo((c1 - 1) & 31));
  let n = popcount32(words[base + w0] & maskFrom(c0 & 31));
  for (let w = w0 + 1; w < w1; w++) n += popcount32(words[base + w]);
  return n + popcount32(words[base + w1] & maskTo((c1 - 1) & 31));
}

/** Nonzeros in columns [c0, c1) of row r. */
export function countRowRange(mask: Mask, r: number, c0: number, c1: number): number {
  return countBits(mask.words, r * wordsPerRow(mask.cols), c0, c1);
}

/** Total number of nonzeros. */
export function maskNnz(mask: Mask): number {
  const w = mask.words;
  let n = 0;
  for (let i = 0; i < w.length; i++) n += popcount32(w[i]);
  return n;
}

/** Nonzeros per row. */
export function rowNnz(mask: Mask): Uint32Array {
  const wpr = wordsPerRow(mask.cols);
  const out = new Uint32Array(mask.rows);
  const w = mask.words;
  for (let r = 0; r < mask.rows; r++) {
    let n = 0;
    const base = r * wpr;
    for (let i = 0; i < wpr; i++) n += popcount32(w[base + i]);
    out[r] = n;
  }
  return out;
}

/**
 * Nonzeros per column. Uses byte-lane counters: bit b of a word lands in byte lanes via
 * (word >>> b) & 0x01010101, so 8 adds count all 32 columns of a word for one row; lanes are
 * flushed every 255 rows before they can overflow.
 */
export function colNnz(mask: Mask): Uint32Array {
  const { rows, cols, words } = mask;
  const wpr = wordsPerRow(cols);
  const out = new Uint32Array(wpr * 32);
  const acc = new Uint32Array(wpr * 8);
  for (let r0 = 0; r0 < rows; r0 += 255) {
    acc.fill(0);
    const r1 = Math.min(rows, r0 + 255);
    for (let r = r0; r < r1; r++) {
      const base = r * wpr;
      for (let i = 0; i < wpr; i++) {
        const x = words[base + i];
        if (x === 0) continue;
        const a = i * 8;
        for (let b = 0; b < 8; b++) acc[a + b] += (x >>> b) & 0x01010101;
      }
    }
    for (let i = 0; i < wpr; i++) {
      for (let b = 0; b < 8; b++) {
        const v = acc[i * 8 + b];
        const c = i * 32 + b;
        out[c] += v & 0xff;
        out[c + 8] += (v >>> 8) & 0xff;
        out[c + 16] += (v >>> 16) & 0xff;
        out[c + 24] += v >>> 24;
      }
    }
  }
  return out.slice(0, cols);
}

/** Per-tile nonzero counts on a grid of th x tw tiles (edge tiles are partial). */
export interface TileCounts {
  tileRows: number;
  tileCols: number;
  /** Number of tile rows / tile columns: ceil(rows / tileRows), ceil(cols / tileCols). */
  gridRows: number;
  gridCols: number;
  /** Row-major over the tile grid: counts[tr * gridCols + tc]. */
  counts: Uint32Array;
}

/** Nonzeros per (th x tw) tile, counted with word-level popcounts. */
export function tileNnz(mask: Mask, th: number, tw: number): TileCounts {
  if (!Number.isInteger(th) || !Number.isInteger(tw) || th < 1 || tw < 1) {
    throw new RangeError(`tile must be positive integers, got ${th} x ${tw}`);
  }
  const { rows, cols, words } = mask;
  const wpr = wordsPerRow(cols);
  const gridRows = Math.ceil(rows / th);
  const gridCols = Math.ceil(cols / tw);
  const counts = new Uint32Array(gridRows * gridCols);
  const aligned = (tw & 31) === 0;
  const wordsPerTile = tw >>> 5;
  for (let r = 0; r < rows; r++) {
    const base = r * wpr;
    const out = Math.floor(r / th) * gridCols;
    if (aligned) {
      // Tiles cover whole words: sum popcounts word by word.
      let tc = 0;
      let inTile = 0;
      let n = 0;
      for (let i = 0; i < wpr; i++) {
        n += popcount32(words[base + i]);
        if (++inTile === wordsPerTile) {
          counts[out + tc++] += n;
          n = 0;
          inTile = 0;
        }
      }
      if (inTile > 0) counts[out + tc] += n;
    } else {
      for (let tc = 0; tc < gridCols; tc++) {
        const c0 = tc * tw;
        counts[out + tc] += countBits(words, base, c0, Math.min(cols, c0 + tw));
      }
    }
  }
  return { tileRows: th, tileCols: tw, gridRows, gridCols, counts };
}

/** Calls fn(r, c) for every nonzero, row-major. */
export function forEachNonzero(mask: Mask, fn: (r: number, c: number) => void): void {
  const wpr = wordsPerRow(mask.cols);
  const w = mask.words;
  for (let r = 0; r < mask.rows; r++) {
    const base = r * wpr;
    for (let i = 0; i < wpr; i++) {
      let x = w[base + i];
      while (x !== 0) {
        const low = x & -x;
        fn(r, i * 32 + (31 - Math.clz32(low)));
        x = (x ^ low) >>> 0;
      }
    }
  }
}

/** Column indices of the nonzeros of row r, ascending. */
export function rowIndices(mask: Mask, r: number): Int32Array {
  const wpr = wordsPerRow(mask.cols);
  const base = r * wpr;
  const w = mask.words;
  let n = 0;
  for (let i = 0; i < wpr; i++) n += popcount32(w[base + i]);
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < wpr; i++) {
    let x = w[base + i];
    while (x !== 0) {
      const low = x & -x;
      out[k++] = i * 32 + (31 - Math.clz32(low));
      x = (x ^ low) >>> 0;
    }
  }
  return out;
}

/** The structure of a CSR matrix as a mask (explicitly stored zeros count as nonzeros). */
export function maskFromCsr(csr: CsrMatrix): Mask {
  const mask = createMask(csr.rows, csr.cols);
  const wpr = wordsPerRow(csr.cols);
  for (let r = 0; r < csr.rows; r++) {
    const base = r * wpr;
    for (let k = csr.rowPtr[r]; k < csr.rowPtr[r + 1]; k++) {
      const c = csr.colIdx[k];
      if (c < 0 || c >= csr.cols) throw new RangeError(`CSR column index ${c} out of range in row ${r}`);
      mask.words[base + (c >>> 5)] |= (1 << (c & 31)) >>> 0;
    }
  }
  return mask;
}

/** The mask as a pattern-only CSR matrix (no values). */
export function maskToCsr(mask: Mask): CsrMatrix {
  const counts = rowNnz(mask);
  const rowPtr = new Int32Array(mask.rows + 1);
  for (let r = 0; r < mask.rows; r++) rowPtr[r + 1] = rowPtr[r] + counts[r];
  const colIdx = new Int32Array(rowPtr[mask.rows]);
  let k = 0;
  forEachNonzero(mask, (_r, c) => {
    colIdx[k++] = c;
  });
  return { rows: mask.rows, cols: mask.cols, rowPtr, colIdx };
}

/** The transposed mask (cols x rows). */
export function transposeMask(mask: Mask): Mask {
  const out = createMask(mask.cols, mask.rows);
  const wpr = wordsPerRow(mask.rows);
  forEachNonzero(mask, (r, c) => {
    out.words[c * wpr + (r >>> 5)] |= (1 << (r & 31)) >>> 0;
  });
  return out;
}

/** Elementwise complement (padding bits stay zero). */
export function invertMask(mask: Mask): Mask {
  const out: Mask = { rows: mask.rows, cols: mask.cols, words: new Uint32Array(mask.words.length) };
  for (let i = 0; i < mask.words.length; i++) out.words[i] = ~mask.words[i] >>> 0;
  clearPadding(out);
  return out;
}

export function maskEquals(a: Mask, b: Mask): boolean {
  if (a.rows !== b.rows || a.cols !== b.cols || a.words.length !== b.words.length) return false;
  for (let i = 0; i < a.words.length; i++) if (a.words[i] !== b.words[i]) return false;
  return true;
}

/** Bytes held by the mask's words. */
export function maskBytes(mask: Mask): number {
  return mask.words.byteLength;
}

/**
 * A mask from text rows, for tests and examples: '1', 'x', 'X' or '#' is a nonzero, '0' or '.'
 * a zero; spaces, '|' and '_' are ignored. All rows must have the same length.
 */
export function maskFromStrings(lines: readonly string[]): Mask {
  const cleaned = lines.map((l) => l.replace(/[\s|_]/g, ''));
  const cols = cleaned.length ? cleaned[0].length : 0;
  const mask = createMask(cleaned.length, cols);
  cleaned.forEach((line, r) => {
    if (line.length !== cols) throw new RangeError(`mask row ${r} has ${line.length} columns, expected ${cols}`);
    for (let c = 0; c < cols; c++) {
      const ch = line[c];
      if (ch === '1' || ch === 'x' || ch === 'X' || ch === '#') maskSet(mask, r, c);
      else if (ch !== '0' && ch !== '.') throw new RangeError(`unexpected character '${ch}' in mask row ${r}`);
    }
  });
  return mask;
}

/** The mask as text rows of '1' and '.' (inverse of maskFromStrings). */
export function maskToStrings(mask: Mask): string[] {
  const out: string[] = [];
  for (let r = 0; r < mask.rows; r++) {
    let line = '';
    for (let c = 0; c < mask.cols; c++) line += maskGet(mask, r, c) ? '1' : '.';
    out.push(line);
  }
  return out;
}
