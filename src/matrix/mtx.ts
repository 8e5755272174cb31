// Matrix Market (.mtx) reader: text → CSR. Pure (the loader does the file I/O and passes the text).
//
// Supported: `matrix coordinate|array` × `real|integer|pattern` × `general|symmetric|skew-symmetric`.
// Conventions (documented because readers differ):
//   - Explicit zeros are kept as structural entries: an entry listed in the file is a stored
//     nonzero of the sparse structure even when its value is 0 (add32.mtx lists 4036 of them).
//     Array-format files list every entry, so every array entry is structural too.
//   - Duplicate coordinates are merged into one structural entry; their values are summed.
//   - Symmetric files store one triangle: every off-diagonal entry (i,j) is mirrored to (j,i).
//     Skew-symmetric files mirror with the value negated and must not list diagonal entries.
//     Entries of either triangle are accepted and mirrored (the usual files hold the lower one).
//   - Complex and hermitian matrices are rejected with an error.
// Errors are InputErrors carrying the 1-based line and column of the offending token.

import type { CsrMatrix } from './csr.js';
import { inputError } from '../spec/errors.js';

type Field = 'real' | 'integer' | 'pattern';
type Symmetry = 'general' | 'symmetric' | 'skew-symmetric';

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const PERCENT = 37;

interface Token {
  start: number;
  end: number;
}

/**
 * Largest row or column count accepted: CSR keeps a row-pointer array (and the builder a column
 * histogram) of that length, 4 B per entry, so 2^26 costs 256 MiB before a single entry is read.
 */
export const MAX_MATRIX_DIMENSION = 2 ** 26;

