import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace, sandboxGames, sendSimulatedEvents, writeSimulatedHistory, type Workspace } from '../../app/index.js';
import { createLogger, fixedClock, hourKeyOf } from '../../core/index.js';
import { checkEvent, type CollectedEvent } from '../../ingestion/index.js';
import { createObjectStore, listCommittedPartitions, readRecords } from '../../lake/index.js';
import { createSimulation } from '../../sandbox/index.js';
import { startCollector, type RunningCollector } from '../../server/index.js';
import { tempDir } from '../helpers/workspace.js';

const NOW = '2026-01-10T12:00:00.000Z';
const games = (await sandboxGames('2026-01-10')).slice(0, 1500);
const running: RunningCollector[] = [];

afterEach(async () => {
  for (const c of running.splice(0)) await c.close();
});

function workspace(env: Record<string, string> = {}): Workspace {
  const home = tempDir('gmp-simulate-');
  return openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_EVENTS_COMMIT_SECONDS: '0', ...env }, clock: fixedClock(NOW) });
}

async function collect(ws: Workspace): Promise<RunningCollector> {
  const c = await startCollector({ ws, host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }) });
  running.push(c);
  return c;
}

/** Every committed event of the workspace's lake, with the hour partition that holds it. */
async function lakeEvents(ws: Workspace): Promise<{ dt: string; event: CollectedEvent }[]> {
  const store = await createObjectStore({ type: 'local', root: path.join(ws.config.home, 'lake') });
  const out: { dt: string; event: CollectedEvent }[] = [];
  for (const manifest of await listCommittedPartitions(store, 'events', 'events')) {
    for await (const r of readRecords(store, manifest)) out.push({ dt: manifest.dt, event: r as unknown as CollectedEvent });
  }
  return out;
}

const countIds = (events: { event: CollectedEvent }[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const { event } of events) counts.set(event.event_id, (counts.get(event.event_id) ?? 0) + 1);
  return counts;
};

describe('simulated events', () => {
  it('all pass the event contracts, noise included', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const sim = createSimulation({ seed: 11, players: 300, start, end: start + 7 * 86_400_000, games, duplicateRatio: 0.02, lateRatio: 0.02, anonymousRatio: 0.2 });
    const refused: unknown[] = [];
    const seen = new Set<string>();
    for (const e of sim.events()) {
      const checked = checkEvent(e, new Date(e.sent_at), 'test');
      if (!checked.ok) refused.push(checked.failure);
      seen.add(e.event);
    }
    expect(refused).toEqual([]);
    // Every contract is exercised.
    expect([...seen].sort()).toEqual(['add_to_cart', 'click', 'game_end', 'game_start', 'heartbeat', 'level_up', 'progress', 'purchase', 'remove_from_cart', 'resource', 'review', 'session_start', 'view', 'wishlist']);
  });

  it('over HTTP: a real collector acknowledges every event, and the lake holds each acknowledged one once', async () => {
    const ws = workspace();
    const collector = await collect(ws);
    const report = await sendSimulatedEvents(ws, { to: collector.url, seed: 5, players: 120, days: 1, games, batchSize: 250, concurrency: 4, duplicateRatio: 0.03, keepAckedIds: true });
    expect(report.stoppedBy).toBe('done');
    expect(report.sent).toBeGreaterThan(2000);
    expect(report.failed).toBe(0);
    expect(report.pending).toBe(0);
    // Resent ids count as duplicates, acknowledged all the same.
    expect(report.duplicates).toBeGreaterThan(0);
    expect(report.accepted + report.duplicates).toBe(report.sent);
    await collector.collector.commit();
    const lake = await lakeEvents(ws);
    const counts = countIds(lake);
    expect(counts.size).toBe(report.ackedIds!.size);
    expect([...report.ackedIds!].filter((id) => counts.get(id) !== 1)).toEqual([]);
    // Each event sits in the hour it happened (sent_at is stamped at sending, so no skew shifts it).
    expect(lake.filter(({ dt, event }) => hourKeyOf(new Date(event.timestamp)) !== dt)).toEqual([]);
    expect(lake.every(({ event }) => event.timestamp >= '2026-01-09T12:00:00.000Z' && event.timestamp < NOW)).toBe(true);
  }, 120_000);

  it('over HTTP: rides out 429s (a batch over the burst is split) without losing an event', async () => {
    const ws = workspace({ GMP_COLLECT_RATE: '200' });
    const collector = await collect(ws);
    // 200 events a second with a burst of 400: a batch of 500 can never pass whole.
    const report = await sendSimulatedEvents(ws, { to: collector.url, seed: 6, players: 80, days: 1, games, batchSize: 500, concurrency: 2, maxEvents: 1600, keepAckedIds: true });
    expect(report.stoppedBy).toBe('count');
    expect(report.sent).toBe(1600);
    expect(report.retries).toBeGreaterThan(0);
    expect(report.accepted).toBe(1600);
    await collector.collector.commit();
    const counts = countIds(await lakeEvents(ws));
    expect(counts.size).toBe(1600);
    expect([...report.ackedIds!].filter((id) => counts.get(id) !== 1)).toEqual([]);
  }, 120_000);

  it('into the lake: N days land in their hourly partitions, and the same run again writes nothing', async () => {
    const ws = workspace();
    const progress: number[] = [];
    const first = await writeSimulatedHistory(ws, { seed: 9, players: 150, days: 3, end: '2026-01-09', games, chunkEvents: 5000, onProgress: (p) => progress.push(p.events) });
    expect(first.window).toMatchObject({ from: '2026-01-07T00:00:00.000Z', to: '2026-01-10T00:00:00.000Z', players: 150, gamesFrom: 'given' });
    expect(first.failed).toBe(0);
    expect(first.partitions).toBeGreaterThan(40);
    expect(progress.length).toBeGreaterThan(1);
    const lake = await lakeEvents(ws);
    expect(lake.length).toBe(first.events);
    expect(countIds(lake).size).toBe(lake.length);
    const hours = new Set(lake.map((r) => r.dt));
    expect([...hours].every((h) => h >= '2026-01-07T00' && h <= '2026-01-09T23')).toBe(true);
    expect(new Set([...hours].map((h) => h.slice(0, 10)))).toEqual(new Set(['2026-01-07', '2026-01-08', '2026-01-09']));
    expect(lake.filter(({ dt, event }) => hourKeyOf(new Date(event.event_time)) !== dt)).toEqual([]);

    const again = await writeSimulatedHistory(ws, { seed: 9, players: 150, days: 3, end: '2026-01-09', games, chunkEvents: 5000 });
    expect(again.logId).toBe(first.logId);
    expect(again.partitions).toBe(0);
    expect(again.skipped).toBeGreaterThan(0);
    expect((await lakeEvents(ws)).length).toBe(lake.length);
    // Another seed is another population, added beside the first.
    const other = await writeSimulatedHistory(ws, { seed: 10, players: 20, days: 1, end: '2026-01-09', games });
    expect((await lakeEvents(ws)).length).toBe(lake.length + other.events);
  }, 120_000);

  it('refuses a window in the future and impossible counts', async () => {
    const ws = workspace();
    await expect(writeSimulatedHistory(ws, { seed: 1, players: 10, days: 1, end: '2026-01-11', games })).rejects.toThrow(/in the future/);
    await expect(writeSimulatedHistory(ws, { seed: 1, players: 0, days: 1, games })).rejects.toThrow(/--players 0/);
    await expect(writeSimulatedHistory(ws, { seed: 1, players: 5, days: 1.5, games })).rejects.toThrow(/--days 1.5/);
  });
});
