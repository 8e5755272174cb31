/**
 * SCALE-Sim v2 compatibility: a fast emulation of what unmodified SCALE-Sim v2
 * (scalesim-project/scale-sim-v2 @ 22f88b17, package 2.0.2) reports for one layer.
 *
 * SCALE-Sim materialises per-cycle demand matrices and walks them element by element.
 * This module reproduces its numbers exactly without doing so:
 *   - compute-side metrics (folds, cycles per fold, mapping efficiency, compute
 *     utilisation, SRAM access counts) are closed forms of the demand-matrix shapes;
 *   - only event rows are served one by one: rows that prefetch, start an OFMAP drain or
 *     stall on a full OFMAP buffer. Between two events nothing but the write buffer's fill
 *     changes, so those rows are stored in one step. Event rows are found by bisection over
 *     closed forms: positions in SCALE-Sim's prefetch order (demand rows advance along its
 *     anti-diagonals) and the trapezoid of OFMAP writes per row;
 *   - read buffers work per prefetch set, not per element: CALC's "bandwidth estimate"
 *     buffer per fold when the operand's address matrix is injective (GEMM, filters,
 *     non-overlapping unpadded convolutions), USER's prefetching buffer per event row; an
 *     overlapping conv IFMAP enumerates the few places an address occurs when its row is
 *     served. Padded conv IFMAPs (-1 inside the operand) and CALC on overlapping ones walk
 *     the operand element by element;
 *   - when neither read buffer can move (CALC, or USER with both operands resident), folds
 *     whose write-buffer state repeats within a run of same-shape folds are skipped a period
 *     at a time;
 *   - scaleSimV2LayerElementwise serves every row and walks every element: the oracle the
 *     tests hold the fast path to.
 *
 * Quirks deliberately reproduced (this module *is* the compatibility switch):
 *   - OS counts R + C extra OFMAP SRAM writes per fold;
 *   - CALC-mode DRAM reads count misses in a buffer that forgets everything every
 *     50 * floor(words / 100) misses;
 *   - USER-mode prefetching walks the operand's prefetch order forward only, circularly,
 *     so a demand that steps backwards re-streams (almost) the whole operand;
 *   - OFMAP DRAM writes include -1 padding of partially filled drain lines that end up
 *     in the middle of a drain batch.
 */

export type ScaleSimDataflow = 'os' | 'ws' | 'is';

export interface ScaleSimLayerInput {
  // SCALE-Sim's GEMM view of the layer: M = ofmap pixels (E*F) for conv, N = filters, K = R*S*C.
  m: number; n: number; k: number;
  /** Present for conv layers (SCALE-Sim's default topology), absent for GEMM (-i gemm). */
  conv?: { ifmapHeight: number; ifmapWidth: number; filterHeight: number; filterWidth: number; channels: number; numFilters: number; stride: number };
  arrayRows: number; arrayCols: number;
  dataflow: ScaleSimDataflow;
  ifmapSramKiB: number; filterSramKiB: number; ofmapSramKiB: number; // SCALE-Sim's *SramSzkB (x1024 bytes; 1-byte words)
  interfaceBandwidth: 'CALC' | 'USER';
  /** Words per cycle per operand, used when interfaceBandwidth is USER. */
  bandwidthWordsPerCycle: number;
}

export interface ScaleSimLayerReport {
  totalCycles: number; stallCycles: number; computeCyclesExclStalls: number;
  overallUtilPct: number; mappingEffPct: number; computeUtilPct: number;
  sramIfmapReads: number; sramFilterReads: number; sramOfmapWrites: number;
  dramIfmapReads: number; dramFilterReads: number; dramOfmapWrites: number;
  folds: number; cyclesPerFold: number;
}

/** SCALE-Sim report for one layer (fast path wherever it is exact). */
export function scaleSimV2Layer(input: ScaleSimLayerInput): ScaleSimLayerReport {
  return simulateLayer(input, false);
}

/**
 * Same report computed by serving every demand row and walking every demanded address (no
 * closed forms, no skipped rows). Slow on big layers; exported so tests can cross-check the
 * fast path.
 */
export function scaleSimV2LayerElementwise(input: ScaleSimLayerInput): ScaleSimLayerReport {
  return simulateLayer(input, true);
}

// ---------------------------------------------------------------------------------------
// Layer geometry (SCALE-Sim's operand_matrix.py / topology_utils.py)
// ---------------------------------------------------------------------------------------

interface Geometry {
  H: number; W: number; R: number; S: number; C: number; N: number; s: number;
  E: number; F: number; M: number; K: number;
}

function geometry(input: ScaleSimLayerInput): Geometry {
  let H: number, W: number, R: number, S: number, C: number, N: number, s: number;
  if (input.conv) {
    ({ ifmapHeight: H, ifmapWidth: W, filterHeight: R, filterWidth: S, channels: C, numFilters: N, stride: s } = input.conv);
  } else {
    // `-i gemm` turns (M, N, K) into a conv with ifmap M x K, filter 1 x K, one channel,
    // N filters and stride 1, so ifmap[m][k] = m*K + k and filter[k][n] = n*K + k.
    H = input.m; W = input.k; R = 1; S = input.k; C = 1; N = input.n; s = 1;
  }
  for (const [name, v] of Object.entries({ H, W, R, S, C, N, s })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`scaleSimV2Layer: ${name} must be a positive integer, got ${v}`);
  }
  if (R > H || S > W) throw new Error('scaleSimV2Layer: filter larger than ifmap');
  // SCALE-Sim has no padding field: E = ceil((H - R + s) / s); windows running past the
  // ifmap edge read address -1 (no access).
  const E = Math.ceil((H - R + s) / s);
  const F = Math.ceil((W - S + s) / s);
  const M = E * F, K = R * S * C;
  if (M !== input.m || N !== input.n || K !== input.k) {
    throw new Error(`scaleSimV2Layer: m/n/k (${input.m}/${input.n}/${input.k}) disagree with the layer shape (${M}/${N}/${K})`);
  }
  return { H, W, R, S, C, N, s, E, F, M, K };
}

/**
 * im2col: IFMAP element (ofmap pixel i, window element j) lives at pixel i's corner
 * (row (i div F)*s, column (i mod F)*s) plus winOff[j], unless the window runs past the ifmap
 * edge (address -1). Pixel corners are computed when needed (only served rows ask for them).
 */
interface Im2col {
  winOff: Int32Array; winRow: Int32Array; winCol: Int32Array;
  padded: boolean;
}

function im2col(g: Geometry): Im2col {
  const { W, C, S, H, s, K } = g;
  const winOff = new Int32Array(K), winRow = new Int32Array(K), winCol = new Int32Array(K);
  for (let j = 0; j < K; j++) {
    const cRow = Math.floor(j / (S * C)), rem = j - cRow * S * C, cCol = Math.floor(rem / C);
    winRow[j] = cRow; winCol[j] = cCol;
    winOff[j] = cRow * W * C + cCol * C + (rem - cCol * C);
  }
  const padded = (g.E - 1) * s + g.R > H || (g.F - 1) * s + S > W;
  return { winOff, winRow, winCol, padded };
}