/** Parses Matrix Market text. `file` is only used in error messages. */
export function parseMatrixMarket(text: string, file: string): CsrMatrix {
  const reader = new LineReader(text);
  const fail = (line: number, column: number, message: string, expected?: string, hint?: string): never => {
    throw inputError({ file, position: { line, column }, keyPath: '', message, expected, hint });
  };

  // --- banner -------------------------------------------------------------------------------
  if (!reader.next()) fail(1, 1, 'empty file', 'a "%%MatrixMarket matrix <format> <field> <symmetry>" banner');
  const bannerTokens = reader.tokens();
  const word = (i: number): string => text.slice(bannerTokens[i].start, bannerTokens[i].end).toLowerCase();
  const col = (i: number): number => bannerTokens[i].start - reader.lineStart + 1;
  if (bannerTokens.length === 0 || word(0) !== '%%matrixmarket') {
    fail(1, 1, 'missing Matrix Market banner', '"%%MatrixMarket matrix <format> <field> <symmetry>" on the first line');
  }
  if (bannerTokens.length < 5) {
    fail(1, reader.lineEnd - reader.lineStart + 1, 'incomplete banner', 'object, format, field and symmetry after %%MatrixMarket');
  }
  if (word(1) !== 'matrix') fail(1, col(1), `unsupported object '${word(1)}'`, "'matrix'");
  const format = word(2);
  if (format !== 'coordinate' && format !== 'array') fail(1, col(2), `unknown format '${format}'`, "'coordinate' or 'array'");
  const fieldWord = word(3);
  if (fieldWord === 'complex') {
    fail(1, col(3), 'complex matrices are not supported', "'real', 'integer' or 'pattern'", 'convert the matrix to real or pattern first');
  }
  if (fieldWord !== 'real' && fieldWord !== 'integer' && fieldWord !== 'pattern' && fieldWord !== 'double') {
    fail(1, col(3), `unknown field '${fieldWord}'`, "'real', 'integer' or 'pattern'");
  }
  const field: Field = fieldWord === 'double' ? 'real' : (fieldWord as Field);
  const symmetryWord = word(4);
  if (symmetryWord === 'hermitian') fail(1, col(4), 'hermitian matrices are complex and not supported', "'general', 'symmetric' or 'skew-symmetric'");
  if (symmetryWord !== 'general' && symmetryWord !== 'symmetric' && symmetryWord !== 'skew-symmetric') {
    fail(1, col(4), `unknown symmetry '${symmetryWord}'`, "'general', 'symmetric' or 'skew-symmetric'");
  }
  const symmetry = symmetryWord as Symmetry;
  if (format === 'array' && field === 'pattern') fail(1, col(3), "the 'array' format cannot be 'pattern'", "'real' or 'integer'");
  if (bannerTokens.length > 5) fail(1, col(5), `unexpected text '${word(5)}' after the banner`);

  // --- size line (first non-comment, non-blank line) -------------------------------------------
  let sizeTokens: Token[] = [];
  while (reader.next()) {
    if (reader.isComment()) continue;
    sizeTokens = reader.tokens();
    if (sizeTokens.length > 0) break;
  }
  if (sizeTokens.length === 0) fail(reader.lineNumber + 1, 1, 'missing size line', format === 'coordinate' ? '"rows cols entries"' : '"rows cols"');
  const sizeLine = reader.lineNumber;
  const wantSize = format === 'coordinate' ? 3 : 2;
  const sizeExpected = format === 'coordinate' ? '"rows cols entries" (three non-negative integers)' : '"rows cols" (two non-negative integers)';
  if (sizeTokens.length !== wantSize) {
    const where = sizeTokens.length > wantSize ? sizeTokens[wantSize].start - reader.lineStart + 1 : reader.lineEnd - reader.lineStart + 1;
    fail(sizeLine, where, `size line has ${sizeTokens.length} number(s)`, sizeExpected);
  }
  const sizes = sizeTokens.map((token) => {
    const value = parseNonNegativeInt(text, token.start, token.end);
    if (value < 0) fail(sizeLine, token.start - reader.lineStart + 1, `'${text.slice(token.start, token.end)}' is not a non-negative integer`, sizeExpected);
    return value;
  });
  const rows = sizes[0];
  const cols = sizes[1];
  if (symmetry !== 'general' && rows !== cols) {
    fail(sizeLine, 1, `a ${symmetry} matrix must be square, got ${rows} x ${cols}`);
  }
  let declared: number;
  if (format === 'coordinate') {
    declared = sizes[2];
  } else if (symmetry === 'general') {
    declared = rows * cols;
  } else if (symmetry === 'symmetric') {
    declared = (rows * (rows + 1)) / 2;
  } else {
    declared = (rows * (rows - 1)) / 2;
  }
  if (declared > 2 ** 31 - 1) fail(sizeLine, 1, `too many entries (${declared}) for 32-bit indices`);
  // Allocate what the file can hold, not what the header claims: every entry line needs at least
  // minChars characters, so a short file declaring 2^31 entries allocates almost nothing (and is
  // reported as having too few entries once they are read). Per-row and per-column arrays are
  // bounded by MAX_MATRIX_DIMENSION.
  const remaining = text.length - reader.lineEnd;
  const minChars = format === 'array' ? 2 : field === 'pattern' ? 4 : 6;
  const holdable = Math.min(declared, Math.floor((remaining + 1) / minChars));
  for (const [index, extent] of [rows, cols].entries()) {
    if (extent > MAX_MATRIX_DIMENSION) {
      fail(sizeLine, sizeTokens[index].start - reader.lineStart + 1, `${index === 0 ? 'rows' : 'columns'} ${extent} exceed the limit`, `at most ${MAX_MATRIX_DIMENSION}`);
    }
  }

  // --- entries ------------------------------------------------------------------------------
  const mirrored = symmetry !== 'general';
  const capacity = mirrored ? 2 * holdable : holdable;
  const entryRows = new Int32Array(capacity);
  const entryCols = new Int32Array(capacity);
  const hasValues = field !== 'pattern';
  const entryValues = hasValues ? new Float64Array(capacity) : undefined;
  let count = 0; // entries read from the file
  let stored = 0; // entries after mirroring
  const perEntry = format === 'coordinate' ? (hasValues ? 3 : 2) : 1;
  // Array format walks column-major; for symmetric/skew only the lower (strict) triangle.
  let arrayRow = 0;
  let arrayCol = 0;
  if (format === 'array' && symmetry === 'skew-symmetric') arrayRow = 1;

  while (reader.next()) {
    if (reader.isComment()) continue;
    const start = reader.lineStart;
    const end = reader.lineEnd;
    // Tokenise inline (hot loop: no allocation per line).
    let p = start;
    let tokenIndex = 0;
    let row = 0;
    let column = 0;
    let value = 1;
    let firstTokenColumn = 0;
    while (p < end) {
      let c = text.charCodeAt(p);
      if (c === SPACE || c === TAB || c === CR) {
        p++;
        continue;
      }
      const tokenStart = p;
      while (p < end) {
        c = text.charCodeAt(p);
        if (c === SPACE || c === TAB || c === CR) break;
        p++;
      }
      const tokenColumn = tokenStart - start + 1;
      if (tokenIndex === 0) {
        firstTokenColumn = tokenColumn;
        if (count >= declared) {
          fail(reader.lineNumber, tokenColumn, `more entries than the ${declared} declared on line ${sizeLine}`, `exactly ${declared} entries`);
        }
      }
      if (tokenIndex >= perEntry) {
        fail(reader.lineNumber, tokenColumn, `unexpected extra value '${text.slice(tokenStart, p)}'`, format === 'coordinate' ? (hasValues ? '"row col value"' : '"row col"') : 'one value per line');
      }
      if (format === 'coordinate' && tokenIndex < 2) {
        const index = parseNonNegativeInt(text, tokenStart, p);
        const limit = tokenIndex === 0 ? rows : cols;
        if (index < 0) fail(reader.lineNumber, tokenColumn, `'${text.slice(tokenStart, p)}' is not an integer index`, `an integer in [1, ${limit}]`);
        if (index < 1 || index > limit) {
          fail(reader.lineNumber, tokenColumn, `${tokenIndex === 0 ? 'row' : 'column'} index ${index} out of range`, `an integer in [1, ${limit}]`);
        }
        if (tokenIndex === 0) row = index - 1;
        else column = index - 1;
      } else {
        value = parseNumber(text, tokenStart, p, field === 'integer');
        if (Number.isNaN(value)) {
          fail(reader.lineNumber, tokenColumn, `'${text.slice(tokenStart, p)}' is not ${field === 'integer' ? 'an integer' : 'a finite number'}`, field === 'integer' ? 'an integer value' : 'a real value');
        }
      }
      tokenIndex++;
    }
    if (tokenIndex === 0) continue; // blank line
    if (tokenIndex < perEntry) {
      fail(reader.lineNumber, end - start + 1, `entry has ${tokenIndex} field(s)`, format === 'coordinate' ? (hasValues ? '"row col value"' : '"row col"') : 'one value per line');
    }
    if (format === 'array') {
      row = arrayRow;
      column = arrayCol;
      arrayRow++;
      if (arrayRow >= rows) {
        arrayCol++;
        arrayRow = symmetry === 'general' ? 0 : symmetry === 'symmetric' ? arrayCol : arrayCol + 1;
      }
    } else if (symmetry === 'skew-symmetric' && row === column) {
      fail(reader.lineNumber, firstTokenColumn, `skew-symmetric matrix has a diagonal entry (${row + 1}, ${column + 1})`, 'strictly lower-triangular entries');
    }
    entryRows[stored] = row;
    entryCols[stored] = column;
    if (entryValues) entryValues[stored] = value;
    stored++;
    if (mirrored && row !== column) {
      entryRows[stored] = column;
      entryCols[stored] = row;
      if (entryValues) entryValues[stored] = symmetry === 'skew-symmetric' ? -value : value;
      stored++;
    }
    count++;
  }
  if (count < declared) {
    fail(reader.lineNumber + 1, 1, `file ends after ${count} of the ${declared} entries declared on line ${sizeLine}`, `${declared} entries`);
  }
  return buildCsr(rows, cols, entryRows, entryCols, entryValues, stored);
}

