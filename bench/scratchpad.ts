// Scratchpad family (PIUMA preset): SpGEMM A·A of R-MAT matrices, all three dataflows.
// Targets (issue 14): the three dataflows together in < 8 s at ~1.05M nnz and < 25 s at ~3.1M nnz,
// and the peak RSS below 500 MB.

import { BENCH_CASES, benchScratchpad } from '../src/families/scratchpad/bench.js';
import { below, timeRow, type BenchRow } from './harness.js';

const RSS_TARGET_MB = 500;

export function benchScratchpadRows(): BenchRow[] {
  benchScratchpad([BENCH_CASES[0]]); // warm-up pass (JIT) on the smallest case
  const rows: BenchRow[] = [];
  for (const c of BENCH_CASES) {
    const results = benchScratchpad([c]);
    for (const r of results) rows.push(timeRow(r.label, r.seconds, { detail: r.detail }));
    const total = results.reduce((sum, r) => sum + r.seconds, 0);
    rows.push({
      name: `SpGEMM inner + outer + row-wise, R-MAT scale ${c.scale} x ${c.edgeFactor}`,
      value: total,
      unit: 's',
      ...(c.targetSeconds === undefined ? {} : below(total, c.targetSeconds, 's')),
      detail: `${results[0].nnz.toLocaleString('en-US')} nnz (times include generating the matrix and the symbolic pass)`,
    });
  }
  // maxRSS is the process's peak so far: the bench runs this section before the sweeps, so it
  // bounds the SpGEMM's peak from above (the earlier sections are small).
  const peakMB = process.resourceUsage().maxRSS / 1024;
  rows.push({ name: 'peak RSS of the bench process after the SpGEMM cases', value: peakMB, unit: 'MB', ...below(peakMB, RSS_TARGET_MB, 'MB') });
  return rows;
}
