// A small worker_threads pool for sweeps. Each thread builds the evaluator once (parsing the base
// files once), then receives batches of point tasks — at most two outstanding per thread so it
// never idles while the next batch is on its way — and streams finished points back in small
// groups (a message per point cost a fifth of a thread's time on fast analytical points). The
// caller writes lines as they arrive; their order varies, the final sorted file not.

import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { PointTask, SweepDefinition } from './plan.js';
import type { EvaluatedPoint } from './evaluate.js';

export type ToWorker = { type: 'batch'; batch: number; tasks: PointTask[] } | { type: 'stop' };
export type FromWorker = { type: 'points'; points: EvaluatedPoint[] } | { type: 'done'; batch: number };

/**
 * A worker thread posts its finished points when this many are waiting or the oldest has waited
 * this long, and always at the end of a batch: lines reach points.jsonl within milliseconds
 * either way, so an interrupted sweep loses no more than a resumed one recomputes in a moment.
 */
export const POINTS_PER_MESSAGE = 32;
export const MESSAGE_MAX_WAIT_MS = 25;

export interface PoolOptions {
  jobs: number;
  /** Points per batch; default: about 16 batches per thread, between 1 and 256 points. */
  batchSize?: number;
  pointDelayMs?: number;
}

/**
 * The compiled worker script. Running from the TypeScript sources (vitest), threads use the
 * compiled twin under dist/ — Node cannot load .ts in a worker — so build first (`npm run build`).
 */
export function workerScriptUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const root = join(dirname(here), '..', '..');
    const compiled = join(root, 'dist', 'src', 'sweep', 'worker-thread.js');
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npm run build\` before parallel sweeps from the sources`);
    return pathToFileURL(compiled);
  }
  return new URL('./worker-thread.js', import.meta.url);
}

/**
 * Node options for the threads: the parent's, minus those that only make sense for the main
 * script (`-e CODE`, `--input-type`), which a Worker refuses.
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (/^(-e|--eval|-p|--print)$/.test(arg)) {
      i++; // and its code
      continue;
    }
    if (/^(--eval|--print)=/.test(arg) || arg.startsWith('--input-type') || arg === '-pe') continue;
    out.push(arg);
  }
  return out;
}

/**
 * About 16 batches per thread, at most 256 points each: analytical points take ~0.25 ms, so a
 * batch is tens of milliseconds of work — long enough that a thread with two batches queued does
 * not starve while a busy main thread gets round to feeding it.
 */
export function defaultBatchSize(points: number, jobs: number): number {
  return Math.max(1, Math.min(256, Math.ceil(points / (jobs * 16))));
}

/** Evaluates `indices` on `jobs` threads; `onPoint` is called on the main thread as points finish. */
export function runInWorkers(
  definition: SweepDefinition,
  indices: readonly number[],
  taskOf: (index: number) => PointTask,
  options: PoolOptions,
  onPoint: (point: EvaluatedPoint) => void,
): Promise<void> {
  const batchSize = options.batchSize ?? defaultBatchSize(indices.length, options.jobs);
  const batchCount = Math.ceil(indices.length / batchSize);
  const threads = Math.max(1, Math.min(options.jobs, batchCount));
  if (batchCount === 0) return Promise.resolve();
  const script = workerScriptUrl();

  return new Promise<void>((resolve, reject) => {
    let nextBatch = 0;
    let finishedBatches = 0;
    let failed = false;
    const workers: Worker[] = [];
    const outstanding = new Map<Worker, number>();

    const stopAll = () => {
      for (const worker of workers) void worker.terminate();
    };
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(error);
    };
    const feed = (worker: Worker) => {
      while (!failed && nextBatch < batchCount && (outstanding.get(worker) ?? 0) < 2) {
        const batch = nextBatch++;
        const tasks = indices.slice(batch * batchSize, (batch + 1) * batchSize).map(taskOf);
        outstanding.set(worker, (outstanding.get(worker) ?? 0) + 1);
        worker.postMessage({ type: 'batch', batch, tasks } satisfies ToWorker);
      }
    };

    for (let t = 0; t < threads; t++) {
      const worker = new Worker(script, { execArgv: workerExecArgv(), workerData: { definition, pointDelayMs: options.pointDelayMs } });
      workers.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (failed) return;
        if (message.type === 'points') {
          try {
            for (const point of message.points) onPoint(point);
          } catch (error) {
            fail(error as Error);
          }
          return;
        }
        outstanding.set(worker, (outstanding.get(worker) ?? 1) - 1);
        finishedBatches++;
        if (finishedBatches === batchCount) {
          stopAll();
          resolve();
        } else {
          feed(worker);
        }
      });
      worker.on('error', (error) => fail(new Error(`sweep worker thread failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!failed && finishedBatches < batchCount) fail(new Error(`sweep worker thread exited with code ${code} before finishing`));
      });
      feed(worker);
    }
  });
}
