import { CanceledError } from '../core/index.js';

/**
 * Turns a producer that pushes (a warehouse streaming chunks into a callback) into an async
 * generator that pulls: each `push` resolves only once its value was taken, so the producer never
 * runs ahead of the consumer. When the consumer stops early (a client gone), the pending `push`
 * rejects with CanceledError and the producer unwinds; its other errors reach the consumer.
 */
export async function* pullChunks<T>(produce: (push: (value: T) => Promise<void>) => Promise<void>): AsyncGenerator<T> {
  let pending: { value: T; taken: () => void } | undefined;
  let stopped = false;
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let inFlight: (() => void) | undefined;
  const push = (value: T): Promise<void> => {
    if (stopped) return Promise.reject(new CanceledError('the reader stopped'));
    return new Promise<void>((resolve, reject) => {
      pending = { value, taken: () => (stopped ? reject(new CanceledError('the reader stopped')) : resolve()) };
      wake?.();
    });
  };
  const producer = produce(push).then(
    () => void (done = true),
    (error: unknown) => void ((failure = error), (done = true)),
  );
  void producer.finally(() => wake?.());
  try {
    for (;;) {
      if (pending) {
        const { value, taken } = pending;
        pending = undefined;
        inFlight = taken;
        yield value;
        inFlight = undefined;
        taken();
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (failure !== undefined) throw failure;
  } finally {
    stopped = true;
    inFlight?.();
    pending?.taken();
    await producer;
  }
}
