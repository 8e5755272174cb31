// Whole sweeps: --jobs 1 vs --jobs 2 (worker threads), resume after kill -9 of a child process,
// shard + merge, and the CLI (child processes of the compiled CLI) for reduce and bad input.
// In-process runs use the sources; threads and children use dist/, which ensureBuilt() keeps
// up to date, so both run the same code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERT, EDGE, RESNET, ensureBuilt, removeScratch, runCli, scratch, spawnCli, waitFor } from './helpers.js';
import type { SweepPoint, SweepRun } from '../../src/sweep/types.js';
import { runSweep, type SweepOptions } from '../../src/sweep/run.js';
import { mergeRuns } from '../../src/sweep/merge.js';
import { InputError } from '../../src/spec/errors.js';

const SETS = ['compute.rows=16,64', 'compute.cols=0,32,128', 'compute.dataflow=ws,os'];
const AXES = SETS.flatMap((set) => ['--set', set]);
const BASE = ['sweep', '-a', EDGE, '-w', BERT, '-w', RESNET, ...AXES, '-q'];
const OPTIONS: SweepOptions = { arch: EDGE, workloads: [BERT, RESNET], sets: SETS, quiet: true, toolVersion: '0.1.0', argv: BASE };
const sweep = (extra: Partial<SweepOptions>) => runSweep({ ...OPTIONS, ...extra });
const TOTAL = 2 * 3 * 2 * 2;

const points = (dir: string) => readFileSync(join(dir, 'points.jsonl'), 'utf8');
const lineCount = (dir: string) => (existsSync(join(dir, 'points.jsonl')) ? readFileSync(join(dir, 'points.jsonl'), 'utf8').split('\n').length - 1 : 0);
const run = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as SweepRun;

let reference: string;
let referenceDir: string;

beforeAll(async () => {
  await ensureBuilt();
  referenceDir = join(scratch(), 'j1');
  await sweep({ jobs: 1, out: referenceDir });
  reference = points(referenceDir);
}, 240_000);

afterAll(removeScratch);

