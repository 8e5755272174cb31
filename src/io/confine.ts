// Confined, bounded file reads: the one gate every path named *inside* a spec file goes through
// (`mtx:` matrices, mask files), so a spec shared between teams can read only files in its own
// directory tree (or under a root the user allowed with `--allow-path DIR`), only regular files,
// and only up to a size cap checked before reading. Paths given on the command line are the
// user's own choice and are not confined, but they get the same regular-file and size checks.

import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { inputError, quoteValue, type SourcePosition } from '../spec/errors.js';

/** Where a path was written, for the error message. */
export interface PathOrigin {
  file: string;
  position?: SourcePosition;
  keyPath: string;
}

/** Spec files (YAML, JSON, SCALE-Sim) are kilobytes; 4 MiB leaves room for generated ones. */
export const MAX_SPEC_FILE_BYTES = 4 * 1024 * 1024;
/**
 * Matrix files: 128 MiB of text holds at most ~32 M entries (4 characters each), whose parsed
 * coordinate arrays (mirrored for symmetric files) stay near 1 GiB.
 */
export const MAX_MATRIX_FILE_BYTES = 128 * 1024 * 1024;

const allowedRoots: string[] = [];

/** Adds directories (from `--allow-path`) that spec files may read below, besides their own. */
export function allowPathRoots(dirs: readonly string[]): void {
  for (const dir of dirs) {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      throw inputError({ file: '<command line>', keyPath: '--allow-path', message: `directory ${quoteValue(dir, 200)} not found` });
    }
    if (!statSync(real).isDirectory()) throw inputError({ file: '<command line>', keyPath: '--allow-path', message: `${quoteValue(dir, 200)} is not a directory` });
    if (!allowedRoots.includes(real)) allowedRoots.push(real);
  }
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves `path` (written in the spec `origin.file`) relative to that spec's directory, follows
 * symlinks, and checks the real target is inside the spec's own real directory or an allowed
 * root. Returns the real path. Errors carry the position of the key that named the path.
 */
export function confinedPath(path: string, origin: PathOrigin): string {
  const fail = (message: string, expected?: string) => inputError({ file: origin.file, position: origin.position, keyPath: origin.keyPath, message, expected });
  if (path.includes('\0')) throw fail('the path contains a NUL character');
  const specDir = realDirectory(dirname(resolve(origin.file)));
  const full = resolve(dirname(resolve(origin.file)), path);
  let real: string;
  try {
    real = realpathSync(full);
  } catch (error) {
    throw fail(`file ${quoteValue(path, 200)} ${describeFsError(error)}`);
  }
  const roots = [specDir, ...allowedRoots];
  if (!roots.some((root) => isInside(real, root))) {
    const shown = real === full ? '' : ` (a link to ${real})`;
    throw fail(`file ${quoteValue(path, 200)}${shown} is outside the spec's directory`, `a path inside ${specDir}${allowedRoots.length ? ` or ${allowedRoots.join(', ')}` : ''}; allow more with --allow-path DIR`);
  }
  return real;
}

function realDirectory(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. The file is opened non-blocking (a FIFO
 * cannot hang the open) and checked with fstat on the open descriptor (no race with a swap
 * between check and read); reading stops at maxBytes + 1 so a file that lies about its size
 * (/proc, a growing file) is still bounded.
 */
export function readBoundedText(path: string, maxBytes: number, origin: PathOrigin, what: string): string {
  return withBoundedFile(path, maxBytes, origin, what, (fd, fail) => {
    const parts: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - length));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      parts.push(chunk.subarray(0, read));
      length += read;
      if (length > maxBytes) throw fail(`${what} ${quoteValue(displayPath(path), 200)} has more than ${maxBytes} bytes`, `at most ${maxBytes} bytes`);
    }
    return Buffer.concat(parts, length).toString('utf8');
  });
}

/**
 * Opens a regular file of at most `maxBytes` (non-blocking open, fstat on the descriptor, as for
 * readBoundedText) and hands the descriptor to `use`, which may read it in place (the .npy mask
 * reader streams into its bitset); operating-system errors become one positioned line.
 */
export function withBoundedFile<T>(path: string, maxBytes: number, origin: PathOrigin, what: string, use: (fd: number, fail: (message: string, expected?: string) => Error) => T): T {
  const fail = (message: string, expected?: string) => inputError({ file: origin.file, position: origin.position, keyPath: origin.keyPath, message, expected });
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw fail(`${what} ${quoteValue(displayPath(path), 200)} ${describeFsError(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw fail(`${what} ${quoteValue(displayPath(path), 200)} is ${fileKind(stat)}`, 'a regular file');
    if (stat.size > maxBytes) throw fail(`${what} ${quoteValue(displayPath(path), 200)} has ${stat.size} bytes`, `at most ${maxBytes} bytes`);
    return use(fd, fail);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw fail(`${what} ${quoteValue(displayPath(path), 200)} ${describeFsError(error)}`);
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** A path as shown: relative to the working directory when inside it. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function fileKind(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** An operating-system error as the end of a sentence ("... cannot be read: permission denied"). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'not found';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read: permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not found (a part of the path is not a directory)';
    case 'ELOOP':
      return 'cannot be resolved: too many symbolic links';
    case 'ENAMETOOLONG':
      return 'cannot be opened: the name is too long';
    case 'EAGAIN':
      return 'cannot be read without blocking';
    default:
      return `cannot be read (${code ?? (error as Error).message})`;
  }
}