/** True when every IFMAP im2col entry is a distinct, real address (no overlap, no padding). */
function ifmapIsInjective(g: Geometry): boolean {
  const noPadding = (g.E - 1) * g.s + g.R <= g.H && (g.F - 1) * g.s + g.S <= g.W;
  const noOverlap = (g.E === 1 || g.R <= g.s) && (g.F === 1 || g.S <= g.s);
  return noPadding && noOverlap;
}

// ---------------------------------------------------------------------------------------
// Operand streams
//
// For every dataflow SCALE-Sim builds, per operand, a *prefetch matrix*: the operand's
// fold blocks stacked vertically (B blocks of h rows, `width` columns, only the last block
// padded with -1 beyond `uLast` columns), flattened row-major or along anti-diagonals
// ("rollout", its fix for issues #15/#16). The per-fold *demand* for the same operand is
// either
//   - 'skew': demand row t holds block-b element (t - delay - c, c) in column c (a band
//     that is exactly one anti-diagonal of the stacked matrix, walked in rollout order), or
//   - 'preload': during the first R rows of a fold the stationary operand streams in one
//     block row per cycle, bottom row first (SCALE-Sim flips the block), then nothing.
// So every demand row is a contiguous run of the prefetch order, which is what makes the
// per-row closed forms below exact.
// ---------------------------------------------------------------------------------------

interface OperandSpec {
  B: number; h: number; width: number; uLast: number;
  rollout: boolean;
  kind: 'skew' | 'preload';
  delay: number;
  /** which fold index picks the stacked block */
  sel: 'fr' | 'fc';
  /** Addresses of demand-row elements c = lo..hi into out[0..]; -1 for padding. */
  fillRow: (b: number, rr0: number, lo: number, hi: number, out: Int32Array) => void;
  addrSpace: number;
  injective: boolean;
  /** Valid elements are exactly the prefetch order's (no -1 inside the operand matrix). */
  ordered: boolean;
}

interface Plan {
  g: Geometry;
  R: number; C: number; df: ScaleSimDataflow;
  Sr: number; Sc: number; T: number;
  rf: number; cf: number; P: number;
  ifmap: OperandSpec; filter: OperandSpec;
}

function makePlan(input: ScaleSimLayerInput): Plan {
  const g = geometry(input);
  const R = input.arrayRows, C = input.arrayCols, df = input.dataflow;
  if (!Number.isInteger(R) || R < 1 || !Number.isInteger(C) || C < 1) throw new Error('scaleSimV2Layer: bad array dims');
  const { M, N, K } = g;
  const tab = im2col(g);
  const ifInj = ifmapIsInjective(g);
  const ifSpace = g.H * g.W * g.C, fSpace = K * N;
  // Element c of a demand row with block b and row parameter rr0 has operand-matrix
  // indices p = pB*b + pR*rr0 + pC*c and q = qB*b + qR*rr0 + qC*c: (pixel, window) for the
  // IFMAP, (k, n) for the filter.
  const ifRow = (pB: number, pR: number, pC: number, qB: number, qR: number, qC: number) =>
    (b: number, rr0: number, lo: number, hi: number, out: Int32Array) => {
      let p = pB * b + pR * rr0 + pC * lo, q = qB * b + qR * rr0 + qC * lo;
      const { winOff } = tab, { F, s: st, W, C, H } = g;
      if (!tab.padded) {
        for (let c = lo, o = 0; c <= hi; c++, o++, p += pC, q += qC) {
          const oRow = Math.floor(p / F);
          out[o] = (oRow * W + (p - oRow * F)) * st * C + winOff[q];
        }
        return;
      }
      const { winRow, winCol } = tab;
      for (let c = lo, o = 0; c <= hi; c++, o++, p += pC, q += qC) {
        const oRow = Math.floor(p / F), y = oRow * st, x = (p - oRow * F) * st;
        out[o] = y + winRow[q] >= H || x + winCol[q] >= W ? -1 : (y * W + x) * C + winOff[q];
      }
    };
  const filRow = (pB: number, pR: number, pC: number, qB: number, qR: number, qC: number) =>
    (b: number, rr0: number, lo: number, hi: number, out: Int32Array) => {
      let k = pB * b + pR * rr0 + pC * lo, n = qB * b + qR * rr0 + qC * lo;
      for (let c = lo, o = 0; c <= hi; c++, o++, k += pC, n += qC) out[o] = n * K + k;
    };
  let Sr: number, Sc: number, T: number, ifmap: OperandSpec, filter: OperandSpec;
  if (df === 'ws') {
    Sr = K; Sc = N; T = M;
    const rf = Math.ceil(Sr / R), cf = Math.ceil(Sc / C);
    // ifmap[t][b*R + c] with t = rr0 - c; filter[rr0][b*C + c]
    ifmap = { B: rf, h: M, width: R, uLast: K - (rf - 1) * R, rollout: true, kind: 'skew', delay: R, sel: 'fr',
      fillRow: ifRow(0, 1, -1, R, 0, 1), addrSpace: ifSpace, injective: ifInj, ordered: !tab.padded };
    filter = { B: cf, h: K, width: C, uLast: N - (cf - 1) * C, rollout: false, kind: 'preload', delay: 0, sel: 'fc',
      fillRow: filRow(0, 1, 0, C, 0, 1), addrSpace: fSpace, injective: true, ordered: true };
  } else if (df === 'os') {
    Sr = M; Sc = N; T = K;
    const rf = Math.ceil(Sr / R), cf = Math.ceil(Sc / C);
    // ifmap[b*R + c][t] with t = rr0 - c; filter[t][b*C + c]
    ifmap = { B: rf, h: K, width: R, uLast: M - (rf - 1) * R, rollout: true, kind: 'skew', delay: 0, sel: 'fr',
      fillRow: ifRow(R, 0, 1, 0, 1, -1), addrSpace: ifSpace, injective: ifInj, ordered: !tab.padded };
    filter = { B: cf, h: K, width: C, uLast: N - (cf - 1) * C, rollout: true, kind: 'skew', delay: 0, sel: 'fc',
      fillRow: filRow(0, 1, -1, C, 0, 1), addrSpace: fSpace, injective: true, ordered: true };
  } else if (df === 'is') {
    Sr = K; Sc = M; T = N;
    const rf = Math.ceil(Sr / R), cf = Math.ceil(Sc / C);
    // ifmap[b*C + c][rr0]; filter[b*R + c][t] with t = rr0 - c
    ifmap = { B: cf, h: K, width: C, uLast: M - (cf - 1) * C, rollout: false, kind: 'preload', delay: 0, sel: 'fc',
      fillRow: ifRow(C, 0, 1, 0, 1, 0), addrSpace: ifSpace, injective: ifInj, ordered: !tab.padded };
    filter = { B: rf, h: N, width: R, uLast: K - (rf - 1) * R, rollout: true, kind: 'skew', delay: R, sel: 'fr',
      fillRow: filRow(R, 0, 1, 0, 1, -1), addrSpace: fSpace, injective: true, ordered: true };
  } else {
    throw new Error(`scaleSimV2Layer: unknown dataflow ${String(df)}`);
  }
  const rf = Math.ceil(Sr / R), cf = Math.ceil(Sc / C);
  // Per-fold demand rows: OS R + C + T - 2; WS/IS 2R + C + T - 2 (R extra rows preload
  // the stationary operand).
  const P = df === 'os' ? R + C + T - 2 : 2 * R + C + T - 2;
  return { g, R, C, df, Sr, Sc, T, rf, cf, P, ifmap, filter };
}

