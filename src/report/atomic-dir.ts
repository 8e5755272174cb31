// A report directory appears whole or not at all: everything is written into a hidden sibling
// (`.NAME.partial-PID`) that is renamed into place at the end, so a report killed halfway leaves
// the previous report (or nothing) at NAME, never 3 of 58 files without report.html.

import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { inputError } from '../spec/errors.js';

/** What a report directory holds; anything else in an existing target means it is not ours to replace. */
const REPORT_ENTRIES = new Set(['report.html', 'report.md', 'charts', 'csv']);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes partial siblings left by killed writers of the same target (their process is gone). */
function removeStale(parent: string, name: string): void {
  const prefix = `.${name}.partial-`;
  const oldPrefix = `.${name}.old-`;
  for (const entry of readdirSync(parent)) {
    const pid = entry.startsWith(prefix) ? Number(entry.slice(prefix.length)) : entry.startsWith(oldPrefix) ? Number(entry.slice(oldPrefix.length)) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * Runs `fill(tempDir)` and then puts tempDir at `target`, replacing a previous report there. Refuses
 * (before writing anything) a target that is a file or a directory holding other things.
 */
export async function writeDirectoryAtomic<T>(target: string, fill: (dir: string) => Promise<T>): Promise<T> {
  const full = resolve(target);
  const parent = dirname(full);
  const name = basename(full);
  if (existsSync(full)) {
    if (!statSync(full).isDirectory()) throw inputError({ file: '<command line>', keyPath: '--out', message: `'${target}' exists and is not a directory`, expected: 'a new or existing report directory' });
    const foreign = readdirSync(full).filter((e) => !REPORT_ENTRIES.has(e));
    if (foreign.length) {
      throw inputError({ file: '<command line>', keyPath: '--out', message: `'${target}' holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which is not part of a report; refusing to replace it`, expected: 'a new directory or a previous report directory' });
    }
  }
  mkdirSync(parent, { recursive: true });
  removeStale(parent, name);
  const temporary = join(parent, `.${name}.partial-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary);
  try {
    const value = await fill(temporary);
    if (existsSync(full)) {
      // Two renames: the old report moves aside, the new one takes its name, the old one goes.
      const old = join(parent, `.${name}.old-${process.pid}`);
      rmSync(old, { recursive: true, force: true });
      renameSync(full, old);
      renameSync(temporary, full);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(temporary, full);
    }
    return value;
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
  }
}
