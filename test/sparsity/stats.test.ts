import { describe, it, expect } from 'vitest';
import { operandSparsityStats, type PatternSpec } from '../../src/sparsity/index.js';

const SEEDS = 24;
const SHAPE = { rows: 96, cols: 160 };
const TILE = { rows: 16, cols: 32 };

function average(spec: PatternSpec | string, tile = TILE) {
  let nnz = 0;
  let tileMean = 0;
  let cv = 0;
  let rowVar = 0;
  let min = 0;
  let max = 0;
  for (let seed = 0; seed < SEEDS; seed++) {
    const s = operandSparsityStats(spec, SHAPE, 'concrete', seed, tile);
    nnz += s.nnz;
    tileMean += s.tile.mean;
    cv += s.tile.cv;
    rowVar += s.rowNnz.variance;
    min += s.tile.min;
    max += s.tile.max;
  }
  return { nnz: nnz / SEEDS, tileMean: tileMean / SEEDS, cv: cv / SEEDS, rowVar: rowVar / SEEDS, min: min / SEEDS, max: max / SEEDS };
}

describe('operandSparsityStats', () => {
  it('echoes mode and seed, and gives the full per-tile array only in concrete mode', () => {
    const c = operandSparsityStats({ kind: 'uniform', density: 0.25 }, SHAPE, 'concrete', 17, TILE);
    expect([c.mode, c.seed, c.kind]).toEqual(['concrete', 17, 'uniform']);
    expect(c.tile.counts?.length).toBe(6 * 5);
    expect(c.tile.counts?.reduce((a, b) => a + b, 0)).toBe(c.nnz);
    const s = operandSparsityStats({ kind: 'uniform', density: 0.25 }, SHAPE, 'statistical', 17, TILE);
    expect([s.mode, s.seed]).toEqual(['statistical', 17]);
    expect(s.tile.counts).toBeUndefined();
    expect(s.tile.tiles).toBe(30);
  });

  it('defaults to one-row tiles (the per-row distribution)', () => {
    const s = operandSparsityStats('2:4', SHAPE, 'statistical', 0);
    expect([s.tile.tileRows, s.tile.tileCols, s.tile.tiles]).toEqual([1, 160, 96]);
    expect([s.tile.mean, s.tile.min, s.tile.max, s.tile.cv]).toEqual([80, 80, 80, 0]);
    expect(s.tile.deterministic).toBe(true);
  });

  // Statistical (closed form) versus the concrete average over 24 seeds. Nonzero counts and
  // tile means are exact expectations, so they must agree to sampling error (< 0.5%); the tile
  // CV is a ratio of expectations, agreed to 6%. Row variance to 20%: under the block pattern the
  // 8 rows of a block row are identical, so 24 seeds give only ~290 independent row samples
  // (relative standard error ~8%); over 2000 seeds it agrees to 0.2%.
  const CASES: [string, PatternSpec | string][] = [
    ['uniform', { kind: 'uniform', density: 0.3 }],
    ['N:M (2:4 along cols)', '2:4'],
    ['N:M (3:7 along rows)', { kind: 'nm', n: 3, m: 7, dim: 'rows' }],
    ['block', { kind: 'block', bh: 8, bw: 8, density: 0.35 }],
    ['banded', { kind: 'banded', halfBandwidth: 6 }],
  ];
  for (const [name, spec] of CASES) {
    it(`statistical mean matches the concrete average over ${SEEDS} seeds: ${name}`, () => {
      const stat = operandSparsityStats(spec, SHAPE, 'statistical', 0, TILE);
      const conc = average(spec);
      expect(Math.abs(stat.nnz - conc.nnz) / conc.nnz).toBeLessThan(0.005);
      expect(Math.abs(stat.density - conc.nnz / (96 * 160))).toBeLessThan(0.005);
      expect(Math.abs(stat.tile.mean - conc.tileMean) / conc.tileMean).toBeLessThan(0.005);
      if (conc.cv > 0) expect(Math.abs(stat.tile.cv - conc.cv) / conc.cv).toBeLessThan(0.06);
      else expect(stat.tile.cv).toBe(0);
      if (conc.rowVar > 0) expect(Math.abs(stat.rowNnz.variance - conc.rowVar) / conc.rowVar).toBeLessThan(0.2);
      else expect(stat.rowNnz.variance).toBeCloseTo(0, 12);
      // min/max are approximate expected extremes; they must bracket the mean and the observations loosely.
      expect(stat.tile.min).toBeLessThanOrEqual(stat.tile.mean);
      expect(stat.tile.max).toBeGreaterThanOrEqual(stat.tile.mean);
      expect(stat.tile.max).toBeGreaterThanOrEqual(conc.max * 0.85);
      expect(stat.tile.min).toBeLessThanOrEqual(conc.min * 1.15 + 1);
    });
  }

  it('banded statistics are exact, including tile extremes', () => {
    const stat = operandSparsityStats({ kind: 'banded', halfBandwidth: 6 }, SHAPE, 'statistical', 0, TILE);
    const conc = operandSparsityStats({ kind: 'banded', halfBandwidth: 6 }, SHAPE, 'concrete', 0, TILE);
    expect(stat.exact).toBe(true);
    expect(stat.tile.deterministic).toBe(true);
    expect([stat.nnz, stat.tile.min, stat.tile.max]).toEqual([conc.nnz, conc.tile.min, conc.tile.max]);
    expect(stat.tile.cv).toBeCloseTo(conc.tile.cv, 12);
  });
});
