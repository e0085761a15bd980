import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../orchestration/index.js';
import type { StateStoreTarget } from './state-store-conformance.js';


const NOW = '2024-05-01T00:00:00.000Z';

/** Races between two stores on one database: two connection pools, or two handles on one file. */
export function describeStateStoreConcurrency(freshTarget: () => Promise<StateStoreTarget>): void {
  describe('between two stores on one database', () => {
    it('lets exactly one of many racing owners take a lease', async () => {
      const target = await freshTarget();
      const [a, b] = await Promise.all([target.open(), target.open()]);
      for (let round = 0; round < 10; round++) {
        const name = `asset:race:${round}`;
        const attempts = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).tryAcquireLock(name, `owner-${i}`, 60_000, NOW));
        const won = await Promise.all(attempts);
        expect(won.filter(Boolean), name).toHaveLength(1);
        const winner = `owner-${won.indexOf(true)}`;
        expect(await b.listLocks(NOW)).toContainEqual(expect.objectContaining({ name, owner: winner }));
      }
      // After expiry the racers compete again and again exactly one wins.
      const later = '2024-05-01T00:01:00.000Z';
      const won = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? b : a).tryAcquireLock('asset:race:0', `late-${i}`, 60_000, later)));
      expect(won.filter(Boolean)).toHaveLength(1);
    });

    it('never charges past a day limit when charges race', async () => {
      const target = await freshTarget();
      const [a, b] = await Promise.all([target.open(), target.open()]);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).chargeRequests('rawg', 1, '2024-05-01T10:00:00.000Z', { perDay: 20 })),
      );
      expect(results.filter(Boolean)).toHaveLength(20);
      expect(await a.requestUsage('rawg', '2024-05-01T23:00:00.000Z')).toEqual({ day: 20, month: 20 });
      expect(await b.requestUsage('rawg', '2024-05-01T23:00:00.000Z')).toEqual({ day: 20, month: 20 });
      // Without limits nothing is refused, and no concurrent charge is lost.
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).chargeRequests('free', 2, '2024-05-01T10:00:00.000Z')));
      expect(await a.requestUsage('free', '2024-05-01T10:00:00.000Z')).toEqual({ day: 100, month: 100 });
    });

    it('never charges past a month limit when charges on different days race', async () => {
      const target = await freshTarget();
      const [a, b] = await Promise.all([target.open(), target.open()]);
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const day = `2024-05-${String((i % 3) + 10)}T08:00:00.000Z`;
          return (i % 2 === 0 ? a : b).chargeRequests('rawg', 1, day, { perDay: 15, perMonth: 30 });
        }),
      );
      expect(results.filter(Boolean)).toHaveLength(30);
      const usage = await a.requestUsage('rawg', '2024-05-31T00:00:00.000Z');
      expect(usage).toEqual({ day: 0, month: 30 });
    });

    it('migrates a fresh database opened by two stores at once', async () => {
      const target = await freshTarget();
      const stores = await Promise.all([target.open(), target.open(), target.open()]);
      await stores[0]!.createRun({ runId: 'r', kind: 'k', selection: '*', partitions: '', startedAt: NOW });
      expect((await stores[2]!.getRun('r'))?.runId).toBe('r');
      const versions = await target.driver().query<{ version: number | string }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.map((v) => Number(v.version))).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    });
  });
}