/** Stacked block and valid column range [lo, hi] of operand demand row t in fold (fc, fr). */
interface RowSpan { b: number; rr0: number; lo: number; hi: number }

function rowSpan(op: OperandSpec, R: number, fc: number, fr: number, t: number, out: RowSpan): boolean {
  if (op.kind === 'skew') {
    const b = op.sel === 'fr' ? fr : fc;
    const u = b === op.B - 1 ? op.uLast : op.width;
    const x = t - op.delay;
    const lo = Math.max(0, x - (op.h - 1));
    const hi = Math.min(u - 1, x);
    if (hi < lo) return false;
    out.b = b; out.rr0 = x; out.lo = lo; out.hi = hi; // element c sits at block row x - c
    return true;
  }
  if (t >= R) return false;
  const rr = fr * R + (R - 1 - t);
  if (rr >= op.h) return false;
  const b = fc;
  out.b = b; out.rr0 = rr; out.lo = 0; out.hi = (b === op.B - 1 ? op.uLast : op.width) - 1;
  return true;
}

function spanRow(op: OperandSpec, span: RowSpan, c: number): number {
  return op.kind === 'skew' ? span.rr0 - c : span.rr0;
}

// ---------------------------------------------------------------------------------------
// Positions in the prefetch order (for operands without -1 inside the operand matrix)
// ---------------------------------------------------------------------------------------

/** Elements (r, c) with r0 <= r < r1, c0 <= c < c1 and r + c < d (a clipped triangle). */
function cellsBeforeDiagonal(d: number, r0: number, r1: number, c0: number, c1: number): number {
  // sum over r of clamp(d - c0 - r, 0, width) = G(d - c0 - r0) - G(d - c0 - r1),
  // where G(x) = sum_{k=1..x} min(k, width)
  const width = c1 - c0;
  const G = (x: number) => (x <= 0 ? 0 : x <= width ? (x * (x + 1)) / 2 : (width * (width + 1)) / 2 + (x - width) * width);
  return G(d - c0 - r0) - G(d - c0 - r1);
}

/**
 * Index of a valid stacked element among the valid elements of the prefetch order. Only
 * the last block is padded (columns >= uLast), so positions are closed forms: row-major
 * directly; for the anti-diagonal rollout, the valid elements on earlier diagonals (all
 * elements there minus the last block's padded corner, both clipped triangles) plus the
 * valid elements preceding (r, c) on its own diagonal (rows from high to low: the rows above
 * r, less the padded ones, which are the rows r' > r of the last block with d - r' >= uLast).
 */
class PrefetchOrder {
  private readonly rows: number;
  private readonly rL: number;

  constructor(private readonly op: OperandSpec) {
    this.rows = op.B * op.h;
    this.rL = (op.B - 1) * op.h;
  }

  get validCount(): number {
    const op = this.op;
    return this.rows * op.width - op.h * (op.width - op.uLast);
  }

  /** Valid elements on the anti-diagonals before d. */
  private diagStart(d: number): number {
    const op = this.op;
    const all = cellsBeforeDiagonal(d, 0, this.rows, 0, op.width);
    return op.uLast < op.width ? all - cellsBeforeDiagonal(d, this.rL, this.rows, op.uLast, op.width) : all;
  }

  /** Anti-diagonal holding valid index `validIdx` (rollout order; 0 <= validIdx < validCount). */
  diagonalAt(validIdx: number): number {
    let lo = 0, hi = this.rows + this.op.width - 2; // largest d with diagStart(d) <= validIdx
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      if (this.diagStart(mid) <= validIdx) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  index(r: number, c: number): number {
    const op = this.op, uL = op.uLast, w = op.width;
    if (!op.rollout) return r * w - Math.max(0, r - this.rL) * (w - uL) + c;
    const d = r + c, top = Math.min(d, this.rows - 1);
    let idx = this.diagStart(d) + (top - r);
    if (uL < w) {
      const from = Math.max(r + 1, this.rL), to = Math.min(d - uL, top);
      if (to >= from) idx -= to - from + 1;
    }
    return idx;
  }
}

// ---------------------------------------------------------------------------------------
// CALC mode read buffer (read_buffer_estimate_bw.py)
//
// Every new (missing) address joins a set of floor(words/100) addresses; once 50 sets have
// completed, the buffer "prefetches" them and its hit window becomes empty again. Only the
// current epoch's addresses can hit, so DRAM reads = number of first-occurrences within
// epochs of `cap = 50 * floor(words/100)` misses, an epoch closing right at its cap-th miss.
// (words < 100 gives empty sets that never close: cap = infinity.)
// ---------------------------------------------------------------------------------------

function calcEpochCap(words: number): number {
  const items = Math.floor(words / 100);
  return items > 0 ? 50 * items : Infinity;
}

/**
 * Injective operand: a fold's stream consists of distinct addresses, and two folds' streams
 * are either identical (same stacked block for a 'skew' operand) or disjoint. So what the
 * current epoch has seen of a block is always a suffix [lo, size) of its stream (the part
 * read after the epoch began) or all of it, and misses of a visit are its prefix [0, lo).
 */
function calcReadsInjective(plan: Plan, op: OperandSpec, cap: number): number {
  const { rf, cf, R } = plan;
  const stamp = new Float64Array(op.B).fill(-1);
  const seenLo = new Float64Array(op.B);
  let epoch = 0, m = 0, total = 0;
  for (let fc = 0; fc < cf; fc++) {
    for (let fr = 0; fr < rf; fr++) {
      let size: number, key: number;
      if (op.kind === 'skew') {
        key = op.sel === 'fr' ? fr : fc;
        size = op.h * (key === op.B - 1 ? op.uLast : op.width);
      } else {
        key = -1; // preload streams differ per fold: never seen before
        const rows = Math.min(R, op.h - fr * R);
        size = rows * (fc === op.B - 1 ? op.uLast : op.width);
      }
      const lo = key >= 0 && stamp[key] === epoch ? seenLo[key] : size;
      if (m + lo < cap) {
        m += lo;
        if (key >= 0) { stamp[key] = epoch; seenLo[key] = 0; }
        continue;
      }
      // The epoch closes inside this visit; everything after that point misses afresh.
      let pos = cap - m;
      total += cap; epoch++; m = 0;
      const rest = size - pos;
      const full = Math.floor(rest / cap);
      total += full * cap; epoch += full; pos += full * cap;
      m = size - pos;
      if (key >= 0) { stamp[key] = epoch; seenLo[key] = pos; }
    }
  }
  return total + m;
}

/** Generic per-element walk of an operand's demand stream in SCALE-Sim's order. */
function forEachDemandRow(plan: Plan, op: OperandSpec, visit: (fold: number, t: number, span: RowSpan) => void): void {
  const span: RowSpan = { b: 0, rr0: 0, lo: 0, hi: 0 };
  let fold = 0;
  for (let fc = 0; fc < plan.cf; fc++) {
    for (let fr = 0; fr < plan.rf; fr++, fold++) {
      for (let t = 0; t < plan.P; t++) {
        if (rowSpan(op, plan.R, fc, fr, t, span)) visit(fold, t, span);
      }
    }
  }
}

function calcReadsElementwise(plan: Plan, op: OperandSpec, cap: number): number {
  const stamp = new Int32Array(op.addrSpace).fill(-1);
  let epoch = 0, m = 0, total = 0;
  const buf = new Int32Array(op.width);
  forEachDemandRow(plan, op, (_f, _t, span) => {
    op.fillRow(span.b, span.rr0, span.lo, span.hi, buf);
    for (let o = 0, n = span.hi - span.lo + 1; o < n; o++) {
      const a = buf[o];
      if (a < 0 || stamp[a] === epoch) continue;
      stamp[a] = epoch;
      if (++m === cap) { total += cap; epoch++; m = 0; }
    }
  });
  return total + m;
}

// ---------------------------------------------------------------------------------------
// USER mode read buffer (read_buffer.py)
//
// The prefetch order's valid addresses are cut into sets of ceil(words/100); the active
// window holds A consecutive sets (circularly), starting at set 0. A demanded address that
// is in none of the window's sets triggers new_prefetch() repeatedly until it is: each call
// advances the window by Pn sets (forward only, wrapping around), costs
// ceil(prefetch_words/bw)*bw DRAM words, and completes nl+1 cycles after the previous one
// regardless of demand. A row that missed is served at max(cycle + hit latency, completion of
// its last prefetch): the reference commit only adds a prefetch's lateness to the row's
// offset when it is positive (d78b477 and 22f88b17 fixed the earlier rule that added it
// unconditionally, which let a stall go negative), so the row's stall is
// max(0, lastPrefetchCycle - cycle - 1).
// ---------------------------------------------------------------------------------------

class UserReadBuffer {
  private readonly L: number; // number of sets
  private readonly A: number; // active sets
  private readonly Pn: number; // sets advanced per prefetch
  private readonly eps: number;
  private readonly linesPerPrefetch: number;
  private readonly dramPerPrefetch: number;
  private start = 0;
  private last = -1; // completion cycle of the latest prefetch (the initial fill ends at -1)
  dramReads: number;
  private missedThisRow = false;
  /** Number of window advances so far (lets callers cache what depends on the window). */
  moves = 0;

