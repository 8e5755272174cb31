import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  scaleSimV2Layer,
  scaleSimV2LayerElementwise,
  type ScaleSimDataflow,
  type ScaleSimLayerInput,
  type ScaleSimLayerReport,
} from '../../../src/families/systolic/scalesim-v2.js';
import { Rng } from '../../../src/core/random.js';

const refDir = fileURLToPath(new URL('../../reference/scalesim/', import.meta.url));
const read = (rel: string) => readFileSync(refDir + rel, 'utf8');

/** Minimal INI reader: `key: value` / `key = value`, sections ignored, keys lower-cased. */
function parseCfg(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('[') || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^([^:=]+?)\s*[:=]\s*(.*)$/.exec(line);
    if (m) out[m[1].trim().toLowerCase()] = m[2].trim();
  }
  return out;
}

/** First data row of a SCALE-Sim topology CSV (header skipped, trailing comma tolerated). */
function parseTopology(text: string): string[] {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return rows[1].split(',').map((c) => c.trim()).filter((c) => c.length > 0);
}

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...rows] = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

function inputFor(row: Record<string, string>): ScaleSimLayerInput {
  const cfg = parseCfg(read(`configs/a${row.array_rows}x${row.array_cols}_${row.dataflow}_${row.mem_config}.cfg`));
  const topo = parseTopology(read(`topologies/${row.layer}.csv`));
  const base = {
    m: Number(row.M), n: Number(row.N), k: Number(row.K),
    arrayRows: Number(cfg.arrayheight), arrayCols: Number(cfg.arraywidth),
    dataflow: cfg.dataflow as ScaleSimDataflow,
    ifmapSramKiB: Number(cfg.ifmapsramszkb), filterSramKiB: Number(cfg.filtersramszkb), ofmapSramKiB: Number(cfg.ofmapsramszkb),
    interfaceBandwidth: cfg.interfacebandwidth as 'CALC' | 'USER',
    bandwidthWordsPerCycle: Number(cfg.bandwidth),
  };
  if (row.input_type === 'gemm') {
    const [, m, n, k] = topo.map(Number);
    return { ...base, m, n, k };
  }
  const [, h, w, fh, fw, c, nf, s] = topo.map(Number);
  return { ...base, conv: { ifmapHeight: h, ifmapWidth: w, filterHeight: fh, filterWidth: fw, channels: c, numFilters: nf, stride: s } };
}

const intColumns: [string, keyof ScaleSimLayerReport][] = [
  ['total_cycles', 'totalCycles'], ['stall_cycles', 'stallCycles'], ['compute_cycles_excl_stalls', 'computeCyclesExclStalls'],
  ['sram_ifmap_reads', 'sramIfmapReads'], ['sram_filter_reads', 'sramFilterReads'], ['sram_ofmap_writes', 'sramOfmapWrites'],
  ['dram_ifmap_reads', 'dramIfmapReads'], ['dram_filter_reads', 'dramFilterReads'], ['dram_ofmap_writes', 'dramOfmapWrites'],
  ['folds', 'folds'], ['cycles_per_fold', 'cyclesPerFold'],
];
const floatColumns: [string, keyof ScaleSimLayerReport][] = [
  ['overall_util_pct', 'overallUtilPct'], ['mapping_eff_pct', 'mappingEffPct'], ['compute_util_pct', 'computeUtilPct'],
];

// Each file holds rows of unmodified SCALE-Sim v2 runs (see test/reference/scalesim/README.md).
const REFERENCE_FILES: [string, number][] = [['results.csv', 4], ['user-mode-misses.csv', 2], ['alexnet-results.csv', 2]];

describe('SCALE-Sim v2 reference results', () => {
  for (const [file, count] of REFERENCE_FILES) {
    const rows = parseCsv(read(file));
    it(`${file} has its ${count} cases`, () => expect(rows.length).toBe(count));
    for (const row of rows) {
      it(`${file}: ${row.case_id}`, () => {
        const input = inputFor(row);
        expect(input.arrayRows).toBe(Number(row.array_rows));
        expect(input.interfaceBandwidth).toBe(row.bw_mode);
        const r = scaleSimV2Layer(input);
        // folds and cycles per fold are blank where SCALE-Sim's reports do not print them
        for (const [col, key] of intColumns) if (row[col] !== '') expect(r[key], col).toBe(Number(row[col]));
        for (const [col, key] of floatColumns) {
          const want = Number(row[col]);
          expect(Math.abs(r[key] - want) / Math.abs(want), col).toBeLessThanOrEqual(1e-9);
        }
      });
    }
  }
});

