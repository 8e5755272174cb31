// The CLI details of issue 13: list/describe for scripts, --set on run and compare, compare JSON
// into accsim report, the engine that ran, and numbers without binary-fraction noise.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

function accsim(args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'accsim.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
const scratch = () => mkdtempSync(join(tmpdir(), 'accsim-cli-output-'));

describe('list and describe', () => {
  it('lists each family with its presets and the workloads it can run, as text and JSON', () => {
    const text = accsim(['list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/scratchpad — .*\n.*\n {2}presets \(arch\/\): piuma, xeon-like\n {2}workloads it can run \(workloads\/\): graph-rmat/);
    const json = JSON.parse(accsim(['list', '-f', 'json']).stdout);
    const systolic = json.families.find((f: { id: string }) => f.id === 'systolic');
    expect(systolic.presets).toContain('tpu-v1');
    expect(systolic.workloads).toContain('resnet18');
    expect(systolic.workloads).not.toContain('spgemm-rmat');
    expect(json.presets.find((p: { name: string }) => p.name === 'a100').family).toBe('tensor-core');
  });

  it('describes workloads, and families and presets as JSON', () => {
    const workload = accsim(['describe', 'resnet18']);
    expect(workload.code).toBe(0);
    expect(workload.stdout).toContain('Families that can run it: systolic, tensor-core, dsp-chain');
    expect(workload.stdout).toMatch(/conv1: conv2d batch=1 m=12544 n=64 k=147/);
    const family = JSON.parse(accsim(['describe', 'scratchpad', '-f', 'json']).stdout);
    expect(family.engines).toEqual(['event']);
    expect(family.params.length).toBeGreaterThan(5);
    const preset = JSON.parse(accsim(['describe', 'tpu-v1', '-f', 'json']).stdout);
    expect(preset.values['memory.dram.bandwidth']).toBe(34e9);
  });
});

describe('run and compare', () => {
  it('--set overrides a key with the sweep paths and says so in the result', () => {
    const base = JSON.parse(accsim(['run', '-a', 'tpu-v1', '-w', 'resnet18', '-f', 'json', '-q']).stdout);
    const run = accsim(['run', '-a', 'tpu-v1', '-w', 'resnet18', '--set', 'memory.dram.bandwidth=68GB/s', '-f', 'json', '-q']);
    expect(run.code).toBe(0);
    const edited = JSON.parse(run.stdout);
    expect(edited.arch.file).toBe('arch/tpu-v1.yaml [--set memory.dram.bandwidth=68GB/s]');
    expect(edited.total.seconds).toBeLessThan(base.total.seconds);
    const bad = accsim(['run', '-a', 'tpu-v1', '-w', 'resnet18', '--set', 'compute.row=128']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/did you mean 'compute\.rows'/);
  });

  it('records the engine that ran when the family has only one', () => {
    const run = JSON.parse(accsim(['run', '-a', 'piuma', '-w', 'spgemm-ca-grqc', '--engine', 'analytical', '-f', 'json', '-q']).stdout);
    expect(run.options.engine).toBe('event');
    expect(run.notes[0]).toMatch(/analytical was requested; the scratchpad family has only the event engine/);
  });

  it('compare JSON feeds accsim report; densities from --sparsity have no float noise; nm needs N and M', () => {
    const dir = scratch();
    const file = join(dir, 'c.json');
    const compare = accsim(['compare', '-a', 'edge-128', '-w', 'bert-base', '--formats', 'csr,2:4', '--sparsity', '0.8', '--no-break-even', '-f', 'json', '-o', file, '-q']);
    expect(compare.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/0\.1999999/);
    expect(JSON.parse(text).rows[1].pattern).toBe('unstructured at density 0.2');
    const report = accsim(['report', file, '-o', join(dir, 'rep'), '--formats', 'md,csv', '-q']);
    expect(report.code).toBe(0);
    const md = readFileSync(join(dir, 'rep', 'report.md'), 'utf8');
    expect(md).toMatch(/^# Design review: weight formats for BERT-base/);
    expect(md).toContain('Question: which weight format');
    expect(existsSync(join(dir, 'rep', 'charts', 'summary-energy.png'))).toBe(true);
    // Weight storage per format: dense is all values, CSR adds indices and row pointers.
    const storage = readFileSync(join(dir, 'rep', 'csv', 'summary-storage.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(storage.map((r) => r[0])).toEqual(['format', 'dense', 'csr', '2:4']);
    expect(storage[1].slice(2).map(Number)).toEqual([0, 0, 0]);
    expect(Number(storage[2][2])).toBeGreaterThan(0);
    const nm = accsim(['compare', '-a', 'edge-128', '-w', 'bert-base', '--formats', 'nm']);
    expect(nm.code).toBe(2);
    expect(nm.stderr).toMatch(/--formats\[0\].*N:M family without N and M/);
  });
});