  constructor(words: number, bw: number, validCount: number, prefetchMatrixElems: number) {
    const active = Math.ceil(words * 0.5);
    const pf = words - active;
    this.eps = Math.ceil(words / 100);
    this.L = Math.floor(validCount / this.eps) + 1;
    this.A = Math.min(Math.ceil(active / this.eps), this.L);
    this.Pn = Math.min(Math.ceil(pf / this.eps), this.L - this.A);
    this.linesPerPrefetch = Math.ceil(pf / bw);
    const fetchRows = Math.ceil(prefetchMatrixElems / bw);
    this.dramReads = Math.min(Math.ceil(active / bw), fetchRows) * bw; // initial active fill
    this.dramPerPrefetch = this.linesPerPrefetch * bw;
  }

  setOf(validIdx: number): number { return Math.floor(validIdx / this.eps); }
  get elementsPerSet(): number { return this.eps; }

  beginRow(): void { this.missedThisRow = false; }

  /** True when every set of the run [s1, s2] is in the active window (touching it prefetches nothing). */
  holdsRun(s1: number, s2: number): boolean {
    if (this.A >= this.L) return true;
    let d = s1 - this.start;
    if (d < 0) d += this.L;
    return d + (s2 - s1) < this.A;
  }

  /** First window set and one past the last (unwrapped: the end may exceed L). */
  get windowStart(): number { return this.start; }
  get windowEnd(): number { return this.start + this.A; }
  get residentAll(): boolean { return this.A >= this.L; }
  get setCount(): number { return this.L; }

  /** Prefetches needed before set s is in the window (0 if it already is). */
  private stepsFor(s: number): number {
    if (this.A >= this.L) return 0; // whole operand resident
    let x = s - this.start; // both in [0, L)
    if (x < 0) x += this.L;
    if (x < this.A) return 0;
    // Window starts advance by Pn <= A, so set s enters at the first k with x - k*Pn < A;
    // no wrap-around can occur before that because x - k*Pn stays in [A - Pn, L).
    return Math.ceil((x - this.A + 1) / this.Pn);
  }

  private advance(k: number): void {
    this.moves++;
    this.start = (this.start + k * this.Pn) % this.L;
    this.last += k * (this.linesPerPrefetch + 1);
    this.dramReads += k * this.dramPerPrefetch;
    this.missedThisRow = true;
  }

  /** Demand of one address whose sets are the contiguous run [s1, s2] (injective case: s1 = s2). */
  touchSetRun(s1: number, s2: number): void {
    for (let s = s1; s <= s2; s++) {
      const k = this.stepsFor(s);
      if (k > 0) this.advance(k);
    }
  }

  /**
   * Demand of an address that lives in several sets (ascending ids in sets[from..to)):
   * it hits if any of them is resident; otherwise prefetching stops at the first one that
   * becomes resident.
   */
  touchAnyOf(sets: Int32Array, from: number, to: number): void {
    if (this.A >= this.L || to <= from) return;
    const st = this.start, en = st + this.A;
    if (en <= this.L) {
      for (let i = from; i < to; i++) {
        const s = sets[i];
        if (s >= st) { if (s < en) return; break; }
      }
    } else if (sets[to - 1] >= st || sets[from] < en - this.L) {
      return;
    }
    let best = Infinity;
    for (let i = from; i < to; i++) best = Math.min(best, this.stepsFor(sets[i]));
    this.advance(best);
  }

  /** Demand of an address none of whose sets (sets[0..n), any order) is resident. */
  prefetchUntilAnyOf(sets: Int32Array, n: number): void {
    let best = Infinity;
    for (let i = 0; i < n; i++) best = Math.min(best, this.stepsFor(sets[i]));
    this.advance(best);
  }

