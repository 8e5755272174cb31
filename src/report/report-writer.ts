// Design-review reports from saved Results and sweep runs: a format-neutral model (sections with
// paragraphs, charts and tables) built from the inputs, written as a self-contained HTML page,
// Markdown with PNG charts, CSV tables and PNG/SVG chart files. Reporters only read Results and
// sweep points; they never recompute the model.
//
// Layout of <outDir>:
//   report.html           self-contained (chart.js inlined, data inlined, no network)
//   report.md             links charts/<id>.png and csv/<id>.csv relatively
//   charts/<id>.png|svg   one file per chart
//   csv/<id>.csv          one file per table and per chart's data
// Outputs contain no timestamps, so regenerating from the same inputs gives the same bytes.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { RESULT_SCHEMA, RESULT_VERSION, type Result } from '../core/types.js';
import { SWEEP_POINT_SCHEMA, SWEEP_RUN_SCHEMA, type SweepPoint, type SweepRun } from '../sweep/types.js';
import { inputError } from '../spec/errors.js';
import { displayName, writeFileAtomic } from '../io/files.js';
import { renderCsv } from './reporters.js';
import { writeDirectoryAtomic } from './atomic-dir.js';
import { formatMetric, NUMERIC_METRICS, type NumericMetric } from '../sweep/reduce.js';
import { compareInputFromJson, isCompareJson, type CompareInput, type CompareReportRow } from './compare-input.js';
import type { WeightStorage } from '../core/weight-storage.js';
import { bandwidthUtilisationChart, energyByRunChart, storageChart, timeByBottleneckChart } from './charts/summary-charts.js';
import type { CompareRow } from '../core/compare.js';
import { fraction } from './units.js';
import { count, csvNumber, cycles, engineering, joules, macs, percent, pJ, ratio, seconds } from './units.js';
import type { ChartSpec } from './charts/spec.js';
import { slug } from './charts/spec.js';
import { memoryLevels, rooflineChart, rooflineData, type MacKind } from './charts/roofline.js';
import { cycleBreakdownChart, energyBreakdownChart, layerTimeChart, operatorLabel, operatorTimeComparisonChart, resultLabel, totalsComparisonChart } from './charts/breakdown.js';
import { speedupChart, speedupSeries, observationsFromPoints, observationsFromResults, type SpeedupObservation } from './charts/speedup.js';
import { axisValues, heatmapChart, heatmapMatrix, type Aggregate } from './charts/heatmap.js';
import { paretoChart } from './charts/pareto.js';
import { throughputChart } from '../llm/throughput-chart.js';
import { servingLines } from '../llm/serving-report.js';
import { METRICS, paramsText, paramValueLabel, type MetricName } from './charts/metrics.js';

// ---------------------------------------------------------------------------------------------
// Inputs

export interface ResultInput {
  kind: 'result';
  result: Result;
  /** Shown in headings and legends; default "<arch> × <workload>". */
  label?: string;
  /** Where it was read from, for the report's provenance line. */
  source?: string;
}

export interface SweepInput {
  kind: 'sweep';
  run: SweepRun;
  points: SweepPoint[];
  label?: string;
  source?: string;
  /** Heatmap axes (default: the first two axes with several values) and metric (default seconds). */
  heatmap?: { x: string; y: string; metric?: MetricName; aggregate?: Aggregate };
  /** Pareto metrics (default seconds vs energyJ). */
  pareto?: { x: MetricName; y: MetricName };
  /** Notes from loading (e.g. a partial last line of points.jsonl). */
  notes?: string[];
}

/** A speedup-vs-sparsity study assembled by the caller (e.g. examples.ts from several runs). */
export interface SpeedupInput {
  kind: 'speedup';
  title: string;
  /** Subtitle context, e.g. "OPT-30B decode, batch 8". */
  context: string;
  observations: SpeedupObservation[];
  baselineFormat?: string;
  notes?: string[];
}

export type ReportInput = ResultInput | SweepInput | SpeedupInput | CompareInput;

export type ReportFormat = 'html' | 'md' | 'csv' | 'png' | 'svg';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'csv', 'png', 'svg'];
export const DEFAULT_REPORT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'csv', 'png'];

export interface ReportOptions {
  title?: string;
  /** Paragraphs under the title. */
  intro?: string[];
  /** Which MACs the roofline counts (default issued: what the hardware executes). */
  macKind?: MacKind;
  /** PNG device pixels per CSS pixel (default 2). */
  scale?: number;
  /** PNG/SVG chart theme: 'slides' is 16:9 with larger fonts (default 'report'). */
  theme?: 'report' | 'slides';
}

function isResult(value: unknown): value is Result {
  return typeof value === 'object' && value !== null && (value as Result).schema === RESULT_SCHEMA;
}

/** Accepts bare Results too, so `accsim run --report` can pass what simulate returned. */
export function normaliseInputs(inputs: ReadonlyArray<ReportInput | Result>): ReportInput[] {
  return inputs.map((input) => (isResult(input) ? { kind: 'result', result: input } : input));
}

// ---------------------------------------------------------------------------------------------
// Loading saved results

function readJson(path: string, what: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw inputError({ file: displayName(path), keyPath: '', message: `${what} is not valid JSON (${(error as Error).message})` });
  }
}

