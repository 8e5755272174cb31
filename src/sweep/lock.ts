// One runner per sweep directory. `sweep --resume` twice on one directory would run every missing
// point twice and interleave their lines, so a runner holds `sweep.lock` (its pid, host and the
// kernel's start time of its process) while it runs. A lock whose process is gone — a runner
// killed with kill -9 never removes it — is stale and is taken over, so resuming after a crash
// still works. The start time guards against a recycled pid.

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { inputError } from '../spec/errors.js';

export const LOCK_FILE = 'sweep.lock';

interface LockOwner {
  pid: number;
  host: string;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot), when the system has /proc. */
  started?: string;
}

function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine's runner: cannot tell, assume it runs
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStart(owner.pid);
  return owner.started === undefined || started === undefined || started === owner.started;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(owner?.pid) && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined; // missing, or torn by a crash between create and write: stale
  }
}

/** Takes the directory's lock or refuses; returns the function that releases it. */
export function acquireSweepLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), started: processStart(process.pid) };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && isAlive(owner)) {
        throw inputError({
          file: dir,
          keyPath: '',
          message: `another sweep runner (pid ${owner.pid} on ${owner.host}) is using this directory`,
          hint: `wait for it to finish, or remove ${path} if that process is really gone`,
        });
      }
      rmSync(path, { force: true }); // stale: its runner died without releasing it
      continue;
    }
    writeSync(fd, JSON.stringify(me) + '\n');
    closeSync(fd);
    return () => {
      if (readOwner(path)?.pid === me.pid) rmSync(path, { force: true });
    };
  }
  throw inputError({ file: dir, keyPath: '', message: `could not take ${path}: another runner took it at the same moment` });
}
