// One runner per sweep directory: a second runner refuses while the first runs; a lock left by a
// killed runner (kill -9 never releases it) is detected as stale and taken over.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireSweepLock, LOCK_FILE } from '../../src/sweep/lock.js';
import { runSweep } from '../../src/sweep/run.js';
import { InputError } from '../../src/spec/errors.js';
import { EDGE, BERT, ensureBuilt, removeScratch, scratch, spawnCli, waitFor } from './helpers.js';

beforeAll(ensureBuilt, 120_000);
afterAll(removeScratch);

const deadPid = (): number => spawnSync('true').pid!; // a process that has already exited

describe('sweep directory lock', () => {
  it('refuses a second holder while the first holds it, and frees it on release', () => {
    const dir = join(scratch(), 'unit');
    mkdirSync(dir, { recursive: true });
    const release = acquireSweepLock(dir);
    expect(() => acquireSweepLock(dir)).toThrow(InputError);
    expect(() => acquireSweepLock(dir)).toThrow(new RegExp(`another sweep runner \\(pid ${process.pid}`));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireSweepLock(dir)();
  });

  it('takes over a stale lock: a dead pid, a recycled pid, a torn lock file', () => {
    const dir = join(scratch(), 'stale');
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, LOCK_FILE);
    for (const content of [
      JSON.stringify({ pid: deadPid(), host: hostname() }),
      JSON.stringify({ pid: process.pid, host: hostname(), started: '1' }), // alive pid, other process start
      '{"pid":',
    ]) {
      writeFileSync(lock, content);
      const release = acquireSweepLock(dir);
      expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
      release();
    }
  });

  it('a second --resume on a running sweep refuses; after the first is killed -9, resume works', async () => {
    const dir = join(scratch(), 'running');
    const sets = ['compute.rows=8..80:8', 'compute.cols=16,32,64,128'];
    const child = spawnCli(['sweep', '-a', EDGE, '-w', BERT, ...sets.flatMap((s) => ['--set', s]), '-q', '-j', '1', '--point-delay', '50', '-o', dir]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      await waitFor(() => existsSync(join(dir, 'points.jsonl')) && readFileSync(join(dir, 'points.jsonl'), 'utf8').length > 0, 20_000, 'the first runner started');
      await expect(runSweep({ arch: EDGE, workloads: [BERT], sets, quiet: true, jobs: 1, resume: true, out: dir })).rejects.toThrow(/another sweep runner \(pid \d+/);
    } finally {
      child.kill('SIGKILL');
    }
    await exited;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true); // kill -9 left it behind
    const resumed = await runSweep({ arch: EDGE, workloads: [BERT], sets, quiet: true, jobs: 1, resume: true, out: dir });
    expect(resumed.points).toBe(40);
    expect(readFileSync(join(dir, 'points.jsonl'), 'utf8').trim().split('\n')).toHaveLength(40);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);
});
