// Grouping the tiles or blocks of a regular grid into classes of identically distributed regions
// (from the pattern's translation invariance), so statistical loops cost O(classes) instead of
// O(tiles).

import type { PatternModel } from './patterns.js';

/** A class of grid rows (or columns): a representative range and how many grid lines share it. */
export interface AxisClass {
  start: number;
  end: number;
  count: number;
}

export interface GridClasses {
  gridRows: number;
  gridCols: number;
  rowClasses: AxisClass[];
  colClasses: AxisClass[];
  /** Class index of each grid row / grid column. */
  rowOf: Int32Array;
  colOf: Int32Array;
}

function axisClasses(total: number, size: number, key: (a: number, b: number) => string | undefined): { classes: AxisClass[]; of: Int32Array } {
  const n = Math.ceil(total / size);
  const of = new Int32Array(n);
  const classes: AxisClass[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const a = i * size;
    const b = Math.min(total, a + size);
    const k = key(a, b) ?? `#${i}`;
    let c = index.get(k);
    if (c === undefined) {
      c = classes.length;
      index.set(k, c);
      classes.push({ start: a, end: b, count: 0 });
    }
    classes[c].count++;
    of[i] = c;
  }
  return { classes, of };
}

/** Classes of the th x tw grid over the pattern's operand. */
export function gridClasses(model: PatternModel, th: number, tw: number): GridClasses {
  const { rows, cols } = model.shape;
  const r = axisClasses(rows, th, (a, b) => model.rowClass(a, b));
  const c = axisClasses(cols, tw, (a, b) => model.colClass(a, b));
  return { gridRows: r.of.length, gridCols: c.of.length, rowClasses: r.classes, colClasses: c.classes, rowOf: r.of, colOf: c.of };
}

/** Evaluates fn once per (row class, column class) pair; returns values row-class-major. */
export function perClass<T>(grid: GridClasses, fn: (r0: number, r1: number, c0: number, c1: number) => T): T[] {
  const out: T[] = [];
  for (const rc of grid.rowClasses) for (const cc of grid.colClasses) out.push(fn(rc.start, rc.end, cc.start, cc.end));
  return out;
}
