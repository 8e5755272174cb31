// Renders `accsim compare` rows: one line per target × format with speedup and energy ratio
// versus dense on the same target, bytes per memory level, the bottleneck and break-even density.

import type { CompareRow } from '../core/compare.js';
import { compareJson, type CompareReportRow } from './compare-input.js';
import { bytes, csvNumber, fraction, joules, macs, pJ, ratio, seconds } from './units.js';

export type CompareFormat = 'table' | 'json' | 'csv' | 'md';

function levelsOf(rows: CompareRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const level of Object.keys(row.bytesByLevel)) names.add(level);
  return [...names];
}

const breakEvenText = (value: CompareRow['breakEvenDensity']) =>
  value === undefined ? '—' : value === null ? 'never' : value === 'no-effect' ? 'no effect' : value >= 1 ? 'always' : `< ${fraction(value)}`;

export function renderCompare(rows: CompareReportRow[], format: CompareFormat, density = NaN): string {
  if (format === 'json') return compareJson(rows, density);
  const levels = levelsOf(rows);
  const headers = ['target', 'format', 'weights', 'time', ...levels.map((l) => `${l} bytes`), 'energy', 'pJ/MAC', 'speedup', 'energy ratio', 'break-even density', 'bottleneck', 'effect'];
  if (format === 'csv') {
    const csvHeaders = ['target', 'format', 'weights', 'density_fraction', 'seconds', ...levels.map((l) => `${l}_bytes`), 'energy_J', 'pJ_per_MAC', 'speedup_ratio', 'energy_ratio', 'break_even_density_fraction', 'bottleneck', 'effect'];
    const quote = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const lines = rows.map((r) =>
      [r.arch, r.format, r.pattern, csvNumber(r.density), csvNumber(r.seconds), ...levels.map((l) => csvNumber(r.bytesByLevel[l] ?? 0, true)), csvNumber(r.energyJ), csvNumber(r.pJPerMac), csvNumber(r.speedup), csvNumber(r.energyRatio), r.breakEvenDensity === undefined ? '' : r.breakEvenDensity === null ? 'never' : r.breakEvenDensity === 'no-effect' ? 'no effect' : csvNumber(r.breakEvenDensity), r.bottleneck, r.effect].map(quote).join(','),
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
    pJ(r.pJPerMac, r.result.total.macs.dense),
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
  const title = first ? `${first.workload.name.replace(/ \[.*\]$/, '')}: ${macs(first.total.macs.dense)} dense-equivalent, sparsity ${first.options.sparsityMode} (seed ${first.options.seed})` : '';
  return [title, '', line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', ...notes.map((n) => `  ${n}`)].join('\n') + '\n';
}
