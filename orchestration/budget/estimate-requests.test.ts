import { describe, expect, it } from 'vitest';
import { RAWG_DETAIL_ENDPOINTS, RAWG_ENDPOINTS, ingestionAssetKey } from '../../ingestion/index.js';
import type { Step } from '../execute/index.js';
import { estimateRequests } from './estimate-requests.js';

const specs = new Map([...RAWG_ENDPOINTS, ...RAWG_DETAIL_ENDPOINTS].map((s) => [ingestionAssetKey(s), s]));
const days = (n: number): Step[] =>
  Array.from({ length: n }, (_, i) => ({ id: `d${i}`, asset: 'rawg/games', partition: `2024-05-${String(i + 1).padStart(2, '0')}`, needs: [], materialized: false }));

describe('estimateRequests', () => {
  it('uses recorded history when there is enough of it, without probing', async () => {
    let probes = 0;
    const e = await estimateRequests(days(10), specs, {
      snapshotMaxPages: 10,
      history: async () => [4, 6, 5, 5, 5, 4, 6],
      probeCount: async () => (probes++, 0),
    });
    expect(e).toMatchObject({ total: 50, probeRequests: 0, bySource: { rawg: 50 } });
    expect(probes).toBe(0);
  });

  it('probes the item count over the range otherwise: pages per day plus half a page, at least one', async () => {
    const probed: [string | null, string | null][] = [];
    const e = await estimateRequests(days(10), specs, {
      snapshotMaxPages: 10,
      history: async () => [],
      probeCount: async (_spec, from, to) => (probed.push([from, to]), 2000),
    });
    expect(probed).toEqual([['2024-05-01', '2024-05-10']]);
    expect(e.total).toBe(55); // 200 a day = 5 pages + 0.5
    expect(e.probeRequests).toBe(1);
    const sparse = await estimateRequests(days(10), specs, { snapshotMaxPages: 10, history: async () => [], probeCount: async () => 3 });
    expect(sparse.total).toBe(10);
  });

  it('uses the page cap for large snapshot lists, skips materialized steps and model steps', async () => {
    const steps: Step[] = [
      { id: 't', asset: 'rawg/tags', partition: null, needs: [], materialized: false },
      { id: 'g', asset: 'rawg/genres', partition: null, needs: [], materialized: true },
      { id: 'm', asset: 'marts/dim_games', partition: null, needs: [], materialized: false },
    ];
    const e = await estimateRequests(steps, specs, { snapshotMaxPages: 7, history: async () => [], probeCount: async () => 0 });
    expect(e.assets).toEqual([{ asset: 'rawg/tags', source: 'rawg', steps: 1, requests: 7, basis: 'page cap' }]);
  });

  it('estimates details as the games listed minus the details already committed, per partition', async () => {
    const step = (asset: string, partition: string): Step => ({ id: `${asset}@${partition}`, asset, partition, needs: [], materialized: false });
    const committed: Record<string, number> = { 'games@2024-05-01': 120, 'game_details@2024-05-01': 100, 'games@2024-05-02': 80 };
    const inputs = {
      snapshotMaxPages: 10,
      history: async (asset: string) => (asset === 'rawg/games' ? [3, 3, 3, 3, 3, 3, 3] : []),
      probeCount: async () => 0,
      committedRecords: async (_source: string, entity: string, dt: string) => committed[`${entity}@${dt}`],
    };
    // Details only: 20 new games on the 1st, all 80 on the 2nd.
    const only = await estimateRequests([step('rawg/game_details', '2024-05-01'), step('rawg/game_details', '2024-05-02')], specs, inputs);
    expect(only.assets).toEqual([{ asset: 'rawg/game_details', source: 'rawg', steps: 2, requests: 100, basis: 'parent items' }]);
    // With the games partition re-fetched: its recorded 3 requests a day list ~2.5 pages of 40.
    const both = await estimateRequests([step('rawg/games', '2024-05-03'), step('rawg/game_details', '2024-05-03')], specs, inputs);
    expect(both.bySource).toEqual({ rawg: 3 + 100 });
    // A probe counts the games exactly: 10 days of 2,000 games → 200 details a day.
    const probed = await estimateRequests(
      Array.from({ length: 10 }, (_, i) => [step('rawg/games', `2024-06-${10 + i}`), step('rawg/game_details', `2024-06-${10 + i}`)]).flat(),
      specs,
      { ...inputs, history: async () => [], probeCount: async () => 2000 },
    );
    expect(probed.assets.find((a) => a.asset === 'rawg/game_details')!.requests).toBe(2000);
  });
});