  /** Stall of the row just served (out cycle - cycle - hit latency). */
  endRow(cycle: number): number { return this.missedThisRow ? Math.max(0, this.last - cycle - 1) : 0; }
}

/**
 * Prefetch sets holding IFMAP address a of an unpadded convolution: a = (y, x, c) is read by
 * every window offset (r, q) with r = y - s*oy, q = x - s*ox inside the filter, i.e. by pixel
 * oy*F + ox at window element (r*S + q)*C + c, at most ceil(R/s)*ceil(S/s) places. Writes them
 * to out and returns how many, or -1 as soon as one of them is resident (the demand hits).
 * Replaces the address -> sets index (one pass over the whole operand) when only a few rows
 * are served one by one.
 */
function makeIfmapOccurrences(plan: Plan, order: PrefetchOrder, buf: UserReadBuffer): (a: number, out: Int32Array) => number {
  const { W, C, R, S, s, E, F, M, K } = plan.g;
  const op = plan.ifmap;
  const byWindow = plan.df === 'ws'; // WS blocks the IFMAP by window columns, OS/IS by pixels
  const h = byWindow ? M : K;
  return (a, out) => {
    const y = Math.floor(a / (W * C)), rem = a - y * W * C, x = Math.floor(rem / C), c = rem - x * C;
    let n = 0;
    for (let r = y % s; r < R && r <= y; r += s) {
      const oy = (y - r) / s;
      if (oy >= E) continue;
      for (let q = x % s; q < S && q <= x; q += s) {
        const ox = (x - q) / s;
        if (ox >= F) continue;
        const i = oy * F + ox, j = (r * S + q) * C + c;
        const key = byWindow ? j : i, inner = byWindow ? i : j;
        const b = Math.floor(key / op.width);
        const set = buf.setOf(order.index(b * h + inner, key - b * op.width));
        if (buf.holdsRun(set, set)) return -1;
        out[n++] = set;
      }
    }
    return n;
  };
}

/** Address -> prefetch-set lists for a non-injective operand (CSR over the address space). */
interface SetIndex { start: Int32Array; sets: Int32Array; valid: number }

function forEachPrefetchElement(op: OperandSpec, visit: (addr: number) => void): void {
  const rows = op.B * op.h, w = op.width;
  const one = new Int32Array(w);
  if (op.rollout) {
    // Anti-diagonal d, rows from high to low; within one block the run is one demand row
    // of a 'skew' operand (rr0 = d - block start), so fill it in one call.
    for (let d = 0; d < rows + w - 1; d++) {
      let r = Math.min(d, rows - 1);
      const rMin = Math.max(0, d - w + 1);
      while (r >= rMin) {
        const b = Math.floor(r / op.h), base = b * op.h;
        const u = b === op.B - 1 ? op.uLast : w;
        const rEnd = Math.max(rMin, base); // this block's part of the diagonal: rows r..rEnd
        const cLo = d - r, cHi = Math.min(d - rEnd, u - 1);
        if (cHi >= cLo) {
          op.fillRow(b, d - base, cLo, cHi, one);
          for (let o = 0; o <= cHi - cLo; o++) visit(one[o]);
        }
        r = rEnd - 1;
      }
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const b = Math.floor(r / op.h);
      const u = b === op.B - 1 ? op.uLast : w;
      op.fillRow(b, r - b * op.h, 0, u - 1, one);
      for (let o = 0; o < u; o++) visit(one[o]);
    }
  }
}

function buildSetIndex(op: OperandSpec, eps: number): SetIndex {
  const counts = new Int32Array(op.addrSpace + 1);
  let valid = 0;
  forEachPrefetchElement(op, (a) => { if (a >= 0) { counts[a + 1]++; valid++; } });
  for (let i = 0; i < op.addrSpace; i++) counts[i + 1] += counts[i];
  const start = counts; // start[a]..start[a+1]
  const fill = start.slice(0, op.addrSpace);
  const sets = new Int32Array(valid);
  let vi = 0;
  forEachPrefetchElement(op, (a) => { if (a >= 0) sets[fill[a]++] = Math.floor(vi++ / eps); });
  return { start, sets, valid };
}

/** Per-row driver of one USER-mode read operand. */
interface RowReader {
  serviceRow(fc: number, fr: number, t: number, cycle: number): number;
  /**
   * First row in [t0, t1) of fold (fc, fr) that may prefetch, or t1: every row before it is
   * served at its hit latency without touching the buffer's state.
   */
  nextEvent(fc: number, fr: number, t0: number, t1: number): number;
  dramReads(): number;
  /** The whole operand is resident: the buffer never prefetches again, whatever the demand. */
  readonly frozen: boolean;
}

/** First demand row in [t0, t1) of an operand in fold (fc, fr), or t1 (no closed form needed). */
function firstDemandRow(plan: Plan, op: OperandSpec, fc: number, fr: number, t0: number, t1: number): number {
  if (op.kind === 'preload') {
    // rows t < R stream block rows fr*R + R-1-t, present while below the operand height
    const rows = Math.min(plan.R, op.h - fr * plan.R);
    const first = Math.max(t0, plan.R - rows);
    return first < Math.min(plan.R, t1) ? first : t1;
  }
  const b = op.sel === 'fr' ? fr : fc;
  const u = b === op.B - 1 ? op.uLast : op.width;
  const first = Math.max(t0, op.delay);
  return first <= Math.min(t1 - 1, op.delay + op.h + u - 2) ? first : t1;
}

/**
 * nextEvent for an operand whose valid elements are the prefetch order's (PrefetchOrder): rows
 * whose own elements all lie in resident sets touch nothing, so they are quiet whether or not the
 * operand's addresses repeat (a repeated address only adds ways to hit). Results are cached while
 * the window stays put and the query starts inside the last answer's quiet run.
 */
function makeQuietRowSearch(plan: Plan, op: OperandSpec, order: PrefetchOrder, buf: UserReadBuffer): RowReader['nextEvent'] {
  const span: RowSpan = { b: 0, rr0: 0, lo: 0, hi: 0 };
  const firstSet = (): number => buf.setOf(order.index(span.b * op.h + spanRow(op, span, span.lo), span.lo));
  const lastSet = (): number => buf.setOf(order.index(span.b * op.h + spanRow(op, span, span.hi), span.hi));
  // Fold and window being searched (the predicates below read them).
  let fcNow = 0, frNow = 0, bNow = 0, start = 0, end = 0, wrappedEnd = 0;
  let cachedFold = -1, cachedFrom = 0, cached = 0, cachedMoves = -1;
  // Demand row t lies on anti-diagonal b*h + t - delay, so the first row whose first (last) set
  // reaches set S is the row on the diagonal holding S's first element, or the next one.
  const firstReaching = (lo: number, hi: number, set: number, reached: (t: number) => boolean): number => {
    if (lo >= hi) return hi;
    const pos = set * buf.elementsPerSet;
    if (pos <= 0) return lo;
    if (pos >= order.validCount) return hi;
    const t = order.diagonalAt(pos) - bNow * op.h + op.delay;
    if (t < lo) return lo;
    if (t >= hi) return hi;
    return reached(t) ? t : t + 1;
  };
  const s1Ahead = (t: number) => (rowSpan(op, plan.R, fcNow, frNow, t, span), firstSet() >= start);
  const s2PastWrapped = (t: number) => (rowSpan(op, plan.R, fcNow, frNow, t, span), lastSet() >= wrappedEnd);
  const s2PastEnd = (t: number) => (rowSpan(op, plan.R, fcNow, frNow, t, span), lastSet() >= end);
  const search = (fc: number, fr: number, t0: number, t1: number): number => {
    const first = firstDemandRow(plan, op, fc, fr, t0, t1);
    if (first >= t1 || buf.residentAll) return t1;
    fcNow = fc; frNow = fr;
    if (op.kind === 'preload') {
      // The R preload rows walk one block's rows backwards; they are quiet when the fold's
      // whole preload range is resident, else served one by one.
      rowSpan(op, plan.R, fc, fr, first, span);
      const hi = lastSet();
      rowSpan(op, plan.R, fc, fr, Math.min(plan.R, t1) - 1, span);
      return buf.holdsRun(firstSet(), hi) ? t1 : first;
    }
    // Skew demand rows advance monotonically along the order, so with the window [start, end)
    // the rows whose first set lies before `start` can only be resident in the wrapped part
    // [0, end - L), and the rows after them while their last set is below `end`: quiet rows
    // form at most two runs.
    const b = op.sel === 'fr' ? fr : fc;
    const last = Math.min(t1, op.delay + op.h + (b === op.B - 1 ? op.uLast : op.width) - 1);
    start = buf.windowStart; end = buf.windowEnd; wrappedEnd = end - buf.setCount; bNow = b;
    const tAhead = firstReaching(first, last, start, s1Ahead);
    let t = first;
    if (t < tAhead) {
      if (wrappedEnd <= 0) return t;
      const miss = firstReaching(t, tAhead, wrappedEnd, s2PastWrapped);
      if (miss < tAhead) return miss;
      t = tAhead;
    }
    const miss = firstReaching(t, last, end, s2PastEnd);
    return miss < last ? miss : t1;
  };
  return (fc, fr, t0, t1) => {
    const fold = fc * plan.rf + fr;
    if (fold === cachedFold && buf.moves === cachedMoves && t0 >= cachedFrom && t0 <= cached && t1 === plan.P) return cached;
    const e = search(fc, fr, t0, t1);
    if (t1 === plan.P) { cachedFold = fold; cachedFrom = t0; cached = e; cachedMoves = buf.moves; }
    return e;
  };
}

function makeUserReader(plan: Plan, op: OperandSpec, words: number, bw: number, elementwise: boolean): RowReader {
  const elems = op.B * op.h * op.width;
  const span: RowSpan = { b: 0, rr0: 0, lo: 0, hi: 0 };
  if (op.injective && !elementwise) {
    const order = new PrefetchOrder(op);
    const buf = new UserReadBuffer(words, bw, order.validCount, elems);
    return {
      serviceRow(fc, fr, t, cycle) {
        if (!rowSpan(op, plan.R, fc, fr, t, span)) return 0;
        buf.beginRow();
        // The row is a contiguous, increasing run of the prefetch order, so its sets are the
        // run [set(first), set(last)], touched in that order.
        const base = span.b * op.h;
        buf.touchSetRun(buf.setOf(order.index(base + spanRow(op, span, span.lo), span.lo)), buf.setOf(order.index(base + spanRow(op, span, span.hi), span.hi)));
        return buf.endRow(cycle);
      },
      nextEvent: makeQuietRowSearch(plan, op, order, buf),
      dramReads: () => buf.dramReads,
      frozen: buf.residentAll,
    };
  }
  const row = new Int32Array(op.width);
  if (op.ordered && !elementwise) {
    // Overlapping conv windows: the sets of an address are enumerated when its row is served.
    const order = new PrefetchOrder(op);
    const buf = new UserReadBuffer(words, bw, order.validCount, elems);
    const occurrences = makeIfmapOccurrences(plan, order, buf);
    const sets = new Int32Array(Math.ceil(plan.g.R / plan.g.s) * Math.ceil(plan.g.S / plan.g.s));
    return {
      serviceRow(fc, fr, t, cycle) {
        if (!rowSpan(op, plan.R, fc, fr, t, span)) return 0;
        buf.beginRow();
        op.fillRow(span.b, span.rr0, span.lo, span.hi, row);
        const base = span.b * op.h;
        for (let c = span.lo; c <= span.hi; c++) {
          // its own place in the order is the first candidate; the others only if that one is out
          const own = buf.setOf(order.index(base + spanRow(op, span, c), c));
          if (buf.holdsRun(own, own)) continue;
          const n = occurrences(row[c - span.lo], sets);
          if (n > 0) buf.prefetchUntilAnyOf(sets, n);
        }
        return buf.endRow(cycle);
      },
      nextEvent: makeQuietRowSearch(plan, op, order, buf),
      dramReads: () => buf.dramReads,
      frozen: buf.residentAll,
    };
  }
  // Padding inside the operand (-1 entries): positions have no closed form, so the sets of every
  // address are indexed up front and every demand row is served one by one.
  const idx = buildSetIndex(op, Math.ceil(words / 100));
  const buf = new UserReadBuffer(words, bw, idx.valid, elems);
  return {
    serviceRow(fc, fr, t, cycle) {
      if (!rowSpan(op, plan.R, fc, fr, t, span)) return 0;
      buf.beginRow();
      op.fillRow(span.b, span.rr0, span.lo, span.hi, row);
      for (let o = 0, n = span.hi - span.lo + 1; o < n; o++) {
        const a = row[o];
        if (a >= 0) buf.touchAnyOf(idx.sets, idx.start[a], idx.start[a + 1]);
      }
      return buf.endRow(cycle);
    },
    nextEvent: (fc, fr, t0, t1) => (buf.residentAll ? t1 : firstDemandRow(plan, op, fc, fr, t0, t1)),
    dramReads: () => buf.dramReads,
    frozen: buf.residentAll,
  };
}

// ---------------------------------------------------------------------------------------
// OFMAP write buffer (write_buffer.py), driven by per-row counts
//
// Valid writes are packed into lines of `bw` words. When a store leaves free space below
// the active half and no drain is in flight, the partial line is closed (padded with -1)
// and a drain of ceil(drain_words/bw) lines starts; it counts lines*bw words minus the -1s
// of its *last* line only (so padding inside a batch is counted) and frees that many words.
// A store that finds the buffer full while a drain is in flight stalls the array until the
// drain's last cycle. Issuing a drain costs the array nothing.
// ---------------------------------------------------------------------------------------

class WriteBuffer {
  private readonly active: number;
  private readonly linesPerDrain: number;
  private free: number;
  private lineFill = 0;
  // Queue of closed lines as runs: (count, valid words per line).
  private qCount: number[] = [];
  private qValid: number[] = [];
  private qHead = 0;
  private drainEnd = 0;
  dramWrites = 0;
  private anyStored = false;