/** Builds sorted, duplicate-merged CSR from COO arrays by two stable counting sorts (O(nnz + n)). */
export function buildCsr(
  rows: number,
  cols: number,
  entryRows: Int32Array,
  entryCols: Int32Array,
  entryValues: Float64Array | undefined,
  count: number,
): CsrMatrix {
  // Pass 1: bucket by column (stable), pass 2: bucket by row (stable) → rows with ascending columns.
  const colCount = new Int32Array(cols + 1);
  for (let e = 0; e < count; e++) colCount[entryCols[e] + 1]++;
  for (let c = 0; c < cols; c++) colCount[c + 1] += colCount[c];
  const byCol = new Int32Array(count);
  for (let e = 0; e < count; e++) byCol[colCount[entryCols[e]]++] = e;

  const rowCount = new Int32Array(rows + 1);
  for (let e = 0; e < count; e++) rowCount[entryRows[e] + 1]++;
  for (let r = 0; r < rows; r++) rowCount[r + 1] += rowCount[r];
  const cursor = rowCount.slice(0, rows);
  const order = new Int32Array(count);
  for (let t = 0; t < count; t++) {
    const e = byCol[t];
    order[cursor[entryRows[e]]++] = e;
  }

  // Merge duplicates (adjacent after sorting).
  const rowPtr = new Int32Array(rows + 1);
  const colIdx = new Int32Array(count);
  const values = entryValues ? new Float64Array(count) : undefined;
  let out = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = out;
    let last = -1;
    for (let t = rowCount[r]; t < rowCount[r + 1]; t++) {
      const e = order[t];
      const c = entryCols[e];
      if (c === last) {
        if (values && entryValues) values[out - 1] += entryValues[e];
        continue;
      }
      colIdx[out] = c;
      if (values && entryValues) values[out] = entryValues[e];
      out++;
      last = c;
    }
  }
  rowPtr[rows] = out;
  const matrix: CsrMatrix = { rows, cols, rowPtr, colIdx: out === count ? colIdx : colIdx.slice(0, out) };
  if (values) matrix.values = out === count ? values : values.slice(0, out);
  return matrix;
}

