import { CanceledError } from '../../core/index.js';

export interface TokenBucket {
  /** Resolves when a token is available; rejects with CanceledError when `signal` aborts. */
  take(signal?: AbortSignal): Promise<void>;
}

/**
 * Monotonic milliseconds and a wait measured on them: the time a rate limit runs on. Tests inject
 * one they advance by hand, so pacing is checked without real time passing.
 */
export interface MonotonicClock {
  now(): number;
  /** Resolves once `ms` have passed on this clock; rejects with CanceledError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** performance.now() and timers. */
export const systemMonotonicClock: MonotonicClock = { now: () => performance.now(), sleep };

/**
 * A token bucket refilled continuously at `ratePerSecond`, holding at most `burst` tokens (default
 * one second's worth): over any span of T ms it grants at most burst + T × rate / 1000 tokens.
 * Waiters are served in FIFO order so no request starves under load. A late wake-up loses nothing:
 * the refill counts the time that actually passed.
 */
export function createTokenBucket(options: { ratePerSecond: number; burst?: number; clock?: MonotonicClock }): TokenBucket {
  const rate = options.ratePerSecond / 1000;
  const capacity = Math.max(1, options.burst ?? Math.ceil(options.ratePerSecond));
  const clock = options.clock ?? systemMonotonicClock;
  let tokens = capacity;
  let last = clock.now();
  let tail: Promise<void> = Promise.resolve();

  function refill(): void {
    const t = clock.now();
    tokens = Math.min(capacity, tokens + (t - last) * rate);
    last = t;
  }

  async function acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new CanceledError('request canceled while waiting for the rate limit');
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await clock.sleep(Math.ceil((1 - tokens) / rate), signal);
    }
  }

  return {
    take(signal) {
      const turn = tail.then(() => acquire(signal));
      tail = turn.catch(() => undefined);
      return turn;
    },
  };
}

/** Sleeps `ms`, rejecting with CanceledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CanceledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(new CanceledError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