  constructor(words: number, private readonly bw: number) {
    this.active = Math.ceil(words * 0.5);
    this.linesPerDrain = Math.ceil((words - this.active) / bw);
    this.free = words;
  }

  private pushLines(count: number, valid: number): void {
    if (count <= 0) return;
    const n = this.qCount.length;
    if (n > this.qHead && this.qValid[n - 1] === valid) this.qCount[n - 1] += count;
    else { this.qCount.push(count); this.qValid.push(valid); }
  }

  private store(j: number): void {
    this.anyStored = true;
    this.free -= j;
    const filled = this.lineFill + j;
    this.pushLines(Math.floor(filled / this.bw), this.bw);
    this.lineFill = filled % this.bw;
  }

  private closePartialLine(): void {
    if (this.lineFill !== 0) { this.pushLines(1, this.lineFill); this.lineFill = 0; }
  }

  private hasLines(): boolean { return this.qHead < this.qCount.length; }

  /** Drain up to linesPerDrain lines starting at `cycle`; returns the drain's last cycle. */
  private drain(cycle: number): number {
    let want = this.linesPerDrain, taken = 0, lastValid = this.bw;
    while (want > 0 && this.hasLines()) {
      const k = Math.min(want, this.qCount[this.qHead]);
      taken += k; want -= k; lastValid = this.qValid[this.qHead];
      this.qCount[this.qHead] -= k;
      if (this.qCount[this.qHead] === 0) this.qHead++;
    }
    if (this.qHead > 4096 && this.qHead * 2 > this.qCount.length) {
      this.qCount = this.qCount.slice(this.qHead); this.qValid = this.qValid.slice(this.qHead); this.qHead = 0;
    }
    const data = taken * this.bw - (this.bw - lastValid);
    this.dramWrites += data;
    this.free += data;
    return cycle + taken - 1;
  }

