// Sweep commands of the CLI: `accsim sweep`, `accsim sweep-reduce`, `accsim merge`, `accsim worker`.
// Registered on the main program by registerSweepCommands(program).

import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../spec/errors.js';
import { PACKAGE_ROOT, resolvePresetPath } from './presets.js';
import { runSweep, type Shard } from '../sweep/run.js';
import { mergeRuns } from '../sweep/merge.js';
import { loadPoints } from '../sweep/output.js';
import { REDUCE_FORMATS, bestPoints, paretoFront, parseMetrics, renderBest, renderPareto, renderSensitivity, sensitivity, type ReduceFormat } from '../sweep/reduce.js';
import { DEFAULT_QUEUE_NAME } from '../sweep/defaults.js';
import type { Convention, EngineKind, SimulateOptions } from '../core/types.js';

const COMMAND_LINE = '<command line>';

function toolVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function wholeNumber(option: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw inputError({ file: COMMAND_LINE, keyPath: option, message: `'${value}' is not valid`, expected: `a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}` });
    return n;
  };
}

export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index >= shard.count) {
    throw inputError({ file: COMMAND_LINE, keyPath: '--shard', message: `'${value}' is not a shard`, expected: 'i/N with 0 ≤ i < N, e.g. 0/4' });
  }
  return shard;
}

interface SweepFlags {
  arch: string;
  workload: string[];
  set?: string[];
  sweepFile?: string;
  constraint?: string[];
  out?: string;
  jobs?: number;
  resume?: boolean;
  engine: EngineKind;
  convention: Convention;
  sparsityMode: SimulateOptions['sparsityMode'];
  seed?: number;
  shard?: Shard;
  queue?: string;
  queueName: string;
  batchSize?: number;
  quiet?: boolean;
  pointDelay?: number;
}

interface ReduceFlags {
  pareto?: string;
  best?: string;
  sensitivity?: string;
  format: ReduceFormat;
}

interface WorkerFlags {
  queue: string;
  queueName: string;
  concurrency: number;
  lockDuration: number;
  stalledInterval: number;
  maxStalled: number;
  quiet?: boolean;
  pointDelay?: number;
}

