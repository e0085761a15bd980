import { LakeError } from '../../core/index.js';

/**
 * True when the partition writer refused a commit because another run committed the partition
 * after this one opened (its `context.concurrentCommit`). The one place that reads the flag.
 */
export function isConcurrentCommit(error: unknown): error is LakeError {
  return error instanceof LakeError && (error.context as { concurrentCommit?: boolean } | undefined)?.concurrentCommit === true;
}

/**
 * The error of a failed append commit, marked for the retry decision. The writer marks a
 * concurrent commit terminal (a replacing run must not silently win over another), but an append
 * that lost the race succeeds when redone after the winner's commit: that one is retryable. Any
 * other error is returned as it is.
 */
export function appendCommitError(error: unknown): unknown {
  if (!isConcurrentCommit(error) || error.retryable) return error;
  return new LakeError(error.message, { cause: error, retryable: true, context: error.context, ...(error.hint ? { hint: error.hint } : {}) });
}
