import { statfsSync } from 'node:fs';
import path from 'node:path';
import { DiskFullError } from './errors/disk-full-error.js';

/** Error codes that mean "no space": Node's errno codes and SQLite's. */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
/** Engines that report a full disk in text only (DuckDB: "No space left on device"). */
const FULL_TEXT = /no space left on device|disk quota exceeded/i;

/** Below this, a file system that fails a write with a bare I/O error is taken to be full. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * True when `error`, or an error in its `cause` chain, says its file system is full. Given the
 * path written (`target`), also a bare I/O error (SQLite's SQLITE_IOERR_*, which hides the errno
 * when it cannot grow its WAL or shared-memory file; EIO) while that file system has almost
 * nothing free.
 */
export function isDiskFull(error: unknown, target?: string): boolean {
  let ioError = false;
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof DiskFullError) return true;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && FULL_CODES.has(code)) return true;
    if (typeof message === 'string' && FULL_TEXT.test(message)) return true;
    if (typeof code === 'string' && (code.startsWith('SQLITE_IOERR') || code === 'EIO')) ioError = true;
    current = (current as { cause?: unknown }).cause;
  }
  if (!ioError || target === undefined) return false;
  const free = freeBytesAt(target);
  return free !== undefined && free < NEARLY_FULL_BYTES;
}

/**
 * Bytes an unprivileged process may still write on the file system holding `target` (its nearest
 * existing folder); undefined when the system cannot tell.
 */
export function freeBytesAt(target: string): number | undefined {
  let dir = path.resolve(target);
  for (;;) {
    try {
      const { bavail, bsize } = statfsSync(dir);
      return Number(bavail) * Number(bsize);
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

/**
 * The DiskFullError for a write of `target` that failed with `cause`, the free space measured now.
 * `neededBytes` is what the write needed in all (a lower bound with `atLeast`), when known.
 */
export function diskFullError(cause: unknown, target: string, options: { neededBytes?: number; atLeast?: boolean; hint?: string } = {}): DiskFullError {
  if (cause instanceof DiskFullError) return cause;
  const freeBytes = freeBytesAt(target);
  return new DiskFullError({
    path: target,
    cause,
    ...(options.neededBytes !== undefined ? { neededBytes: options.neededBytes } : {}),
    ...(options.atLeast ? { atLeast: true } : {}),
    ...(freeBytes !== undefined ? { freeBytes } : {}),
    ...(options.hint !== undefined ? { hint: options.hint } : {}),
  });
}