// Random small layers and configs run through unmodified SCALE-Sim v2 (random-sweep.csv; see
// the README there): all three dataflows, GEMM and conv (strides that do and do not divide the
// input), 1-3 KB SRAMs, CALC and USER mode at 1-33 words/cycle.
describe('SCALE-Sim v2 random reference sweep', () => {
  const rows = parseCsv(read('random-sweep.csv'));
  it('covers USER and CALC mode and every dataflow', () => {
    expect(rows.filter((r) => r.bw_mode === 'USER').length).toBeGreaterThan(50);
    expect(rows.filter((r) => r.bw_mode === 'USER' && Number(r.stall_cycles) > 0).length).toBeGreaterThan(30);
    for (const df of ['os', 'ws', 'is']) expect(rows.some((r) => r.dataflow === df && r.bw_mode === 'USER')).toBe(true);
  });
  it('every case exact in cycles, stalls, SRAM and DRAM words', () => {
    for (const row of rows) {
      const num = (col: string) => Number(row[col]);
      const input: ScaleSimLayerInput = {
        m: num('M'), n: num('N'), k: num('K'),
        arrayRows: num('array_rows'), arrayCols: num('array_cols'), dataflow: row.dataflow as ScaleSimDataflow,
        ifmapSramKiB: num('ifmap_sram_kb'), filterSramKiB: num('filter_sram_kb'), ofmapSramKiB: num('ofmap_sram_kb'),
        interfaceBandwidth: row.bw_mode as 'CALC' | 'USER', bandwidthWordsPerCycle: num('dram_bw_words_per_cycle'),
      };
      if (row.input_type === 'conv') {
        input.conv = { ifmapHeight: num('ifmap_h'), ifmapWidth: num('ifmap_w'), filterHeight: num('filter_h'), filterWidth: num('filter_w'),
          channels: num('channels'), numFilters: num('num_filters'), stride: num('stride') };
      }
      const r = scaleSimV2Layer(input);
      for (const [col, key] of intColumns.filter(([c]) => c in row)) expect(r[key], `${row.case_id} ${col}`).toBe(num(col));
    }
  });
});

const gemm = (m: number, n: number, k: number, R: number, C: number, dataflow: ScaleSimDataflow,
  extra: Partial<ScaleSimLayerInput> = {}): ScaleSimLayerInput => ({
  m, n, k, arrayRows: R, arrayCols: C, dataflow,
  ifmapSramKiB: 64, filterSramKiB: 64, ofmapSramKiB: 64, interfaceBandwidth: 'CALC', bandwidthWordsPerCycle: 10, ...extra,
});

function conv(h: number, w: number, fh: number, fw: number, c: number, nf: number, s: number) {
  const e = Math.ceil((h - fh + s) / s), f = Math.ceil((w - fw + s) / s);
  return { m: e * f, n: nf, k: fh * fw * c, conv: { ifmapHeight: h, ifmapWidth: w, filterHeight: fh, filterWidth: fw, channels: c, numFilters: nf, stride: s } };
}

/** Deterministic LCG so the randomised cross-checks are reproducible. */
function rng(seed: number) {
  let x = seed >>> 0;
  return (n: number) => { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; return x % n; };
}

