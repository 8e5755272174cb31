// Every number a person reads has at most four significant digits and a unit; CSV headers name
// the unit and CSV cells are raw SI (counts whole). Scans the table, Markdown and CSV renderings
// of every golden run (every preset × bundled workload its family runs) and of `compare`.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCsv, renderMarkdown, renderTable } from '../../src/report/reporters.js';
import { capacity, count, engineering, pJ, ratio, significant, specValue } from '../../src/report/units.js';
import { paramText } from '../../src/report/param-units.js';
import type { Result } from '../../src/core/types.js';
import { ROOT } from '../helpers.js';

const UNITS = ['cycles', 'B', 's', 'J', 'MAC', 'Hz', 'B/s', 'MAC/cycle', '%', 'OP/s', 'OP/B', 'tok/s', 'FLOP/s'];
const PREFIX = '[YZEPTGMkmµnpfa]?';
/** A quantity cell: a number (optionally ×10^n) and a unit, a percentage, a ratio, or '—'. */
const QUANTITY = new RegExp(`^-?\\d+(\\.\\d+)?(×10\\^-?\\d+)? (${PREFIX}(${UNITS.map((u) => u.replace('/', '\\/')).join('|')})|%)$|^-?\\d+(\\.\\d+)?×$|^—$`);

/** Significant digits of a decimal token ("0.0450" → 3 as written: leading zeros don't count). */
function significantDigits(token: string): number {
  const digits = token.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  return token.includes('.') ? digits.length : digits.replace(/0+$/, '').length;
}

/** Numbers standing alone (not inside names such as conv1, llama2-7b, L2, 2:4, int8). */
function numberTokens(text: string): string[] {
  return [...text.matchAll(/(?<![\w.:^\-/]|vertex )-?\d+(?:\.\d+)?(?![\w.:]|\.\d)/g)].map((m) => m[0]);
}

const goldenDir = join(ROOT, 'test', 'golden', 'results');
const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.json'));

function tableCells(text: string): string[][] {
  // Text tables: the lines between the header rules; columns separated by two or more spaces.
  const lines = text.split('\n');
  const rows: string[][] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^-+( +-+)+$/.test(lines[i])) {
      inTable = true;
      continue;
    }
    if (!lines[i].trim()) inTable = false;
    else if (inTable) rows.push(lines[i].trim().split(/ {2,}/));
  }
  return rows;
}

const mdCells = (text: string): string[][] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|( ?-+:? \|)+$/.test(l))
    .slice(1)
    .map((l) => l.slice(1, -1).split(' | ').map((c) => c.trim()));

function checkCells(rows: string[][], where: string): void {
  for (const row of rows) {
    for (const cell of row.slice(1)) {
      if (!/^[-\d—]/.test(cell)) continue; // bottleneck names and other words
      expect(cell, `${where}: '${cell}' in row ${row[0]}`).toMatch(QUANTITY);
    }
  }
}

function checkDigits(text: string, where: string): void {
  for (const token of numberTokens(text)) expect(significantDigits(token), `${where}: '${token}' has more than 4 significant digits`).toBeLessThanOrEqual(4);
}

describe('the formatter', () => {
  it('writes engineering notation with units, never e+ or binary-fraction noise', () => {
    expect(engineering(2790e-12, 'J')).toBe('2.79 nJ');
    expect(engineering(4.39e27, 'cycles')).toBe('4.39×10^27 cycles');
    expect(engineering(7.81e22, 'B')).toBe('78.1 ZB');
    expect(pJ(2790)).toBe('2.79 nJ');
    expect(pJ(0, 0)).toBe('—');
    expect(significant(1 - 0.8)).toBe('0.2');
    expect(ratio(1234.56)).toBe('1235×');
    expect(count(812.4, 'cycles')).toBe('812 cycles');
    expect(count(1_234_567, 'cycles')).toBe('1.23 Mcycles');
    expect(capacity(2 ** 20)).toBe('1 MiB');
    expect(capacity(1.2e6)).toBe('1.20 MB');
    expect(specValue(51.2e9, 'B/s')).toBe('51.2 GB/s');
  });

  it('gives swept parameters the unit their declaration has', () => {
    expect(paramText('memory.dram.bandwidth', 51.2e9)).toBe('51.2 GB/s');
    expect(paramText('memory.ifmap_sram.capacity', 2 ** 20)).toBe('1 MiB');
    expect(paramText('compute.rows', 128)).toBe('128');
  });
});

