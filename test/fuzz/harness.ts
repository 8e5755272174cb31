// Runs the CLI's in-process entry point (src/cli/main.ts `main`) with stdout and stderr captured,
// and checks what the hostile-input suite asserts of every run: exit 0 or 2, no raw JavaScript
// error text, every error line positioned, every number in a JSON result finite.

import { main } from '../../src/cli/main.js';

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(args: string[]): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  let code: number;
  try {
    code = await main(['node', 'accsim', ...args]);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = undefined;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Text that only a JavaScript exception (not an accsim message) would print. */
const RAW_ERROR = /internal error|TypeError|RangeError|ReferenceError|SyntaxError|Maximum call stack|Invalid array length|is not a function|Cannot read propert|undefined is not|\bat .+:\d+:\d+\)|pipeline deadlock/;
/** A positioned error line: `file:line:col: error: ...`, or a command-line / environment error. */
const POSITIONED = /^(?:.+:\d+:\d+: error: |<command line>: error: |accsim: error: |error: )/;

/** What is wrong with a run, by the suite's rules; an empty list when nothing is. */
export function violations(run: CapturedRun): string[] {
  const problems: string[] = [];
  if (run.code !== 0 && run.code !== 2) problems.push(`exit code ${run.code}`);
  if (RAW_ERROR.test(run.stderr)) problems.push(`raw JavaScript error text: ${run.stderr.slice(0, 300)}`);
  if (run.code === 2) {
    for (const line of run.stderr.split('\n').filter(Boolean)) {
      if (!POSITIONED.test(line)) problems.push(`unpositioned error line: ${line.slice(0, 300)}`);
    }
  }
  if (run.code === 0 && run.stdout.trimStart().startsWith('{')) {
    const nonFinite = /\b(?:NaN|-?Infinity|null)\b/.exec(run.stdout);
    if (nonFinite) problems.push(`non-finite value '${nonFinite[0]}' in the result`);
  }
  return problems;
}
