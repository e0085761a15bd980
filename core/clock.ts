/** "Now" is always passed in, so plans, partitions and tests are reproducible. */
export interface Clock {
  now(): Date;
  /**
   * Resolves once `ms` have passed on this clock, or at once when `signal` aborts; never rejects.
   * Optional: a clock without it waits in real time (see `sleepOn`).
   */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at `iso` (tests, replays). */
export function fixedClock(iso: string | Date): Clock {
  const at = new Date(iso);
  return { now: () => new Date(at) };
}

/**
 * Waits `ms` on `clock`: its own `sleep` when it has one, else real time. Resolves early (never
 * rejects) when `signal` aborts, so a caller checks `signal.aborted` afterwards.
 */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (clock.sleep) return clock.sleep(ms, signal);
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A clock that moves only when told to (tests): time never passes on its own. */
export interface ManualClock extends Clock {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Moves "now" forward by `ms` and wakes every sleep that ends by then, earliest first. */
  advance(ms: number): void;
  /** Resolves, with the time left until the earliest pending sleep ends, once a sleep is pending. */
  nextSleep(): Promise<number>;
  /** Sleeps not yet woken (by `advance` or by their signal). */
  readonly sleeping: number;
}

/** A clock starting at `iso` that moves only through `advance`: code that sleeps on it waits for the test. */
export function manualClock(iso: string | Date): ManualClock {
  let nowMs = new Date(iso).getTime();
  const sleepers: { until: number; wake: () => void }[] = [];
  let watchers: (() => void)[] = [];
  const notify = (): void => {
    if (sleepers.length === 0) return;
    const waiting = watchers;
    watchers = [];
    for (const w of waiting) w();
  };
  const earliest = (): number => Math.min(...sleepers.map((s) => s.until)) - nowMs;
  return {
    now: () => new Date(nowMs),
    sleep(ms, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) return resolve();
        const sleeper = {
          until: nowMs + Math.max(0, ms),
          wake: (): void => {
            const at = sleepers.indexOf(sleeper);
            if (at >= 0) sleepers.splice(at, 1);
            signal?.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', sleeper.wake, { once: true });
        notify();
      });
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`a clock moves forward only, got ${ms} ms`);
      nowMs += ms;
      for (const s of sleepers.filter((x) => x.until <= nowMs).sort((a, b) => a.until - b.until)) s.wake();
    },
    nextSleep() {
      if (sleepers.length > 0) return Promise.resolve(earliest());
      return new Promise((resolve) => watchers.push(() => resolve(earliest())));
    },
    get sleeping() {
      return sleepers.length;
    },
  };
}
