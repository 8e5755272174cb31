// Entry point of a sweep worker thread (see pool.ts): builds the evaluator once from the sweep
// definition, then evaluates batches of points and streams each point's line back as it finishes.

import { parentPort, workerData } from 'node:worker_threads';
import { createEvaluator } from './evaluate.js';
import type { PointTask, SweepDefinition } from './plan.js';
import type { FromWorker, ToWorker } from './pool.js';

const data = workerData as { definition: SweepDefinition; pointDelayMs?: number };
const evaluate = createEvaluator(data.definition, { pointDelayMs: data.pointDelayMs });
const port = parentPort!;

port.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  for (const task of message.tasks as PointTask[]) {
    const point = evaluate(task);
    port.postMessage({ type: 'point', index: point.index, line: point.line, ok: point.ok } satisfies FromWorker);
  }
  port.postMessage({ type: 'done', batch: message.batch } satisfies FromWorker);
});
