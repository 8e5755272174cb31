import { describe, expect, it } from 'vitest';
import { analyticalPipeline, simulatePipeline, type PipelineSpec, type TileRun } from '../../src/core/engine/pipeline.js';
import { Rng } from '../../src/core/random.js';

const spec = (runs: TileRun[], dramBytesPerCycle: number, buffers = 2): PipelineSpec => ({ runs, dramBytesPerCycle, inputBuffers: buffers, outputBuffers: buffers });

/** Reference: the same event rules simulated tile by tile with no batching, written naively. */
function naive(s: PipelineSpec): number {
  const tiles: TileRun[] = s.runs.flatMap((r) => Array.from({ length: r.count }, () => r));
  const t = (bytes: number) => (bytes === 0 || s.dramBytesPerCycle === Infinity ? 0 : Math.ceil(bytes / s.dramBytesPerCycle - 1e-9));
  const n = tiles.length;
  const loadEnd: number[] = [];
  const computeEnd: number[] = [];
  const storeEnd: number[] = [];
  let nl = 0;
  let ns = 0;
  let dram = 0;
  const computeKnown = (i: number) => i < computeEnd.length;
  while (ns < n) {
    while (computeEnd.length < nl && computeEnd.length - s.outputBuffers < ns) {
      const i = computeEnd.length;
      computeEnd.push(Math.max(loadEnd[i], i > 0 ? computeEnd[i - 1] : 0, i - s.outputBuffers >= 0 ? storeEnd[i - s.outputBuffers] : 0) + tiles[i].computeCycles);
    }
    const lr = nl < n && (nl - s.inputBuffers < 0 || computeKnown(nl - s.inputBuffers)) ? (nl - s.inputBuffers >= 0 ? computeEnd[nl - s.inputBuffers] : 0) : Infinity;
    const sr = computeKnown(ns) ? computeEnd[ns] : Infinity;
    const ls = Math.max(lr, dram);
    const ss = Math.max(sr, dram);
    if (sr !== Infinity && ss <= ls) {
      dram = ss + t(tiles[ns].storeBytes);
      storeEnd.push(dram);
      ns++;
    } else {
      dram = ls + t(tiles[nl].loadBytes);
      loadEnd.push(dram);
      nl++;
    }
  }
  return storeEnd[n - 1];
}