describe('every golden run renders with units and at most 4 significant digits', () => {
  for (const file of goldens) {
    it(file, () => {
      const result = JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as Result;
      const table = renderTable(result);
      const md = renderMarkdown(result);
      checkCells(tableCells(table), `${file} table`);
      checkCells(mdCells(md), `${file} md`);
      // Notes are prose from the models; their numbers still obey the digit rule.
      checkDigits(table, `${file} table`);
      checkDigits(md, `${file} md`);
      const [header, ...lines] = renderCsv(result).trimEnd().split('\n');
      for (const name of header.split(',')) expect(name, `${file} csv header`).toMatch(/^(operator|bottleneck|cycles|stall_cycles|seconds|utilization_fraction|MACs|pJ_per_MAC|.+_(read|write)_bytes|energy(_.+)?_J|serving_phase|batch|devices|tensor_parallel|pipeline_parallel|(prompt|context|output)_tokens|tokens_per(_device)?_s|(ttft|tpot)_s|J_per_token|achieved_TFLOPS_per_device|roofline_fraction)$/);
      for (const line of lines) for (const cell of line.split(',').slice(1)) if (/^-?\d/.test(cell)) expect(significantDigits(cell.replace(/e-?\d+$/, '')) <= 4 || /^\d+$/.test(cell), `${file} csv '${cell}'`).toBe(true);
    });
  }
});

describe('compare renders with units and at most 4 significant digits', () => {
  it('table, Markdown and CSV of a two-target compare', async () => {
    const { compare } = await import('../../src/core/compare.js');
    const { renderCompare } = await import('../../src/report/compare-report.js');
    const { loadArchFile, loadWorkloadFile } = await import('../../src/io/files.js');
    const archs = ['edge-128', 'tpu-v1'].map((a) => loadArchFile(join(ROOT, 'arch', `${a}.yaml`)));
    const workload = loadWorkloadFile(join(ROOT, 'workloads', 'bert-base.yaml'));
    const rows = compare({ archs, workload, formats: ['dense', 'csr', '2:4', 'bitmap'], density: 1 - 0.8, blockSize: 4, options: {}, breakEven: true });
    const table = renderCompare(rows, 'table');
    const md = renderCompare(rows, 'md');
    // The compare table's first three columns are names (target, format, weights pattern).
    const cells = (r: string[][]) => r.map((row) => [row[0], ...row.slice(3)]);
    checkCells(cells(tableCells(table)).map((row) => row.map((c) => c.replace(/^< /, ''))), 'compare table');
    checkCells(cells(mdCells(md)).map((row) => row.map((c) => c.replace(/^< /, ''))), 'compare md');
    checkDigits(table, 'compare table');
    checkDigits(md, 'compare md');
    expect(table).not.toMatch(/0\.1999/);
    const [header, ...lines] = renderCompare(rows, 'csv').trimEnd().split('\n');
    expect(header).toBe('target,format,weights,density_fraction,seconds,dram_bytes,ifmap_sram_bytes,filter_sram_bytes,ofmap_sram_bytes,energy_J,pJ_per_MAC,speedup_ratio,energy_ratio,break_even_density_fraction,bottleneck,effect');
    for (const line of lines) for (const cell of line.split(',').slice(3, -2)) if (/^-?\d/.test(cell)) expect(significantDigits(cell.replace(/e-?\d+$/, '')) <= 4 || /^\d+$/.test(cell), `compare csv '${cell}'`).toBe(true);
  });
});