function checkResult(value: unknown, path: string): Result {
  const r = value as Partial<Result>;
  if (!r || typeof r !== 'object' || r.schema !== RESULT_SCHEMA) {
    throw inputError({ file: displayName(path), keyPath: 'schema', message: 'not an accsim Result', expected: `"schema": "${RESULT_SCHEMA}" (write one with accsim run -f json -o FILE.json)` });
  }
  if (r.version !== RESULT_VERSION) {
    throw inputError({ file: displayName(path), keyPath: 'version', message: `Result version ${String(r.version)} is not supported`, expected: `version ${RESULT_VERSION}` });
  }
  if (!Array.isArray(r.operators) || !r.total || !r.arch) {
    throw inputError({ file: displayName(path), keyPath: '', message: 'Result is missing operators, total or arch' });
  }
  return value as Result;
}

/** Reads results/<run>/run.json and points.jsonl. A partial last line (a sweep still writing) is skipped with a note. */
export function loadSweepDir(dir: string): SweepInput {
  const runPath = join(dir, 'run.json');
  const run = readJson(runPath, 'sweep run.json') as SweepRun;
  if (!run || run.schema !== SWEEP_RUN_SCHEMA) {
    throw inputError({ file: displayName(runPath), keyPath: 'schema', message: 'not an accsim sweep run', expected: `"schema": "${SWEEP_RUN_SCHEMA}"` });
  }
  const pointsPath = join(dir, 'points.jsonl');
  if (!existsSync(pointsPath)) throw inputError({ file: displayName(pointsPath), keyPath: '', message: 'sweep has no points.jsonl' });
  const text = readFileSync(pointsPath, 'utf8');
  const lines = text.split('\n');
  const points: SweepPoint[] = [];
  const notes: string[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: SweepPoint;
    try {
      value = JSON.parse(line) as SweepPoint;
    } catch (error) {
      const last = i === lines.length - 1; // no trailing newline: still being written
      if (last) {
        notes.push(`points.jsonl line ${i + 1} is incomplete (the sweep may still be running) and was skipped.`);
        return;
      }
      throw inputError({ file: displayName(pointsPath), position: { line: i + 1, column: 1 }, keyPath: '', message: `not valid JSON (${(error as Error).message})` });
    }
    if (value.schema !== SWEEP_POINT_SCHEMA) {
      throw inputError({ file: displayName(pointsPath), position: { line: i + 1, column: 1 }, keyPath: 'schema', message: 'not a sweep point', expected: `"schema": "${SWEEP_POINT_SCHEMA}"` });
    }
    points.push(value);
  });
  points.sort((a, b) => a.index - b.index);
  return { kind: 'sweep', run, points, source: displayName(dir), label: basename(resolve(dir)), notes };
}

/**
 * Result JSON files and sweep directories → report inputs. A directory is a sweep if it holds
 * run.json; otherwise its *.json Results and sweep subdirectories are taken, sorted by name.
 */
export function loadReportInputs(paths: string[]): ReportInput[] {
  const inputs: ReportInput[] = [];
  for (const path of paths) {
    if (!existsSync(path)) throw inputError({ file: path, keyPath: '', message: 'no such file or directory', expected: 'a Result JSON file (accsim run -f json -o FILE) or a sweep results directory' });
    if (statSync(path).isDirectory()) {
      if (existsSync(join(path, 'run.json'))) {
        inputs.push(loadSweepDir(path));
        continue;
      }
      const found: ReportInput[] = [];
      for (const entry of readdirSync(path).sort()) {
        const full = join(path, entry);
        if (statSync(full).isDirectory() && existsSync(join(full, 'run.json'))) found.push(loadSweepDir(full));
        else if (entry.endsWith('.json')) {
          const value = readJson(full, 'file');
          if (isResult(value)) found.push({ kind: 'result', result: checkResult(value, full), source: displayName(full) });
          else if (isCompareJson(value)) found.push(compareInputFromJson(value, displayName(full)));
        }
      }
      if (!found.length) throw inputError({ file: displayName(path), keyPath: '', message: 'directory holds no Result JSON files and no sweep runs', expected: 'run.json + points.jsonl, or *.json Results' });
      inputs.push(...found);
      continue;
    }
    const value = readJson(path, 'file');
    if ((value as SweepRun)?.schema === SWEEP_RUN_SCHEMA) inputs.push(loadSweepDir(resolve(path, '..')));
    else if (isCompareJson(value)) inputs.push(compareInputFromJson(value, displayName(path)));
    else inputs.push({ kind: 'result', result: checkResult(value, path), source: displayName(path) });
  }
  return inputs;
}

// ---------------------------------------------------------------------------------------------
// The report model

export interface ReportTable {
  /** File-name-safe id (csv/<id>.csv), unique within the report. */
  id: string;
  title: string;
  headers: string[];
  /** Per column: numbers right-aligned. */
  align: Array<'left' | 'right'>;
  /** Human-readable cells (engineering notation with units). */
  rows: string[][];
  /** The CSV (raw SI numbers). */
  csv: string;
}

export interface ReportSection {
  id: string;
  title: string;
  /** Detail behind the summary: collapsed in HTML, after the summary in Markdown. */
  detail?: boolean;
  paragraphs: string[];
  charts: ChartSpec[];
  tables: ReportTable[];
  notes: string[];
}

