// Operand sparsity statistics in two modes:
//  - 'concrete': generate the mask from the seed and count (exact for that seed);
//  - 'statistical': closed forms from the pattern model, no mask (expectations over seeds).
// Both report density, nnz, per-row moments and a per-tile nonzero summary.

import { tileNnz } from './mask.js';
import { gridClasses, perClass } from './grid.js';
import { patternModel, type Moments, type Shape } from './patterns.js';

export type SparsityMode = 'statistical' | 'concrete';

export interface TileSummary {
  /** Tile size used (edge tiles are partial and included as they are). */
  tileRows: number;
  tileCols: number;
  gridRows: number;
  gridCols: number;
  tiles: number;
  /** Mean nonzeros per tile (statistical: expected; exact over tiles). */
  mean: number;
  /**
   * Smallest / largest tile count. Concrete: observed. Statistical: approximate expected extremes,
   * per tile mean -/+ sd * sqrt(2 ln tiles), clamped to [0, tile area]; exact when every tile's
   * count is deterministic.
   */
  min: number;
  max: number;
  /**
   * Coefficient of variation (population sd / mean) of the per-tile counts. Statistical: from the
   * law of total variance over tiles: mean within-tile variance + variance of tile means.
   */
  cv: number;
  /** Concrete only: every tile's count, row-major over the tile grid. */
  counts?: Uint32Array;
  /** Statistical: whether mean and cv are exact (min/max exact only when `deterministic`). */
  exact: boolean;
  deterministic: boolean;
}

export interface OperandSparsityStats {
  mode: SparsityMode;
  seed: number;
  /** Canonical pattern id. */
  kind: string;
  shape: Shape;
  density: number;
  /** Concrete: counted. Statistical: expected. */
  nnz: number;
  /** Per-row nonzero moments (concrete: over the rows of the mask). */
  rowNnz: Moments;
  tile: TileSummary;
  /** Statistical: true when nnz is exact for every seed. Concrete: always true. */
  exact: boolean;
  note: string;
}

/** Tiles beyond this count are refused in statistical mode (use a larger tile). */
const MAX_STATISTICAL_TILES = 1 << 24;

/**
 * Density, nnz and the per-tile nonzero distribution of an operand under a pattern. The default
 * tile is one row (1 x cols), so the tile summary then describes the per-row distribution.
 */
export function operandSparsityStats(
  spec: unknown,
  shape: Shape,
  mode: SparsityMode,
  seed: number,
  tile?: { rows: number; cols: number },
): OperandSparsityStats {
  const model = patternModel(spec, shape);
  const th = Math.min(tile?.rows ?? 1, shape.rows);
  const tw = Math.min(tile?.cols ?? shape.cols, shape.cols);
  if (!Number.isInteger(th) || !Number.isInteger(tw) || th < 1 || tw < 1) {
    throw new RangeError(`tile must be positive integers, got ${tile?.rows} x ${tile?.cols}`);
  }
  const gridRows = Math.ceil(shape.rows / th);
  const gridCols = Math.ceil(shape.cols / tw);
  const tiles = gridRows * gridCols;
  const area = shape.rows * shape.cols;

  if (mode === 'concrete') {
    const mask = model.generate(seed);
    const grid = tileNnz(mask, th, tw);
    const rowGrid = th === 1 && tw === shape.cols ? grid : tileNnz(mask, 1, shape.cols);
    let nnz = 0;
    let min = Infinity;
    let max = 0;
    let sq = 0;
    for (const v of grid.counts) {
      nnz += v;
      sq += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = nnz / tiles;
    let rsq = 0;
    for (const v of rowGrid.counts) rsq += v * v;
    const rowMean = nnz / shape.rows;
    return {
      mode,
      seed,
      kind: model.kind,
      shape: model.shape,
      density: nnz / area,
      nnz,
      rowNnz: { mean: rowMean, variance: Math.max(0, rsq / shape.rows - rowMean * rowMean) },
      tile: {
        tileRows: th,
        tileCols: tw,
        gridRows,
        gridCols,
        tiles,
        mean,
        min,
        max,
        cv: mean > 0 ? Math.sqrt(Math.max(0, sq / tiles - mean * mean)) / mean : 0,
        counts: grid.counts,
        exact: true,
        deterministic: true,
      },
      exact: true,
      note: `concrete mask for seed ${seed}`,
    };
  }

  if (tiles > MAX_STATISTICAL_TILES) {
    throw new RangeError(`statistical tile summary limited to ${MAX_STATISTICAL_TILES} tiles, got ${tiles}; use a larger tile`);
  }
  const stats = model.stats();
  const z = tiles > 1 ? Math.sqrt(2 * Math.log(tiles)) : 0;
  const grid = gridClasses(model, th, tw);
  const moments = perClass(grid, (r0, r1, c0, c1) => ({ ...model.regionMoments(r0, r1, c0, c1), area: (r1 - r0) * (c1 - c0) }));
  let sumMean = 0;
  let sumMeanSq = 0;
  let sumVar = 0;
  let min = Infinity;
  let max = 0;
  let deterministic = true;
  let k = 0;
  for (const rc of grid.rowClasses) {
    for (const cc of grid.colClasses) {
      const { mean, variance, area: tileArea } = moments[k++];
      const weight = rc.count * cc.count;
      sumMean += weight * mean;
      sumMeanSq += weight * mean * mean;
      sumVar += weight * variance;
      if (variance > 1e-12) deterministic = false;
      const sd = Math.sqrt(Math.max(0, variance));
      min = Math.min(min, Math.max(0, mean - z * sd));
      max = Math.max(max, Math.min(tileArea, mean + z * sd));
    }
  }
  const mean = sumMean / tiles;
  const totalVar = Math.max(0, sumVar / tiles + sumMeanSq / tiles - mean * mean);
  return {
    mode,
    seed,
    kind: model.kind,
    shape: model.shape,
    density: stats.density,
    nnz: stats.expectedNnz,
    rowNnz: stats.rowNnz,
    tile: {
      tileRows: th,
      tileCols: tw,
      gridRows,
      gridCols,
      tiles,
      mean: stats.expectedNnz / tiles,
      min: deterministic ? min : Math.floor(min),
      max: deterministic ? max : Math.ceil(max),
      cv: mean > 0 ? Math.sqrt(totalVar) / mean : 0,
      exact: model.regionExact,
      deterministic,
    },
    exact: stats.exact,
    note: `${stats.note}${deterministic ? '' : '; tile min/max are approximate expected extremes'}`,
  };
}
