import { describe, expect, it } from 'vitest';
import { throughputChart } from '../../src/llm/throughput-chart.js';
import type { SweepPoint } from '../../src/sweep/types.js';

const point = (index: number, batch: number, tokensPerSecond: number | undefined, status: 'ok' | 'error' = 'ok'): SweepPoint =>
  ({
    schema: 'accsim.sweep-point',
    version: 1,
    index,
    params: { 'parameters.batch': batch },
    workload: 'w.yaml',
    status,
    metrics: status === 'ok' ? ({ seconds: 1, energyJ: 1, tokensPerSecond, joulesPerToken: tokensPerSecond ? 1 / tokensPerSecond : undefined } as SweepPoint['metrics']) : undefined,
  }) as SweepPoint;

describe('tokens/s vs batch chart', () => {
  it('plots serving throughput against the batch, in batch order, leaving out refused points', () => {
    const chart = throughputChart([point(0, 4, 300), point(1, 1, 100), point(2, 2, 190), point(3, 128, undefined, 'error')], 'parameters.batch', [], 'c', 'ctx')!;
    expect(chart.config.data.datasets).toHaveLength(1);
    expect(chart.config.data.datasets[0].data).toEqual([{ x: 1, y: 100 }, { x: 2, y: 190 }, { x: 4, y: 300 }]);
    expect(chart.table.rows).toHaveLength(3);
  });

  it('draws nothing for sweeps without serving metrics', () => {
    expect(throughputChart([point(0, 1, undefined), point(1, 2, undefined)], 'parameters.batch', [], 'c', 'ctx')).toBeUndefined();
  });
});
