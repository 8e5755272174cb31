// Errors from the environment rather than the input: a file that cannot be written, a full disk,
// an unreachable Redis. They are not bugs, so the CLI reports them as one clear line with exit
// code 2 (like bad input) instead of "internal error".

const DESCRIPTIONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENOTEMPTY: 'directory not empty',
  EBUSY: 'resource busy',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'broken pipe',
};

/** The one-line message for an operating-system error, or undefined if `error` is not one. */
export function environmentErrorLine(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (!code || !(code in DESCRIPTIONS)) return undefined;
  const target = e.path ?? (e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : undefined);
  const where = [e.syscall, target].filter(Boolean).join(' ');
  return `accsim: error: ${where ? `${where}: ` : ''}${DESCRIPTIONS[code]} (${code})`.replace(/\s+/g, ' ');
}
