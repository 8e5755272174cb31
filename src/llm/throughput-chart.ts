// Serving throughput against one swept parameter (typically the batch): tokens/s over all devices
// from sweep points whose workload has a `serving` block. One line per value of the other swept
// parameters (at most a few), so a batch × format sweep shows one line per format.

import type { SweepPoint } from '../sweep/types.js';
import { seriesStyle } from '../report/charts/palette.js';
import type { ChartSpec, DatasetSpec } from '../report/charts/spec.js';

export function throughputChart(points: SweepPoint[], xParam: string, otherParams: string[], id: string, context: string): ChartSpec | undefined {
  const usable = points.filter((p) => p.status === 'ok' && p.metrics?.tokensPerSecond !== undefined && typeof p.params[xParam] === 'number');
  if (usable.length < 2) return undefined;
  const seriesKey = (p: SweepPoint) => otherParams.map((name) => `${name}=${String(p.params[name])}`).join(', ');
  const keys = [...new Set(usable.map(seriesKey))];
  if (keys.length > 6) return undefined;
  const datasets: DatasetSpec[] = keys.map((key, i) => {
    const style = seriesStyle(i);
    const data = usable
      .filter((p) => seriesKey(p) === key)
      .map((p) => ({ x: p.params[xParam] as number, y: p.metrics!.tokensPerSecond! }))
      .sort((a, b) => a.x - b.x);
    return { label: key || 'tokens/s', type: 'line', data, borderColor: style.color, backgroundColor: style.color, pointStyle: style.marker, pointRadius: 5, borderWidth: 2.5, showLine: true };
  });
  return {
    id,
    title: `Throughput vs ${xParam}`,
    subtitle: context,
    caption: `Generated tokens per second over all devices (the Result's serving.tokensPerSecond) at each value of ${xParam}; each point is one simulated design point of the sweep.`,
    notes: [],
    width: 800,
    height: 500,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        scales: {
          x: { type: 'linear', title: { text: xParam }, ticks: { maxRotation: 0 } },
          y: { type: 'linear', beginAtZero: true, title: { text: 'throughput (tokens/s, all devices)' } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    axes: { x: { kind: 'plain' }, y: { kind: 'eng', unit: 'tok/s' } },
    table: {
      headers: ['series', xParam, 'tokens_per_s', 'J_per_token'],
      rows: usable.map((p) => [seriesKey(p), p.params[xParam] as number, p.metrics!.tokensPerSecond!, p.metrics!.joulesPerToken ?? null]),
    },
  };
}