describe('tile pipeline engines', () => {
  it('agree exactly when compute hides every transfer (compute-bound dense)', () => {
    const s = spec([{ count: 500, loadBytes: 400, computeCycles: 100, storeBytes: 200 }], 10);
    const event = simulatePipeline(s);
    const analytical = analyticalPipeline(s);
    expect(event.cycles).toBe(analytical.cycles);
    expect(event.cycles).toBe(40 + 500 * 100 + 20);
  });

  it('agree exactly when the DRAM port never idles (bandwidth-bound dense)', () => {
    const s = spec([{ count: 300, loadBytes: 1000, computeCycles: 10, storeBytes: 500 }], 10);
    expect(simulatePipeline(s).cycles).toBe(analyticalPipeline(s).cycles);
    expect(simulatePipeline(s).cycles).toBe(300 * 150);
  });

  it('has no stalls without DRAM limits (SCALE-Sim CALC mode)', () => {
    const s = spec([{ count: 10, loadBytes: 1e6, computeCycles: 12638, storeBytes: 1e6 }], Infinity);
    const event = simulatePipeline(s);
    expect(event.cycles).toBe(126380);
    expect(event.stallCycles).toBe(0);
  });

  it('batches identical tiles without changing the answer', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const runs: TileRun[] = Array.from({ length: 1 + rng.nextInt(4) }, () => ({
        count: 1 + rng.nextInt(60),
        loadBytes: rng.nextInt(3) === 0 ? 0 : rng.nextInt(2000),
        computeCycles: 1 + rng.nextInt(200),
        storeBytes: rng.nextInt(3) === 0 ? 0 : rng.nextInt(2000),
      }));
      const s = spec(runs, 1 + rng.nextInt(20), 1 + rng.nextInt(3));
      const event = simulatePipeline(s);
      expect(event.cycles).toBe(naive(s));
      // The analytical path is a lower bound everywhere.
      expect(event.cycles).toBeGreaterThanOrEqual(analyticalPipeline(s).cycles);
    }
  });

  it('simulates long runs in few steps', () => {
    const s = spec([{ count: 1_000_000, loadBytes: 300, computeCycles: 50, storeBytes: 100 }], 16);
    const event = simulatePipeline(s);
    expect(event.simulatedTiles).toBeLessThan(100);
    expect(event.cycles).toBe(naive(spec([{ count: 2000, loadBytes: 300, computeCycles: 50, storeBytes: 100 }], 16)) + (1_000_000 - 2000) * 50);
  });

  it('batches steady states whose period is several tiles (bandwidth-bound, deep buffers)', () => {
    // Found by search: with these shapes the store-to-store time alternates (period > 1), which a
    // period-1 detector never batches (it simulated all 20,000 tiles of each).
    const cases: Array<[TileRun, number, number, number]> = [
      [{ count: 3000, loadBytes: 445, computeCycles: 281, storeBytes: 1897 }, 4, 3, 3],
      [{ count: 3000, loadBytes: 1492, computeCycles: 280, storeBytes: 1436 }, 2, 3, 3],
      [{ count: 3000, loadBytes: 143, computeCycles: 296, storeBytes: 2877 }, 4, 2, 2],
      [{ count: 3000, loadBytes: 553, computeCycles: 137, storeBytes: 167 }, 1, 3, 2],
      [{ count: 3000, loadBytes: 2907, computeCycles: 43, storeBytes: 1197 }, 6, 3, 3],
    ];
    for (const [run, bw, inputBuffers, outputBuffers] of cases) {
      const s: PipelineSpec = { runs: [run, { ...run, count: 7, computeCycles: run.computeCycles + 13 }, run], dramBytesPerCycle: bw, inputBuffers, outputBuffers };
      const event = simulatePipeline(s);
      expect(event.cycles, JSON.stringify(s)).toBe(naive(s));
      expect(event.simulatedTiles, JSON.stringify(s)).toBeLessThan(150);
    }
  });

  it('long random runs: batched exactly, and almost never tile by tile', () => {
    const rng = new Rng(11);
    let batched = 0;
    const trials = 150;
    for (let trial = 0; trial < trials; trial++) {
      const runs: TileRun[] = Array.from({ length: 1 + rng.nextInt(3) }, () => ({
        count: 200 + rng.nextInt(2000),
        loadBytes: rng.nextInt(4) === 0 ? 0 : 1 + rng.nextInt(3000),
        computeCycles: 1 + rng.nextInt(300),
        storeBytes: rng.nextInt(4) === 0 ? 0 : 1 + rng.nextInt(3000),
      }));
      const s = spec(runs, 1 + rng.nextInt(20), 1 + rng.nextInt(3));
      const event = simulatePipeline(s);
      expect(event.cycles, JSON.stringify(s)).toBe(naive(s));
      if (event.simulatedTiles < 300) batched++;
    }
    expect(batched).toBeGreaterThan(0.95 * trials);
  });

  it('never gets slower with more bandwidth', () => {
    const runs: TileRun[] = [
      { count: 40, loadBytes: 900, computeCycles: 60, storeBytes: 300 },
      { count: 7, loadBytes: 100, computeCycles: 200, storeBytes: 800 },
    ];
    let previous = Infinity;
    for (const bw of [1, 2, 3, 5, 8, 13, 21, 34, 55, Infinity]) {
      const cycles = simulatePipeline(spec(runs, bw)).cycles;
      expect(cycles).toBeLessThanOrEqual(previous);
      previous = cycles;
    }
  });
});
