import { HttpProblem } from './http-problem.js';

/**
 * Failed attempts per name and per client address within a window: past the limit, attempts are
 * refused with 429 and Retry-After until the window has passed (a success clears the name). Sign-ins
 * use one; registrations another (`what` names them in the refusal).
 */
export function createLoginThrottle(options: { perName?: number; perAddress?: number; windowMs?: number; now?: () => number; what?: string } = {}) {
  const perName = options.perName ?? 5;
  const perAddress = options.perAddress ?? 20;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const what = options.what ?? 'failed sign-ins';
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const t = now();
    const kept = (failures.get(key) ?? []).filter((at) => t - at < windowMs);
    failures.set(key, kept);
    return kept;
  };
  return {
    /** Throws 429 when the name or the address has failed too often lately. */
    check(name: string, address: string): void {
      for (const [key, limit] of [[`name:${name}`, perName], [`addr:${address}`, perAddress]] as const) {
        const list = recent(key);
        if (list.length >= limit) {
          const retry = Math.max(1, Math.ceil((list[0]! + windowMs - now()) / 1000));
          throw new HttpProblem(429, 'TOO_MANY_ATTEMPTS', `too many ${what}: wait before trying again`, `retry in ${retry} s`, { 'Retry-After': String(retry) });
        }
      }
    },
    failed(name: string, address: string): void {
      for (const key of [`name:${name}`, `addr:${address}`]) recent(key).push(now());
    },
    succeeded(name: string): void {
      failures.delete(`name:${name}`);
    },
    /** Counts an attempt against the address even though it succeeded (each registration creates an account). */
    attempted(address: string): void {
      recent(`addr:${address}`).push(now());
    },
  };
}