describe('SCALE-Sim v2 invariants', () => {
  const dataflows: ScaleSimDataflow[] = ['os', 'ws', 'is'];

  it('CALC mode never stalls with ample SRAM: total = folds * cyclesPerFold - 1', () => {
    const layers = [gemm(100, 70, 45, 16, 8, 'os'), { ...gemm(1, 1, 1, 4, 4, 'os'), ...conv(31, 29, 3, 3, 5, 40, 2) }];
    for (const base of layers) {
      for (const dataflow of dataflows) {
        const r = scaleSimV2Layer({ ...base, dataflow });
        expect(r.stallCycles).toBe(0);
        expect(r.totalCycles).toBe(r.folds * r.cyclesPerFold - 1);
        expect(r.computeCyclesExclStalls).toBe(r.totalCycles);
      }
    }
  });

  it('per-fold cycles follow OS R+C+T-2 and WS/IS 2R+C+T-2', () => {
    expect(scaleSimV2Layer(gemm(64, 48, 40, 8, 16, 'os')).cyclesPerFold).toBe(8 + 16 + 40 - 2);
    expect(scaleSimV2Layer(gemm(64, 48, 40, 8, 16, 'ws')).cyclesPerFold).toBe(16 + 16 + 64 - 2);
    expect(scaleSimV2Layer(gemm(64, 48, 40, 8, 16, 'is')).cyclesPerFold).toBe(16 + 16 + 48 - 2);
  });

  it('mapping efficiency is 100% exactly when the mapped dims are multiples of the array', () => {
    for (const dataflow of dataflows) {
      expect(scaleSimV2Layer(gemm(64, 96, 128, 32, 32, dataflow)).mappingEffPct).toBe(100);
      const r = scaleSimV2Layer(gemm(65, 96, 128, 32, 32, dataflow));
      // mean over folds of used rows x used cols / (R x C) = Sr*Sc / (folds*R*C)
      const [sr, sc] = dataflow === 'os' ? [65, 96] : dataflow === 'ws' ? [128, 96] : [128, 65];
      expect(r.mappingEffPct).toBeCloseTo((100 * sr * sc) / (r.folds * 32 * 32), 10);
      if (dataflow !== 'ws') expect(r.mappingEffPct).toBeLessThan(100);
    }
  });

  it('CALC DRAM reads lie between distinct addresses and SRAM reads', () => {
    for (const dataflow of dataflows) {
      const r = scaleSimV2Layer(gemm(300, 200, 150, 16, 16, dataflow, { ifmapSramKiB: 8, filterSramKiB: 8 }));
      expect(r.dramIfmapReads).toBeGreaterThanOrEqual(300 * 150);
      expect(r.dramIfmapReads).toBeLessThanOrEqual(r.sramIfmapReads);
      expect(r.dramFilterReads).toBeGreaterThanOrEqual(150 * 200);
      expect(r.dramFilterReads).toBeLessThanOrEqual(r.sramFilterReads);
      // OFMAP: every element reaches DRAM once, plus at most one padded line per drain batch
      expect(r.dramOfmapWrites).toBeGreaterThanOrEqual(300 * 200);
    }
  });

  it('USER mode: stalls >= 0 and total - stalls = folds * cyclesPerFold - 1', () => {
    const next = rng(3);
    for (let i = 0; i < 40; i++) {
      const r = scaleSimV2Layer(gemm(1 + next(60), 1 + next(60), 1 + next(60), 2 + next(8), 2 + next(8), dataflows[next(3)], {
        ifmapSramKiB: 0.25, filterSramKiB: 0.5, ofmapSramKiB: 0.25, interfaceBandwidth: 'USER', bandwidthWordsPerCycle: 1 + next(8),
      }));
      expect(r.stallCycles).toBeGreaterThanOrEqual(0);
      expect(r.computeCyclesExclStalls).toBe(r.folds * r.cyclesPerFold - 1);
    }
  });

  it('fast path matches the element-by-element walk (GEMM, overlapping and padded convs, tiny SRAMs)', () => {
    const next = rng(12345);
    let stalled = 0;
    for (let i = 0; i < 120; i++) {
      const dataflow = dataflows[next(3)];
      const shape = next(2) === 0
        ? { m: 1 + next(70), n: 1 + next(70), k: 1 + next(70) }
        : (() => {
          const fh = 1 + next(4), fw = 1 + next(4), s = 1 + next(3);
          return conv(fh + next(12), fw + next(12), fh, fw, 1 + next(5), 1 + next(30), s);
        })();
      const kib = () => (next(3) === 0 ? (40 + next(400)) / 1024 : 1 + next(2));
      const input: ScaleSimLayerInput = {
        ...shape, arrayRows: 1 + next(10), arrayCols: 1 + next(10), dataflow,
        ifmapSramKiB: kib(), filterSramKiB: kib(), ofmapSramKiB: kib(),
        interfaceBandwidth: next(2) === 0 ? 'CALC' : 'USER', bandwidthWordsPerCycle: 1 + next(12),
      };
      const fast = scaleSimV2Layer(input);
      expect(fast, JSON.stringify(input)).toEqual(scaleSimV2LayerElementwise(input));
      if (fast.stallCycles !== 0) stalled++;
    }
    expect(stalled).toBeGreaterThan(10); // the stall paths were exercised
  });

  it('event rows only = every row served (many folds, window wraps, overlapping unpadded convs)', () => {
    // The fast path serves only rows that prefetch, start a drain or stall, and stores the rows
    // between in one step; the element walk serves every row of every fold.
    const random = new Rng(777);
    const next = (n: number) => random.nextInt(n);
    let stalled = 0, overlapping = 0;
    for (let i = 0; i < 120; i++) {
      const dataflow = dataflows[next(3)];
      let shape;
      if (next(2) === 0) {
        shape = { m: 20 + next(120), n: 10 + next(90), k: 10 + next(120) };
      } else {
        const fh = 2 + next(4), fw = 2 + next(4), s = 1 + next(Math.min(fh, fw) - 1); // stride < filter: overlap
        const e = 3 + next(10), f = 3 + next(10);
        const padded = next(3) === 0;
        // unpadded: H = (E - 1)s + R exactly; padded: one more row/column than the windows cover
        shape = conv((e - 1) * s + fh + (padded ? 1 : 0), (f - 1) * s + fw, fh, fw, 1 + next(6), 2 + next(40), s);
        overlapping++;
      }
      const input: ScaleSimLayerInput = {
        ...shape, arrayRows: 2 + next(12), arrayCols: 2 + next(12), dataflow,
        ifmapSramKiB: (100 + next(900)) / 1024, filterSramKiB: (100 + next(900)) / 1024, ofmapSramKiB: (60 + next(600)) / 1024,
        interfaceBandwidth: next(4) === 0 ? 'CALC' : 'USER', bandwidthWordsPerCycle: 1 + next(16),
      };
      const fast = scaleSimV2Layer(input);
      expect(fast, JSON.stringify(input)).toEqual(scaleSimV2LayerElementwise(input));
      if (fast.stallCycles > 0) stalled++;
    }
    expect(stalled).toBeGreaterThan(60);
    expect(overlapping).toBeGreaterThan(40);
  });

  it('fold batching = every fold served (CALC, and USER with both operands resident)', () => {
    // With the read buffers unable to move, folds whose write-buffer state repeats are skipped a
    // period at a time (GEMM 256^3 on 8x8 WS/IS with 1 KiB SRAMs serves 3 of its 1024 folds).
    const random = new Rng(4242);
    const next = (n: number) => random.nextInt(n);
    const cases: ScaleSimLayerInput[] = [
      gemm(256, 256, 256, 8, 8, 'ws', { ifmapSramKiB: 1, filterSramKiB: 1, ofmapSramKiB: 1 }),
      gemm(256, 256, 256, 8, 8, 'is', { ifmapSramKiB: 1, filterSramKiB: 1, ofmapSramKiB: 1 }),
    ];
    for (let i = 0; i < 30; i++) {
      const user = next(2) === 0;
      const m = 40 + next(150), n = 40 + next(150), k = 40 + next(150);
      cases.push(gemm(m, n, k, 2 + next(10), 2 + next(10), dataflows[next(3)], {
        // USER: operands small enough to stay resident in 64 KiB; the OFMAP buffer stays small
        ifmapSramKiB: user ? 64 : (200 + next(2000)) / 1024, filterSramKiB: user ? 64 : (200 + next(2000)) / 1024,
        ofmapSramKiB: (100 + next(1500)) / 1024, interfaceBandwidth: user ? 'USER' : 'CALC', bandwidthWordsPerCycle: 1 + next(8),
      }));
    }
    for (const input of cases) expect(scaleSimV2Layer(input), JSON.stringify(input)).toEqual(scaleSimV2LayerElementwise(input));
  });

  it('rejects inconsistent m/n/k', () => {
    expect(() => scaleSimV2Layer({ ...gemm(1, 1, 1, 4, 4, 'ws'), ...conv(9, 9, 3, 3, 2, 4, 1), m: 50 })).toThrow(/disagree/);
  });
});