  /** Store `n` valid words arriving at `cycle`; returns the row's service cycle. */
  serviceRow(n: number, cycle: number): number {
    let cur = cycle;
    while (n > 0) {
      if (cur < this.drainEnd) {
        // Stall at the first store that leaves no free space.
        const j = Math.max(1, this.free);
        if (j > n) { this.store(n); break; }
        this.store(j); n -= j;
        cur = this.drainEnd;
      } else {
        // Trigger at the first store that leaves free < active.
        const j = Math.max(1, this.free - this.active + 1);
        if (j > n) { this.store(n); break; }
        this.store(j); n -= j;
        this.closePartialLine();
        this.drainEnd = this.drain(cur);
      }
    }
    return cur;
  }

  /**
   * First row in [t0, t1) whose stores start a drain or stall the array, or t1, when row t
   * arrives at cycle `base + t` and rows [t0, t) store prefix(t) - prefix(t0) words. A row
   * stores n words without either event while a drain is in flight iff n < max(1, free), and
   * otherwise iff n < max(1, free - active + 1); summed over rows, a first crossing of the
   * running total.
   */
  nextEvent(t0: number, t1: number, base: number, plan: Plan, fc: number, fr: number): number {
    const p0 = ofmapPrefix(plan, fc, fr, t0);
    const idleFrom = Math.min(t1, Math.max(t0, this.drainEnd - base));
    if (t0 < idleFrom) {
      const t = firstRowReaching(plan, fc, fr, t0, idleFrom, p0 + Math.max(1, this.free));
      if (t < idleFrom) return t;
    }
    if (idleFrom >= t1) return t1;
    const pIdle = ofmapPrefix(plan, fc, fr, idleFrom);
    const free = this.free - (pIdle - p0);
    return firstRowReaching(plan, fc, fr, idleFrom, t1, pIdle + Math.max(1, free - this.active + 1));
  }

  /**
   * The buffer's state relative to `cycle` (which later rows can only exceed): free words,
   * open line fill, whether anything was stored, how long the drain in flight still runs, and
   * the queued lines. Equal signatures at two fold starts mean equal futures for equal folds.
   */
  signature(cycle: number): number[] {
    const sig = [this.free, this.lineFill, this.anyStored ? 1 : 0, Math.max(0, this.drainEnd - cycle)];
    for (let i = this.qHead; i < this.qCount.length; i++) sig.push(this.qCount[i], this.qValid[i]);
    return sig;
  }

  /** Moves the state `cycles` later after skipped folds that drained `writes` more words. */
  skipAhead(cycle: number, cycles: number, writes: number): void {
    if (this.drainEnd > cycle) this.drainEnd += cycles;
    this.dramWrites += writes;
  }

  /** Stores of rows that start no drain and stall nothing (see nextEvent). */
  storeQuietly(n: number): void { if (n > 0) this.store(n); }

