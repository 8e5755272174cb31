// Output errors are one clear line with exit 2 and leave nothing behind: `-o` onto a directory,
// a directory that cannot be written (EACCES), a path through a regular file (ENOTDIR/EEXIST).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess, violations } from '../fuzz/harness.js';
import { environmentErrorLine } from '../../src/io/environment.js';
import { ROOT } from '../helpers.js';

let dir: string;
const run = (out: string) => runInProcess(['run', '-a', join(ROOT, 'arch', 'tpu-v1.yaml'), '-w', join(ROOT, 'workloads', 'resnet18.yaml'), '-q', '-f', 'json', '-o', out]);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'accsim-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('-o', () => {
  it('onto an existing directory is a clear error and leaves nothing', async () => {
    const target = join(dir, 'existing');
    mkdirSync(target);
    const result = await run(target);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^<command line>: error: output '.*existing' is a directory, not a file to write/);
    expect(violations(result)).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(target)).toEqual([]);
  });

  it('through a regular file, or into an unwritable place, is one environment line with exit 2', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    for (const [target, text] of [
      [join(dir, 'plain', 'out.json'), /not a directory \(ENOTDIR\)|already exists \(EEXIST\)/],
      ['/sys/accsim-out.json', /permission denied \(EACCES\)|read-only file system \(EROFS\)/], // sysfs refuses new files even to root
    ] as const) {
      const result = await run(target);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^accsim: error: /);
      expect(result.stderr).toMatch(text);
      expect(result.stderr).not.toMatch(/internal error/);
    }
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('a full disk is reported the same way (/dev/full), and the device is written into, not replaced', async () => {
    const result = await run('/dev/full');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^accsim: error: write: no space left on the device \(ENOSPC\)/);
  });
});

describe('environmentErrorLine', () => {
  it.each([
    [{ code: 'EACCES', syscall: 'open', path: '/x' }, 'accsim: error: open /x: permission denied (EACCES)'],
    [{ code: 'EISDIR', syscall: 'open', path: 'd' }, 'accsim: error: open d: is a directory (EISDIR)'],
    [{ code: 'EEXIST', syscall: 'mkdir', path: 'f' }, 'accsim: error: mkdir f: already exists (EEXIST)'],
    [{ code: 'ENOSPC', syscall: 'write' }, 'accsim: error: write: no space left on the device (ENOSPC)'],
    [{ code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 6379 }, 'accsim: error: connect 127.0.0.1:6379: connection refused (ECONNREFUSED)'],
  ])('%o', (error, line) => {
    expect(environmentErrorLine(Object.assign(new Error('x'), error))).toBe(line);
  });
  it('is undefined for a program error', () => {
    expect(environmentErrorLine(new TypeError('x is not a function'))).toBeUndefined();
  });
});
