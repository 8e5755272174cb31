// End-to-end `accsim compare` with density curves and the effect column (built dist/).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

const accsim = (args: string[]) => {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'accsim.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe('accsim compare --sparsity from..to:step', () => {
  it('prints one row per density for density-following formats, one for 2:4, and why the TPU gains nothing', () => {
    const run = accsim(['compare', '-a', 'tpu-v1,a100', '-w', 'opt-30b-decode', '--formats', 'bitmap,2:4', '--sparsity', '0.5..0.9:0.2', '-f', 'csv', '-q', '--no-break-even']);
    expect(run.code).toBe(0);
    const rows = run.stdout.trim().split('\n').slice(1);
    expect(rows.filter((r) => r.startsWith('NVIDIA A100') && r.includes(',bitmap,'))).toHaveLength(3);
    expect(rows.filter((r) => r.startsWith('NVIDIA A100') && r.includes(',2:4,'))).toHaveLength(1);
    expect(rows.find((r) => r.startsWith('TPU v1') && r.includes(',bitmap,'))).toMatch(/no effect: dense traffic: no compressed operands on this target/);
  });

  it('rejects a malformed range with a one-line input error', () => {
    const run = accsim(['compare', '-a', 'a100', '-w', 'opt-30b-decode', '--sparsity', '0.9..0.5:0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--sparsity: '0\.9\.\.0\.5:0\.1' is not an increasing range/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
