// End-to-end: the built CLI as a user runs it (`npm test` builds dist/ first).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

function accsim(args: string[], cwd = ROOT) {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'accsim.js'), ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function expectCleanInputError(run: ReturnType<typeof accsim>, pattern: RegExp) {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  expect(run.stdout).toBe('');
}

const scratch = () => mkdtempSync(join(tmpdir(), 'accsim-cli-'));

describe('accsim run', () => {
  it('prints a per-layer and total table for the README example', () => {
    const run = accsim(['run', '--arch', 'arch/tpu-v1.yaml', '--workload', 'workloads/resnet18.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('TPU v1');
    expect(run.stdout).toMatch(/conv1\s+\S+ [kMG]?cycles/);
    expect(run.stdout).toMatch(/TOTAL/);
    expect(run.stdout).toContain('pJ/MAC');
    expect(run.stdout).toContain('dram rd');
  });

  it('emits JSON with the result schema and CSV/Markdown with one row per operator plus total', () => {
    const json = JSON.parse(accsim(['run', '-a', 'tpu-v1', '-w', 'bert-base', '-f', 'json', '-q']).stdout);
    expect(json.schema).toBe('accsim.result');
    expect(json.version).toBe(1);
    expect(json.operators).toHaveLength(6);
    const csv = accsim(['run', '-a', 'tpu-v1', '-w', 'bert-base', '-f', 'csv', '-q']).stdout.trim().split('\n');
    expect(csv).toHaveLength(1 + 6 + 1);
    expect(csv[0]).toContain('operator,cycles,stall_cycles,seconds,');
    const md = accsim(['run', '-a', 'tpu-v1', '-w', 'bert-base', '-f', 'md', '-q']).stdout;
    expect(md).toContain('| operator |');
  });

  it('writes --out atomically and is deterministic', () => {
    const dir = scratch();
    const first = join(dir, 'a.json');
    const second = join(dir, 'b.json');
    expect(accsim(['run', '-a', 'eyeriss-like', '-w', 'alexnet-conv-b4', '-f', 'json', '-o', first, '-q']).code).toBe(0);
    expect(accsim(['run', '-a', 'eyeriss-like', '-w', 'alexnet-conv-b4', '-f', 'json', '-o', second, '-q']).code).toBe(0);
    expect(readFileSync(first, 'utf8')).toBe(readFileSync(second, 'utf8'));
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json']);
  });

  it('runs SCALE-Sim inputs directly and in its convention', () => {
    const run = accsim([
      'run',
      '--arch', 'test/reference/scalesim/configs/a32x32_os_sram64_calc.cfg',
      '--workload', 'test/reference/scalesim/topologies/gemm_m256_n256_k256.csv',
      '--convention', 'scalesim', '-f', 'json', '-q',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).operators[0].cycles).toBe(20351);
  });
});

describe('bad input: exit 2, file:line:col, key, expectation, hint, no stack trace', () => {
  it('misspelled key in an architecture file', () => {
    const dir = scratch();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, readFileSync(join(ROOT, 'arch', 'edge-128.yaml'), 'utf8').replace('dataflow: os', 'dataflw: os'));
    const run = accsim(['run', '-a', file, '-w', 'workloads/resnet18.yaml']);
    expectCleanInputError(run, /bad\.yaml:\d+:\d+: error: compute\.dataflw: unknown key 'dataflw'.*did you mean 'dataflow'\?/);
  });

  it('wrong type, impossible value and missing field in a workload', () => {
    const dir = scratch();
    const file = join(dir, 'w.yaml');
    writeFileSync(file, 'name: w\noperators:\n  - { name: a, kind: gemm, m: 0, n: 4, k: 4 }\n');
    expectCleanInputError(accsim(['run', '-a', 'tpu-v1', '-w', file]), /w\.yaml:3:31: error: operators\[0\]\.m: 0 is below the minimum 1/);
    writeFileSync(file, 'name: w\noperators:\n  - { name: a, kind: gemm, m: x4, n: 4, k: 4 }\n');
    expectCleanInputError(accsim(['run', '-a', 'tpu-v1', '-w', file]), /w\.yaml:3:31: error: operators\[0\]\.m: unknown name 'x4'/);
    writeFileSync(file, 'name: w\noperators:\n  - { name: a, kind: gemm, n: 4, k: 4 }\n');
    expectCleanInputError(accsim(['run', '-a', 'tpu-v1', '-w', file]), /w\.yaml:3:5: error: operators\[0\]\.m: missing required key 'm'/);
  });

  it('negative bandwidth, zero rows and a buffer smaller than a word', () => {
    const dir = scratch();
    const file = join(dir, 'a.yaml');
    const base = readFileSync(join(ROOT, 'arch', 'edge-128.yaml'), 'utf8');
    writeFileSync(file, base.replace('bandwidth: 25.6 GB/s', 'bandwidth: -25.6 GB/s'));
    expectCleanInputError(accsim(['run', '-a', file, '-w', 'resnet18']), /memory\.dram\.bandwidth: '-25\.6 GB\/s' must be greater than zero/);
    writeFileSync(file, base.replace('rows: 128', 'rows: 0'));
    expectCleanInputError(accsim(['run', '-a', file, '-w', 'resnet18']), /compute\.rows: 0 is below the minimum 1/);
    writeFileSync(file, base.replace('ofmap_sram: { capacity: 1 MiB }', 'ofmap_sram: { capacity: 100 B }'));
    expectCleanInputError(accsim(['run', '-a', file, '-w', 'resnet18']), /memory\.ofmap_sram\.capacity: .*cannot hold one 128-word vector/);
  });

  it('unknown preset names, options and missing files', () => {
    expectCleanInputError(accsim(['run', '-a', 'tpu-v2', '-w', 'resnet18']), /did you mean 'tpu-v1'\?/);
    expectCleanInputError(accsim(['run', '-a', 'tpu-v1', '-w', 'resnet18', '--format', 'xml']), /argument 'xml' is invalid/);
    expectCleanInputError(accsim(['run', '-a', 'tpu-v1', '-w', 'resnet18', '--seed', 'abc']), /--seed: 'abc' is not a valid seed/);
    expectCleanInputError(accsim(['run', '-a', 'tpu-v1']), /required option/);
  });

  it('an operator the target cannot run points at its kind', () => {
    expectCleanInputError(accsim(['run', '-a', 'piuma', '-w', 'resnet18']), /workloads\/resnet18\.yaml:11:33: error: operators\[0\]\.kind: the scratchpad family .* cannot run operator kind 'conv2d'/);
  });

  it('malformed SCALE-Sim inputs point at the line', () => {
    const dir = scratch();
    const cfg = join(dir, 'x.cfg');
    writeFileSync(cfg, readFileSync(join(ROOT, 'test/reference/scalesim/configs/a32x32_ws_sram64_calc.cfg'), 'utf8').replace('ArrayHeight', 'ArrayHieght'));
    expectCleanInputError(accsim(['run', '-a', cfg, '-w', 'resnet18']), /x\.cfg:5:1: error: architecture_presets\.ArrayHieght: unknown SCALE-Sim key.*did you mean 'ArrayHeight'\?/);
  });

  it('does not leave a half-written output file when the input is bad', () => {
    const dir = scratch();
    const out = join(dir, 'out.json');
    const run = accsim(['run', '-a', 'tpu-v1', '-w', join(dir, 'missing.yaml'), '-o', out]);
    expect(run.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('accsim validate', () => {
  it('prints one row per case and exits 1 exactly when a row fails', () => {
    const run = accsim(['validate']);
    expect(run.stdout).toMatch(/rn18_l3_ds1x1__a32x32_ws_sram8_bw10: stall cycles\s+\[S\]\s+23306 cycles\s+23306 cycles\s+0\s+exact\s+pass/);
    const [, passed, total] = /(\d+) of (\d+) checks pass/.exec(run.stdout)!;
    expect(run.code).toBe(passed === total ? 0 : 1);
    expect(run.stdout.includes(' FAIL ')).toBe(passed !== total);
  });

  it('prints JSON with --format json and rejects an unknown format', () => {
    const json = accsim(['validate', '--format', 'json']);
    expect(JSON.parse(json.stdout).rows.length).toBeGreaterThan(20);
    const bad = accsim(['validate', '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format: unknown format 'xml'/);
  });
});

describe('accsim list, describe, import', () => {
  it('lists families and presets', () => {
    const run = accsim(['list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('systolic');
    expect(run.stdout).toContain('tpu-v1');
    expect(run.stdout).toContain('resnet18');
  });

  it('describes a family from its declarations and a preset with units and sources', () => {
    const family = accsim(['describe', 'systolic']);
    expect(family.code).toBe(0);
    expect(family.stdout).toContain('memory.dram.bandwidth [B/s]');
    expect(family.stdout).toContain('compute.dataflow');
    const preset = accsim(['describe', 'tpu-v1']);
    expect(preset.stdout).toContain('700 MHz');
    expect(preset.stdout).toContain('24 MiB');
    expect(preset.stdout).toContain('34 GB/s');
    expect(preset.stdout).toContain('Jouppi');
    expectCleanInputError(accsim(['describe', 'systolik']), /did you mean 'systolic'\?/);
  });

  it('imports SCALE-Sim files to YAML that runs to the same numbers', () => {
    const dir = scratch();
    const cfg = 'test/reference/scalesim/configs/a32x32_ws_sram64_calc.cfg';
    const csv = 'test/reference/scalesim/topologies/rn18_conv1.csv';
    expect(accsim(['import', 'scalesim', '--config', cfg, '--topology', csv, '--out-dir', dir, '-q']).code).toBe(0);
    const direct = JSON.parse(accsim(['run', '-a', cfg, '-w', csv, '-f', 'json', '-q']).stdout);
    const imported = JSON.parse(accsim(['run', '-a', join(dir, 'a32x32_ws_sram64_calc.yaml'), '-w', join(dir, 'rn18_conv1.yaml'), '-f', 'json', '-q']).stdout);
    expect(imported.operators[0].cycles).toBe(direct.operators[0].cycles);
    expect(imported.total.energy.totalJ).toBe(direct.total.energy.totalJ);
  });
});
