// `accsim sweep`: plan the points, run the missing ones (in-process, on worker threads, or through
// a BullMQ queue), append each point's line to points.jsonl as it finishes, and when every point
// is there rewrite points.jsonl sorted by index.

import { availableParallelism } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { inputError } from '../spec/errors.js';
import { displayName, readMaskRelative, readMatrixRelative, readModelRelative, readText, writeFileAtomic } from '../io/files.js';
import { scaleSimConfigToYaml, scaleSimTopologyToYaml } from '../io/scalesim.js';
import type { Convention, EngineKind, SimulateOptions } from '../core/types.js';
import type { SweepRun } from './types.js';
import { buildPlan, identityDifferences, runRecord, taskOf, type SweepPlan } from './plan.js';
import { createEvaluator, type EvaluatedPoint } from './evaluate.js';
import { runInWorkers } from './pool.js';
import { DEFAULT_QUEUE_BATCH } from './defaults.js';
import { Progress, formatDuration, type ProgressMode } from './progress.js';
import { PointsAppender, countStatuses, dropTornTail, missingIndices, pointsPath, readPoints, readRun, shardIndices, sortedContent, writeRun } from './output.js';
import { acquireSweepLock } from './lock.js';

export interface Shard {
  index: number;
  count: number;
}

export interface SweepOptions {
  arch: string;
  workloads: string[];
  /** `PATH=VALUES` texts (--set). */
  sets?: string[];
  sweepFile?: string;
  constraints?: string[];
  /** Results directory; default results/<arch>-<runId[0..8]>[-shard<i>of<N>]. */
  out?: string;
  /** Threads; 1 runs in-process. Default: os.availableParallelism(). */
  jobs?: number;
  resume?: boolean;
  engine?: EngineKind;
  convention?: Convention;
  sparsityMode?: SimulateOptions['sparsityMode'];
  seed?: number;
  shard?: Shard;
  /** redis:// URL: run through BullMQ workers (`accsim worker`) instead of local threads. */
  queue?: string;
  queueName?: string;
  /** Points per worker-thread batch or queue job. */
  batchSize?: number;
  quiet?: boolean;
  /** Overrides the progress display chosen from --quiet and whether stderr is a terminal. */
  progress?: ProgressMode;
  /** The command line, recorded in run.json. */
  argv?: string[];
  toolVersion?: string;
  /** Testing aid: sleep this long per point. */
  pointDelayMs?: number;
  /** Log lines (stderr by default; nothing when quiet). */
  log?: (line: string) => void;
}

export interface SweepSummary {
  dir: string;
  runId: string;
  /** Points of this run (or shard). */
  points: number;
  /** Points computed by this invocation. */
  computed: number;
  /** Points found in points.jsonl from an earlier, interrupted invocation. */
  resumed: number;
  ok: number;
  error: number;
  skippedByConstraints: number;
  seconds: number;
}

function readSpec(path: string, kind: 'arch' | 'workload'): { file: string; path: string; text: string } {
  const full = resolve(path);
  const file = displayName(full);
  let text = readText(full, kind === 'arch' ? 'architecture' : 'workload');
  // SCALE-Sim inputs are swept through their accsim YAML translation (same keys as `import scalesim`).
  if (kind === 'arch' && extname(full).toLowerCase() === '.cfg') text = scaleSimConfigToYaml(text, file);
  if (kind === 'workload' && extname(full).toLowerCase() === '.csv') text = scaleSimTopologyToYaml(text, file);
  return { file, path: full, text };
}

export function planSweep(options: SweepOptions): SweepPlan {
  if (options.workloads.length === 0) throw inputError({ file: '<command line>', keyPath: '--workload', message: 'no workload', expected: 'at least one --workload FILE' });
  const sweepFile = options.sweepFile ? { file: displayName(resolve(options.sweepFile)), text: readText(options.sweepFile, 'sweep') } : undefined;
  return buildPlan({
    arch: readSpec(options.arch, 'arch'),
    workloads: options.workloads.map((w) => readSpec(w, 'workload')),
    sets: options.sets ?? [],
    sweepFile,
    constraints: options.constraints,
    seed: options.seed,
    engine: options.engine,
    convention: options.convention,
    sparsityMode: options.sparsityMode,
    readMatrix: (base) => (path, from) => readMatrixRelative(path, { ...from, file: base.path }),
    readMask: (base) => (path, kind, from) => readMaskRelative(path, kind, { ...from, file: base.path }),
    readModel: (base) => (path, from) => readModelRelative(path, { ...from, file: base.path }),
  });
}

export function defaultOutDir(plan: SweepPlan, shard?: Shard): string {
  const arch = basename(plan.definition.arch.file).replace(/\.[^.]*$/, '');
  return join('results', `${arch}-${plan.runId.slice(0, 8)}${shard ? `-shard${shard.index}of${shard.count}` : ''}`);
}

export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const started = Date.now();
  const log = options.log ?? (options.quiet ? () => undefined : (line: string) => process.stderr.write(line + '\n'));
  const plan = planSweep(options);
  const shard = options.shard;
  if (shard && !(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw inputError({ file: '<command line>', keyPath: '--shard', message: `${shard.index}/${shard.count} is not a shard`, expected: 'i/N with 0 ≤ i < N' });
  }
  const dir = options.out ?? defaultOutDir(plan, shard);
  const fresh = runRecord(plan, { argv: options.argv ?? [], toolVersion: options.toolVersion ?? '', shard });

  // ---- the results directory: new, or the same sweep resumed ------------------------------------
  if (options.queue) await (await import('./queue.js')).probeRedis(options.queue); // before anything is written
  mkdirSync(dir, { recursive: true });
  const releaseLock = acquireSweepLock(dir);
  try {
    return await runLocked(options, plan, dir, fresh, log, started);
  } finally {
    releaseLock();
  }
}

