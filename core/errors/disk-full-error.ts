import { GmpError } from './gmp-error.js';

const MB = 1024 * 1024;
const DEFAULT_HINT = 'free space on that file system (or move it elsewhere), then re-run: the last commit is still in place and nothing half-written was committed';

export interface DiskFullDetails {
  /** The file (or folder) the write was for. */
  path: string;
  /** Bytes the write needed in all, when known; with `atLeast`, a lower bound (a stream cut short). */
  neededBytes?: number;
  atLeast?: boolean;
  /** Bytes free on the path's file system when the error was reported. */
  freeBytes?: number;
  cause?: unknown;
  hint?: string;
}

/**
 * A write found its file system full. The message names the path, how much more it needs (as
 * precisely as the writer knows) and what is free, never "damaged": the writers leave the last
 * commit in place.
 */
export class DiskFullError extends GmpError {
  readonly path: string;
  readonly neededBytes: number | undefined;
  readonly freeBytes: number | undefined;

  constructor(details: DiskFullDetails) {
    super('DISK_FULL', diskFullMessage(details), {
      cause: details.cause,
      retryable: false,
      context: { path: details.path, neededBytes: details.neededBytes, freeBytes: details.freeBytes },
      hint: details.hint ?? DEFAULT_HINT,
    });
    this.path = details.path;
    this.neededBytes = details.neededBytes;
    this.freeBytes = details.freeBytes;
  }
}

/**
 * `disk full: <path> needs ~N MB more (M MB free on its file system)`, or as much of it as is known:
 * a lower bound says "at least"; a lower bound already below what is free says only that it needs
 * more than that; an unknown need says "more space".
 */
export function diskFullMessage(details: Pick<DiskFullDetails, 'path' | 'neededBytes' | 'atLeast' | 'freeBytes'>): string {
  const { neededBytes, freeBytes, atLeast } = details;
  const free = freeBytes === undefined ? '' : ` (${megabytes(freeBytes)} MB free on its file system)`;
  if (neededBytes === undefined) return `disk full: ${details.path} needs more space${free}`;
  const more = neededBytes - (freeBytes ?? 0);
  if (more > 0) return `disk full: ${details.path} needs ${atLeast ? 'at least ' : ''}~${megabytes(more)} MB more${free}`;
  // A stream cut short needs more than it had written, and more than what is free.
  if (atLeast) return `disk full: ${details.path} needs more than the ${megabytes(freeBytes ?? 0)} MB free on its file system`;
  // Space was freed since the write failed (by another process): it fits now.
  return `disk full: ${details.path} needs ~${megabytes(neededBytes)} MB${free.replace(')', ' now)')}`;
}

/** MiB, one decimal below 10 (never "0" for a non-zero amount), whole above. */
function megabytes(bytes: number): string {
  const mb = bytes / MB;
  if (mb >= 10) return String(Math.ceil(mb));
  if (bytes > 0 && mb < 0.1) return '0.1';
  return (Math.ceil(mb * 10) / 10).toFixed(1);
}