export function registerSweepCommands(program: Command): void {
  program
    .command('sweep')
    .description('Run a design-space sweep: every combination (or a sample) of architecture/workload parameter values, streamed to results/<run>/points.jsonl')
    .requiredOption('-a, --arch <file>', 'base architecture file or bundled preset name')
    .option('-w, --workload <file>', 'workload file or bundled name (repeat for several)', collect)
    .option('-s, --set <PATH=VALUES>', 'an axis: PATH (e.g. compute.rows, memory.dram.bandwidth, parameters.batch, operators[2].m, weights.density; prefix arch: or workload: if ambiguous) = VALUES (32,64,128 | 17..68:17GB/s | 0.1..0.9:0.1 | 32..512:*2 | ws,os); repeatable', collect)
    .option('--sweep-file <file>', 'YAML with axes, sampling (grid|random|latin-hypercube), count, seed, constraints')
    .option('--constraint <expr>', "keep only points satisfying e.g. 'compute.rows * compute.cols <= 65536' (repeatable)", collect)
    .option('-o, --out <dir>', 'results directory (default results/<arch>-<run id>)')
    .option('-j, --jobs <n>', 'worker threads; 1 runs in-process (default: available cores)', wholeNumber('--jobs', 1, 1024))
    .option('--resume', 'continue an interrupted sweep in --out: skip points already there (refused if it is a different sweep)')
    .addOption(new Option('--engine <engine>', 'event-driven pipeline or analytical bound (the same default as run and compare, so a point reproduces with accsim run)').choices(['event', 'analytical']).default('event'))
    .addOption(new Option('--convention <convention>', "counting convention: accsim's own or SCALE-Sim v2's").choices(['accsim', 'scalesim']).default('accsim'))
    .addOption(new Option('--sparsity-mode <mode>', 'statistical (fast) or concrete (generated masks)').choices(['statistical', 'concrete']).default('statistical'))
    .option('--seed <n>', 'seed for sampling and for every point (default: the sweep file\'s, else 1)', wholeNumber('--seed', 0, 0xffffffff))
    .option('--shard <i/N>', 'run only the points with index % N == i (merge the shards with accsim merge)', parseShard)
    .option('--queue <url>', 'run through BullMQ on Redis (e.g. redis://127.0.0.1:6379): enqueue batches, collect what `accsim worker`s return')
    .option('--queue-name <name>', 'BullMQ queue name', DEFAULT_QUEUE_NAME)
    .option('--batch-size <n>', 'points per thread batch or queue job', wholeNumber('--batch-size', 1, 100000))
    .option('-q, --quiet', 'no progress or log lines on stderr')
    .addOption(new Option('--point-delay <ms>', 'testing aid: sleep this long per point').argParser(wholeNumber('--point-delay', 0, 60000)).hideHelp())
    .action(async (flags: SweepFlags) => {
      if (!flags.workload?.length) throw inputError({ file: COMMAND_LINE, keyPath: '--workload', message: 'missing', expected: 'at least one --workload FILE' });
      if (!flags.set?.length && !flags.sweepFile) {
        throw inputError({ file: COMMAND_LINE, keyPath: '--set', message: 'nothing to sweep', expected: 'one or more --set PATH=VALUES or a --sweep-file' });
      }
      await runSweep({
        arch: resolvePresetPath(flags.arch, 'arch'),
        workloads: flags.workload.map((w) => resolvePresetPath(w, 'workloads')),
        sets: flags.set ?? [],
        sweepFile: flags.sweepFile,
        constraints: flags.constraint,
        out: flags.out,
        jobs: flags.jobs,
        resume: flags.resume,
        engine: flags.engine,
        convention: flags.convention,
        sparsityMode: flags.sparsityMode,
        seed: flags.seed,
        shard: flags.shard,
        queue: flags.queue,
        queueName: flags.queueName,
        batchSize: flags.batchSize,
        quiet: flags.quiet,
        argv: process.argv.slice(2),
        toolVersion: toolVersion(),
        pointDelayMs: flags.pointDelay,
      });
    });

  program
    .command('sweep-reduce <dir>')
    .description('Summarise a sweep: Pareto front, best point per workload, or sensitivity to each swept parameter (metrics minimised; prefix max: to maximise)')
    .option('--pareto <metrics>', 'Pareto front over 2 or 3 metrics, e.g. cycles,energyJ[,onChipBytes]')
    .option('--best <metric>', 'best point per workload, e.g. seconds')
    .option('--sensitivity <metric>', 'per swept parameter: max/min of the mean metric over its values')
    .addOption(new Option('-f, --format <format>', 'output format').choices(REDUCE_FORMATS as string[]).default('table'))
    .action((dir: string, flags: ReduceFlags) => {
      const chosen = [flags.pareto, flags.best, flags.sensitivity].filter((x) => x !== undefined).length;
      if (chosen !== 1) throw inputError({ file: COMMAND_LINE, keyPath: 'sweep-reduce', message: chosen ? 'more than one reducer' : 'no reducer', expected: 'exactly one of --pareto, --best, --sensitivity' });
      const points = loadPoints(dir);
      let text: string;
      if (flags.pareto !== undefined) {
        const metrics = parseMetrics(flags.pareto, '--pareto');
        if (metrics.length < 2 || metrics.length > 3) throw inputError({ file: COMMAND_LINE, keyPath: '--pareto', message: `${metrics.length} metric(s)`, expected: '2 or 3 metrics, e.g. cycles,energyJ' });
        text = renderPareto(paretoFront(points, metrics), metrics, flags.format);
      } else if (flags.best !== undefined) {
        const [metric] = parseMetrics(flags.best, '--best');
        text = renderBest(bestPoints(points, metric), metric, flags.format);
      } else {
        const [metric] = parseMetrics(flags.sensitivity!, '--sensitivity');
        text = renderSensitivity(sensitivity(points, metric), metric, flags.format);
      }
      process.stdout.write(text);
    });

  program
    .command('merge <dirs...>')
    .description('Merge sweep shards (or partial runs of one sweep) into one results directory, sorted as an unsharded run')
    .requiredOption('-o, --out <dir>', 'merged results directory (must not hold a sweep yet)')
    .option('--allow-partial', 'write the merge even if points are missing')
    .option('-q, --quiet', 'no log line')
    .action((dirs: string[], flags: { out: string; allowPartial?: boolean; quiet?: boolean }) => {
      const summary = mergeRuns({ dirs, out: flags.out, allowPartial: flags.allowPartial });
      if (!flags.quiet) {
        process.stderr.write(
          `merged ${summary.points}/${summary.totalPoints} points from ${dirs.length} directories → ${join(summary.out, 'points.jsonl')}` +
            `${summary.duplicates ? ` (${summary.duplicates} identical duplicates dropped)` : ''}${summary.missing ? ` (${summary.missing} missing)` : ''}\n`,
        );
      }
    });

  program
    .command('worker')
    .description('Consume sweep jobs from a BullMQ queue (run one per core, on any machine that reaches Redis); stops on SIGINT/SIGTERM')
    .requiredOption('--queue <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue-name <name>', 'BullMQ queue name', DEFAULT_QUEUE_NAME)
    .option('--concurrency <n>', 'jobs at once in this process', wholeNumber('--concurrency', 1, 64), 1)
    .option('--lock-duration <ms>', 'a job whose worker stops renewing its lock this long counts as stalled', wholeNumber('--lock-duration', 100), 30000)
    .option('--stalled-interval <ms>', 'how often to re-queue stalled jobs (of dead workers)', wholeNumber('--stalled-interval', 100), 30000)
    .option('--max-stalled <n>', 'stalls after which a job fails', wholeNumber('--max-stalled', 0), 3)
    .option('-q, --quiet', 'no log lines')
    .addOption(new Option('--point-delay <ms>', 'testing aid: sleep this long per point').argParser(wholeNumber('--point-delay', 0, 60000)).hideHelp())
    .action(async (flags: WorkerFlags) => {
      const stop = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      const { runQueueWorker } = await import('../sweep/queue.js');
      await runQueueWorker({
        url: flags.queue,
        queueName: flags.queueName,
        concurrency: flags.concurrency,
        lockDurationMs: flags.lockDuration,
        stalledIntervalMs: flags.stalledInterval,
        maxStalledCount: flags.maxStalled,
        pointDelayMs: flags.pointDelay,
        log: flags.quiet ? undefined : (line) => process.stderr.write(`worker ${process.pid}: ${line}\n`),
        stop,
      });
    });
}