export interface ReportModel {
  title: string;
  intro: string[];
  /** Input files, for provenance. */
  sources: string[];
  sections: ReportSection[];
}

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  return [headers, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

class Ids {
  private used = new Set<string>();
  take(text: string): string {
    const base = slug(text);
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

function labelled(inputs: ReportInput[]): Array<ResultInput & { label: string }> {
  const results = inputs.filter((i): i is ResultInput => i.kind === 'result');
  // Several targets on one workload: the architecture name says it all.
  const oneWorkload = results.length > 1 && new Set(results.map((r) => r.result.workload.hash)).size === 1;
  const base = results.map((r) => r.label ?? (oneWorkload ? r.result.arch.name : resultLabel(r.result)));
  return results.map((r, i) => {
    const same = base.filter((b) => b === base[i]).length;
    const nth = base.slice(0, i).filter((b) => b === base[i]).length + 1;
    return { ...r, label: same > 1 ? `${base[i]} (${nth})` : base[i] };
  });
}

function summaryTable(items: Array<ResultInput & { label: string }>, ids: Ids): ReportTable {
  const first = items[0]?.result;
  const withSpeedup = items.length > 1;
  // Narrow enough for a 1400-px page: the run's label, what it is, and the answer columns.
  const headers = ['run', 'family', 'workload', 'time', 'energy', 'pJ/MAC', 'util', 'bottleneck', ...(withSpeedup ? [`speedup vs ${items[0].label}`] : [])];
  const speedupOf = (r: Result) => (first && r.workload.hash === first.workload.hash && r.total.seconds > 0 ? first.total.seconds / r.total.seconds : null);
  const rows = items.map(({ label, result: r }) => [
    label,
    r.arch.family,
    r.workload.name,
    seconds(r.total.seconds),
    joules(r.total.energy.totalJ),
    pJ(r.total.pJPerMac.dense, r.total.macs.dense),
    percent(r.total.utilization),
    r.total.bottleneck,
    ...(withSpeedup ? [speedupOf(r) === null ? 'n/a (other workload)' : ratio(speedupOf(r)!)] : []),
  ]);
  const csv = toCsv(
    ['result', 'arch', 'family', 'workload', 'cycles', 'seconds', 'energy_J', 'pJ_per_MAC', 'pJ_per_effectual_MAC', 'utilization_fraction', 'bottleneck', 'speedup_ratio'],
    items.map(({ label, result: r }) => [label, r.arch.name, r.arch.family, r.workload.name, csvNumber(r.total.cycles, true), csvNumber(r.total.seconds), csvNumber(r.total.energy.totalJ), r.total.macs.dense ? csvNumber(r.total.pJPerMac.dense) : null, r.total.macs.effectual ? csvNumber(r.total.pJPerMac.effectual) : null, csvNumber(r.total.utilization), r.total.bottleneck, speedupOf(r) === null ? null : csvNumber(speedupOf(r)!)]),
  );
  return { id: ids.take('summary'), title: 'Summary', headers, align: headers.map((_, i) => (i >= 3 && i !== 7 ? 'right' : 'left')), rows, csv };
}

function operatorTable(sectionId: string, label: string, result: Result, ids: Ids): ReportTable {
  const headers = ['operator', 'cycles', 'stalled', 'time', 'util', 'MACs', 'energy', 'pJ/MAC', 'bottleneck'];
  const row = (name: string, x: { cycles: number; stallCycles: number; seconds: number; utilization: number; macs: { dense: number }; energy: { totalJ: number }; pJPerMac: { dense: number }; bottleneck: string }) => [
    name,
    cycles(x.cycles),
    x.cycles > 0 ? percent(x.stallCycles / x.cycles) : '–',
    seconds(x.seconds),
    percent(x.utilization),
    macs(x.macs.dense),
    joules(x.energy.totalJ),
    pJ(x.pJPerMac.dense, x.macs.dense),
    x.bottleneck,
  ];
  const rows = [...result.operators.map((op) => row(operatorLabel(op), op)), row('TOTAL', result.total)];
  return { id: ids.take(`${sectionId} operators`), title: `Per operator — ${label}`, headers, align: headers.map((_, i) => (i === 0 || i === 8 ? 'left' : 'right')), rows, csv: renderCsv(result) };
}

/** Memory levels with a bandwidth ceiling, off-chip (DRAM/HBM) first, then the innermost last-seen ones. */
function levelsWithCeiling(r: Result): string[] {
  const offChip = (level: string) => /dram|hbm|ddr|host|off.?chip/i.test(level);
  const levels = memoryLevels(r).filter((level) => rooflineData(r, level, 'issued').bandwidth !== null);
  return [...levels.filter(offChip), ...levels.filter((l) => !offChip(l)).reverse()];
}

function resultParagraphs(r: Result): string[] {
  const t = r.total;
  return [
    `${r.arch.name} (${r.arch.family}, ${engineering(r.arch.clockHz, 'Hz')}, ${count(r.arch.peakMacsPerCycle, 'MAC/cycle')}; ${r.arch.file}, hash ${r.arch.hash}) running ${r.workload.name} (${r.workload.file}, hash ${r.workload.hash}).`,
    `Engine ${r.options.engine}, convention ${r.options.convention}, sparsity model ${r.options.sparsityMode}, seed ${r.options.seed}.`,
    `Total ${cycles(t.cycles)} = ${seconds(t.seconds)} (${percent(t.cycles > 0 ? t.stallCycles / t.cycles : 0)} stalled), ${macs(t.macs.dense)} dense-equivalent, ${joules(t.energy.totalJ)}, ${pJ(t.pJPerMac.dense, t.macs.dense)} per dense-equivalent MAC (${pJ(t.pJPerMac.effectual, t.macs.effectual)} per effectual MAC), utilisation ${percent(t.utilization)}; the bottleneck over most cycles is ${t.bottleneck}.`,
    // LLM serving metrics (tokens/s, TTFT, TPOT, J/token, capacity) as one paragraph.
    ...(r.serving ? [servingLines(r).map((line) => line.trim()).join(' ')] : []),
  ];
}

/**
 * A run's detail section (collapsed behind the summary). `shown` lists the charts the summary
 * already has for this run, so they are not drawn twice; `rooflines` caps the rooflines (the
 * outermost levels with a bandwidth ceiling come first; a level without one gets none).
 */
function resultSection(item: ResultInput & { label: string }, ids: Ids, options: ReportOptions, shown: { layerTime?: boolean; energy?: boolean; roofline?: string } = {}, rooflines = 2): ReportSection {
  const r = item.result;
  const id = ids.take(item.label.replace(/\s*\([^)]*\)/g, ''));
  const charts: ChartSpec[] = [];
  if (!shown.layerTime) charts.push(layerTimeChart(r, ids.take(`${id} time`)));
  charts.push(cycleBreakdownChart(r, ids.take(`${id} cycles`)));
  if (!shown.energy) charts.push(energyBreakdownChart(r, ids.take(`${id} energy`)));
  for (const level of levelsWithCeiling(r).filter((l) => l !== shown.roofline).slice(0, rooflines)) {
    charts.push(rooflineChart(rooflineData(r, level, options.macKind ?? 'issued'), ids.take(`${id} roofline ${level}`), item.label));
  }
  return { id, title: item.label, detail: true, paragraphs: resultParagraphs(r), charts, tables: [operatorTable(id, item.label, r, ids)], notes: [...r.notes] };
}

/** The summary of plain Results: the table, and the charts that answer "which is better, and why". */
function resultsSummary(items: Array<ResultInput & { label: string }>, ids: Ids, options: ReportOptions): { section: ReportSection; shown: { layerTime?: boolean; energy?: boolean; roofline?: string } } {
  // The table takes csv/summary.csv; the section's anchor is #summary (anchors and files do not clash).
  const table = summaryTable(items, ids);
  const id = 'summary';
  const charts: ChartSpec[] = [];
  const notes: string[] = [];
  const shown: { layerTime?: boolean; energy?: boolean; roofline?: string } = {};
  if (items.length === 1) {
    const r = items[0].result;
    charts.push(layerTimeChart(r, ids.take(`${id} time`)));
    charts.push(energyBreakdownChart(r, ids.take(`${id} energy`)));
    const outer = levelsWithCeiling(r)[0];
    if (outer) charts.push(rooflineChart(rooflineData(r, outer, options.macKind ?? 'issued'), ids.take(`${id} roofline ${outer}`), items[0].label));
    Object.assign(shown, { layerTime: true, energy: true, roofline: outer });
  } else {
    charts.push(totalsComparisonChart(items, ids.take('comparison totals')));
    charts.push(timeByBottleneckChart(items, ids.take(`${id} time by bottleneck`)));
    charts.push(energyByRunChart(items, ids.take(`${id} energy`)));
    const names = (r: Result) => new Set(r.operators.map((op) => op.name));
    const shared = [...names(items[0].result)].filter((n) => items.every((i) => names(i.result).has(n)));
    if (shared.length) charts.push(operatorTimeComparisonChart(items, ids.take('comparison operators')));
    else notes.push('The results share no operator names, so there is no per-operator comparison.');
    if (new Set(items.map((i) => i.result.workload.hash)).size > 1) notes.push('The results run different workloads (different content hashes): totals compare whole runs, not the same work.');
  }
  const bandwidth = bandwidthUtilisationChart(items, ids.take(`${id} bandwidth`));
  if (bandwidth) charts.push(bandwidth);
  const question = items.length === 1 ? `Where does ${items[0].label} spend its time and energy, and what bounds it?` : `How do ${items.map((i) => i.label).join(', ')} compare in time and energy, and what bounds each?`;
  return { section: { id, title: 'Summary', paragraphs: [question], charts, tables: [table], notes }, shown };
}

/** "OPT-30B decode on A100, H100: weight formats" for the report title. */
function compareTitle(inputs: ReportInput[]): string {
  const first = inputs.find((i): i is CompareInput => i.kind === 'compare')!;
  return `weight formats for ${first.rows[0].result.workload.name.replace(/ \[.*\]$/, '')} on ${[...new Set(first.rows.map((r) => r.arch))].join(', ')}`;
}

const compareLabel = (row: CompareRow, oneTarget: boolean) => (oneTarget ? row.format : `${row.arch} · ${row.format}`);

/** `accsim compare`: the question, the answer table, and the four charts that support it. */
/**
 * The rows the answer is about: per target and format, the row at the density the question asks
 * (the closest one; N:M formats and dense have their own). Rows at other densities only feed the
 * speedup curves.
 */
function primaryRows(input: CompareInput): CompareReportRow[] {
  const chosen = new Map<string, CompareReportRow>();
  const distance = (r: CompareReportRow) => (Number.isFinite(input.density) ? Math.abs(r.density - input.density) : 0);
  for (const row of input.rows) {
    const key = `${row.arch}\u0000${row.format}`;
    const previous = chosen.get(key);
    if (!previous || distance(row) < distance(previous)) chosen.set(key, row);
  }
  const kept = input.rows.filter((row) => chosen.get(`${row.arch}\u0000${row.format}`) === row);
  const targets = [...new Set(input.rows.map((r) => r.arch))];
  const formats = [...new Set(input.rows.map((r) => r.format))];
  return kept.sort((a, b) => targets.indexOf(a.arch) - targets.indexOf(b.arch) || formats.indexOf(a.format) - formats.indexOf(b.format));
}

function compareSections(input: CompareInput, ids: Ids): ReportSection[] {
  const rows = primaryRows(input);
  const targets = [...new Set(rows.map((r) => r.arch))];
  const formats = [...new Set(rows.map((r) => r.format))];
  const oneTarget = targets.length === 1;
  const workload = rows[0].result.workload.name.replace(/ \[.*\]$/, '');
  const items = rows.map((row) => ({ kind: 'result' as const, result: row.result, label: compareLabel(row, oneTarget) }));
  const id = ids.take('summary');
  const densityText = Number.isFinite(input.density) ? ` at weight density ${fraction(input.density)} (N:M formats fix their own)` : '';
  const paragraphs = [`Question: which weight format makes ${workload} fastest and most frugal on ${targets.join(' and ')}? Formats ${formats.join(', ')}${densityText}.`];
  for (const target of targets) {
    const mine = rows.filter((r) => r.arch === target);
    const best = mine.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const frugal = mine.reduce((a, b) => (b.energyJ < a.energyJ ? b : a));
    paragraphs.push(
      `On ${target}: ${best.format} is fastest (${ratio(best.speedup)} dense speed, ${seconds(best.seconds)}, bound by ${best.bottleneck}); ${frugal.format === best.format ? 'it also uses the least energy' : `${frugal.format} uses the least energy`} (${joules(frugal.energyJ)}, ${ratio(frugal.energyRatio)} less than dense).`,
    );
  }
  const headers = ['target', 'format', 'weights', 'time', 'speedup', 'energy', 'energy saved', 'bottleneck', 'break-even density'];
  const breakEven = (v: CompareRow['breakEvenDensity']) => (v === undefined ? '—' : v === null ? 'never' : v === 'no-effect' ? 'no effect' : v >= 1 ? 'always' : `< ${fraction(v)}`);
  const table: ReportTable = {
    id: ids.take(`${id} answer`),
    title: 'Speedup and energy versus dense on the same target',
    headers,
    align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left', 'right'],
    rows: rows.map((r) => [r.arch, r.format, r.pattern, seconds(r.seconds), ratio(r.speedup), joules(r.energyJ), ratio(r.energyRatio), r.bottleneck, breakEven(r.breakEvenDensity)]),
    csv: toCsv(
      ['target', 'format', 'weights', 'density_fraction', 'seconds', 'speedup_ratio', 'energy_J', 'energy_ratio', 'bottleneck', 'break_even_density_fraction', 'effect'],
      rows.map((r) => [r.arch, r.format, r.pattern, csvNumber(r.density), csvNumber(r.seconds), csvNumber(r.speedup), csvNumber(r.energyJ), csvNumber(r.energyRatio), r.bottleneck, r.breakEvenDensity === undefined ? null : r.breakEvenDensity === null ? 'never' : r.breakEvenDensity === 'no-effect' ? 'no effect' : csvNumber(r.breakEvenDensity), r.effect]),
    ),
  };
  // One curve per format from every (density, speedup) point the rows hold.
  // Dense time does not depend on the density the other formats ran at: one dense baseline per target.
  const curveRows = input.rows.filter((r) => r.format !== 'dense' || input.rows.find((d) => d.arch === r.arch && d.format === 'dense') === r);
  const observations = observationsFromResults(curveRows.map((r) => ({ result: r.result, format: r.format, sparsity: 1 - r.density, target: r.arch })));
  const { series, notes: speedupNotes } = speedupSeries(observations, 'dense');
  const charts: ChartSpec[] = [];
  if (series.length) charts.push(speedupChart(series, ids.take(`${id} speedup`), `${workload}`, 'dense', speedupNotes));
  charts.push(timeByBottleneckChart(items, ids.take(`${id} time by bottleneck`)));
  charts.push(energyByRunChart(items, ids.take(`${id} energy`)));
  const bandwidth = bandwidthUtilisationChart(items, ids.take(`${id} bandwidth`));
  if (bandwidth) charts.push(bandwidth);
  // Storage depends on the format, not the target: one bar per format.
  const stored = formats.map((format) => rows.find((r) => r.format === format && r.weightStorage)).filter((r): r is CompareReportRow & { weightStorage: WeightStorage } => r !== undefined);
  if (stored.length) charts.push(storageChart(stored.map((r) => ({ format: r.format, ...r.weightStorage })), ids.take(`${id} storage`), workload));
  const summary: ReportSection = {
    id,
    title: 'Summary',
    paragraphs,
    charts,
    tables: [table],
    notes: ['Speedup and energy saved are dense ÷ format on the same target; break-even density: below it the format beats dense there (\'never\': slower even at 1 %).'],
  };
  // Detail per target: per-operator time of every format, and the dense run's operator table.
  const details = targets.map((target): ReportSection => {
    const mine = items.filter((_, i) => rows[i].arch === target);
    const dense = rows.find((r) => r.arch === target && r.format === 'dense') ?? rows.find((r) => r.arch === target)!;
    const sid = ids.take(`detail ${target}`);
    return {
      id: sid,
      title: `${target}: per operator`,
      detail: true,
      paragraphs: resultParagraphs(dense.result),
      charts: [operatorTimeComparisonChart(mine.map((m) => ({ ...m, label: m.label.replace(`${target} · `, '') })), ids.take(`${sid} operators`))],
      tables: [operatorTable(sid, `${target} · ${dense.format}`, dense.result, ids)],
      notes: [...new Set(rows.filter((r) => r.arch === target).flatMap((r) => r.result.notes))],
    };
  });
  return [summary, ...details];
}

function speedupSection(input: SpeedupInput, ids: Ids): ReportSection {
  const id = ids.take(input.title);
  const baseline = input.baselineFormat ?? 'dense';
  const { series, notes } = speedupSeries(input.observations, baseline);
  const chart = speedupChart(series, ids.take(`${id} chart`), input.context, baseline, notes);
  const headers = ['target', 'format', 'sparsity', 'time', `${baseline} time`, 'speedup'];
  const rows = series.flatMap((s) => s.points.map((p) => [s.target || '–', s.format, percent(p.sparsity), seconds(p.seconds), seconds(p.baselineSeconds), ratio(p.speedup)]));
  const table: ReportTable = { id: ids.take(`${id} table`), title: `Speedup over ${baseline}`, headers, align: ['left', 'left', 'right', 'right', 'right', 'right'], rows, csv: toCsv(chart.table.headers, chart.table.rows) };
  return { id, title: input.title, paragraphs: [], charts: [chart], tables: [table], notes: [...(input.notes ?? [])] };
}

/** Sweep axes that matter: those whose points take at least two values. */
function variedAxes(input: SweepInput): string[] {
  const names = input.run.axes.map((a) => a.path);
  for (const p of input.points) for (const k of Object.keys(p.params)) if (!names.includes(k)) names.push(k);
  return names.filter((n) => axisValues(input.points, n).length > 1);
}

/** Axis values as the sweep file wrote them ("17 GB/s") when the run recorded that, else a guess. */
function writtenLabels(run: SweepRun): (param: string, value: number | string | boolean) => string {
  return (param, value) => {
    const axis = run.axes.find((a) => a.path === param) as (SweepRun['axes'][number] & { written?: Array<number | string | boolean> }) | undefined;
    const i = axis?.written ? axis.values.indexOf(value) : -1;
    return i >= 0 && axis!.written![i] !== undefined ? String(axis!.written![i]) : paramValueLabel(param, value);
  };
}

function sweepSection(input: SweepInput, ids: Ids): ReportSection {
  const run = input.run;
  const label = input.label ?? `sweep of ${run.arch.file}`;
  const id = ids.take(`sweep ${label}`);
  const ok = input.points.filter((p) => p.status === 'ok' && p.metrics);
  const failed = input.points.length - ok.length;
  const order = run.axes.map((a) => a.path);
  const context = `sweep ${label} (${run.arch.file})`;
  const paragraphs = [
    `Sweep of ${run.arch.file} over ${run.workloads.map((w) => w.file).join(', ')}: ${run.axes.map((a) => `${a.path} (${a.values.length} values)`).join(', ')}; ${run.sampling.kind} sampling, ${run.totalPoints} points in the run${run.shard ? ` (shard ${run.shard.index + 1}/${run.shard.count})` : ''}, ${input.points.length} in points.jsonl (${ok.length} ok, ${failed} failed). Engine ${run.engine}, seed ${run.seed}, accsim ${run.toolVersion}.`,
  ];
  const notes = [...(input.notes ?? [])];
  if (run.constraints.length) notes.push(`Constraints: ${run.constraints.join('; ')}.`);
  const charts: ChartSpec[] = [];
  const tables: ReportTable[] = [];

  const varied = variedAxes(input);
  const hm = input.heatmap ?? (varied.length >= 2 ? { x: varied[0], y: varied[1] } : undefined);
  if (hm) {
    for (const metric of hm.metric ? [hm.metric] : (['seconds', 'energyJ'] as MetricName[])) {
      const matrix = heatmapMatrix(ok, hm.x, hm.y, metric, hm.aggregate ?? 'min');
      charts.push(heatmapChart(matrix, ids.take(`${id} heatmap ${metric}`), context, writtenLabels(run)));
    }
  } else {
    notes.push('No heatmap: fewer than two swept parameters take several values.');
  }

  const pm = input.pareto ?? { x: 'seconds' as MetricName, y: 'energyJ' as MetricName };
  if (ok.length) {
    const { chart, front } = paretoChart(ok, ids.take(`${id} pareto`), { x: pm.x, y: pm.y, paramOrder: order, context });
    charts.push(chart);
    // The front's own metrics get a column when they are not among the standard ones (e.g. area).
    const extra = [pm.x, pm.y].filter((m, i, all) => !['seconds', 'energyJ', 'pJPerMac', 'utilization'].includes(m) && all.indexOf(m) === i && (NUMERIC_METRICS as readonly string[]).includes(m)) as NumericMetric[];
    const headers = ['index', 'parameters', 'workload', 'time', 'energy', 'pJ/MAC', 'util', ...extra.map((m) => METRICS[m].label.replace(/ \(.*\)$/, '')), 'bottleneck'];
    tables.push({
      id: ids.take(`${id} pareto front`),
      title: `Pareto-optimal design points (${METRICS[pm.x].label} vs ${METRICS[pm.y].label})`,
      headers,
      align: ['right', 'left', 'left', 'right', 'right', 'right', 'right', ...extra.map(() => 'right' as const), 'left'],
      rows: front.map((p) => [String(p.index), paramsText(p, order), p.workload, seconds(p.metrics!.seconds), joules(p.metrics!.energyJ), pJ(p.metrics!.pJPerMac), percent(p.metrics!.utilization), ...extra.map((m) => formatMetric(m, p.metrics![m] as number)), p.metrics!.bottleneck]),
      csv: toCsv(chart.table.headers, chart.table.rows.filter((row) => row[row.length - 1] === 1)),
    });
  }

  // LLM serving sweeps: tokens/s against the batch (or the one swept parameter).
  const throughputAxis = varied.find((a) => /batch/i.test(a)) ?? (varied.length === 1 ? varied[0] : undefined);
  const throughput = throughputAxis ? throughputChart(ok, throughputAxis, varied.filter((a) => a !== throughputAxis), ids.take(`${id} throughput`), context) : undefined;
  if (throughput) charts.push(throughput);

  // Speedup vs sparsity when the sweep has a sparsity (or density) axis and a format axis.
  const sparsityAxis = varied.find((a) => /sparsity/i.test(a)) ?? varied.find((a) => /density/i.test(a));
  const formatAxis = varied.find((a) => /format/i.test(a));
  if (sparsityAxis && formatAxis) {
    const others = varied.filter((a) => a !== sparsityAxis && a !== formatAxis);
    const withTarget = ok.map((p) => ({ ...p, params: { ...p.params, __target: others.map((a) => `${a}=${String(p.params[a])}`).join(', ') } }));
    const targets = new Set(withTarget.map((p) => p.params.__target));
    if (targets.size <= 6) {
      const observations = observationsFromPoints(withTarget, { sparsityParam: sparsityAxis, isDensity: !/sparsity/i.test(sparsityAxis), formatParam: formatAxis, targetParam: '__target' });
      const { series, notes: sNotes } = speedupSeries(observations, 'dense');
      if (series.length) charts.push(speedupChart(series, ids.take(`${id} speedup`), context, 'dense', sNotes));
    } else {
      notes.push(`No speedup chart: ${targets.size} combinations of the other swept parameters would give too many series.`);
    }
  }

  const paramNames = [...new Set([...order, ...input.points.flatMap((p) => Object.keys(p.params))])];
  const metricNames = Object.keys(METRICS) as MetricName[];
  tables.push({
    id: ids.take(`${id} points`),
    title: 'All design points',
    headers: [],
    align: [],
    rows: [],
    csv: toCsv(
      ['index', ...paramNames, 'workload', 'status', ...metricNames.map((m) => m), 'bottleneck', 'error'],
      input.points.map((p) => [p.index, ...paramNames.map((n) => (p.params[n] === undefined ? null : String(p.params[n]))), p.workload, p.status, ...metricNames.map((m) => p.metrics?.[m] ?? null), p.metrics?.bottleneck ?? null, p.error ?? null]),
    ),
  });
  return { id, title: `Sweep: ${label}`, paragraphs, charts, tables, notes };
}

export function buildReport(rawInputs: ReadonlyArray<ReportInput | Result>, options: ReportOptions = {}): ReportModel {
  const inputs = normaliseInputs(rawInputs);
  if (!inputs.length) throw inputError({ file: '<command line>', keyPath: 'report', message: 'nothing to report', expected: 'at least one Result JSON file or sweep directory' });
  const ids = new Ids();
  const results = labelled(inputs);
  // The summary comes first; every run's detail follows, collapsed.
  const sections: ReportSection[] = [];
  const compared = inputs.flatMap((input) => (input.kind === 'compare' ? compareSections(input, ids) : []));
  sections.push(...compared.filter((s) => !s.detail));
  let shown: { layerTime?: boolean; energy?: boolean; roofline?: string } = {};
  if (results.length) {
    const summary = resultsSummary(results, ids, options);
    sections.push(summary.section);
    shown = summary.shown;
  }
  for (const input of inputs) if (input.kind === 'speedup') sections.push(speedupSection(input, ids));
  for (const input of inputs) if (input.kind === 'sweep') sections.push(sweepSection(input, ids));
  for (const item of results) sections.push(resultSection(item, ids, options, results.length === 1 ? shown : {}, results.length === 1 ? 2 : 1));
  sections.push(...compared.filter((s) => s.detail));
  const title =
    options.title ??
    (compared.length && !results.length ? `Design review: ${compareTitle(inputs)}` : results.length === 1 && inputs.length === 1 ? `Design review: ${results[0].label}` : results.length > 1 ? `Design review: ${results.map((r) => r.result.arch.name).join(' vs ')}` : 'Design review');
  const sourceOf = (i: ReportInput): string =>
    i.kind === 'speedup'
      ? `speedup study: ${i.title}`
      : (i.source ?? (i.kind === 'result' ? `${i.result.arch.file} × ${i.result.workload.file}` : i.kind === 'compare' ? `accsim compare on ${i.rows[0].result.workload.file}` : i.run.arch.file));
  const sources = [...new Set(inputs.map(sourceOf))];
  return { title, intro: options.intro ?? [], sources, sections };
}

// ---------------------------------------------------------------------------------------------
// Markdown

function mdEscape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function mdTable(table: ReportTable): string[] {
  if (!table.headers.length) return [];
  return [
    `| ${table.headers.map(mdEscape).join(' | ')} |`,
    `| ${table.align.map((a) => (a === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(mdEscape).join(' | ')} |`),
  ];
}

/** Markdown with charts as images (`charts/<id>.<image>`) and tables linked to their CSVs. */
export function renderMarkdownReport(model: ReportModel, image: 'png' | 'svg' = 'png', withCsv = true): string {
  const out = [`# ${model.title}`, ''];
  for (const p of model.intro) out.push(p, '');
  out.push(`Generated by accsim from: ${model.sources.map((s) => `\`${s}\``).join(', ')}.`, '');
  out.push('Contents:', '', ...model.sections.map((s) => `- [${s.title}](#${s.id})`), '');
  let inDetails = false;
  for (const section of model.sections) {
    if (section.detail && !inDetails) {
      inDetails = true;
      out.push('---', '', '*Detail: the sections below back the summary up, one per run.*', '');
    }
    out.push(`<a id="${section.id}"></a>`, '', `## ${section.title}`, '');
    for (const p of section.paragraphs) out.push(p, '');
    for (const table of section.tables) {
      if (!table.headers.length) {
        if (withCsv) out.push(`${table.title}: [csv/${table.id}.csv](csv/${table.id}.csv)`, '');
        continue;
      }
      out.push(`**${table.title}**${withCsv ? ` ([CSV](csv/${table.id}.csv))` : ''}`, '', ...mdTable(table), '');
    }
    for (const chart of section.charts) {
      out.push(`### ${chart.title}`, '', `![${chart.title}${chart.subtitle ? ` — ${chart.subtitle}` : ''}](charts/${chart.id}.${image})`, '', `*${chart.caption}*${withCsv ? ` Data: [csv/${chart.id}.csv](csv/${chart.id}.csv).` : ''}`, '');
      for (const note of chart.notes) out.push(`- ${note}`);
      if (chart.notes.length) out.push('');
    }
    if (section.notes.length) out.push('**Notes**', '', ...section.notes.map((n) => `- ${n}`), '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface WrittenReport {
  outDir: string;
  /** Paths written, relative to outDir, sorted. */
  files: string[];
  model: ReportModel;
}

function parseFormats(formats: ReadonlyArray<string>): ReportFormat[] {
  const out: ReportFormat[] = [];
  for (const f of formats) {
    const name = f.trim().toLowerCase();
    if (!name) continue;
    if (!(REPORT_FORMATS as readonly string[]).includes(name)) {
      throw inputError({ file: '<command line>', keyPath: '--formats', message: `unknown report format '${f}'`, expected: `a comma-separated list of ${REPORT_FORMATS.join(', ')}` });
    }
    if (!out.includes(name as ReportFormat)) out.push(name as ReportFormat);
  }
  if (!out.length) throw inputError({ file: '<command line>', keyPath: '--formats', message: 'no report format given', expected: REPORT_FORMATS.join(', ') });
  return out;
}

/**
 * Builds the report and writes the requested formats into outDir, as a whole (writeDirectoryAtomic). Markdown links PNG charts, so 'md' renders PNGs too (SVG if only 'svg' is asked for
 * alongside). Returns what was written.
 */
export async function writeReport(
  inputs: ReadonlyArray<ReportInput | Result>,
  outDir: string,
  formats: ReadonlyArray<ReportFormat | string> = DEFAULT_REPORT_FORMATS,
  options: ReportOptions = {},
): Promise<WrittenReport> {
  const wanted = parseFormats(formats);
  const model = buildReport(inputs, options);
  const files: string[] = [];
  await writeDirectoryAtomic(outDir, async (dir) => {
    const write = (relative: string, content: string | Uint8Array) => {
      writeFileAtomic(join(dir, relative), content);
      files.push(relative);
    };
    const mdImage: 'png' | 'svg' = wanted.includes('png') || !wanted.includes('svg') ? 'png' : 'svg';
    const images = new Set<'png' | 'svg'>(wanted.filter((f): f is 'png' | 'svg' => f === 'png' || f === 'svg'));
    if (wanted.includes('md')) images.add(mdImage);
    const charts = model.sections.flatMap((s) => s.charts);
    if (images.size) {
      // Loaded only when images are wanted: it pulls in the native canvas.
      const { renderChart } = await import('./charts/render.js');
      for (const chart of charts) for (const format of images) write(`charts/${chart.id}.${format}`, renderChart(chart, format, { scale: options.scale, theme: options.theme }));
    }
    if (wanted.includes('csv')) {
      for (const section of model.sections) for (const table of section.tables) write(`csv/${table.id}.csv`, table.csv);
      for (const chart of charts) write(`csv/${chart.id}.csv`, toCsv(chart.table.headers, chart.table.rows));
    }
    if (wanted.includes('md')) write('report.md', renderMarkdownReport(model, mdImage, wanted.includes('csv')));
    if (wanted.includes('html')) {
      const { renderHtmlReport } = await import('./html.js');
      write('report.html', renderHtmlReport(model));
    }
  });
  return { outDir, files: files.sort(), model };
}
