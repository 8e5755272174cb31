// Entry point of a sweep worker thread (see pool.ts): builds the evaluator once from the sweep
// definition, then evaluates batches of points and streams their lines back in small groups as they finish.

import { parentPort, workerData } from 'node:worker_threads';
import { createEvaluator, type EvaluatedPoint } from './evaluate.js';
import type { PointTask, SweepDefinition } from './plan.js';
import { MESSAGE_MAX_WAIT_MS, POINTS_PER_MESSAGE, type FromWorker, type ToWorker } from './pool.js';

const data = workerData as { definition: SweepDefinition; pointDelayMs?: number };
const evaluate = createEvaluator(data.definition, { pointDelayMs: data.pointDelayMs });
const port = parentPort!;

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  let pending: EvaluatedPoint[] = [];
  let oldest = 0;
  const flush = () => {
    if (pending.length > 0) port.postMessage({ type: 'points', points: pending } satisfies FromWorker);
    pending = [];
  };
  for (const task of message.tasks as PointTask[]) {
    const point = evaluate(task);
    if (pending.length === 0) oldest = Date.now();
    pending.push({ index: point.index, line: point.line, ok: point.ok });
    if (pending.length >= POINTS_PER_MESSAGE || Date.now() - oldest >= MESSAGE_MAX_WAIT_MS) flush();
  }
  flush();
  port.postMessage({ type: 'done', batch: message.batch } satisfies FromWorker);
});
