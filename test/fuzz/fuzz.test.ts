// The hostile-input fuzz suite: seeded mutations of the shipped inputs (test/fuzz/mutator.ts) run
// through the CLI's in-process entry point in worker threads (dist/, compiled first), each with a
// time limit, and a subset through the real CLI as child processes. Every run must: exit 0 or 2,
// print no raw JavaScript error text, position every error line, keep every result number finite,
// finish within CASE_TIMEOUT_MS and stay below the memory limit.
//
// `npm test` runs a bounded number of cases; `npm run fuzz` runs FUZZ_CASES (10,000) and prints
// the figures (also to the file FUZZ_REPORT names). FUZZ_SEED picks another set of cases;
// FUZZ_JOBS runs that many worker threads.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadCorpus, makeCase, type FuzzCase } from './mutator.js';
import { violations, type CapturedRun } from './harness.js';
import { ensureBuilt } from '../sweep/helpers.js';
import { ROOT } from '../helpers.js';

const CASES = Number(process.env.FUZZ_CASES ?? 100);
const CLI_CASES = Number(process.env.FUZZ_CLI_CASES ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const JOBS = Math.max(1, Number(process.env.FUZZ_JOBS ?? 1));
const CASE_TIMEOUT_MS = 10_000;
/**
 * The in-process cases run with a fifth of the default work budget (1e10 units, ~5–10 s on an idle
 * core): the suite checks that the budget bounds every case's time, and at the default a shipped
 * operator near the limit (inner-product SpGEMM on R-MAT 14) can pass 10 s on a loaded machine.
 * The real-CLI subset runs at the default budget.
 */
const MAX_WORK = process.env.FUZZ_MAX_WORK ?? '2e9';
/** Heap limit per worker thread: a case that needs more dies with ERR_WORKER_OUT_OF_MEMORY. */
const HEAP_LIMIT_MB = 1024;
/** Worker threads are replaced after this many cases, so caches of earlier cases do not pile up. */
const CASES_PER_WORKER = 250;

interface Outcome {
  fuzzCase: FuzzCase;
  run?: CapturedRun;
  ms: number;
  failure?: 'hang' | 'out-of-memory' | 'crash';
  detail?: string;
}

class CasePool {
  private worker?: Worker;
  private ready?: Promise<void>;
  private served = 0;

  private start(): void {
    this.served = 0;
    this.worker = new Worker(new URL('./case-worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB }, stdout: false, stderr: false });
    this.ready = new Promise((resolve, reject) => {
      this.worker!.once('message', () => resolve());
      this.worker!.once('error', reject);
    });
  }

  async run(fuzzCase: FuzzCase): Promise<Outcome> {
    if (!this.worker || this.served >= CASES_PER_WORKER) {
      await this.worker?.terminate();
      this.start();
    }
    await this.ready;
    this.served++;
    const worker = this.worker!;
    const started = performance.now();
    return new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(outcome);
      };
      const replace = () => {
        void worker.terminate();
        this.worker = undefined;
      };
      const timer = setTimeout(() => {
        replace();
        done({ fuzzCase, ms: performance.now() - started, failure: 'hang' });
      }, CASE_TIMEOUT_MS);
      const onMessage = (message: { id: number; code: number; stdout: string; stderr: string; ms: number }) => {
        if (message.id !== fuzzCase.id) return;
        done({ fuzzCase, run: message, ms: message.ms });
      };
      const onError = (error: Error & { code?: string }) => {
        replace();
        done({ fuzzCase, ms: performance.now() - started, failure: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crash', detail: error.message });
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id: fuzzCase.id, args: fuzzCase.args });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

function runCli(args: string[]): Promise<CapturedRun & { ms: number; peakRssKb: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    // GNU time reports the child's peak RSS; the CLI is the real bin/accsim.js.
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, join(ROOT, 'bin', 'accsim.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 2 * CASE_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const lines = stderr.trimEnd().split('\n');
      const peakRssKb = Number(lines.pop());
      const rest = lines.filter((line) => !/^Command exited with non-zero status/.test(line)).join('\n');
      resolve({ code: code ?? -1, stdout, stderr: rest ? `${rest}\n` : '', ms: performance.now() - started, peakRssKb });
    });
  });
}

describe('hostile inputs (fuzz)', () => {
  let scratch: string;
  beforeAll(async () => {
    await ensureBuilt();
    scratch = mkdtempSync(join(tmpdir(), 'accsim-fuzz-'));
  }, 240_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it(`${CASES} mutated inputs in process: exit 0/2, positioned one-line errors, finite results, bounded time and memory`, async () => {
    const corpus = loadCorpus();
    const pools = Array.from({ length: JOBS }, () => new CasePool());
    const outcomes: Outcome[] = [];
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    let next = 0;
    const started = performance.now();
    try {
      await Promise.all(
        pools.map(async (pool) => {
          while (next < CASES) {
            const id = next++;
            const fuzzCase = makeCase(corpus, SEED, id, scratch);
            fuzzCase.args.push('--max-work', MAX_WORK);
            outcomes.push(await pool.run(fuzzCase));
            rmSync(join(scratch, `case-${id}`), { recursive: true, force: true });
          }
        }),
      );
    } finally {
      clearInterval(sampler);
      await Promise.all(pools.map((pool) => pool.close()));
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const problems = outcomes.flatMap((o) =>
      o.failure ? [`case ${o.fuzzCase.id} (${o.fuzzCase.label}): ${o.failure}${o.detail ? `: ${o.detail}` : ''} [${o.fuzzCase.args.join(' ')}]`] : violations(o.run!).map((v) => `case ${o.fuzzCase.id} (${o.fuzzCase.label}): ${v} [${o.fuzzCase.args.join(' ')}]`),
    );
    const count = (test: (o: Outcome) => boolean) => outcomes.filter(test).length;
    const figures = {
      seed: SEED,
      cases: outcomes.length,
      exit0: count((o) => o.run?.code === 0),
      exit2: count((o) => o.run?.code === 2),
      internalErrors: count((o) => o.failure === 'crash' || (o.run !== undefined && (o.run.code !== 0 && o.run.code !== 2))),
      rawErrorText: count((o) => o.run !== undefined && violations(o.run).some((v) => v.startsWith('raw'))),
      unpositionedLines: count((o) => o.run !== undefined && violations(o.run).some((v) => v.startsWith('unpositioned'))),
      nonFiniteResults: count((o) => o.run !== undefined && violations(o.run).some((v) => v.startsWith('non-finite'))),
      hangsOver10s: count((o) => o.failure === 'hang'),
      outOfMemory: count((o) => o.failure === 'out-of-memory'),
      slowestCaseMs: Math.round(Math.max(...outcomes.map((o) => o.ms))),
      peakProcessRssMB: Math.round(peakRss / 2 ** 20),
      seconds: Math.round((performance.now() - started) / 1000),
    };
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ figures, problems: problems.slice(0, 200) }, null, 2) + '\n');
    console.log(`fuzz figures: ${JSON.stringify(figures)}`);
    expect(problems.slice(0, 20)).toEqual([]);
    // The test runner process holds the worker threads: its RSS bounds every case's.
    expect(figures.peakProcessRssMB).toBeLessThan(1024 + 512);
  }, Math.max(120_000, CASES * CASE_TIMEOUT_MS));

  it(`${CLI_CASES} mutated inputs through the real CLI (child processes): the same rules, peak RSS < 1 GB`, async () => {
    const corpus = loadCorpus();
    for (let i = 0; i < CLI_CASES; i++) {
      const fuzzCase = makeCase(corpus, SEED + 7919, i, scratch);
      const run = await runCli(fuzzCase.args);
      expect(violations(run), `${fuzzCase.label}: ${fuzzCase.args.join(' ')}`).toEqual([]);
      expect(run.ms).toBeLessThan(2 * CASE_TIMEOUT_MS);
      expect(run.peakRssKb).toBeLessThan(1024 * 1024);
    }
  }, Math.max(60_000, CLI_CASES * 2 * CASE_TIMEOUT_MS));
});
