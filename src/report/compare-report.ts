// Renders `accsim compare` rows: one line per target × format with speedup and energy ratio
// versus dense on the same target, bytes per memory level, the bottleneck and break-even density.

import type { CompareRow } from '../core/compare.js';
import { bytes, engineering, joules, pJ, ratio, seconds } from './units.js';

export type CompareFormat = 'table' | 'json' | 'csv' | 'md';

function levelsOf(rows: CompareRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const level of Object.keys(row.bytesByLevel)) names.add(level);
  return [...names];
}

const breakEvenText = (value: CompareRow['breakEvenDensity']) =>
  value === undefined ? '—' : value === null ? 'never' : value === 'no-effect' ? 'no effect' : value >= 1 ? 'always' : `< ${value.toFixed(3)}`;

export function renderCompare(rows: CompareRow[], format: CompareFormat): string {
  if (format === 'json') {
    return JSON.stringify({ schema: 'accsim.compare', version: 1, rows: rows.map(({ result, ...row }) => ({ ...row, workload: result.workload, options: result.options, notes: result.notes })) }, null, 2) + '\n';
  }
  const levels = levelsOf(rows);
  const headers = ['target', 'format', 'weights', 'time', ...levels.map((l) => `${l} bytes`), 'energy', 'pJ/MAC', 'speedup', 'energy ratio', 'break-even density', 'bottleneck', 'effect'];
  if (format === 'csv') {
    const csvHeaders = ['target', 'format', 'weights', 'seconds_s', ...levels.map((l) => `${l}_bytes_B`), 'energy_J', 'pJ_per_dense_MAC', 'speedup_vs_dense', 'energy_ratio_vs_dense', 'break_even_density', 'bottleneck', 'effect'];
    const quote = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const lines = rows.map((r) =>
      [r.arch, r.format, r.pattern, r.seconds, ...levels.map((l) => r.bytesByLevel[l] ?? 0), r.energyJ, r.pJPerMac, r.speedup, r.energyRatio, r.breakEvenDensity ?? '', r.bottleneck, r.effect].map(quote).join(','),
    );
    return [csvHeaders.join(','), ...lines].join('\n') + '\n';
  }
  const body = rows.map((r) => [
    r.arch,
    r.format,
    r.pattern,
    seconds(r.seconds),
    ...levels.map((l) => (l in r.bytesByLevel ? bytes(r.bytesByLevel[l]) : '—')),
    joules(r.energyJ),
    pJ(r.pJPerMac),
    ratio(r.speedup),
    ratio(r.energyRatio),
    breakEvenText(r.breakEvenDensity),
    r.bottleneck,
    r.effect,
  ]);
  const notes = [
    'speedup and energy ratio are dense / format on the same target; pJ/MAC is per dense-equivalent MAC;',
    "break-even density: the weight density below which the format is faster than dense there ('never': slower even at 1 %; 'no effect': the target cannot use the format, see effect).",
  ];
  if (format === 'md') {
    return [`| ${headers.join(' | ')} |`, `| ${headers.map((_, i) => (i < 3 ? '---' : '---:')).join(' | ')} |`, ...body.map((line) => `| ${line.join(' | ')} |`), '', ...notes].join('\n') + '\n';
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const first = rows[0]?.result;
  const title = first ? `${first.workload.name.replace(/ \[.*\]$/, '')}: ${engineering(first.total.macs.dense, 'MAC')} dense-equivalent, sparsity ${first.options.sparsityMode} (seed ${first.options.seed})` : '';
  return [title, '', line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', ...notes.map((n) => `  ${n}`)].join('\n') + '\n';
}
