// `accsim merge`: joins the results of shards (`--shard i/N`) — or of any runs of the same sweep —
// into one directory whose points.jsonl is byte-identical to an unsharded run's.
// Checks: every input is the same sweep (run.json identity: base hashes, axes, sampling,
// constraints, seed, engine); each point lies in its run's shard; an index present twice must
// have the same line (an identical duplicate is dropped and counted; a different one is an
// error); every index 0..totalPoints-1 must be present unless allowPartial.

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../spec/errors.js';
import { writeFileAtomic } from '../io/files.js';
import type { SweepRun } from './types.js';
import { identityDifferences } from './plan.js';
import { countStatuses, missingIndices, pointsPath, readPoints, readRun, shardIndices, sortedContent, writeRun } from './output.js';

export interface MergeOptions {
  dirs: string[];
  out: string;
  /** Write what there is even if points are missing (run.json then has no completedAt). */
  allowPartial?: boolean;
}

export interface MergeSummary {
  out: string;
  points: number;
  totalPoints: number;
  duplicates: number;
  missing: number;
}

export function mergeRuns(options: MergeOptions): MergeSummary {
  if (options.dirs.length === 0) throw inputError({ file: '<command line>', keyPath: 'merge', message: 'no directories to merge', expected: 'one or more sweep result directories' });
  const runs: SweepRun[] = options.dirs.map((dir) => {
    const run = readRun(dir);
    if (!run) throw inputError({ file: dir, keyPath: 'run.json', message: 'not a sweep results directory (no run.json)' });
    return run;
  });
  const first = runs[0];
  runs.forEach((run, i) => {
    const differences = identityDifferences(first, run);
    if (differences.length) {
      throw inputError({ file: join(options.dirs[i], 'run.json'), keyPath: '', message: `not the same sweep as ${options.dirs[0]} (differs in ${differences.join(', ')})` });
    }
  });
  if (existsSync(join(options.out, 'run.json')) || existsSync(pointsPath(options.out))) {
    throw inputError({ file: options.out, keyPath: '--out', message: 'this directory already holds a sweep', expected: 'a new directory' });
  }

  const total = first.totalPoints;
  const merged = new Map<number, string>();
  let duplicates = 0;
  options.dirs.forEach((dir, i) => {
    const shard = runs[i].shard;
    const { lines, duplicates: inFile } = readPoints(pointsPath(dir));
    duplicates += inFile;
    for (const [index, line] of lines) {
      if (index < 0 || index >= total || (shard && index % shard.count !== shard.index)) {
        throw inputError({ file: pointsPath(dir), keyPath: `index ${index}`, message: `point ${index} does not belong to this ${shard ? `shard (${shard.index}/${shard.count})` : 'sweep'} of ${total} points` });
      }
      const already = merged.get(index);
      if (already === undefined) merged.set(index, line);
      else if (already === line) duplicates++;
      else throw inputError({ file: pointsPath(dir), keyPath: `index ${index}`, message: `point ${index} differs from the same point in another input`, hint: 'the inputs were not produced by the same accsim version or base files' });
    }
  });

  const missing = missingIndices(shardIndices(total), merged);
  if (missing.length && !options.allowPartial) {
    throw inputError({
      file: '<command line>',
      keyPath: 'merge',
      message: `${missing.length} of ${total} points are missing (first: ${missing.slice(0, 10).join(', ')})`,
      hint: 'merge every shard, or finish the incomplete ones with --resume (or pass --allow-partial)',
    });
  }

  mkdirSync(options.out, { recursive: true });
  writeFileAtomic(pointsPath(options.out), sortedContent(merged));
  const run: SweepRun = { ...first, createdAt: new Date().toISOString(), mergedFrom: options.dirs };
  delete run.shard;
  delete run.completedAt;
  delete run.counts;
  if (!missing.length) {
    run.completedAt = run.createdAt;
    run.counts = countStatuses(merged.values());
  }
  writeRun(options.out, run);
  return { out: options.out, points: merged.size, totalPoints: total, duplicates, missing: missing.length };
}
