// A report directory appears whole or not at all (issue 16 item 4).
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirectoryAtomic } from '../../src/report/atomic-dir.js';
import { ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'accsim.js');
const RESULT = join(ROOT, 'test', 'golden', 'results', 'tpu-v1__resnet18.json');

describe('writeDirectoryAtomic', () => {
  it('leaves nothing at the target, and no partial sibling, when writing fails halfway', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'accsim-atomic-'));
    const target = join(parent, 'out');
    await expect(
      writeDirectoryAtomic(target, async (dir) => {
        writeFileSync(join(dir, 'report.md'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('replaces a previous report as a whole', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'accsim-atomic-'));
    const target = join(parent, 'out');
    await writeDirectoryAtomic(target, async (dir) => writeFileSync(join(dir, 'report.md'), 'first'));
    mkdirSync(join(target, 'charts'));
    writeFileSync(join(target, 'charts', 'stale.png'), '');
    await writeDirectoryAtomic(target, async (dir) => writeFileSync(join(dir, 'report.html'), 'second'));
    expect(readdirSync(target)).toEqual(['report.html']);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('refuses a directory that holds other things, before writing', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'accsim-atomic-'));
    writeFileSync(join(parent, 'notes.txt'), 'mine');
    await expect(writeDirectoryAtomic(parent, async () => undefined)).rejects.toThrow(/not part of a report/);
    expect(readdirSync(parent)).toEqual(['notes.txt']);
  });
});

describe('accsim report killed at any moment', () => {
  it('leaves either no report directory or a complete one', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'accsim-killed-'));
    const complete = join(parent, 'complete');
    expect(spawnSync('node', [BIN, 'report', RESULT, '-o', complete, '-q']).status).toBe(0);
    const expected = readdirSync(complete, { recursive: true }).sort();
    // Kill the writer at several moments through its run (about 0.6 s on an idle machine, longer under load).
    for (const delay of [100, 250, 450]) {
      const target = join(parent, `killed-${delay}`);
      const child = spawn('node', [BIN, 'report', RESULT, '-o', target, '-q'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, delay));
      // A writer that already finished has exited before the kill: its 'exit' event has fired.
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      if (existsSync(target)) expect(readdirSync(target, { recursive: true }).sort()).toEqual(expected);
    }
    // Only hidden partial siblings may remain; the next report of the same name removes them.
    for (const entry of readdirSync(parent)) expect(entry.startsWith('.') || entry === 'complete' || entry.startsWith('killed-')).toBe(true);
    const again = join(parent, 'killed-200');
    expect(spawnSync('node', [BIN, 'report', RESULT, '-o', again, '-q']).status).toBe(0);
    expect(readdirSync(parent).filter((e) => e.startsWith('.killed-200.'))).toEqual([]);
  }, 180_000);
});