describe('SCALE-Sim v2 on a large layer', () => {
  it('M=N=K=2048 on 32x32 returns finite, consistent numbers', () => {
    for (const dataflow of ['os', 'ws', 'is'] as ScaleSimDataflow[]) {
      const r = scaleSimV2Layer(gemm(2048, 2048, 2048, 32, 32, dataflow));
      for (const v of Object.values(r)) expect(Number.isFinite(v)).toBe(true);
      expect(r.folds).toBe(64 * 64);
      expect(r.stallCycles).toBe(0);
      expect(r.totalCycles).toBe(r.folds * r.cyclesPerFold - 1);
      expect(r.mappingEffPct).toBe(100);
      expect(r.overallUtilPct).toBeCloseTo((100 * 2048 ** 3) / (r.totalCycles * 1024), 9);
      expect(r.computeUtilPct).toBeGreaterThan(0);
      expect(r.computeUtilPct).toBeLessThanOrEqual(100);
      expect(r.dramIfmapReads).toBeGreaterThanOrEqual(2048 * 2048);
      expect(r.dramFilterReads).toBeGreaterThanOrEqual(2048 * 2048);
      expect(r.dramOfmapWrites).toBeGreaterThanOrEqual(2048 * 2048);
    }
    const user = scaleSimV2Layer(gemm(2048, 2048, 2048, 32, 32, 'ws', { interfaceBandwidth: 'USER', ifmapSramKiB: 8, filterSramKiB: 8, ofmapSramKiB: 8 }));
    expect(user.stallCycles).toBeGreaterThan(0);
    expect(user.totalCycles).toBeGreaterThan(user.folds * user.cyclesPerFold - 1);
  });
});
