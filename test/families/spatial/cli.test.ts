// End-to-end through the built CLI: Timeloop files run directly and through `import timeloop`,
// errors are positioned, and `sweep` sweeps a storage level's parameter and the mapper objective.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../helpers.js';

function accsim(args: string[]) {
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'accsim.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
const scratch = () => mkdtempSync(join(tmpdir(), 'accsim-spatial-'));
const case02 = ['arch.yaml', 'problem.yaml', 'mapping.yaml'].map((f) => `test/reference/timeloop/02-gemm64-4x4pe/${f}`);
const ert = 'test/reference/timeloop/common-ert.yaml';

describe('Timeloop files on the command line', () => {
  it('run --timeloop (files in any order) and run on the imported files give the same result', () => {
    const direct = accsim(['run', '--timeloop', ert, ...[...case02].reverse(), '--convention', 'timeloop', '-f', 'json', '-q']);
    expect(direct.code).toBe(0);
    const dir = scratch();
    const imported = accsim(['import', 'timeloop', ...case02, ert, '--out-dir', dir, '-q']);
    expect(imported.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['arch.spatial.yaml', 'arch.workload.yaml']);
    const viaFiles = accsim(['run', '-a', join(dir, files[0]), '-w', join(dir, files[1]), '--convention', 'timeloop', '-f', 'json', '-q']);
    const a = JSON.parse(direct.stdout).operators[0];
    const b = JSON.parse(viaFiles.stdout).operators[0];
    expect(b.stats).toEqual(a.stats);
    expect(a.cycles).toBe(16384);
    expect(a.energy.totalJ * 1e12).toBeCloseTo(1460224, 3);
    expect(readFileSync(join(dir, files[0]), 'utf8')).toContain('family: spatial');
  });

  it('positions errors in Timeloop files, exit 2, no stack trace', () => {
    const dir = scratch();
    const mapping = join(dir, 'mapping.yaml');
    writeFileSync(mapping, readFileSync(join(ROOT, case02[2]), 'utf8').replace('- target: GLB\n  type: temporal', '- target: GLBB\n  type: temporal'));
    const run = accsim(['run', '--timeloop', case02[0], case02[1], mapping, ert]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/mapping\.yaml:\d+:\d+: error: mapping\[2\]\.target: unknown storage level 'GLBB'.*did you mean 'GLB'\?/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const notTimeloop = accsim(['import', 'timeloop', case02[0], 'test/families/spatial/gemm64-4x4.yaml', '--out-dir', dir]);
    expect(notTimeloop.code).toBe(2);
    expect(notTimeloop.stderr).toMatch(/gemm64-4x4\.yaml:3:1: error: family: unknown Timeloop section 'family'/);
  });
});

describe('sweep on a spatial machine', () => {
  it('sweeps a storage level parameter and the mapper objective', () => {
    const dir = scratch();
    const arch = join(dir, 'arch.yaml');
    writeFileSync(arch, readFileSync(join(ROOT, 'test/families/spatial/gemm64-4x4.yaml'), 'utf8').replace(/mapping:[\s\S]*$/, 'mapper: { evaluations: 3000 }\n').replace('name: DRAM,', 'name: DRAM, shared_bandwidth: 0,'));
    const workload = join(dir, 'gemm.yaml');
    writeFileSync(workload, 'name: gemm\ndtype: int8\noperators:\n  - { name: g, kind: gemm, m: 64, n: 64, k: 64 }\n');
    const out = join(dir, 'sweep');
    const run = accsim(['sweep', '-a', arch, '-w', workload, '--set', 'storage[DRAM].shared_bandwidth=0.05,0', '--set', 'mapper.objective=cycles,energy', '--out', out, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const points = readFileSync(join(out, 'points.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const at = (bandwidth: number, objective: string) => points.find((p) => p.params['storage[DRAM].shared_bandwidth'] === bandwidth && p.params['mapper.objective'] === objective).metrics;
    expect(points).toHaveLength(4);
    // Starving DRAM slows the machine; each objective wins on its own metric.
    expect(at(0.05, 'cycles').cycles).toBeGreaterThan(at(0, 'cycles').cycles);
    expect(at(0, 'cycles').cycles).toBeLessThanOrEqual(at(0, 'energy').cycles);
    expect(at(0, 'energy').energyJ).toBeLessThanOrEqual(at(0, 'cycles').energyJ);
  });
});