async function runLocked(options: SweepOptions, plan: SweepPlan, dir: string, fresh: SweepRun, log: (line: string) => void, started: number): Promise<SweepSummary> {
  const shard = options.shard;
  const existing = readRun(dir);
  const points = pointsPath(dir);
  let run: SweepRun = fresh;
  if (!options.resume && (existing || existsSync(points))) {
    throw inputError({ file: dir, keyPath: '', message: 'this directory already holds a sweep', expected: 'a new --out directory', hint: 'pass --resume to continue that sweep' });
  }
  if (options.resume && existing) {
    const differences = identityDifferences(existing, fresh);
    const sameShard = JSON.stringify(existing.shard ?? null) === JSON.stringify(shard ?? null);
    if (differences.length > 0 || !sameShard) {
      throw inputError({
        file: join(dir, 'run.json'),
        keyPath: '',
        message: `--resume refused: this invocation is a different sweep (differs in ${[...differences, ...(sameShard ? [] : ['shard'])].join(', ')})`,
        hint: 'use the same arch/workload files, axes, sampling, constraints, seed, engine and shard, or another --out',
      });
    }
    run = { ...existing };
  } else if (options.resume && existsSync(points)) {
    throw inputError({ file: dir, keyPath: 'run.json', message: '--resume refused: points.jsonl without run.json, so it cannot be checked to be the same sweep' });
  }
  delete run.completedAt;
  delete run.counts;
  writeRun(dir, run);

  const previous = readPoints(points);
  dropTornTail(points, previous);
  if (previous.torn) log(`sweep: dropped a torn last line in ${points}`);
  if (previous.corrupt) log(`sweep: ${previous.corrupt} unreadable line(s) in ${points}; their points run again`);
  const all = [...shardIndices(plan.totalPoints, shard)];
  const remaining = all.filter((index) => !previous.lines.has(index));
  const resumed = all.length - remaining.length;

  const jobs = Math.max(1, Math.floor(options.jobs ?? availableParallelism()));
  log(
    `sweep ${plan.runId}: ${all.length} points, ${plan.definition.engine} engine${shard ? ` (shard ${shard.index}/${shard.count} of ${plan.totalPoints})` : ''}` +
      `${plan.skippedByConstraints ? `, ${plan.skippedByConstraints} skipped by constraints` : ''}` +
      `${resumed ? `, ${resumed} already done` : ''} → ${dir}` +
      `${options.queue ? ` via ${options.queue}` : remaining.length > 1 && jobs > 1 ? ` on ${jobs} threads` : ''}`,
  );

  // ---- run what is missing -----------------------------------------------------------------------
  const progress = new Progress(all.length, options.progress ?? Progress.modeFor(options.quiet), process.stderr, resumed);
  const appender = new PointsAppender(points);
  let computed = 0;
  const onPoint = (point: EvaluatedPoint) => {
    appender.append(point.line);
    computed++;
    progress.tick();
  };
  const task = (index: number) => taskOf(plan, index);
  try {
    if (options.queue) {
      const { runQueueSweep } = await import('./queue.js'); // BullMQ loads only in queue mode
      await runQueueSweep({
        url: options.queue,
        queueName: options.queueName,
        definition: plan.definition,
        runId: plan.runId,
        shard,
        indices: all,
        taskOf: task,
        isDone: (index) => previous.lines.has(index),
        batchSize: options.batchSize ?? DEFAULT_QUEUE_BATCH,
        onPoint,
        log,
      });
    } else if (jobs <= 1 || remaining.length < 2) {
      const evaluate = createEvaluator(plan.definition, { pointDelayMs: options.pointDelayMs });
      for (const index of remaining) onPoint(evaluate(task(index)));
    } else {
      await runInWorkers(plan.definition, remaining, task, { jobs, batchSize: options.batchSize, pointDelayMs: options.pointDelayMs }, onPoint);
    }
  } finally {
    appender.close();
    progress.finish();
  }

  // ---- complete: sorted, de-duplicated, atomically --------------------------------------------------
  const final = readPoints(points);
  const missing = missingIndices(all, final.lines, 10);
  if (missing.length) throw new Error(`sweep finished without points ${missing.join(', ')}${missing.length === 10 ? ', …' : ''} in ${points}`);
  const lines = new Map([...final.lines].filter(([index]) => !shard || index % shard.count === shard.index));
  writeFileAtomic(points, sortedContent(lines));
  const counts = countStatuses(lines.values());
  writeRun(dir, { ...run, completedAt: new Date().toISOString(), counts });
  const seconds = (Date.now() - started) / 1000;
  log(
    `sweep: ${all.length} points (${counts.ok} ok, ${counts.error} error) in ${formatDuration(seconds)}` +
      `${computed ? `, ${(computed / seconds).toFixed(0)} points/s` : ''} → ${points}`,
  );
  return { dir, runId: plan.runId, points: all.length, computed, resumed, ok: counts.ok, error: counts.error, skippedByConstraints: plan.skippedByConstraints, seconds };
}
