import { CanceledError } from '../core/index.js';

/** Throws CanceledError naming the operation when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw canceled(signal, what);
}

/** The CanceledError for an aborted `what`, carrying the signal's reason as cause. */
export function canceled(signal: AbortSignal | undefined, what: string): CanceledError {
  return new CanceledError(`${what} was canceled`, { cause: signal?.reason });
}
