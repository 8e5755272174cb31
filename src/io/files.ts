// File I/O at the edge: reads spec files (native YAML/JSON or SCALE-Sim inputs) and matrices, and
// writes outputs atomically (temp file + rename) so a crash never leaves a half-written file.

import { closeSync, openSync, readFileSync, readSync, renameSync, writeFileSync, mkdirSync, existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, extname, resolve, relative, isAbsolute } from 'node:path';
import type { ArchSpec, Workload } from '../core/types.js';
import { inputError } from '../spec/errors.js';
import { loadArchText } from '../spec/load-arch.js';
import { loadWorkloadText, type MaskReader, type MatrixReader } from '../spec/load-workload.js';
import { parseMatrixMarket } from '../matrix/mtx.js';
import { readNpyMask } from '../matrix/npy.js';
import { maskFromCsr, maskNnz, type Mask } from '../sparsity/mask.js';
import { parseSpecText } from '../spec/yaml-source.js';
import type { ModelReader } from '../llm/load.js';
import { scaleSimConfigToYaml, scaleSimTopologyToYaml } from './scalesim.js';

export function readText(path: string, what: string): string {
  if (!existsSync(path)) throw inputError({ file: path, keyPath: '', message: `${what} file not found` });
  if (statSync(path).isDirectory()) throw inputError({ file: path, keyPath: '', message: `${what} path is a directory`, expected: 'a file' });
  return readFileSync(path, 'utf8');
}

/** Shown file names are relative to the working directory when that is shorter. */
export function displayName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function loadArchFile(path: string): ArchSpec {
  const file = displayName(path);
  const text = readText(path, 'architecture');
  if (extname(path).toLowerCase() === '.cfg') return loadArchText(scaleSimConfigToYaml(text, file), file);
  return loadArchText(text, file);
}

const matrixCache = new Map<string, ReturnType<typeof parseMatrixMarket>>();

export const readMatrixRelative: MatrixReader = (path, from) => {
  const full = resolve(dirname(from.file), path);
  const file = displayName(full);
  if (!existsSync(full)) throw inputError({ file: from.file, position: from.position, keyPath: from.keyPath, message: `matrix file '${path}' not found (looked for ${file})` });
  let matrix = matrixCache.get(full);
  if (!matrix) {
    matrix = parseMatrixMarket(readFileSync(full, 'utf8'), file);
    matrixCache.set(full, matrix);
  }
  return { file, matrix };
};

const maskCache = new Map<string, Mask>();

/**
 * An operand mask from a .npy file (streamed from the file descriptor into the bitset) or from a
 * Matrix Market file's structure. The mask's JSON form is its summary (file, shape, nonzeros,
 * sha256 of the bits), so workload hashes and cache keys stay short and change with the bits.
 */
export const readMaskRelative: MaskReader = (path, kind, from) => {
  const full = resolve(dirname(from.file), path);
  const file = displayName(full);
  if (!existsSync(full) || statSync(full).isDirectory()) throw inputError({ file: from.file, position: from.position, keyPath: from.keyPath, message: `mask file '${path}' not found (looked for ${file})` });
  const key = `${kind}|${full}`;
  let mask = maskCache.get(key);
  if (!mask) {
    if (kind === 'npy') {
      const fd = openSync(full, 'r');
      try {
        mask = readNpyMask((buffer, position) => readSync(fd, buffer, 0, buffer.length, position), file);
      } finally {
        closeSync(fd);
      }
    } else {
      mask = maskFromCsr(parseMatrixMarket(readFileSync(full, 'utf8'), file));
    }
    const summary = { source: file, rows: mask.rows, cols: mask.cols, nnz: maskNnz(mask), sha256: createHash('sha256').update(mask.words).digest('hex').slice(0, 16) };
    Object.defineProperty(mask, 'toJSON', { value: () => summary, enumerable: false });
    maskCache.set(key, mask);
  }
  return { file, mask };
};

/** Model configurations (config.json) named by model workloads, relative to the workload file. */
export const readModelRelative: ModelReader = (path, from) => {
  const full = resolve(dirname(from.file), path);
  const file = displayName(full);
  if (!existsSync(full)) throw inputError({ file: from.file, position: from.position, keyPath: from.keyPath, message: `model configuration '${path}' not found (looked for ${file})` });
  return { file, root: parseSpecText(readFileSync(full, 'utf8'), file).root };
};

export function loadWorkloadFile(path: string): Workload {
  const file = displayName(path);
  const text = readText(path, 'workload');
  if (extname(path).toLowerCase() === '.csv') return loadWorkloadText(scaleSimTopologyToYaml(text, file), file, readMatrixRelative, readMaskRelative);
  return loadWorkloadText(text, file, readMatrixRelative, readMaskRelative, readModelRelative);
}

/** Writes a file atomically: the content appears whole or not at all. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}
