// Reporters only read Results; they never recompute model quantities.

import type { OperatorResult, Result, TotalResult } from '../core/types.js';
import { bytes, count, csvNumber, cycles, engineering, joules, macs, percent, pJ, seconds } from './units.js';
import { servingColumns, servingLines } from '../llm/serving-report.js';

export type OutputFormat = 'table' | 'json' | 'csv' | 'md';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', 'md'];

type Row = OperatorResult | (TotalResult & { name: string; count: number });

function levels(result: Result): string[] {
  // Stable order: the operator that touches the most levels sets it, others append theirs.
  const names = new Set<string>();
  const byCoverage = [...result.operators].sort((a, b) => Object.keys(b.memory).length - Object.keys(a.memory).length);
  for (const op of byCoverage) for (const level of Object.keys(op.memory)) names.add(level);
  return [...names];
}

function components(result: Result): string[] {
  return Object.keys(result.total.energy.components);
}

function rowsOf(result: Result): Row[] {
  return [...result.operators, { ...result.total, name: 'TOTAL', count: 1 }];
}

interface Column {
  header: string;
  /** The CSV header: the quantity and its unit (`cycles`, `seconds`, `DRAM_read_bytes`, `pJ_per_MAC`). */
  csvHeader: string;
  human: (row: Row) => string;
  raw: (row: Row) => number | string;
  /** Counts (cycles, bytes, MACs) are whole numbers in the CSV. */
  isCount?: boolean;
}

function columns(result: Result): Column[] {
  const cols: Column[] = [
    { header: 'operator', csvHeader: 'operator', human: (r) => (r.count > 1 ? `${r.name} ×${r.count}` : r.name), raw: (r) => r.name },
    { header: 'cycles', csvHeader: 'cycles', human: (r) => cycles(r.cycles), raw: (r) => r.cycles, isCount: true },
    { header: 'stall cycles', csvHeader: 'stall_cycles', human: (r) => cycles(r.stallCycles), raw: (r) => r.stallCycles, isCount: true },
    { header: 'time', csvHeader: 'seconds', human: (r) => seconds(r.seconds), raw: (r) => r.seconds },
    { header: 'util', csvHeader: 'utilization_fraction', human: (r) => percent(r.utilization), raw: (r) => r.utilization },
    { header: 'MACs', csvHeader: 'MACs', human: (r) => macs(r.macs.dense), raw: (r) => r.macs.dense, isCount: true },
  ];
  for (const level of levels(result)) {
    cols.push({ header: `${level} rd`, csvHeader: `${level}_read_bytes`, human: (r) => bytes(r.memory[level]?.readBytes ?? 0), raw: (r) => r.memory[level]?.readBytes ?? 0, isCount: true });
    cols.push({ header: `${level} wr`, csvHeader: `${level}_write_bytes`, human: (r) => bytes(r.memory[level]?.writeBytes ?? 0), raw: (r) => r.memory[level]?.writeBytes ?? 0, isCount: true });
  }
  for (const component of components(result)) {
    cols.push({ header: `E ${component}`, csvHeader: `energy_${component}_J`, human: (r) => joules(r.energy.components[component] ?? 0), raw: (r) => r.energy.components[component] ?? 0 });
  }
  cols.push({ header: 'energy', csvHeader: 'energy_J', human: (r) => joules(r.energy.totalJ), raw: (r) => r.energy.totalJ });
  // Element-wise operators do no MACs: their energy per MAC has no meaning ('—', an empty CSV cell).
  cols.push({ header: 'pJ/MAC', csvHeader: 'pJ_per_MAC', human: (r) => pJ(r.pJPerMac.dense, r.macs.dense), raw: (r) => (r.macs.dense === 0 ? '' : r.pJPerMac.dense) });
  cols.push({ header: 'bottleneck', csvHeader: 'bottleneck', human: (r) => r.bottleneck, raw: (r) => r.bottleneck });
  return cols;
}

function textTable(headers: string[], body: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((line) => line[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const rule = line(widths.map((w) => '-'.repeat(w)));
  return [line(headers), rule, ...body.slice(0, -1).map(line), rule, line(body[body.length - 1])];
}

/** Terminal view: a performance and traffic table, then an energy table, then the notes. */
export function renderTable(result: Result): string {
  const cols = columns(result);
  const rows = rowsOf(result);
  const isEnergy = (c: Column) => c.header.startsWith('E ') || c.header === 'energy' || c.header === 'pJ/MAC';
  const performance = cols.filter((c) => !isEnergy(c));
  const energy = [cols[0], ...cols.filter(isEnergy)];
  const out = [
    `${result.arch.name} (${result.arch.family}, ${engineering(result.arch.clockHz, 'Hz')}, ${count(result.arch.peakMacsPerCycle, 'MAC/cycle')}) × ${result.workload.name}`,
    `engine: ${result.options.engine}, convention: ${result.options.convention}, sparsity: ${result.options.sparsityMode}, seed: ${result.options.seed}`,
    '',
    ...textTable(performance.map((c) => c.header), rows.map((row) => performance.map((c) => c.human(row)))),
    '',
    'Energy by component (pJ/MAC per dense-equivalent MAC):',
    ...textTable(energy.map((c) => c.header), rows.map((row) => energy.map((c) => c.human(row)))),
  ];
  if (result.serving) out.push('', ...servingLines(result));
  if (result.notes.length) out.push('', 'Notes:', ...result.notes.map((n) => `  - ${n}`));
  return out.join('\n') + '\n';
}

function csvCell(value: number | string, isCount = false): string {
  const text = typeof value === 'number' ? csvNumber(value, isCount) : value;
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(result: Result): string {
  const cols = columns(result);
  // LLM serving metrics: extra columns, filled on the TOTAL row only.
  const serving = servingColumns(result);
  const lines = [[...cols.map((c) => c.csvHeader), ...serving.map((c) => c.header)].join(',')];
  const rows = rowsOf(result);
  rows.forEach((row, i) => lines.push([...cols.map((c) => csvCell(c.raw(row), c.isCount)), ...serving.map((c) => (i === rows.length - 1 ? csvCell(c.value) : ''))].join(',')));
  return lines.join('\n') + '\n';
}

export function renderMarkdown(result: Result): string {
  const cols = columns(result);
  const out = [
    `### ${result.arch.name} × ${result.workload.name}`,
    '',
    `Engine ${result.options.engine}, convention ${result.options.convention}, sparsity ${result.options.sparsityMode} (seed ${result.options.seed}). pJ/MAC is per dense-equivalent MAC.`,
    '',
    `| ${cols.map((c) => c.header).join(' | ')} |`,
    `| ${cols.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
  ];
  for (const row of rowsOf(result)) out.push(`| ${cols.map((c) => c.human(row)).join(' | ')} |`);
  if (result.serving) out.push('', ...servingLines(result).map((line) => line.replace(/^  /, '- ')));
  if (result.notes.length) out.push('', ...result.notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}

export function renderJson(result: Result): string {
  return JSON.stringify(result, null, 2) + '\n';
}

export function render(result: Result, format: OutputFormat): string {
  switch (format) {
    case 'table':
      return renderTable(result);
    case 'json':
      return renderJson(result);
    case 'csv':
      return renderCsv(result);
    case 'md':
      return renderMarkdown(result);
  }
}
