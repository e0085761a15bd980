import { describe, expect, it } from 'vitest';
import type { SharedWarehouse } from '../../warehouse/index.js';
import { createRawViewFreshness } from './raw-view-freshness.js';

/** A refresh that finishes when the test says so, recording what each call covered; `called(n)` resolves at the n-th call. */
function controlledRefresh() {
  const calls: { entity: string; finish: (error?: Error) => void }[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const refresh = (_source: string, entity: string) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ entity, finish: (error) => (error ? reject(error) : resolve()) });
      for (const w of waiters.filter((x) => x.n === calls.length)) w.resolve();
    });
  const called = (n: number): Promise<void> => (calls.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })));
  return { calls, refresh, called };
}
const signal = new AbortController().signal;
/** One turn of the event loop: every promise callback pending now has run (for "nothing happened" checks). */
const settled = () => new Promise<void>((r) => setImmediate(r));

describe('raw view freshness', () => {
  it('coalesces the commits that land during a refresh into one more refresh', async () => {
    const { calls, refresh, called } = controlledRefresh();
    const f = createRawViewFreshness(refresh);
    f.committed('rawg', 'games', signal);
    for (let i = 0; i < 9; i++) f.committed('rawg', 'games', signal);
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    await called(2);
    // The nine later commits share one refresh.
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await f.fresh();
    expect(calls).toHaveLength(2);
  });

  it('makes readers wait until the views cover every commit so far', async () => {
    const { calls, refresh } = controlledRefresh();
    const f = createRawViewFreshness(refresh);
    const seen: string[] = [];
    const inner = { query: async () => (seen.push('query'), []) } as unknown as SharedWarehouse;
    const reader = f.readerView(inner);
    f.committed('rawg', 'games', signal);
    f.committed('rawg', 'game_details', signal);
    const read = reader.query('select 1').then(() => seen.push('answered'));
    await settled();
    expect(seen).toEqual([]);
    calls[0]!.finish();
    await settled();
    expect(seen).toEqual([]);
    calls[1]!.finish();
    await read;
    expect(seen).toEqual(['query', 'answered']);
  });

  it('reports a failed refresh to the next reader once, then retries', async () => {
    const { calls, refresh, called } = controlledRefresh();
    const f = createRawViewFreshness(refresh);
    f.committed('rawg', 'games', signal);
    calls[0]!.finish(new Error('lake unreachable'));
    await expect(f.fresh()).rejects.toThrow('lake unreachable');
    const retried = f.fresh();
    await called(2);
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await retried;
    await f.settle();
  });
});
