// NumPy .npy reader for sparsity masks: a 2-D array of bool, (u)int or float becomes a Mask
// (nonzero = kept). Format: numpy/lib/format.py — magic "\x93NUMPY", major/minor version, a
// little-endian header length (uint16 in 1.0, uint32 in 2.0 and 3.0), then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (R, C), } padded with spaces to a multiple
// of 64 bytes (3.0 allows UTF-8 in it), then the raw data in C (row-major) or Fortran
// (column-major) order.
//
// The data is streamed: the caller hands over a `read(buffer, position)` source (a file
// descriptor at the I/O edge, a byte array in tests) and the reader sets mask bits chunk by
// chunk, so a large mask never exists as a JavaScript array of values.

import { inputError } from '../spec/errors.js';
import { createMask, type Mask } from '../sparsity/mask.js';

/** Reads up to buffer.length bytes at `position` into `buffer`; returns how many were read (0 at the end). */
export type ByteSource = (buffer: Uint8Array, position: number) => number;

export interface NpyHeader {
  version: string;
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the first data byte. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const CHUNK = 1 << 16;

function fail(file: string, offset: number, message: string, expected?: string): never {
  throw inputError({ file, keyPath: `byte ${offset}`, message, expected });
}

function readExactly(read: ByteSource, position: number, length: number, file: string): Uint8Array {
  const buffer = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = read(buffer.subarray(got), position + got);
    if (n <= 0) fail(file, position + got, `file ends after ${position + got} bytes`, `${length - got} more header bytes`);
    got += n;
  }
  return buffer;
}

export function readNpyHeader(read: ByteSource, file: string): NpyHeader {
  const prefix = readExactly(read, 0, 10, file);
  if (!MAGIC.every((b, i) => prefix[i] === b)) fail(file, 0, 'not a NumPy .npy file (no \\x93NUMPY magic)', 'a file written by numpy.save');
  const major = prefix[6];
  const minor = prefix[7];
  if (major < 1 || major > 3) fail(file, 6, `unsupported .npy version ${major}.${minor}`, 'version 1.0, 2.0 or 3.0');
  const wide = major >= 2;
  const lengthBytes = wide ? readExactly(read, 8, 4, file) : prefix.subarray(8, 10);
  const headerLength = wide ? lengthBytes[0] | (lengthBytes[1] << 8) | (lengthBytes[2] << 16) | (lengthBytes[3] * 2 ** 24) : lengthBytes[0] | (lengthBytes[1] << 8);
  const headerStart = wide ? 12 : 10;
  const text = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(readExactly(read, headerStart, headerLength, file));
  const field = (name: string, pattern: RegExp): RegExpExecArray => {
    const match = new RegExp(`['"]${name}['"]\\s*:\\s*${pattern.source}`).exec(text);
    if (!match) fail(file, headerStart, `header has no readable '${name}' entry: ${text.trim()}`, `{'descr': ..., 'fortran_order': ..., 'shape': (rows, cols)}`);
    return match;
  };
  const descr = field('descr', /['"]([^'"]+)['"]/)[1];
  const fortranOrder = field('fortran_order', /(True|False)/)[1] === 'True';
  const shapeText = field('shape', /\(([^)]*)\)/)[1];
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.length !== 2 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(file, headerStart, `mask shape (${shapeText}) is not 2-D with positive sizes`, 'a 2-D array (rows, cols)');
  }
  return { version: `${major}.${minor}`, descr, fortranOrder, shape, dataOffset: headerStart + headerLength };
}

/** Bytes per element and a test "is element i of this chunk nonzero" for a supported dtype. */
function elementTest(descr: string, file: string): { size: number; nonzero: (view: DataView, offset: number) => boolean } {
  const match = /^([<>|=])([biuf])(\d+)$/.exec(descr);
  const kind = match?.[2];
  const size = Number(match?.[3]);
  const little = match?.[1] !== '>';
  if (!match || (kind === 'f' && ![2, 4, 8].includes(size)) || (kind !== 'f' && ![1, 2, 4, 8].includes(size))) {
    fail(file, 10, `unsupported mask dtype '${descr}'`, "bool ('|b1'), an integer ('|u1', '<i4', ...) or a float ('<f2', '<f4', '<f8')");
  }
  if (kind === 'f') {
    // A float is zero when every bit but the sign is zero (+0 and −0); NaN counts as kept.
    if (size === 2) return { size, nonzero: (v, o) => (v.getUint16(o, little) & 0x7fff) !== 0 };
    if (size === 4) return { size, nonzero: (v, o) => (v.getUint32(o, little) & 0x7fffffff) !== 0 };
    const hi = little ? 4 : 0;
    const lo = little ? 0 : 4;
    return { size, nonzero: (v, o) => (v.getUint32(o + hi, little) & 0x7fffffff) !== 0 || v.getUint32(o + lo, little) !== 0 };
  }
  // Integers and bools: any nonzero byte.
  return {
    size,
    nonzero: (v, o) => {
      for (let b = 0; b < size; b++) if (v.getUint8(o + b) !== 0) return true;
      return false;
    },
  };
}

/** Streams a 2-D .npy array into a Mask: bit (r, c) is set where the element is nonzero. */
export function readNpyMask(read: ByteSource, file: string): Mask {
  const header = readNpyHeader(read, file);
  const [rows, cols] = header.shape;
  const { size, nonzero } = elementTest(header.descr, file);
  const mask = createMask(rows, cols);
  const wordsPerRow = mask.words.length / rows;
  const total = rows * cols;
  const chunk = new Uint8Array(Math.max(size, CHUNK - (CHUNK % size)));
  const view = new DataView(chunk.buffer);
  let element = 0;
  let position = header.dataOffset;
  while (element < total) {
    const want = Math.min(chunk.length, (total - element) * size);
    let got = 0;
    while (got < want) {
      const n = read(chunk.subarray(got, want), position + got);
      if (n <= 0) fail(file, position + got, `data ends after ${element + Math.floor(got / size)} of ${total} elements`, `${total * size} data bytes for shape (${rows}, ${cols})`);
      got += n;
    }
    for (let offset = 0; offset < want; offset += size, element++) {
      if (!nonzero(view, offset)) continue;
      const r = header.fortranOrder ? element % rows : Math.floor(element / cols);
      const c = header.fortranOrder ? Math.floor(element / rows) : element % cols;
      mask.words[r * wordsPerRow + (c >>> 5)] |= 1 << (c & 31);
    }
    position += want;
  }
  return mask;
}

/** Writes a 2-D bool mask as a version 1.0 .npy (C order): for tests and for shipping masks. */
export function npyBytesOfMask(mask: Mask): Uint8Array {
  let header = `{'descr': '|b1', 'fortran_order': False, 'shape': (${mask.rows}, ${mask.cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + mask.rows * mask.cols);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  out.set(new TextEncoder().encode(header), 10);
  const wordsPerRow = mask.words.length / mask.rows;
  for (let r = 0; r < mask.rows; r++) {
    for (let c = 0; c < mask.cols; c++) out[10 + header.length + r * mask.cols + c] = (mask.words[r * wordsPerRow + (c >>> 5)] >>> (c & 31)) & 1;
  }
  return out;
}
