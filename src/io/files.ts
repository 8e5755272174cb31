// File I/O at the edge: reads spec files (native YAML/JSON or SCALE-Sim inputs) and matrices, and
// writes outputs atomically (temp file + rename) so a crash never leaves a half-written file.

import { readSync, renameSync, writeFileSync, mkdirSync, statSync, rmSync } from 'node:fs';
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
import { confinedPath, readBoundedText, withBoundedFile, MAX_MATRIX_FILE_BYTES, MAX_SPEC_FILE_BYTES } from './confine.js';

/** Reads a spec file named on the command line: a regular file of at most MAX_SPEC_FILE_BYTES. */
export function readText(path: string, what: string): string {
  // The path came from the command line, so a missing or unreadable file is reported there.
  return readBoundedText(path, MAX_SPEC_FILE_BYTES, { file: '<command line>', keyPath: COMMAND_LINE_FLAG[what] ?? '' }, `${what} file`);
}

const COMMAND_LINE_FLAG: Record<string, string> = {
  architecture: '--arch',
  workload: '--workload',
  sweep: 'sweep file',
  'SCALE-Sim config': '--config',
  'SCALE-Sim topology': '--topology',
};

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

/** Reads an `mtx:` matrix: confined to the spec's tree (src/io/confine.ts), size-capped. */
export const readMatrixRelative: MatrixReader = (path, from) => {
  const real = confinedPath(path, from);
  const file = displayName(resolve(dirname(resolve(from.file)), path));
  let matrix = matrixCache.get(real);
  if (!matrix) {
    matrix = parseMatrixMarket(readBoundedText(real, MAX_MATRIX_FILE_BYTES, from, 'matrix file'), file);
    matrixCache.set(real, matrix);
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
  const real = confinedPath(path, from);
  const file = displayName(resolve(dirname(resolve(from.file)), path));
  const key = `${kind}|${real}`;
  let mask = maskCache.get(key);
  if (!mask) {
    mask =
      kind === 'npy'
        ? withBoundedFile(real, MAX_MATRIX_FILE_BYTES, from, 'mask file', (fd) => readNpyMask((buffer, position) => readSync(fd, buffer, 0, buffer.length, position), file))
        : maskFromCsr(parseMatrixMarket(readBoundedText(real, MAX_MATRIX_FILE_BYTES, from, 'mask file'), file));
    const summary = { source: file, rows: mask.rows, cols: mask.cols, nnz: maskNnz(mask), sha256: createHash('sha256').update(mask.words).digest('hex').slice(0, 16) };
    Object.defineProperty(mask, 'toJSON', { value: () => summary, enumerable: false });
    maskCache.set(key, mask);
  }
  return { file, mask };
};

/** Model configurations (config.json) named by model workloads: confined and size-capped like any spec. */
export const readModelRelative: ModelReader = (path, from) => {
  const real = confinedPath(path, from);
  const file = displayName(resolve(dirname(resolve(from.file)), path));
  return { file, root: parseSpecText(readBoundedText(real, MAX_SPEC_FILE_BYTES, from, 'model configuration'), file).root };
};

export function loadWorkloadFile(path: string): Workload {
  const file = displayName(path);
  const text = readText(path, 'workload');
  if (extname(path).toLowerCase() === '.csv') return loadWorkloadText(scaleSimTopologyToYaml(text, file), file, readMatrixRelative, readMaskRelative);
  return loadWorkloadText(text, file, readMatrixRelative, readMaskRelative, readModelRelative);
}

/** Writes a file atomically: the content appears whole or not at all. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    throw inputError({ file: '<command line>', keyPath: '', message: `output '${displayName(path)}' is a directory, not a file to write`, expected: 'a file path (the directory is left as it is)' });
  }
  if (existing && !existing.isFile()) {
    // A device or pipe (`-o /dev/stdout`, a FIFO): write into it; renaming over it would replace it.
    writeFileSync(path, content);
    return;
  }
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    // Disk full, permission denied, a directory appearing at `path`: leave nothing behind.
    rmSync(temporary, { force: true });
    throw error;
  }
}