  /** Final flush after the last row (empty_all_buffers). */
  flush(cycle: number): void {
    if (!this.anyStored) return;
    this.closePartialLine();
    while (this.hasLines()) {
      this.drainEnd = this.drain(cycle);
      cycle = this.drainEnd + 1;
    }
  }
}

/** Valid OFMAP writes in demand row t of fold (fc, fr). */
function ofmapRowCount(plan: Plan, fc: number, fr: number, t: number): number {
  const { R, C, T, Sr, Sc } = plan;
  const cu = Math.min(C, Sc - fc * C);
  let lo: number, hi: number;
  if (plan.df === 'os') {
    const ru = Math.min(R, Sr - fr * R);
    const x = t - (T - 1);
    lo = Math.max(0, x - (R - 1));
    hi = Math.min(cu - 1, x - (R - ru));
  } else {
    const x = t - (2 * R - 1);
    lo = Math.max(0, x - (T - 1));
    hi = Math.min(cu - 1, x);
  }
  return hi >= lo ? hi - lo + 1 : 0;
}

/**
 * Valid OFMAP writes in demand rows [0, t) of fold (fc, fr): the per-row counts form a
 * trapezoid (ramp up to the used columns, plateau, ramp down), so the sum is a closed form.
 */
function ofmapPrefix(plan: Plan, fc: number, fr: number, t: number): number {
  const { R, C, T, Sr, Sc } = plan;
  const w = Math.min(C, Sc - fc * C);
  let x: number, len: number;
  if (plan.df === 'os') {
    len = Math.min(R, Sr - fr * R);
    x = t - (T - 1) - (R - len);
  } else {
    len = T;
    x = t - (2 * R - 1);
  }
  // count(y) = min(y, w - 1) - max(0, y - len + 1) + 1 for y in [0, len + w - 2]
  x = Math.min(Math.max(x, 0), len + w - 1);
  const ramp = x <= w ? (x * (x + 1)) / 2 : (w * (w + 1)) / 2 + (x - w) * w;
  const over = Math.max(0, x - len);
  return ramp - (over * (over + 1)) / 2;
}

/** Smallest row t in [from, to) of fold (fc, fr) with ofmapPrefix(t + 1) >= total, or to. */
function firstRowReaching(plan: Plan, fc: number, fr: number, from: number, to: number, total: number): number {
  let lo = from, hi = to;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    if (ofmapPrefix(plan, fc, fr, mid + 1) >= total) hi = mid; else lo = mid + 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------

function simulateLayer(input: ScaleSimLayerInput, elementwise: boolean): ScaleSimLayerReport {
  const plan = makePlan(input);
  const { g, R, C, df, Sr, Sc, T, rf, cf, P } = plan;
  const { M, N, K } = g;
  const folds = rf * cf;
  const words = (kib: number) => {
    const w = Math.floor(kib * 1024);
    // A 1-word buffer has an empty prefetch/drain half, which SCALE-Sim itself crashes on.
    if (!(w >= 2)) throw new Error('scaleSimV2Layer: each SRAM must hold at least 2 words');
    return w;
  };
  const ifWords = words(input.ifmapSramKiB), fWords = words(input.filterSramKiB), oWords = words(input.ofmapSramKiB);
  const user = input.interfaceBandwidth === 'USER';
  if (!user && input.interfaceBandwidth !== 'CALC') throw new Error('scaleSimV2Layer: interfaceBandwidth must be CALC or USER');
  const bw = input.bandwidthWordsPerCycle;
  if (user && !(Number.isInteger(bw) && bw >= 1)) throw new Error('scaleSimV2Layer: USER mode needs an integer bandwidth >= 1');

  // Compute-side report: per-fold terms summed in SCALE-Sim's fold order (fc outer, fr
  // inner) so the floating-point means are bit-identical.
  const foldCycles = df === 'os' ? T + R + C - 2 : 2 * R + 2 * C + T - 3; // compute-util denominator
  let mapSum = 0, utilSum = 0;
  for (let fc = 0; fc < cf; fc++) {
    const cu = Math.min(C, Sc - fc * C);
    for (let fr = 0; fr < rf; fr++) {
      const ru = Math.min(R, Sr - fr * R);
      const mac = ru * cu;
      mapSum += mac / (R * C);
      utilSum += (mac * T) / (R * C * foldCycles);
    }
  }

  // SRAM counts are SCALE-Sim's compute-side tallies of fold block sizes.
  let sramIfmapReads: number, sramFilterReads: number, sramOfmapWrites: number;
  if (df === 'os') {
    sramIfmapReads = M * K * cf; sramFilterReads = K * N * rf; sramOfmapWrites = M * N + folds * (R + C);
  } else if (df === 'ws') {
    sramIfmapReads = M * K * cf; sramFilterReads = K * N; sramOfmapWrites = M * N * rf;
  } else {
    sramIfmapReads = M * K; sramFilterReads = K * N * cf; sramOfmapWrites = M * N * rf;
  }

  // Memory system: one pass over demand rows, cycle = row index + stalls so far. A row's
  // stall is the largest of its two read stalls and its OFMAP lateness `serviced - cycle`
  // (the write port has no latency; the reference commit dropped the older `- 1`, d78b477).
  const wbuf = new WriteBuffer(oWords, user ? bw : C);
  const ir = user ? makeUserReader(plan, plan.ifmap, ifWords, bw, elementwise) : null;
  const fr_ = user ? makeUserReader(plan, plan.filter, fWords, bw, elementwise) : null;
  let stalls = 0, lastOut = 0, foldStart = 0;
  // One row served exactly; CALC reads never stall (always served at cycle + 1).
  const serveRow = (fc: number, fr: number, t: number): void => {
    const cycle = foldStart + t + stalls;
    const is = ir ? ir.serviceRow(fc, fr, t, cycle) : 0;
    const fs = fr_ ? fr_.serviceRow(fc, fr, t, cycle) : 0;
    const out = wbuf.serviceRow(ofmapRowCount(plan, fc, fr, t), cycle);
    lastOut = out;
    stalls += Math.max(is, fs, out - cycle);
  };
  // Fold batching: when neither read buffer can move (CALC, or USER with both operands
  // resident), a fold's outcome depends only on its OFMAP shape (used columns, and used rows for
  // OS) and the write buffer's state relative to its first cycle. Once that state at a fold start
  // equals the state p folds earlier in a run of same-shape folds, the next p folds repeat the
  // last p (same stalls, same DRAM words, shifted in time), so whole periods are skipped.
  const batchFolds = !elementwise && (!ir || !fr_ || (ir.frozen && fr_.frozen));
  const shapeOf = (f: number) => {
    const fc = Math.floor(f / rf), fr = f - fc * rf;
    return Math.min(C, Sc - fc * C) * (R + 1) + (df === 'os' ? Math.min(R, Sr - fr * R) : 0);
  };
  // Periods up to 8 folds are looked for in the first 24 folds of each run (later ones would
  // cost a signature per fold for a rare gain).
  const history: Array<{ fold: number; sig: number[]; stalls: number; writes: number; cycle: number }> = [];
  let runEnd = 0; // first fold after the current run of same-shape folds
  let runStart = 0;
  for (let f = 0; f < folds; f++, foldStart += P) {
    if (batchFolds && f >= runEnd) {
      history.length = 0;
      runStart = f;
      const shape = shapeOf(f);
      for (runEnd = f + 1; runEnd < folds && shapeOf(runEnd) === shape; runEnd++);
    }
    if (batchFolds && f - runStart < 24) {
      const cycle = foldStart + stalls;
      const sig = wbuf.signature(cycle);
      const earlier = history.find((h) => h.sig.length === sig.length && h.sig.every((v, i) => v === sig[i]));
      const period = earlier ? f - earlier.fold : 0;
      // Skip whole periods, always leaving the run's last fold to be served.
      const periods = earlier ? Math.floor((runEnd - 1 - f) / period) : 0;
      if (earlier && periods > 0) {
        const dStalls = stalls - earlier.stalls;
        wbuf.skipAhead(cycle, periods * (cycle - earlier.cycle), periods * (wbuf.dramWrites - earlier.writes));
        stalls += periods * dStalls;
        f += periods * period;
        foldStart += periods * period * P;
        history.length = 0;
      }
      history.push({ fold: f, sig: wbuf.signature(foldStart + stalls), stalls, writes: wbuf.dramWrites, cycle: foldStart + stalls });
      if (history.length > 8) history.shift();
    }
    const fc = Math.floor(f / rf), fr = f - fc * rf;
    if (elementwise) {
      for (let t = 0; t < P; t++) serveRow(fc, fr, t);
      continue;
    }
    // Rows between events (a prefetch, a drain start, an OFMAP stall) change nothing but
    // the write buffer's fill, so they are stored in one step and only event rows are served.
    for (let t = 0; t < P;) {
      let event = P;
      if (ir && fr_) event = Math.min(ir.nextEvent(fc, fr, t, P), fr_.nextEvent(fc, fr, t, P));
      event = wbuf.nextEvent(t, event, foldStart + stalls, plan, fc, fr);
      wbuf.storeQuietly(ofmapPrefix(plan, fc, fr, event) - ofmapPrefix(plan, fc, fr, t));
      if (event === P) {
        lastOut = foldStart + P - 1 + stalls;
        break;
      }
      serveRow(fc, fr, event);
      t = event + 1;
    }
  }
  let dramIfmapReads: number, dramFilterReads: number;
  if (ir && fr_) {
    dramIfmapReads = ir.dramReads();
    dramFilterReads = fr_.dramReads();
  } else {
    const calc = (op: OperandSpec, w: number) => {
      const cap = calcEpochCap(w);
      return op.injective && !elementwise ? calcReadsInjective(plan, op, cap) : calcReadsElementwise(plan, op, cap);
    };
    dramIfmapReads = calc(plan.ifmap, ifWords);
    dramFilterReads = calc(plan.filter, fWords);
  }
  wbuf.flush(lastOut);

  // SCALE-Sim's total is the service cycle of the last OFMAP row: folds*P - 1 + stalls.
  const totalCycles = lastOut;
  const numCompute = M * N * K;
  return {
    totalCycles,
    stallCycles: stalls,
    computeCyclesExclStalls: totalCycles - stalls,
    overallUtilPct: (numCompute * 100) / (totalCycles * R * C),
    mappingEffPct: (mapSum / folds) * 100,
    computeUtilPct: (utilSum / folds) * 100,
    sramIfmapReads, sramFilterReads, sramOfmapWrites,
    dramIfmapReads, dramFilterReads,
    dramOfmapWrites: wbuf.dramWrites,
    folds,
    cyclesPerFold: P,
  };
}
