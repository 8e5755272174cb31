// Queue mode on BullMQ (Redis): the sweep is cut into fixed batches of points, one BullMQ job per
// batch; any number of `accsim worker` processes, on any machines that reach the Redis server,
// evaluate jobs and hand the points back as the job's return value. Only the enqueuer writes
// points.jsonl. No protocol of our own: jobs, return values, retries and stalled-job recovery
// are BullMQ's.
//
// Job ids are `<runId>-<shard>-b<batchSize>-<batch>`: the batch's points are a fixed function of
// them, so enqueueing the same sweep twice (a restarted enqueuer, --resume) adds nothing new and
// picks up results that are already there. A worker that dies mid-job loses its lock; BullMQ's
// stalled-job check (run by the other workers) puts the job back in the queue and another worker
// runs it. A job may therefore complete more than once, or a resumed run may get points it has
// already written: the enqueuer writes each point index exactly once.

import { createHash } from 'node:crypto';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { Job, Queue, QueueEvents, WaitingError, Worker, type ConnectionOptions } from 'bullmq';
import { inputError } from '../spec/errors.js';
import { createEvaluator, type EvaluatedPoint, type Evaluator } from './evaluate.js';
import type { PointTask, SweepDefinition } from './plan.js';
import { DEFAULT_QUEUE_NAME } from './defaults.js';

export { DEFAULT_QUEUE_NAME };
const JOB_NAME = 'points';
const JOB_ATTEMPTS = 3;

export interface SweepJobData {
  /** Hash of `definition`, so workers build each sweep's evaluator once. */
  definitionId: string;
  definition: SweepDefinition;
  tasks: PointTask[];
}

export interface SweepJobResult {
  points: EvaluatedPoint[];
}

