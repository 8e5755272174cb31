import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  PATTERNS,
  countRowRange,
  maskFromStrings,
  maskToStrings,
  generateMask,
  maskEquals,
  maskGet,
  maskNnz,
  matrixPatternFromMatrixMarket,
  patternModel,
  patternStats,
  rowNnz,
  colNnz,
  tileNnz,
  validatePatternSpec,
  type Mask,
  type PatternSpec,
} from '../../src/sparsity/index.js';
import { InputError } from '../../src/spec/errors.js';
import type { CsrMatrix } from '../../src/matrix/csr.js';

const SHAPE = { rows: 48, cols: 80 };

function catchInput(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

const SAMPLE_SPECS: PatternSpec[] = [
  { kind: 'dense' },
  { kind: 'uniform', density: 0.3 },
  { kind: 'nm', n: 2, m: 4 },
  { kind: 'nm', n: 1, m: 3, dim: 'rows' },
  { kind: 'block', bh: 8, bw: 16, density: 0.4 },
  { kind: 'row', density: 0.25 },
  { kind: 'column', density: 0.25 },
  { kind: 'channel', groupSize: 9, density: 0.5 },
  { kind: 'banded', halfBandwidth: 3 },
  { kind: 'rmat', nnz: 500 },
  { kind: 'relu', density: 0.45 },
  { kind: 'delta', changeFraction: 0.1 },
  { kind: 'chunk-union', density: 0.1, chunkSize: 4, correlation: 0.5 },
];

describe('registry', () => {
  it('declares every pattern with a description and parameter defaults', () => {
    const ids = Object.keys(PATTERNS);
    for (const id of ['dense', 'uniform', 'nm', 'block', 'row', 'column', 'channel', 'banded', 'rmat', 'relu', 'delta', 'chunk-union', 'matrix']) {
      expect(ids).toContain(id);
      const def = PATTERNS[id];
      expect(def.description.length).toBeGreaterThan(10);
      for (const p of def.params) {
        expect(p.description.length).toBeGreaterThan(3);
        if (id !== 'matrix') expect(p.default).toBeDefined();
      }
    }
    expect(PATTERNS.rmat.params.map((p) => [p.name, p.default])).toEqual([
      ['nnz', 'auto'],
      ['a', 0.57],
      ['b', 0.19],
      ['c', 0.19],
      ['d', 0.05],
    ]);
  });

  it('generate(shape, params, seed) and stats(shape, params) work for every pattern with defaults', () => {
    for (const def of Object.values(PATTERNS)) {
      if (def.id === 'matrix' || def.id === 'mask') continue; // need a matrix or mask argument
      const mask = def.generate(SHAPE, {}, 1);
      expect([mask.rows, mask.cols]).toEqual([SHAPE.rows, SHAPE.cols]);
      const stats = def.stats(SHAPE, {});
      expect(stats.kind).toBe(def.id);
      expect(stats.density).toBeGreaterThanOrEqual(0);
      expect(stats.density).toBeLessThanOrEqual(1);
      if (stats.exact) expect(maskNnz(mask)).toBe(stats.expectedNnz);
    }
  });
});

describe('determinism', () => {
  it('same seed gives identical words, a different seed different words', () => {
    for (const spec of SAMPLE_SPECS) {
      const a = generateMask(spec, SHAPE, 42);
      const b = generateMask(spec, SHAPE, 42);
      expect(maskEquals(a, b)).toBe(true);
      const deterministic = patternStats(spec, SHAPE).deterministic;
      if (!deterministic) expect(maskEquals(a, generateMask(spec, SHAPE, 43))).toBe(false);
    }
  });

  it('banded and dense ignore the seed', () => {
    for (const spec of [{ kind: 'banded', halfBandwidth: 2 }, { kind: 'dense' }]) {
      expect(maskEquals(generateMask(spec, SHAPE, 1), generateMask(spec, SHAPE, 2))).toBe(true);
    }
  });
});

function groupCounts(mask: Mask, m: number, alongCols: boolean): number[] {
  const out: number[] = [];
  if (alongCols) {
    for (let r = 0; r < mask.rows; r++) for (let c = 0; c < mask.cols; c += m) out.push(countRowRange(mask, r, c, Math.min(mask.cols, c + m)));
  } else {
    for (let c = 0; c < mask.cols; c++) {
      for (let r0 = 0; r0 < mask.rows; r0 += m) {
        let n = 0;
        for (let r = r0; r < Math.min(mask.rows, r0 + m); r++) if (maskGet(mask, r, c)) n++;
        out.push(n);
      }
    }
  }
  return out;
}

describe('pattern structure', () => {
  it('uniform places exactly round(d * rows * cols) nonzeros, including the complement and sparse paths', () => {
    for (const d of [0, 0.001, 0.01, 0.2, 0.5, 0.77, 1]) {
      const m = generateMask({ kind: 'uniform', density: d }, { rows: 97, cols: 203 }, 5);
      expect(maskNnz(m)).toBe(Math.round(d * 97 * 203));
    }
  });

  it('uniform positions are unbiased across columns', () => {
    const cols = new Float64Array(64);
    for (let s = 0; s < 40; s++) {
      colNnz(generateMask({ kind: 'uniform', density: 0.25 }, { rows: 64, cols: 64 }, s)).forEach((v, c) => (cols[c] += v));
    }
    const mean = (0.25 * 64 * 40);
    for (const v of cols) expect(Math.abs(v - mean) / mean).toBeLessThan(0.2);
  });

  it('N:M keeps exactly N per group of M along the chosen dimension (partial last group keeps min(N, L))', () => {
    const cols = generateMask({ kind: 'nm', n: 2, m: 4 }, { rows: 16, cols: 70 }, 9); // 17 groups + 2 leftover
    const counts = groupCounts(cols, 4, true);
    expect(counts.every((k) => k === 2)).toBe(true);
    expect(maskNnz(cols)).toBe(16 * (17 * 2 + 2));
    const rows = generateMask({ kind: 'nm', n: 1, m: 3, dim: 'rows' }, { rows: 10, cols: 37 }, 9);
    expect(groupCounts(rows, 3, false).every((k) => k === 1)).toBe(true);
    const odd = generateMask({ kind: 'nm', n: 3, m: 7 }, { rows: 5, cols: 40 }, 9);
    expect(groupCounts(odd, 7, true)).toEqual(new Array(5 * 6).fill(3));
    const long = generateMask({ kind: 'nm', n: 5, m: 20 }, { rows: 4, cols: 60 }, 9);
    expect(groupCounts(long, 20, true).every((k) => k === 5)).toBe(true);
  });

  it('2:4 group positions are uniform over the 6 choices', () => {
    const seen = new Map<number, number>();
    const m = generateMask('2:4', { rows: 64, cols: 128 }, 11);
    for (let r = 0; r < 64; r++) {
      for (let i = 0; i < 4; i++) {
        const w = m.words[r * 4 + i];
        for (let g = 0; g < 8; g++) {
          const key = (w >>> (4 * g)) & 15;
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      }
    }
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual([3, 5, 6, 9, 10, 12]);
    for (const v of seen.values()) expect(Math.abs(v - 2048 / 6) / (2048 / 6)).toBeLessThan(0.15);
  });

  it('block keeps whole blocks, exactly round(d * blocks) of them', () => {
    const m = generateMask({ kind: 'block', bh: 8, bw: 16, density: 0.4 }, SHAPE, 3);
    const tiles = tileNnz(m, 8, 16);
    const kept = [...tiles.counts].filter((v) => v > 0);
    expect(kept.every((v) => v === 128)).toBe(true);
    expect(kept.length).toBe(Math.round(0.4 * 6 * 5));
  });

  it('row, column and channel keep whole lines', () => {
    const rows = rowNnz(generateMask({ kind: 'row', density: 0.25 }, SHAPE, 1));
    expect([...rows].filter((v) => v === 80).length).toBe(12);
    expect([...rows].every((v) => v === 0 || v === 80)).toBe(true);
    const cols = colNnz(generateMask({ kind: 'column', density: 0.25 }, SHAPE, 1));
    expect([...cols].filter((v) => v === 48).length).toBe(20);
    expect([...cols].every((v) => v === 0 || v === 48)).toBe(true);
    const ch = colNnz(generateMask({ kind: 'channel', groupSize: 8, density: 0.5 }, SHAPE, 1));
    for (let g = 0; g < 10; g++) {
      const group = [...ch.slice(g * 8, g * 8 + 8)];
      expect(group.every((v) => v === group[0])).toBe(true);
    }
    expect([...ch].filter((v) => v === 48).length).toBe(5 * 8);
  });

  it('banded keeps |r - c| <= b', () => {
    const m = generateMask({ kind: 'banded', halfBandwidth: 2 }, { rows: 6, cols: 9 }, 0);
    for (let r = 0; r < 6; r++) for (let c = 0; c < 9; c++) expect(maskGet(m, r, c)).toBe(Math.abs(r - c) <= 2);
    // rows: 3 4 5 5 5 5 = 27
    expect(patternStats({ kind: 'banded', halfBandwidth: 2 }, { rows: 6, cols: 9 }).expectedNnz).toBe(27);
  });

  it('R-MAT places exactly nnz distinct nonzeros, heaviest at low indices', () => {
    const shape = { rows: 256, cols: 256 };
    const m = generateMask({ kind: 'rmat', nnz: 3000 }, shape, 2);
    expect(maskNnz(m)).toBe(3000);
    const rows = rowNnz(m);
    const sorted = [...rows].sort((a, b) => a - b);
    expect(rows[0]).toBeGreaterThan(5 * sorted[128]);
    expect(patternStats({ kind: 'rmat' }, shape).expectedNnz).toBe(16 * 256); // edge factor 16
    const e = catchInput(() => patternStats({ kind: 'rmat', a: 0.6 }, shape));
    expect(e.issues[0].message).toMatch(/sum to 1.0/);
  });

  it('delta: row 0 against the zero state, then exactly round(f * cols) changes per row', () => {
    const m = generateMask({ kind: 'delta', changeFraction: 0.1, initialDensity: 0.5 }, SHAPE, 4);
    const rows = rowNnz(m);
    expect(rows[0]).toBe(40);
    expect([...rows.slice(1)].every((v) => v === 8)).toBe(true);
  });

  it('chunk-union: rows of a chunk share the union; density 1 - (1-d)^k for independent tokens', () => {
    const shape = { rows: 64, cols: 512 };
    const spec = { kind: 'chunk-union', density: 0.1, chunkSize: 8 };
    const m = generateMask(spec, shape, 1);
    const wpr = 16;
    for (let chunk = 0; chunk < 8; chunk++) {
      const first = m.words.subarray(chunk * 8 * wpr, chunk * 8 * wpr + wpr);
      for (let r = 1; r < 8; r++) expect([...m.words.subarray((chunk * 8 + r) * wpr, (chunk * 8 + r + 1) * wpr)]).toEqual([...first]);
    }
    const expected = 1 - 0.9 ** 8;
    expect(patternStats(spec, shape).density).toBeCloseTo(expected, 12);
    let total = 0;
    for (let s = 0; s < 20; s++) total += maskNnz(generateMask(spec, shape, s));
    expect(Math.abs(total / (20 * 64 * 512) - expected)).toBeLessThan(0.01);
    // Correlated tokens: union density 1 - (1-d)(1-(1-rho)d)^(k-1).
    const corr = { ...spec, correlation: 0.6 };
    const expectedCorr = 1 - 0.9 * (1 - 0.4 * 0.1) ** 7;
    expect(patternStats(corr, shape).density).toBeCloseTo(expectedCorr, 12);
    total = 0;
    for (let s = 0; s < 20; s++) total += maskNnz(generateMask(corr, shape, s));
    expect(Math.abs(total / (20 * 64 * 512) - expectedCorr)).toBeLessThan(0.01);
  });

  it('matrix: structure of a CsrMatrix, shape must match', () => {
    const csr: CsrMatrix = { rows: 3, cols: 4, rowPtr: Int32Array.from([0, 1, 3, 4]), colIdx: Int32Array.from([2, 0, 3, 1]) };
    const spec = { kind: 'csr', matrix: csr };
    const m = generateMask(spec, { rows: 3, cols: 4 }, 0);
    expect(maskNnz(m)).toBe(4);
    expect(maskGet(m, 1, 3)).toBe(true);
    const stats = patternStats(spec, { rows: 3, cols: 4 });
    expect(stats.kind).toBe('matrix');
    expect(stats.exact).toBe(true);
    const e = catchInput(() => generateMask(spec, { rows: 4, cols: 4 }, 0));
    expect(e.issues[0].keyPath).toBe('matrix');
    expect(e.issues[0].message).toMatch(/3 x 4/);
  });

  it('matrix: from Matrix Market text (symmetric file mirrored by the reader)', () => {
    const text = readFileSync(new URL('../../workloads/matrices/bcsstk01.mtx', import.meta.url), 'utf8');
    const spec = matrixPatternFromMatrixMarket(text, 'bcsstk01.mtx');
    const csr = spec.matrix as CsrMatrix;
    const m = generateMask(spec, { rows: 48, cols: 48 }, 0);
    expect(maskNnz(m)).toBe(csr.rowPtr[48]);
    expect(maskNnz(m)).toBeGreaterThan(224); // 224 stored entries, mirrored off the diagonal
  });
});

describe('validatePatternSpec', () => {
  it('canonicalises aliases, defaults and shorthands', () => {
    expect(validatePatternSpec({ kind: 'unstructured', density: 0.2 })).toEqual({ kind: 'uniform', density: 0.2 });
    expect(validatePatternSpec('2:4')).toEqual({ kind: 'nm', n: 2, m: 4, dim: 'cols' });
    expect(validatePatternSpec('dense')).toEqual({ kind: 'dense' });
    expect(validatePatternSpec({ kind: 'BlockFFN' })).toEqual({ kind: 'chunk-union', density: 0.1, chunkSize: 8, correlation: 0 });
  });

  it('unknown kind: key path, expectation and did-you-mean', () => {
    const e = catchInput(() => validatePatternSpec({ kind: 'unifrom', density: 0.3 }, 'arch.yaml', 'operands.weight.sparsity'));
    const issue = e.issues[0];
    expect(issue.file).toBe('arch.yaml');
    expect(issue.keyPath).toBe('operands.weight.sparsity.kind');
    expect(issue.message).toBe("unknown sparsity pattern 'unifrom'");
    expect(issue.expected).toMatch(/^one of dense, uniform, nm, /);
    expect(issue.hint).toBe("did you mean 'uniform'?");
  });

  it('unknown parameter: key path and did-you-mean', () => {
    const e = catchInput(() => validatePatternSpec({ kind: 'block', bh: 4, densty: 0.3 }, 'w.yaml', 'sparsity'));
    expect(e.issues[0].keyPath).toBe('sparsity.densty');
    expect(e.issues[0].message).toBe("unknown parameter 'densty' for pattern 'block'");
    expect(e.issues[0].hint).toBe("did you mean 'density'?");
    expect(e.message).toContain("w.yaml: error: sparsity.densty: unknown parameter 'densty'");
  });

  it('bad values and cross-parameter checks', () => {
    const e = catchInput(() => validatePatternSpec({ kind: 'uniform', density: 1.5 }));
    expect(e.issues[0].keyPath).toBe('density');
    expect(e.issues[0].expected).toBe('a number in [0, 1]');
    const nm = catchInput(() => validatePatternSpec({ kind: 'nm', n: 5, m: 4 }));
    expect(nm.issues[0].keyPath).toBe('n');
    const missing = catchInput(() => validatePatternSpec({ density: 0.5 }));
    expect(missing.issues[0].keyPath).toBe('kind');
    const shape = catchInput(() => patternModel('dense', { rows: 0, cols: 4 }));
    expect(shape.issues[0].keyPath).toBe('shape.rows');
  });
});

describe('mask pattern', () => {
  it('a fixed mask: exact stats, generate copies it, the shape must match', () => {
    const mask = maskFromStrings(['1.1.', '..1.', '....']);
    const def = PATTERNS.mask;
    expect(maskToStrings(def.generate({ rows: 3, cols: 4 }, { mask }, 9))).toEqual(['1.1.', '..1.', '....']);
    expect(def.stats({ rows: 3, cols: 4 }, { mask })).toMatchObject({ density: 3 / 12, expectedNnz: 3, exact: true });
    expect(() => def.stats({ rows: 4, cols: 3 }, { mask })).toThrow(/mask is 3 x 4 but the operand is 4 x 3/);
  });
});
