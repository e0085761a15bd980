import { LakeError } from '../core/index.js';
import { canceled, throwIfAborted } from './throw-if-aborted.js';

/**
 * Yields the chunks of a streamed body, failing with CanceledError as soon as `signal` aborts
 * (even while the producer is stalled) and with a LakeError for a chunk that is not bytes. When
 * the consumer stops early or fails, the producer is closed with `return()` (a Node stream is
 * destroyed), so a writer blocked on it learns that nobody reads any more.
 */
export async function* abortableChunks(body: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined, what: string): AsyncGenerator<Uint8Array> {
  const producer = body[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const step = await nextOrAbort(producer, signal, what);
      if (step.done) {
        finished = true;
        return;
      }
      if (!(step.value instanceof Uint8Array)) {
        throw new LakeError(`${what}: a streamed body must yield Uint8Array chunks, got ${typeof step.value}`, { retryable: false });
      }
      yield step.value;
    }
  } finally {
    // Not awaited: an async generator stuck in an await would hold return() until it moves on.
    if (!finished) producer.return?.()?.catch(() => undefined);
  }
}

async function nextOrAbort<T>(producer: AsyncIterator<T>, signal: AbortSignal | undefined, what: string): Promise<IteratorResult<T>> {
  throwIfAborted(signal, what);
  if (signal === undefined) return producer.next();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(canceled(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([producer.next(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