describe('accsim sweep', () => {
  it('writes one sorted line per point and a run.json; --jobs 2 gives a byte-identical file', async () => {
    const lines = reference.trim().split('\n').map((l) => JSON.parse(l) as SweepPoint);
    expect(lines.map((p) => p.index)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    expect(lines.filter((p) => p.status === 'error')).toHaveLength(8); // compute.cols = 0
    expect(lines[0]).toMatchObject({ params: { 'compute.rows': 16, 'compute.cols': 0, 'compute.dataflow': 'ws' }, workload: BERT, status: 'error' });
    expect(lines[0].error).toMatch(/arch\/edge-128\.yaml \[point 0\]:11:9: error: compute\.cols: 0 is below the minimum 1/);
    expect(lines[7]).toMatchObject({ workload: RESNET, status: 'ok', params: { 'compute.rows': 16, 'compute.cols': 32, 'compute.dataflow': 'os' } });

    const meta = run(referenceDir);
    expect(meta).toMatchObject({ schema: 'accsim.sweep-run', version: 1, toolVersion: '0.1.0', seed: 1, engine: 'event', totalPoints: TOTAL, sampling: { kind: 'grid' }, counts: { ok: 16, error: 8 } });
    expect(meta.arch).toMatchObject({ file: EDGE, hash: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(meta.workloads.map((w) => w.file)).toEqual([BERT, RESNET]);
    expect(meta.axes).toEqual([
      { path: 'compute.rows', values: [16, 64] },
      { path: 'compute.cols', values: [0, 32, 128] },
      { path: 'compute.dataflow', values: ['ws', 'os'] },
    ]);
    expect(meta.arguments).toContain('compute.rows=16,64');
    expect(meta.completedAt).toBeTruthy();

    const dir = join(scratch(), 'j2');
    const parallel = await sweep({ jobs: 2, batchSize: 1, out: dir });
    expect(parallel).toMatchObject({ points: TOTAL, computed: TOTAL, ok: 16, error: 8 });
    expect(points(dir)).toBe(reference);
  });

  it('resumes after kill -9: completes without duplicates, identical to an uninterrupted run', async () => {
    const sets = ['compute.rows=8..80:8', 'compute.cols=16,32,64,128', 'memory.dram.bandwidth=10,20,40,80GB/s'];
    const args = ['sweep', '-a', EDGE, '-w', BERT, ...sets.flatMap((set) => ['--set', set]), '-q'];
    const total = 10 * 4 * 4;
    const uninterrupted = join(scratch(), 'whole');
    const dir = join(scratch(), 'crashed');
    await Promise.all([
      runSweep({ arch: EDGE, workloads: [BERT], sets, quiet: true, jobs: 1, out: uninterrupted }),
      (async () => {
        // Slowed down (20 ms per point, 2 threads) so the kill lands mid-way.
        const child = spawnCli([...args, '-j', '2', '--batch-size', '4', '--point-delay', '20', '-o', dir]);
        const exited = new Promise((resolve) => child.on('exit', resolve));
        let stderr = '';
        child.stderr!.on('data', (d) => (stderr += d));
        try {
          await waitFor(() => lineCount(dir) >= 40, 20_000, '40 points before the kill').catch((error) => {
            throw new Error(`${(error as Error).message}; child stderr: ${stderr}; exit ${child.exitCode}`);
          });
        } finally {
          child.kill('SIGKILL');
        }
        await exited;
      })(),
    ]);
    const before = lineCount(dir);
    expect(before).toBeGreaterThanOrEqual(40);
    expect(before).toBeLessThan(total);
    expect(run(dir).completedAt).toBeUndefined();
    // A write cut short leaves a torn last line; resume must drop it.
    appendFileSync(join(dir, 'points.jsonl'), '{"schema":"accsim.sweep-point","version":1,"index":9');

    const resumed = await runSweep({ arch: EDGE, workloads: [BERT], sets, quiet: true, jobs: 1, resume: true, out: dir });
    expect(resumed).toMatchObject({ points: total, resumed: before, computed: total - before });
    const lines = points(dir).trim().split('\n');
    expect(lines).toHaveLength(total);
    expect(new Set(lines.map((l) => (JSON.parse(l) as SweepPoint).index)).size).toBe(total);
    expect(points(dir)).toBe(points(uninterrupted));
    expect(run(dir).counts).toEqual({ ok: total, error: 0 });
  });

  it('refuses to resume a different sweep, and to overwrite a sweep without --resume', async () => {
    const other = sweep({ sets: ['compute.rows=16,32', ...SETS.slice(1)], resume: true, out: referenceDir });
    await expect(other).rejects.toThrow(InputError);
    await expect(other).rejects.toThrow(/run\.json: error: --resume refused: this invocation is a different sweep \(differs in axes\)/);
    await expect(sweep({ seed: 2, resume: true, out: referenceDir })).rejects.toThrow(/differs in seed/);
    await expect(sweep({ resume: true, shard: { index: 0, count: 2 }, out: referenceDir })).rejects.toThrow(/differs in shard/);
    await expect(sweep({ out: referenceDir })).rejects.toThrow(/already holds a sweep.*pass --resume/);
    const done = await sweep({ resume: true, out: referenceDir });
    expect(done).toMatchObject({ computed: 0, resumed: TOTAL });
    expect(points(referenceDir)).toBe(reference);
  });

  it('shards and merges into the unsharded file; merge detects missing shards and other sweeps', async () => {
    const root = scratch();
    const shards = [0, 1, 2].map((i) => join(root, `shard${i}`));
    for (const [i, dir] of shards.entries()) await sweep({ jobs: 1, shard: { index: i, count: 3 }, out: dir });
    expect(run(shards[1]).shard).toEqual({ index: 1, count: 3 });
    expect(points(shards[1]).trim().split('\n').map((l) => (JSON.parse(l) as SweepPoint).index)).toEqual([1, 4, 7, 10, 13, 16, 19, 22]);

    const merged = join(root, 'merged');
    expect(mergeRuns({ dirs: shards, out: merged })).toMatchObject({ points: TOTAL, duplicates: 0, missing: 0 });
    expect(points(merged)).toBe(reference);
    expect(run(merged).shard).toBeUndefined();
    expect(run(merged).mergedFrom).toEqual(shards);

    expect(() => mergeRuns({ dirs: [shards[0], shards[2]], out: join(root, 'partial') })).toThrow(/8 of 24 points are missing \(first: 1, 4, 7/);
    // A shard merged twice only adds identical duplicates.
    expect(mergeRuns({ dirs: [...shards, shards[1]], out: join(root, 'twice') })).toMatchObject({ points: TOTAL, duplicates: 8 });
    const smaller = join(root, 'smaller');
    await runSweep({ arch: EDGE, workloads: [BERT], sets: ['compute.rows=16,64'], quiet: true, jobs: 1, out: smaller });
    expect(() => mergeRuns({ dirs: [shards[0], smaller], out: join(root, 'mixed') })).toThrow(/not the same sweep as .*shard0 \(differs in workloads, axes, totalPoints\)/);
    const cli = await runCli(['merge', ...shards, '-o', join(root, 'cli')]);
    expect(cli.code).toBe(0);
    expect(points(join(root, 'cli'))).toBe(reference);
  });

  it('reduces a results directory to a Pareto front, best points and sensitivities', async () => {
    const [pareto, best, sens] = await Promise.all([
      runCli(['sweep-reduce', referenceDir, '--pareto', 'cycles,energyJ', '-f', 'csv']),
      runCli(['sweep-reduce', referenceDir, '--best', 'seconds']),
      runCli(['sweep-reduce', referenceDir, '--sensitivity', 'seconds', '-f', 'json']),
    ]);
    expect(pareto.stderr + best.stderr + sens.stderr).toBe('');
    expect(pareto.code).toBe(0);
    expect(pareto.stdout.split('\n')[0]).toBe('workload,index,compute.rows,compute.cols,compute.dataflow,cycles,energyJ');
    expect(best.code).toBe(0);
    expect(best.stdout).toMatch(/workloads\/bert-base\.yaml\s+\d+\s+\S+ [mµ]?s\s+64\s+128/);
    expect(sens.code).toBe(0);
    expect(JSON.parse(sens.stdout).rows.map((r: { parameter: string }) => r.parameter).sort()).toEqual(['compute.cols', 'compute.cols', 'compute.dataflow', 'compute.dataflow', 'compute.rows', 'compute.rows']);
  });

  it('rejects bad input with exit code 2 and one clear message', async () => {
    const [unknown, values, reducer, existing] = await Promise.all([
      runCli(['sweep', '-a', EDGE, '-w', BERT, '--set', 'compute.colls=32', '-o', join(scratch(), 'x')]),
      runCli(['sweep', '-a', EDGE, '-w', BERT, '--set', 'memory.dram.bandwidth=1..4:0GB/s', '-o', join(scratch(), 'y')]),
      runCli(['sweep-reduce', referenceDir, '--pareto', 'cycles']),
      runCli([...BASE, '-o', referenceDir]),
    ]);
    for (const r of [unknown, values, reducer, existing]) {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(unknown.stderr).toBe("<command line>: error: --set compute.colls: unknown sweep path 'compute.colls' (not a key of arch/edge-128.yaml or workloads/bert-base.yaml) (expected a key of the architecture or workload file, e.g. compute.rows, memory.dram.bandwidth, parameters.batch, operators[0].m); did you mean 'compute.cols'?\n");
    expect(values.stderr).toMatch(/--set memory\.dram\.bandwidth: range '1\.\.4:0GB\/s': the step must not be zero/);
    expect(existing.stderr).toMatch(/already holds a sweep.*pass --resume/);
    expect(reducer.stderr).toMatch(/--pareto: 1 metric\(s\) \(expected 2 or 3 metrics/);
  });
});
