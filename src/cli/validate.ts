// `accsim validate`: runs the bundled reference cases and prints accsim next to the reference
// numbers (SCALE-Sim v2 results on their own inputs; published GPU and FPGA measurements), with
// the tolerance each check uses. The same checks run in the test suite.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../core/simulate.js';
import { loadArchFile, loadWorkloadFile } from '../io/files.js';
import { loadWorkloadText } from '../spec/load-workload.js';
import { PACKAGE_ROOT } from './presets.js';

export interface ValidationRow {
  check: string;
  accsim: number;
  reference: number;
  /** Allowed relative difference (0 = exact). */
  tolerance: number;
  source: string;
  pass: boolean;
}

function row(check: string, accsim: number, reference: number, tolerance: number, source: string): ValidationRow {
  const pass = tolerance === 0 ? Math.abs(accsim - reference) <= 1e-9 * Math.max(1, Math.abs(reference)) : Math.abs(accsim / reference - 1) <= tolerance;
  return { check, accsim, reference, tolerance, source, pass };
}

function scaleSimRows(): ValidationRow[] {
  const dir = join(PACKAGE_ROOT, 'test', 'reference', 'scalesim');
  const [header, ...lines] = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
  const columns = header.split(',');
  const rows: ValidationRow[] = [];
  for (const line of lines) {
    const r = Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell]));
    const arch = loadArchFile(join(dir, 'configs', `a${r.array_rows}x${r.array_cols}_${r.dataflow}_${r.mem_config}.cfg`));
    const workload = loadWorkloadFile(join(dir, 'topologies', `${r.layer}.csv`));
    const op = simulate(arch, workload, { convention: 'scalesim' }).operators[0];
    const source = `SCALE-Sim v2 ${r.case_id}`;
    rows.push(row(`${r.case_id}: total cycles`, op.cycles, Number(r.total_cycles), 0, source));
    rows.push(row(`${r.case_id}: stall cycles`, op.stallCycles, Number(r.stall_cycles), 0, source));
    rows.push(row(`${r.case_id}: DRAM ifmap + filter reads`, op.memory.dram.perTensor.input.readBytes + op.memory.dram.perTensor.weight.readBytes, Number(r.dram_ifmap_reads) + Number(r.dram_filter_reads), 0, source));
    rows.push(row(`${r.case_id}: overall utilisation %`, op.stats.scalesimOverallUtilPct, Number(r.overall_util_pct), 0, source));
  }
  return rows;
}

const OPT_SHAPES: Array<[number, number]> = [
  [21504, 7168], [7168, 7168], [28672, 7168], [7168, 28672],
  [27648, 9216], [9216, 9216], [36864, 9216], [9216, 36864],
  [36864, 12288], [12288, 12288], [49152, 12288], [12288, 49152],
];

function gpuRows(): ValidationRow[] {
  const a100 = loadArchFile(join(PACKAGE_ROOT, 'arch', 'a100.yaml'));
  const gemm = (m: number, n: number, k: number, sparsity = '') =>
    loadWorkloadText(`name: g\ndtype: fp16\noperators:\n  - { name: g, kind: gemm, m: ${m}, n: ${n}, k: ${k}${sparsity} }\n`, 'validate.yaml');
  const rows: ValidationRow[] = [];
  for (const [sparsity, published] of [[0.7, 1.4], [0.8, 1.7], [0.9, 2.1]] as const) {
    let sum = 0;
    for (const tokens of [8, 16, 32]) {
      for (const [m, k] of OPT_SHAPES) {
        const dense = simulate(a100, gemm(tokens, m, k)).total.seconds;
        const sparse = simulate(a100, gemm(tokens, m, k, `, sparsity: { weight: { pattern: { kind: uniform, density: ${(1 - sparsity).toFixed(2)} }, format: tiled-csl } }`)).total.seconds;
        sum += dense / sparse;
      }
    }
    rows.push(row(`Flash-LLM vs cuBLAS on A100, ${sparsity * 100} % sparsity (mean of 12 shapes × N=8/16/32)`, sum / 36, published, 0.2, 'Xia et al., Flash-LLM, VLDB 2024 [M]'));
  }
  return rows;
}

function fpgaRows(): ValidationRow[] {
  const u280 = loadArchFile(join(PACKAGE_ROOT, 'arch', 'u280-flightllm.yaml'));
  const decode = loadWorkloadFile(join(PACKAGE_ROOT, 'workloads', 'llama2-7b-fpga-decode-int8.yaml'));
  const vcu = loadArchFile(join(PACKAGE_ROOT, 'arch', 'vcu1525-sat.yaml'));
  const dense = simulate(vcu, loadWorkloadFile(join(PACKAGE_ROOT, 'workloads', 'sat-transformer-dense.yaml'))).total.seconds;
  const sparse = simulate(vcu, loadWorkloadFile(join(PACKAGE_ROOT, 'workloads', 'sat-transformer-2of8.yaml'))).total.seconds;
  return [
    row('U280 LLaMA-2-7B INT8 decode, batch 1 (tokens/s)', 1 / simulate(u280, decode).total.seconds, 55, 0.25, 'FlightLLM artifact, measured on the board [M]'),
    row('SAT 2:8 training step speedup over dense (VCU1525)', dense / sparse, 1.75, 0.25, 'Fang et al., SAT, TCAD 2023 [M]'),
  ];
}

export function validationRows(): ValidationRow[] {
  return [...scaleSimRows(), ...gpuRows(), ...fpgaRows()];
}

export function renderValidation(rows: ValidationRow[]): string {
  const headers = ['check', 'accsim', 'reference', 'tolerance', 'result', 'source'];
  const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));
  const body = rows.map((r) => [r.check, fmt(r.accsim), fmt(r.reference), r.tolerance === 0 ? 'exact' : `±${(r.tolerance * 100).toFixed(0)} %`, r.pass ? 'pass' : 'FAIL', r.source]);
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const passed = rows.filter((r) => r.pass).length;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', `${passed} of ${rows.length} checks pass`].join('\n') + '\n';
}
