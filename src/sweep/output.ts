// A sweep's directory: run.json (SweepRun) and points.jsonl (one SweepPoint per line).
// While a run is going, each finished point is appended with a single write() of its whole line,
// so a crash leaves at worst one torn last line without its newline; readers ignore that line and
// --resume cuts it off before appending. When the run completes, points.jsonl is rewritten sorted
// by index and de-duplicated (temp file + rename), which makes it byte-identical for any --jobs,
// any interruption and resume, and any sharding (after merge).

import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../spec/errors.js';
import { writeFileAtomic } from '../io/files.js';
import { SWEEP_RUN_SCHEMA, type SweepPoint, type SweepRun } from './types.js';

export const RUN_FILE = 'run.json';
export const POINTS_FILE = 'points.jsonl';

export const runPath = (dir: string) => join(dir, RUN_FILE);
export const pointsPath = (dir: string) => join(dir, POINTS_FILE);

export function readRun(dir: string): SweepRun | undefined {
  const path = runPath(dir);
  if (!existsSync(path)) return undefined;
  let run: SweepRun;
  try {
    run = JSON.parse(readFileSync(path, 'utf8')) as SweepRun;
  } catch (error) {
    throw inputError({ file: path, keyPath: '', message: `not valid JSON: ${(error as Error).message}` });
  }
  if (run?.schema !== SWEEP_RUN_SCHEMA) throw inputError({ file: path, keyPath: 'schema', message: `not a sweep run (schema ${JSON.stringify(run?.schema)})`, expected: SWEEP_RUN_SCHEMA });
  return run;
}

export function writeRun(dir: string, run: SweepRun): void {
  writeFileAtomic(runPath(dir), JSON.stringify(run, null, 2) + '\n');
}

export interface PointsFile {
  /** Point lines by index (the first occurrence of an index wins). */
  lines: Map<number, string>;
  /** Bytes up to and including the last newline: where appending may resume. */
  validBytes: number;
  /** A last line without its newline was found (a write cut short); it is not in `lines`. */
  torn: boolean;
  /** Complete lines that are not valid SweepPoint JSON (skipped; their points are re-run). */
  corrupt: number;
  /** Lines whose index was already present. */
  duplicates: number;
}

/** Reads points.jsonl, tolerating a torn last line. A missing file reads as empty. */
export function readPoints(path: string): PointsFile {
  const result: PointsFile = { lines: new Map(), validBytes: 0, torn: false, corrupt: 0, duplicates: 0 };
  if (!existsSync(path)) return result;
  const buffer = readFileSync(path);
  const end = buffer.lastIndexOf(0x0a) + 1;
  result.validBytes = end;
  result.torn = end < buffer.length;
  const text = buffer.subarray(0, end).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line) continue;
    let point: SweepPoint;
    try {
      point = JSON.parse(line) as SweepPoint;
    } catch {
      result.corrupt++;
      continue;
    }
    if (!Number.isInteger(point?.index)) {
      result.corrupt++;
      continue;
    }
    if (result.lines.has(point.index)) result.duplicates++;
    else result.lines.set(point.index, line);
  }
  return result;
}

/** Parsed points of a sweep directory (for reducers and reports), sorted by index. */
export function loadPoints(dir: string): SweepPoint[] {
  const path = pointsPath(dir);
  if (!existsSync(path)) throw inputError({ file: path, keyPath: '', message: 'no points.jsonl here', expected: 'a sweep results directory' });
  const { lines } = readPoints(path);
  return [...lines.keys()].sort((a, b) => a - b).map((index) => JSON.parse(lines.get(index)!) as SweepPoint);
}

/** Appends whole lines to points.jsonl: one write() per line, fdatasync at most every `syncMs`. */
export class PointsAppender {
  private readonly fd: number;
  private lastSync = Date.now();

  constructor(
    path: string,
    private readonly syncMs = 1000,
  ) {
    this.fd = openSync(path, 'a');
  }

  append(line: string): void {
    writeSync(this.fd, line + '\n');
    const now = Date.now();
    if (now - this.lastSync >= this.syncMs) {
      fdatasyncSync(this.fd);
      this.lastSync = now;
    }
  }

  close(): void {
    fdatasyncSync(this.fd);
    closeSync(this.fd);
  }
}

/** Cuts a torn last line off so that appends start on a fresh line. */
export function dropTornTail(path: string, points: PointsFile): void {
  if (points.torn && existsSync(path) && statSync(path).size > points.validBytes) truncateSync(path, points.validBytes);
}

/** Sorted, de-duplicated content for a set of point lines. */
export function sortedContent(lines: ReadonlyMap<number, string>): string {
  const indices = [...lines.keys()].sort((a, b) => a - b);
  let out = '';
  for (const index of indices) out += lines.get(index)! + '\n';
  return out;
}

/** Counts of ok / error points among lines. */
export function countStatuses(lines: Iterable<string>): { ok: number; error: number } {
  const counts = { ok: 0, error: 0 };
  for (const line of lines) {
    if (line.includes('"status":"ok"')) counts.ok++;
    else counts.error++;
  }
  return counts;
}

/** Indices in `expected` that `lines` lacks (first `limit` of them). */
export function missingIndices(expected: Iterable<number>, lines: ReadonlyMap<number, string>, limit = Infinity): number[] {
  const missing: number[] = [];
  for (const index of expected) {
    if (!lines.has(index)) {
      missing.push(index);
      if (missing.length >= limit) break;
    }
  }
  return missing;
}

/** The indices a run (or shard) covers. */
export function* shardIndices(total: number, shard?: { index: number; count: number }): Generator<number> {
  const step = shard ? shard.count : 1;
  for (let index = shard ? shard.index : 0; index < total; index += step) yield index;
}
