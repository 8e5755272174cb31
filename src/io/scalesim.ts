// SCALE-Sim v2 input files: the .cfg architecture config and the topology CSV (conv or GEMM).
// Both are converted to accsim's native YAML text, which is then loaded like any user file, so
// `accsim run --arch x.cfg` and `accsim import scalesim` share one path. Errors point into the
// SCALE-Sim file itself (line and column).

import { didYouMean, inputError } from '../spec/errors.js';

interface CfgKey {
  section: string;
  required: boolean;
}

const CFG_KEYS: Record<string, CfgKey> = {
  run_name: { section: 'general', required: false },
  ArrayHeight: { section: 'architecture_presets', required: true },
  ArrayWidth: { section: 'architecture_presets', required: true },
  IfmapSramSzkB: { section: 'architecture_presets', required: true },
  FilterSramSzkB: { section: 'architecture_presets', required: true },
  OfmapSramSzkB: { section: 'architecture_presets', required: true },
  IfmapOffset: { section: 'architecture_presets', required: false },
  FilterOffset: { section: 'architecture_presets', required: false },
  OfmapOffset: { section: 'architecture_presets', required: false },
  Bandwidth: { section: 'architecture_presets', required: false },
  Dataflow: { section: 'architecture_presets', required: true },
  MemoryBanks: { section: 'architecture_presets', required: false },
  InterfaceBandwidth: { section: 'run_presets', required: false },
};

interface CfgValue {
  value: string;
  line: number;
  column: number;
}

export function parseScaleSimConfig(text: string, file: string): Map<string, CfgValue> {
  const values = new Map<string, CfgValue>();
  let section = '';
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const sectionMatch = /^\[(.+)\]$/.exec(trimmed);
    if (sectionMatch) {
      section = sectionMatch[1].trim();
      return;
    }
    const separator = raw.search(/[:=]/);
    if (separator < 0) throw inputError({ file, position: { line, column: 1 }, keyPath: section, message: `cannot read '${trimmed}'`, expected: 'key: value or key = value' });
    const key = raw.slice(0, separator).trim();
    const column = raw.indexOf(key) + 1;
    const valueText = raw.slice(separator + 1).trim();
    const known = CFG_KEYS[key];
    if (!known) {
      throw inputError({ file, position: { line, column }, keyPath: `${section}.${key}`, message: `unknown SCALE-Sim key '${key}'`, expected: `one of ${Object.keys(CFG_KEYS).join(', ')}`, hint: didYouMean(key, Object.keys(CFG_KEYS)) });
    }
    values.set(key, { value: valueText, line, column: raw.indexOf(valueText, separator) + 1 });
  });
  for (const [key, { required, section: expectedSection }] of Object.entries(CFG_KEYS)) {
    if (required && !values.has(key)) throw inputError({ file, position: { line: lines.length, column: 1 }, keyPath: `${expectedSection}.${key}`, message: `missing required SCALE-Sim key '${key}'` });
  }
  return values;
}

function positiveInt(values: Map<string, CfgValue>, key: string, file: string, fallback?: number): number {
  const entry = values.get(key);
  if (!entry) return fallback as number;
  const number = Number(entry.value);
  if (!Number.isInteger(number) || number <= 0) {
    throw inputError({ file, position: { line: entry.line, column: entry.column }, keyPath: key, message: `'${entry.value}' is not a positive whole number` });
  }
  return number;
}