/** Walks the text line by line without copying it. */
class LineReader {
  lineStart = 0;
  lineEnd = 0;
  lineNumber = 0;
  private position = 0;
  constructor(private readonly text: string) {}

  next(): boolean {
    if (this.position > this.text.length || (this.position === this.text.length && this.lineNumber > 0)) return false;
    this.lineStart = this.position;
    let end = this.text.indexOf('\n', this.position);
    if (end < 0) end = this.text.length;
    this.lineEnd = end;
    this.position = end + 1;
    this.lineNumber++;
    return true;
  }

  isComment(): boolean {
    let p = this.lineStart;
    while (p < this.lineEnd) {
      const c = this.text.charCodeAt(p);
      if (c !== SPACE && c !== TAB) return c === PERCENT;
      p++;
    }
    return false;
  }

  tokens(): Token[] {
    const result: Token[] = [];
    let p = this.lineStart;
    while (p < this.lineEnd) {
      let c = this.text.charCodeAt(p);
      if (c === SPACE || c === TAB || c === CR || c === LF) {
        p++;
        continue;
      }
      const start = p;
      while (p < this.lineEnd) {
        c = this.text.charCodeAt(p);
        if (c === SPACE || c === TAB || c === CR) break;
        p++;
      }
      result.push({ start, end: p });
    }
    return result;
  }
}

/** Decimal non-negative integer, or -1 if the token is not one (or is too large). */
function parseNonNegativeInt(text: string, start: number, end: number): number {
  if (start >= end) return -1;
  let value = 0;
  let p = start;
  if (text.charCodeAt(p) === 43 /* + */) p++;
  if (p >= end) return -1;
  for (; p < end; p++) {
    const d = text.charCodeAt(p) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value > Number.MAX_SAFE_INTEGER ? -1 : value;
}

/** A finite number (NaN if the token is not one). Integers take a fast path. */
function parseNumber(text: string, start: number, end: number, integerOnly: boolean): number {
  let p = start;
  let negative = false;
  const first = text.charCodeAt(p);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    p++;
  }
  let value = 0;
  let digits = 0;
  for (; p < end; p++) {
    const d = text.charCodeAt(p) - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
    digits++;
  }
  if (p === end && digits > 0 && digits < 16) return negative ? -value : value;
  if (integerOnly) return NaN;
  // Validate the token by scanning: [sign] digits [. digits] [(e|E|d|D) [sign] digits].
  // (Fortran-style "1.5D+03" exponents appear in some old files.)
  p = start;
  if (first === 45 || first === 43) p++;
  let mantissaDigits = 0;
  while (p < end && isDigit(text.charCodeAt(p))) {
    p++;
    mantissaDigits++;
  }
  if (p < end && text.charCodeAt(p) === 46 /* . */) {
    p++;
    while (p < end && isDigit(text.charCodeAt(p))) {
      p++;
      mantissaDigits++;
    }
  }
  if (mantissaDigits === 0) return NaN;
  let fortran = false;
  if (p < end) {
    const e = text.charCodeAt(p) | 32; // lower-case
    if (e !== 101 /* e */ && e !== 100 /* d */) return NaN;
    fortran = e === 100;
    p++;
    if (p < end && (text.charCodeAt(p) === 45 || text.charCodeAt(p) === 43)) p++;
    let exponentDigits = 0;
    while (p < end && isDigit(text.charCodeAt(p))) {
      p++;
      exponentDigits++;
    }
    if (exponentDigits === 0 || p !== end) return NaN;
  }
  const token = text.slice(start, end);
  const parsed = Number(fortran ? token.replace(/[dD]/, 'e') : token);
  return Number.isFinite(parsed) ? parsed : NaN;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
