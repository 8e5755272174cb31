// Reducers on hand-made points: Pareto fronts (2 and 3 metrics, ties, max:), best, sensitivity.
import { describe, expect, it } from 'vitest';
import { bestPoints, paretoFront, parseMetrics, renderBest, renderPareto, renderSensitivity, sensitivity } from '../../src/sweep/reduce.js';
import type { PointMetrics, SweepPoint } from '../../src/sweep/types.js';

const METRICS: PointMetrics = { cycles: 0, seconds: 0, energyJ: 0, pJPerMac: 0, utilization: 0, macs: 0, dramBytes: 0, stallCycles: 0, peakMacsPerCycle: 0, onChipBytes: 0, bottleneck: 'compute' };

function point(index: number, metrics: Partial<PointMetrics>, params: SweepPoint['params'] = {}, workload = 'w.yaml'): SweepPoint {
  return { schema: 'accsim.sweep-point', version: 1, index, params, workload, status: 'ok', metrics: { ...METRICS, ...metrics } };
}
const failed = (index: number): SweepPoint => ({ schema: 'accsim.sweep-point', version: 1, index, params: {}, workload: 'w.yaml', status: 'error', error: 'bad' });
const indices = (points: SweepPoint[]) => points.map((p) => p.index);

describe('Pareto front', () => {
  const points = [
    point(0, { cycles: 10, energyJ: 5 }),
    point(1, { cycles: 8, energyJ: 6 }),
    point(2, { cycles: 12, energyJ: 4 }),
    point(3, { cycles: 12, energyJ: 6 }), // dominated by 0, 1 and 2
    point(4, { cycles: 10, energyJ: 5 }), // tie with 0: both stay
    point(5, { cycles: 10, energyJ: 7 }), // same cycles as 0, more energy: dominated
    point(6, { cycles: 1, energyJ: 1 }, {}, 'other.yaml'), // another workload is never compared
    failed(7),
  ];

  it('keeps the non-dominated points per workload, ties included, sorted by the metrics', () => {
    const fronts = paretoFront(points, parseMetrics('cycles,energyJ', '--pareto'));
    expect(fronts.map((f) => f.workload)).toEqual(['w.yaml', 'other.yaml']);
    expect(indices(fronts[0].points)).toEqual([1, 0, 4, 2]);
    expect(fronts[0].considered).toBe(6);
    expect(indices(fronts[1].points)).toEqual([6]);
  });

  it('handles three metrics and maximised ones', () => {
    const three = [point(0, { cycles: 1, energyJ: 2, onChipBytes: 3 }), point(1, { cycles: 2, energyJ: 1, onChipBytes: 3 }), point(2, { cycles: 2, energyJ: 2, onChipBytes: 1 }), point(3, { cycles: 2, energyJ: 2, onChipBytes: 3 })];
    expect(indices(paretoFront(three, parseMetrics('cycles,energyJ,onChipBytes', '--pareto'))[0].points)).toEqual([0, 1, 2]);
    const util = [point(0, { seconds: 1, utilization: 0.5 }), point(1, { seconds: 1, utilization: 0.9 }), point(2, { seconds: 0.5, utilization: 0.2 })];
    expect(indices(paretoFront(util, parseMetrics('seconds,max:utilization', '--pareto'))[0].points)).toEqual([2, 1]);
  });

  it('renders table, csv and json', () => {
    const metrics = parseMetrics('cycles,energyJ', '--pareto');
    const fronts = paretoFront([point(0, { cycles: 2e6, energyJ: 3e-3 }, { 'compute.rows': 64 }), point(1, { cycles: 1e6, energyJ: 4e-3 }, { 'compute.rows': 128 })], metrics);
    expect(renderPareto(fronts, metrics, 'table')).toMatch(/workload\s+index\s+compute\.rows\s+cycles\s+energyJ\n[- ]+\nw\.yaml\s+1\s+128\s+1\.00 Mcycles\s+4\.00 mJ\n/);
    expect(renderPareto(fronts, metrics, 'csv')).toBe('workload,index,compute.rows,cycles,energyJ\nw.yaml,1,128,1000000,0.004\nw.yaml,0,64,2000000,0.003\n');
    expect(JSON.parse(renderPareto(fronts, metrics, 'json')).fronts[0].points).toHaveLength(2);
    expect(() => parseMetrics('cycles,energy', '--pareto')).toThrow(/unknown metric 'energy'.*did you mean 'energyJ'/);
  });
});

describe('best point', () => {
  it('picks the minimum per workload, the lowest index on ties, the maximum with max:', () => {
    const points = [point(0, { seconds: 3 }), point(1, { seconds: 2 }), point(2, { seconds: 2 }), point(3, { seconds: 9 }, {}, 'b.yaml'), failed(4)];
    const best = bestPoints(points, parseMetrics('seconds', '--best')[0]);
    expect(best.map((b) => [b.workload, b.point.index, b.value, b.considered])).toEqual([
      ['w.yaml', 1, 2, 3],
      ['b.yaml', 3, 9, 1],
    ]);
    expect(bestPoints(points, parseMetrics('max:seconds', '--best')[0])[0].point.index).toBe(0);
    expect(renderBest(best, parseMetrics('seconds', '--best')[0], 'csv')).toBe('workload,index,seconds,of ok points\nw.yaml,1,2,3\nb.yaml,3,9,1\n');
  });
});

describe('sensitivity', () => {
  it('is max/min of the mean metric per value of each swept parameter', () => {
    // seconds = rows-effect × bw-effect: rows 32 → 4, 64 → 2; bw 1 → ×1.5, 2 → ×1.
    const points = [
      point(0, { seconds: 6 }, { rows: 32, bw: 1 }),
      point(1, { seconds: 4 }, { rows: 32, bw: 2 }),
      point(2, { seconds: 3 }, { rows: 64, bw: 1 }),
      point(3, { seconds: 2 }, { rows: 64, bw: 2 }),
      failed(4),
    ];
    const rows = sensitivity(points, parseMetrics('seconds', '--sensitivity')[0]);
    // rows: means 5 (32) and 2.5 (64) → 2; bw: means 4.5 (1) and 3 (2) → 1.5.
    expect(rows).toEqual([
      { workload: 'w.yaml', parameter: 'rows', values: 2, minMean: 2.5, minAt: 64, maxMean: 5, maxAt: 32, ratio: 2 },
      { workload: 'w.yaml', parameter: 'bw', values: 2, minMean: 3, minAt: 2, maxMean: 4.5, maxAt: 1, ratio: 1.5 },
    ]);
    const zero = sensitivity([point(0, { stallCycles: 0 }, { x: 1 }), point(1, { stallCycles: 5 }, { x: 2 }), point(2, { stallCycles: 0 }, { y: 'a' })], parseMetrics('stallCycles', '--sensitivity')[0]);
    expect(zero.map((r) => [r.parameter, r.ratio])).toEqual([
      ['x', Infinity],
      ['y', 1],
    ]);
    expect(JSON.parse(renderSensitivity(zero, parseMetrics('stallCycles', '--s')[0], 'json')).rows[0].ratio).toBeNull();
    expect(renderSensitivity(rows, parseMetrics('seconds', '--s')[0], 'table')).toMatch(/w\.yaml\s+rows\s+2\s+2\.50 s\s+64\s+5\.00 s\s+32\s+2×/);
  });
});