/** Converts a SCALE-Sim v2 config to native accsim YAML. */
export function scaleSimConfigToYaml(text: string, file: string): string {
  const values = parseScaleSimConfig(text, file);
  const rows = positiveInt(values, 'ArrayHeight', file);
  const cols = positiveInt(values, 'ArrayWidth', file);
  const sram = (key: string) => positiveInt(values, key, file);
  const bandwidth = positiveInt(values, 'Bandwidth', file, 10);
  const banks = positiveInt(values, 'MemoryBanks', file, 1);
  const bankEntry = values.get('MemoryBanks');
  if (banks !== 1 && bankEntry) throw inputError({ file, position: { line: bankEntry.line, column: bankEntry.column }, keyPath: 'MemoryBanks', message: 'only MemoryBanks: 1 is supported' });
  const dataflowEntry = values.get('Dataflow')!;
  const dataflow = dataflowEntry.value.toLowerCase();
  if (!['os', 'ws', 'is'].includes(dataflow)) {
    throw inputError({ file, position: { line: dataflowEntry.line, column: dataflowEntry.column }, keyPath: 'Dataflow', message: `'${dataflowEntry.value}' is not a dataflow`, expected: 'os, ws or is' });
  }
  const modeEntry = values.get('InterfaceBandwidth');
  const mode = (modeEntry?.value ?? 'CALC').toUpperCase();
  if (mode !== 'CALC' && mode !== 'USER') {
    throw inputError({ file, position: { line: modeEntry!.line, column: modeEntry!.column }, keyPath: 'InterfaceBandwidth', message: `'${modeEntry!.value}' is not supported`, expected: 'CALC or USER' });
  }
  const name = values.get('run_name')?.value ?? file;
  return `# Imported from the SCALE-Sim v2 config ${file} by \`accsim import scalesim\`.
family: systolic
name: ${JSON.stringify(name)}
description: SCALE-Sim v2 config ${JSON.stringify(file)}
sources:
  - "SCALE-Sim v2 (scalesim-project/scale-sim-v2) config ${file}"
# SCALE-Sim counts cycles only; a 1 GHz clock makes 1 cycle = 1 ns and 1 word/cycle = 1 GB/s.
clock: 1 GHz
compute:
  rows: ${rows}
  cols: ${cols}
  dataflow: ${dataflow}
  # SCALE-Sim v2 uses 1-byte words for every operand, partial sums included.
  accumulator_bits: 8
memory:
  double_buffered: true
  ifmap_sram: { capacity: ${sram('IfmapSramSzkB')} KiB }
  filter_sram: { capacity: ${sram('FilterSramSzkB')} KiB }
  ofmap_sram: { capacity: ${sram('OfmapSramSzkB')} KiB }
  dram:
    # SCALE-Sim's Bandwidth is words/cycle per operand interface (1-byte words at 1 GHz).
    bandwidth: ${bandwidth} GB/s
    bandwidth_mode: ${mode === 'CALC' ? 'calc' : 'fixed'}
`;
}

/** Converts a SCALE-Sim topology CSV (conv: 8 columns, GEMM: 4 columns) to native workload YAML. */
export function scaleSimTopologyToYaml(text: string, file: string): string {
  const lines = text.split(/\r?\n/);
  const operators: string[] = [];
  let header = true;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    const cells = raw.split(',').map((c) => c.trim());
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    if (header) {
      header = false;
      if (/layer/i.test(cells[0] ?? '')) return;
    }
    const numbers = cells.slice(1).map((cell, i) => {
      const value = Number(cell);
      if (!Number.isInteger(value) || value <= 0) {
        const column = raw.split(',').slice(0, i + 1).join(',').length + 2;
        throw inputError({ file, position: { line, column }, keyPath: `${cells[0]}[${i + 1}]`, message: `'${cell}' is not a positive whole number` });
      }
      return value;
    });
    const name = JSON.stringify(cells[0]);
    if (numbers.length === 3) {
      const [m, n, k] = numbers;
      operators.push(`  - { name: ${name}, kind: gemm, m: ${m}, n: ${n}, k: ${k} }`);
    } else if (numbers.length === 7) {
      const [h, w, r, s, c, filters, stride] = numbers;
      if (r > h || s > w) throw inputError({ file, position: { line, column: 1 }, keyPath: cells[0], message: `a ${r}×${s} filter does not fit a ${h}×${w} input` });
      operators.push(`  - { name: ${name}, kind: conv2d, in_h: ${h}, in_w: ${w}, in_c: ${c}, out_c: ${filters}, kernel_h: ${r}, kernel_w: ${s}, stride: ${stride} }`);
    } else {
      throw inputError({ file, position: { line, column: 1 }, keyPath: cells[0] ?? '', message: `found ${numbers.length + 1} columns`, expected: 'a conv row (name, H, W, R, S, C, filters, stride) or a GEMM row (name, M, N, K)' });
    }
  });
  if (operators.length === 0) throw inputError({ file, position: { line: 1, column: 1 }, keyPath: '', message: 'the topology has no layers' });
  return `# Imported from the SCALE-Sim topology ${file} by \`accsim import scalesim\`.
# SCALE-Sim conv layers are given pre-padded, so padding is 0; words are 1 byte (int8).
name: ${JSON.stringify(file)}
dtype: int8
operators:
${operators.join('\n')}
`;
}
