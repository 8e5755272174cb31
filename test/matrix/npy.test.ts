import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npyBytesOfMask, readNpyHeader, readNpyMask, type ByteSource } from '../../src/matrix/npy.js';
import { maskFromStrings, maskToStrings } from '../../src/sparsity/index.js';
import { ROOT } from '../helpers.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(ROOT, 'test', 'matrix', 'fixtures', name)));
/** A byte source over an array that hands out at most `step` bytes per call (streaming). */
const source = (bytes: Uint8Array, step = Infinity): ByteSource => (buffer, position) => {
  const n = Math.max(0, Math.min(buffer.length, step, bytes.length - position));
  buffer.set(bytes.subarray(position, position + n));
  return n;
};

// Written by numpy.lib.format.write_array (NumPy 2.4.6) from one 5 × 7 float32 array with about
// half its entries zeroed (one of them −0.0): the kept pattern below.
const KEPT = ['.1..1.1', '..111..', '1.1.1.1', '1.111..', '1.11.1.'];

describe('.npy masks', () => {
  it('reads NumPy-written files: versions 1.0–3.0, C and Fortran order, bool/uint8/float16/32/64, both endiannesses', () => {
    expect(maskToStrings(readNpyMask(source(fixture('f4-fortran-v1.npy')), 'a.npy'))).toEqual(KEPT);
    expect(maskToStrings(readNpyMask(source(fixture('f4-c-v2.npy')), 'a.npy'))).toEqual(KEPT);
    expect(maskToStrings(readNpyMask(source(fixture('u1-c-v3.npy')), 'a.npy'))).toEqual(KEPT);
    expect(maskToStrings(readNpyMask(source(fixture('f2-c-v1.npy')), 'a.npy'))).toEqual(KEPT);
    // Big-endian float64 with a NaN written at (1, 1): NaN is not zero, so it is kept.
    const withNan = [...KEPT];
    withNan[1] = '.1111..';
    expect(maskToStrings(readNpyMask(source(fixture('f8be-fortran-v1.npy')), 'a.npy'))).toEqual(withNan);
    expect(readNpyHeader(source(fixture('f4-c-v2.npy')), 'a.npy')).toMatchObject({ version: '2.0', descr: '<f4', fortranOrder: false, shape: [5, 7] });
  });

  it('streams: the same mask from 3-byte reads as from one read; a bool round trip is exact', () => {
    expect(maskToStrings(readNpyMask(source(fixture('f4-fortran-v1.npy'), 3), 'a.npy'))).toEqual(KEPT);
    const mask = maskFromStrings(['1..1', '.11.', '....']);
    expect(maskToStrings(readNpyMask(source(npyBytesOfMask(mask), 5), 'b.npy'))).toEqual(maskToStrings(mask));
  });

  it('rejects a bad file with the byte position and what was expected', () => {
    expect(() => readNpyMask(source(new TextEncoder().encode('hello world, not numpy')), 'x.npy')).toThrow(/x\.npy.*byte 0.*\\x93NUMPY/);
    const bytes = fixture('f4-c-v2.npy');
    expect(() => readNpyMask(source(bytes.subarray(0, bytes.length - 4)), 'cut.npy')).toThrow(/data ends after 34 of 35 elements/);
    const complex = new TextDecoder('latin1').decode(fixture('f4-c-v2.npy')).replace("'<f4'", "'<c8'");
    expect(() => readNpyMask(source(new Uint8Array([...complex].map((c) => c.charCodeAt(0)))), 'c.npy')).toThrow(/unsupported mask dtype '<c8'/);
    const threeD = new TextDecoder('latin1').decode(fixture('f4-c-v2.npy')).replace('(5, 7)', '(5,7,1)');
    expect(() => readNpyMask(source(new Uint8Array([...threeD].map((c) => c.charCodeAt(0)))), 'd.npy')).toThrow(/not 2-D/);
  });
});
