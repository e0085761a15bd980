import { describe, expect, it } from 'vitest';
import { addDays, partitionKeysBetween } from '../../core/index.js';
import { RAWG_DETAIL_ENDPOINTS, RAWG_ENDPOINTS, ingestionAssetKey } from '../../ingestion/index.js';
import type { Step } from '../execute/index.js';
import { estimateRequests, type CommittedCount, type EstimateInputs } from './estimate-requests.js';
import { expectedPages } from './expected-pages.js';
import { probeWindows } from './probe-windows.js';

const specs = new Map([...RAWG_ENDPOINTS, ...RAWG_DETAIL_ENDPOINTS].map((s) => [ingestionAssetKey(s), s]));
const step = (asset: string, partition: string | null, materialized = false): Step => ({
  id: partition === null ? asset : `${asset}[${partition}]`, asset, partition, needs: [], materialized,
});
const days = (from: string, to: string, asset = 'rawg/games'): Step[] => partitionKeysBetween(from, to).map((k) => step(asset, k));

/** A fake API whose days hold `perDay(day)` items: probes count them exactly over a range. */
function api(perDay: (day: string) => number) {
  const probes: [string | null, string | null][] = [];
  return {
    probes,
    probeCount: async (_spec: unknown, from: string | null, to: string | null) => {
      probes.push([from, to]);
      return from === null ? 0 : partitionKeysBetween(from, to!).reduce((n, d) => n + perDay(d), 0);
    },
  };
}
const noHistory: EstimateInputs['history'] = async () => [];

describe('estimateRequests', () => {
  it('never extrapolates recent history to another period: a quiet quarter is probed month by month', async () => {
    // The last week was busy (history says ~200 requests a partition); Q1 2024 holds 2 games a day.
    const fake = api(() => 2);
    const e = await estimateRequests(days('2024-01-01', '2024-03-31'), specs, {
      snapshotMaxPages: 10,
      history: async () => [200, 210, 190, 205, 195, 200, 200],
      probeCount: fake.probeCount,
    });
    expect(fake.probes).toEqual([['2024-01-01', '2024-01-31'], ['2024-02-01', '2024-02-29'], ['2024-03-01', '2024-03-31']]);
    expect(e.assets[0]).toMatchObject({ asset: 'rawg/games', requests: 91, low: 91, basis: [{ basis: 'probe', steps: 91 }] });
    expect(e.probeRequests).toBe(3);
  });

  it('follows a skewed range window by window, and brackets the spend', async () => {
    // Quiet until December, then 500 changed games a day (13 pages each).
    const perDay = (d: string) => (d >= '2024-12-01' ? 500 : 3);
    const fake = api(perDay);
    const e = await estimateRequests(days('2024-01-01', '2024-12-31'), specs, { snapshotMaxPages: 10, history: noHistory, probeCount: fake.probeCount });
    const exact = partitionKeysBetween('2024-01-01', '2024-12-31').reduce((n, d) => n + Math.max(1, Math.ceil(perDay(d) / 40)), 0);
    const games = e.assets.find((a) => a.asset === 'rawg/games')!;
    expect(Math.abs(games.requests - exact) / exact).toBeLessThan(0.05);
    expect(games.low).toBeLessThanOrEqual(exact);
    expect(games.high).toBeGreaterThanOrEqual(exact);
    expect(fake.probes).toHaveLength(12);
  });

  it('uses the lake’s recorded items of the same days, and probes only the others (their counts taken out)', async () => {
    const recorded: Record<string, CommittedCount> = { '2024-05-02': { items: 85, pages: 3 }, '2024-05-04': { items: 10, pages: 1 } };
    const fake = api(() => 20);
    const e = await estimateRequests(days('2024-05-01', '2024-05-05'), specs, {
      snapshotMaxPages: 10,
      history: noHistory,
      probeCount: fake.probeCount,
      committed: async (_s, entity, dt) => (entity === 'games' ? recorded[dt] : undefined),
    });
    // 3 and 1 pages for the recorded days; the probe over 05-01..05-05 counts 100 items, 95 of them
    // on the recorded days: 5 items over the 3 others, a page each.
    expect(fake.probes).toEqual([['2024-05-01', '2024-05-05']]);
    expect(e.assets[0]).toMatchObject({ requests: 3 + 1 + 3, basis: [{ basis: 'recorded items', steps: 2 }, { basis: 'probe', steps: 3 }] });
  });

  it('needs no probe when the lake holds every day', async () => {
    const fake = api(() => 0);
    const e = await estimateRequests(days('2024-05-01', '2024-05-03'), specs, {
      snapshotMaxPages: 10,
      history: noHistory,
      probeCount: fake.probeCount,
      committed: async () => ({ items: 41, pages: 2 }),
    });
    expect(fake.probes).toEqual([]);
    expect(e).toMatchObject({ total: 6, low: 6, high: 6, probeRequests: 0 });
  });

  it('falls back to recent partitions with a wide range when the probe fails, and says why', async () => {
    const e = await estimateRequests(days('2024-05-01', '2024-05-10'), specs, {
      snapshotMaxPages: 10,
      history: async () => [4, 6, 5],
      probeCount: async () => {
        throw new Error('503 from the API');
      },
    });
    expect(e.assets[0]).toMatchObject({ requests: 50, low: 40, basis: [{ basis: 'recent partitions', steps: 10 }], note: 'the count probe failed (503 from the API)' });
    expect(e.assets[0]!.high).toBeGreaterThan(100);
  });

  it('estimates snapshots from their last run, the page cap or a probe; skips materialized and model steps', async () => {
    const fake = api(() => 0);
    const e = await estimateRequests(
      [step('rawg/tags', null), step('rawg/genres', null, true), step('rawg/stores', null), step('rawg/platforms', null), step('marts/dim_games', null)],
      specs,
      { snapshotMaxPages: 7, history: async (asset) => (asset === 'rawg/platforms' ? [2] : []), probeCount: async () => 95 },
    );
    expect(e.assets.map((a) => [a.asset, a.requests, a.basis[0]!.basis])).toEqual([
      ['rawg/tags', 7, 'page cap'],
      ['rawg/stores', 3, 'probe'],
      ['rawg/platforms', 2, 'history'],
    ]);
    expect(fake.probes).toEqual([]);
  });

  it('estimates details as the games listed minus the details already committed, per partition', async () => {
    const committed: Record<string, CommittedCount> = {
      'games@2024-05-01': { items: 120, pages: 3 },
      'game_details@2024-05-01': { items: 100, pages: 100 },
      'games@2024-05-02': { items: 80, pages: 2 },
    };
    const inputs: EstimateInputs = {
      snapshotMaxPages: 10,
      history: noHistory,
      probeCount: api(() => 200).probeCount,
      committed: async (_source, entity, dt) => committed[`${entity}@${dt}`],
    };
    // Details only: 20 new games on the 1st, all 80 on the 2nd.
    const only = await estimateRequests([step('rawg/game_details', '2024-05-01'), step('rawg/game_details', '2024-05-02')], specs, inputs);
    expect(only.assets).toEqual([{ asset: 'rawg/game_details', source: 'rawg', steps: 2, requests: 100, low: 100, high: 100, basis: [{ basis: 'parent items', steps: 2 }] }]);
    // With the games re-fetched: a recorded day lists its recorded games again, a probed day what the probe counts.
    const both = await estimateRequests([...days('2024-05-01', '2024-05-01'), ...days('2024-05-03', '2024-05-03'), step('rawg/game_details', '2024-05-01'), step('rawg/game_details', '2024-05-03')], specs, inputs);
    expect(both.assets.find((a) => a.asset === 'rawg/game_details')!.requests).toBe(20 + 200);
  });
});