/** `redis://[user:password@]host[:port][/db]` (or rediss:// for TLS) → BullMQ connection options. */
export function connectionFromUrl(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw inputError({ file: '<command line>', keyPath: '--queue', message: `'${url}' is not a URL`, expected: 'redis://HOST:PORT' });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw inputError({ file: '<command line>', keyPath: '--queue', message: `unsupported scheme '${parsed.protocol}'`, expected: 'redis://HOST:PORT or rediss://HOST:PORT' });
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** How long the start-up check waits for Redis to accept a connection. */
export const REDIS_PROBE_MS = 3000;

/**
 * Fails fast when nothing accepts connections at the Redis address. BullMQ's client (ioredis)
 * retries an unreachable server forever, so without this check `sweep --queue` would print its
 * banner and wait silently, and `worker` would log ECONNREFUSED twice a second.
 */
export async function probeRedis(url: string, timeoutMs = REDIS_PROBE_MS): Promise<void> {
  const connection = connectionFromUrl(url) as { host: string; port: number; tls?: object };
  const fail = (reason: string) =>
    inputError({ file: '<command line>', keyPath: '--queue', message: `cannot reach Redis at ${connection.host}:${connection.port}: ${reason}`, hint: 'start redis-server there, or pass the right --queue URL' });
  await new Promise<void>((resolve, reject) => {
    const socket = connection.tls ? connectTls({ host: connection.host, port: connection.port, servername: connection.host }) : connectTcp({ host: connection.host, port: connection.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(fail(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once(connection.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(fail(`${error.code === 'ECONNREFUSED' ? 'connection refused' : error.code === 'ENOTFOUND' ? 'host not found' : error.message} (${error.code ?? 'error'})`));
    });
  });
}

export function definitionId(definition: SweepDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
}

export interface QueueSweepOptions {
  url: string;
  queueName?: string;
  definition: SweepDefinition;
  runId: string;
  shard?: { index: number; count: number };
  /** Every index of the run or shard, in order: batches are cut from this list. */
  indices: readonly number[];
  taskOf: (index: number) => PointTask;
  /** Whether a point is already in points.jsonl (its batch is not enqueued if all its points are). */
  isDone: (index: number) => boolean;
  batchSize: number;
  /** Called once per new point, in completion order. */
  onPoint: (point: EvaluatedPoint) => void;
  /** How often outstanding jobs are polled in case a completion event was missed. */
  pollMs?: number;
  log?: (line: string) => void;
}

/** Enqueues the missing batches and waits until every point has come back. */
export async function runQueueSweep(options: QueueSweepOptions): Promise<void> {
  const connection = connectionFromUrl(options.url);
  await probeRedis(options.url);
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = new Queue<SweepJobData, SweepJobResult>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  const shardTag = options.shard ? `s${options.shard.index}of${options.shard.count}` : 'all';
  const id = definitionId(options.definition);
  const B = options.batchSize;
  const pending = new Map<string, number[]>(); // job id → indices
  for (let b = 0; b * B < options.indices.length; b++) {
    const batch = options.indices.slice(b * B, (b + 1) * B);
    if (batch.some((index) => !options.isDone(index))) pending.set(`${options.runId}-${shardTag}-b${B}-${b}`, batch);
  }
  const written = new Set<number>();
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const collecting = new Set<string>();

  const collect = async (jobId: string) => {
    if (!pending.has(jobId) || collecting.has(jobId)) return;
    collecting.add(jobId);
    try {
      const job = await Job.fromId<SweepJobData, SweepJobResult>(queue, jobId);
      if (!job) {
        // Removed behind our back (e.g. by an operator): add it again.
        await addJobs([jobId]);
        return;
      }
      const state = await job.getState();
      if (state === 'completed') {
        for (const point of job.returnvalue?.points ?? []) {
          if (written.has(point.index) || options.isDone(point.index)) continue;
          written.add(point.index);
          options.onPoint(point);
        }
        pending.delete(jobId);
        await job.remove().catch(() => undefined); // its points are on disk now
      } else if (state === 'failed') {
        if (job.attemptsMade >= JOB_ATTEMPTS) failure ??= new Error(`queue job ${jobId} failed ${job.attemptsMade} times: ${job.failedReason}`);
      }
    } catch (error) {
      failure ??= error as Error;
    } finally {
      collecting.delete(jobId);
      wake?.();
    }
  };

  const addJobs = async (jobIds: string[]) => {
    const jobs = jobIds.map((jobId) => ({
      name: JOB_NAME,
      data: { definitionId: id, definition: options.definition, tasks: pending.get(jobId)!.map(options.taskOf) },
      opts: { jobId, attempts: JOB_ATTEMPTS, backoff: { type: 'fixed' as const, delay: 1000 }, removeOnComplete: false, removeOnFail: false },
    }));
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
  };

  try {
    events.on('completed', ({ jobId }) => void collect(jobId));
    events.on('failed', ({ jobId }) => void collect(jobId));
    await events.waitUntilReady();
    await queue.waitUntilReady();
    const ids = [...pending.keys()];
    await addJobs(ids);
    // Jobs of an earlier enqueue that had already failed for good are retried once more.
    for (const jobId of ids) {
      const job = await Job.fromId(queue, jobId);
      if (job && (await job.getState()) === 'failed') await job.retry('failed');
    }
    options.log?.(`queue ${queueName}: ${ids.length} jobs of up to ${B} points (job ids ${options.runId}-${shardTag}-b${B}-*)`);
    const pollMs = options.pollMs ?? 2000;
    let lastPoll = Date.now();
    for (const jobId of ids) await collect(jobId); // results that were there before we listened
    while (pending.size > 0 && !failure) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollMs);
      });
      clearTimeout(timer);
      wake = undefined;
      if (Date.now() - lastPoll >= pollMs) {
        lastPoll = Date.now();
        for (const jobId of [...pending.keys()]) await collect(jobId);
      }
    }
    if (failure) throw failure;
  } finally {
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
}

export interface QueueWorkerOptions {
  url: string;
  queueName?: string;
  /** Jobs processed at once by this process (points are CPU-bound: run one process per core). */
  concurrency?: number;
  /** BullMQ lock duration: a job whose worker stops renewing its lock this long is stalled. */
  lockDurationMs?: number;
  /** How often this worker checks for stalled jobs (of any worker) and re-queues them. */
  stalledIntervalMs?: number;
  /** How many times a job may stall before it fails. */
  maxStalledCount?: number;
  pointDelayMs?: number;
  log?: (line: string) => void;
  /** Resolves the returned promise's wait: the worker finishes its current jobs and closes. */
  stop?: Promise<void>;
}

/**
 * Consumes sweep jobs until `stop` resolves. On stop, a job in progress is released at the next
 * point boundary (moved back to the waiting list for another worker), so the worker exits
 * within one point's time instead of finishing its batch or waiting for the lock to expire.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const connection = connectionFromUrl(options.url);
  await probeRedis(options.url);
  let stopping = false;
  const stop = (options.stop ?? new Promise<void>(() => undefined)).then(() => {
    stopping = true;
  });
  const evaluators = new Map<string, Evaluator>();
  const evaluatorFor = (data: SweepJobData): Evaluator => {
    let evaluate = evaluators.get(data.definitionId);
    if (!evaluate) {
      if (evaluators.size >= 8) evaluators.clear();
      evaluate = createEvaluator(data.definition, { pointDelayMs: options.pointDelayMs });
      evaluators.set(data.definitionId, evaluate);
    }
    return evaluate;
  };
  const worker = new Worker<SweepJobData, SweepJobResult>(
    options.queueName ?? DEFAULT_QUEUE_NAME,
    async (job, token) => {
      options.log?.(`job ${job.id} started (${job.data.tasks.length} points)`);
      const evaluate = evaluatorFor(job.data);
      const points: EvaluatedPoint[] = [];
      let slice = Date.now();
      for (const task of job.data.tasks) {
        if (stopping) {
          await job.moveToWait(token);
          options.log?.(`job ${job.id} released (stopping)`);
          throw new WaitingError();
        }
        points.push(evaluate(task));
        // Let BullMQ renew the job's lock between points of a long batch.
        if (Date.now() - slice > 20) {
          await new Promise((resolve) => setImmediate(resolve));
          slice = Date.now();
        }
      }
      options.log?.(`job ${job.id} done`);
      return { points };
    },
    {
      connection,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 3,
    },
  );
  // A connection lost mid-run is retried by the client; say so once per error text and minute,
  // not on every retry.
  const lastLogged = new Map<string, number>();
  worker.on('error', (error) => {
    const now = Date.now();
    if (now - (lastLogged.get(error.message) ?? -Infinity) < 60_000) return;
    lastLogged.set(error.message, now);
    options.log?.(`worker error: ${error.message} (retrying)`);
  });
  await Promise.race([worker.waitUntilReady(), stop]);
  if (!stopping) options.log?.(`worker ready on queue ${options.queueName ?? DEFAULT_QUEUE_NAME}`);
  await stop;
  await worker.close();
  options.log?.('worker stopped');
}
