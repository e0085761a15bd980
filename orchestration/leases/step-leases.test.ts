import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../core/index.js';
import { createSqliteStateStore } from '../state/index.js';
import { createStepLeases, stepLeaseName } from './step-leases.js';

const step = (partition: string) => ({ id: `a/x[${partition}]`, asset: 'a/x', partition, needs: [], materialized: false });

const closers: (() => Promise<void>)[] = [];

describe('step leases', () => {
  it('make a second holder wait until the first releases', async () => {
    const base = createSqliteStateStore(':memory:');
    // Counts the refused attempts, so the test waits for b to have really tried (not for time).
    let refused = 0;
    const state = new Proxy(base, {
      get(target, prop, receiver) {
        if (prop === 'tryAcquireLock') {
          return async (...args: Parameters<typeof base.tryAcquireLock>) => {
            const ok = await base.tryAcquireLock(...args);
            if (!ok) refused++;
            return ok;
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const a = createStepLeases({ state, clock: systemClock, runId: 'ra', ttlMs: 3000, pollMs: 10 });
    const b = createStepLeases({ state, clock: systemClock, runId: 'rb', ttlMs: 3000, pollMs: 10 });
    const held = await a.acquire(step('2024-05-01'), new AbortController().signal);
    let bGot = false;
    const waiting = b.acquire(step('2024-05-01'), new AbortController().signal).then((r) => ((bGot = true), r));
    await vi.waitFor(() => expect(refused).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(bGot).toBe(false);
    if (held !== 'already-done') await held.release();
    const got = await waiting;
    expect(got).not.toBe('already-done');
    expect((await state.listLocks(new Date().toISOString())).map((l) => l.name)).toEqual([stepLeaseName('a/x', '2024-05-01')]);
    await a.close();
    await b.close();
    expect(await state.listLocks(new Date().toISOString())).toEqual([]);
  });

  it('report a lost lease when renewals keep failing for half the ttl', async () => {
    const base = createSqliteStateStore(':memory:');
    const state = new Proxy(base, {
      get(target, prop, receiver) {
        if (prop === 'renewLocks') return async () => Promise.reject(new Error('state store unreachable'));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    // The lease's time is the injected clock's: moved past half the ttl, the next failed renewal
    // reports the lease lost (the test waits for that report, not for wall-clock time).
    let t = Date.parse('2024-05-01T00:00:00Z');
    const clock = { now: () => new Date(t) };
    let failures = 0;
    let reported = false;
    const lost = new Promise<unknown>((resolve) => {
      const onLeaseLost = (error: unknown) => {
        reported = true;
        resolve(error);
      };
      const leases = createStepLeases({ state, clock, runId: 'r', ttlMs: 300, pollMs: 10, onLeaseLost, onTick: async () => void failures++ });
      void leases.acquire(step('2024-05-01'), new AbortController().signal).then(() => {
        closers.push(() => leases.close());
      });
    });
    // Renewals failing while the clock stands still lose nothing.
    await vi.waitFor(() => expect(failures).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    expect(reported).toBe(false);
    t += 151;
    expect(String(await lost)).toMatch(/state store unreachable/);
    for (const close of closers.splice(0)) await close();
  });
});
