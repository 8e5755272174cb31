// Helpers for the sweep tests. Runs that involve worker threads or child processes use the
// compiled CLI under dist/ (Node cannot load .ts in a worker or a plain child); ensureBuilt()
// compiles first when any source is newer than its output (a lock keeps parallel test files from
// compiling at the same time).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers.js';

export { ROOT };
export const DIST_CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/**
 * The sources the compiled sweep code runs: the import closure (relative imports, static and
 * dynamic) of the CLI commands and the worker thread. Other folders' work in progress outside it
 * does not trigger a rebuild.
 */
function sources(): string[] {
  const seen = new Set<string>();
  const queue = [join(ROOT, 'src', 'cli', 'main.ts'), join(ROOT, 'src', 'cli', 'sweep-command.ts'), join(ROOT, 'src', 'sweep', 'worker-thread.ts')];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)\.js['"]/g)) queue.push(join(dirname(file), `${match[1]}.ts`));
  }
  return [...seen];
}

function staleOutputs(): string[] {
  return sources().filter((source) => {
    const output = join(ROOT, 'dist', relative(ROOT, source)).replace(/\.ts$/, '.js');
    return !existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs;
  });
}

export async function ensureBuilt(): Promise<void> {
  if (staleOutputs().length === 0) return;
  const lock = join(ROOT, 'dist', '.sweep-test-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (staleOutputs().length === 0) return;
    }
  }
  try {
    if (staleOutputs().length === 0) return;
    // --noEmitOnError false: other folders' work in progress may not type-check; ours still emits.
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json'), '--noEmitOnError', 'false'], { cwd: ROOT, stdio: 'ignore', timeout: 170_000 });
  } finally {
    rmdirSync(lock);
  }
  const stale = staleOutputs();
  if (stale.length) throw new Error(`tsc did not emit ${stale.slice(0, 3).join(', ')}`);
}

const LAUNCH = `const m = await import(${JSON.stringify(pathToFileURL(DIST_CLI).href)}); process.exitCode = await m.main(['node', 'accsim', ...process.argv.slice(1)]);`;

/** Starts the compiled sweep CLI in a child process (cwd: the repository). */
export function spawnCli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', LAUNCH, '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled sweep CLI to completion, killing it after `timeoutMs`. */
export function runCli(args: string[], timeoutMs = 30_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const scratchDirs: string[] = [];
/** A fresh temporary directory, removed by removeScratch(). */
export const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accsim-sweep-'));
  scratchDirs.push(dir);
  return dir;
};
export function removeScratch(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Polls `check` every 20 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const EDGE = 'arch/edge-128.yaml';
export const BERT = 'workloads/bert-base.yaml';
export const RESNET = 'workloads/resnet18.yaml';