describe('expectedPages', () => {
  it('is one page for an empty or small day, and grows like items / page size + ½ for a large one', () => {
    expect(expectedPages(0, 40)).toBe(1);
    expect(expectedPages(5, 40)).toBeCloseTo(1, 6);
    expect(expectedPages(40, 40)).toBeGreaterThan(1.3);
    expect(expectedPages(40, 40)).toBeLessThan(1.6);
    expect(expectedPages(4000, 40)).toBeCloseTo(100.5, 1);
    expect(expectedPages(100_000, 40)).toBeCloseTo(2500.5, 0);
  });
});

describe('probeWindows', () => {
  it('groups days by calendar month, a window spanning its first to its last day', () => {
    const keys = [...partitionKeysBetween('2024-01-30', '2024-02-02'), '2024-02-10'];
    expect(probeWindows(keys)).toEqual([
      { from: '2024-01-30', to: '2024-01-31', keys: ['2024-01-30', '2024-01-31'] },
      { from: '2024-02-01', to: '2024-02-10', keys: ['2024-02-01', '2024-02-02', '2024-02-10'] },
    ]);
  });

  it('merges neighbours so a decade costs at most 24 probes', () => {
    const keys = partitionKeysBetween('2015-01-01', addDays('2024-12-31', 0));
    const windows = probeWindows(keys);
    expect(windows.length).toBeLessThanOrEqual(24);
    expect(windows.flatMap((w) => w.keys)).toEqual(keys);
  });
});

describe('estimateRequests with hourly assets in the plan', () => {
  it('estimates nothing for hourly assets that call no API, and counts the daily ones by day', async () => {
    const hours = Array.from({ length: 48 }, (_, i) => step('raw/events', `2024-05-0${1 + Math.floor(i / 24)}T${String(i % 24).padStart(2, '0')}`));
    const inputs = { snapshotMaxPages: 10, history: noHistory, probeCount: api(() => 100).probeCount };
    const alone = await estimateRequests(days('2024-05-01', '2024-05-02'), specs, inputs);
    const fake = api(() => 100);
    const e = await estimateRequests([...hours, ...days('2024-05-01', '2024-05-02')], specs, { ...inputs, probeCount: fake.probeCount });
    expect(e.assets.map((a) => [a.asset, a.steps])).toEqual([['rawg/games', 2]]);
    expect(e.total).toBe(alone.total);
    expect(e.total).toBeGreaterThanOrEqual(6); // 100 items a day: 3 pages of 40 each
    expect(fake.probes).toEqual([['2024-05-01', '2024-05-02']]);
  });
});
