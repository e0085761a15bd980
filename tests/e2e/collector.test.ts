import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CollectedEvent, FailedEvent } from '../../ingestion/index.js';
import { createObjectStore, listCommittedPartitions, readRecords } from '../../lake/index.js';
import { createSimulation, type SimulatedGame } from '../../sandbox/index.js';
import { runGmp, spawnGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const home = tempDir('gmp-collect-');
const children: ReturnType<typeof spawnGmp>[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts `gmp collect` on a free port and resolves with its URL once it listens. */
async function startCollect(at = home): Promise<{ url: string; child: ReturnType<typeof spawnGmp> }> {
  // Commits to the lake every second: a kill finds events in both the WAL and the lake.
  const child = spawnGmp(['collect', '--port', '0'], { cwd: at, env: { GMP_HOME: at, GMP_EVENTS_COMMIT_SECONDS: '1' } });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    const look = (): void => {
      const m = /gmp collect: (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output());
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => reject(new Error(`gmp collect exited (${code}): ${child.output()}`)));
  });
  return { url, child };
}

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  event_id: randomUUID(),
  event: i % 3 === 0 ? 'heartbeat' : 'view',
  user_id: `player-${i % 50}`,
  game_id: 3498,
  timestamp: new Date(Date.UTC(2026, 11, 3, 10, 0, i % 60)).toISOString(),
  properties: i % 3 === 0 ? { fps: 60, latency_ms: 40 } : { referrer_page: '/explore' },
  ...extra,
});

const post = (url: string, route: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Every record of the lake's committed partitions of one event entity. */
async function lakeRecords(at: string, entity: 'events' | 'failed_events'): Promise<Record<string, unknown>[]> {
  const store = await createObjectStore({ type: 'local', root: path.join(at, 'lake') });
  const records: Record<string, unknown>[] = [];
  for (const manifest of await listCommittedPartitions(store, 'events', entity)) for await (const r of readRecords(store, manifest)) records.push(r);
  return records;
}

describe('gmp collect', () => {
  it('acknowledges only durable events: after kill -9 every acknowledged event is in the log exactly once', async () => {
    const first = await startCollect();
    const acked = new Set<string>();
    const refused = new Set<string>();
    let killed = false;
    // The simulator's players over the last two days (within the late window), sent at full rate
    // by eight senders in batches of 100; the collector is killed once 3,000 are acknowledged.
    const games: SimulatedGame[] = [3498, 3328, 4200, 5286, 28].map((id, i) => ({ id, genres: ['action'], platforms: ['pc'], released: '2015-05-18', rating: 4, popularity: 1000 * (i + 1) }));
    const now = Date.now();
    const simulated = createSimulation({ seed: 21, players: 400, start: now - 2 * 86_400_000, end: now, games }).events();
    const sender = async (): Promise<void> => {
      while (!killed) {
        const batch: unknown[] = [];
        while (batch.length < 100) {
          const next = simulated.next();
          if (next.done) break;
          batch.push(next.value);
        }
        if (batch.length === 0) throw new Error('the simulation ran out of events before 3,000 were acknowledged');
        const res = await post(first.url, '/v1/batch', { batch }).catch(() => null);
        if (res === null) return; // the connection died with the collector: not acknowledged
        const ids = batch.map((e) => (e as { event_id: string }).event_id);
        if (res.status === 200) {
          const body = (await res.json()) as { accepted: number; duplicates: number; failed: unknown[] };
          expect(body).toEqual({ accepted: batch.length, duplicates: 0, failed: [] });
          ids.forEach((id) => acked.add(id));
        } else ids.forEach((id) => refused.add(id));
        if (acked.size >= 3000 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, sender));
    // Killed by a signal, a child has no exit code but a signal code.
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
    // Restarted, it replays its log into the lake: each acknowledged event is there exactly once.
    const second = await startCollect();
    second.child.kill('SIGTERM');
    expect(await new Promise((resolve) => second.child.once('close', (code) => resolve(code)))).toBe(0);
    expect(second.child.output()).toContain('gmp collect: stopped');
    const counts = new Map<string, number>();
    for (const r of await lakeRecords(home, 'events')) counts.set(String(r.event_id), (counts.get(String(r.event_id)) ?? 0) + 1);
    expect([...acked].filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect([...refused].filter((id) => counts.has(id))).toEqual([]);
    expect(acked.size).toBeGreaterThanOrEqual(3000);
    // Through the warehouse: staging holds each acknowledged event exactly once, none refused.
    const built = runGmp(['materialize', '--select', 'events/events staging/stg_events'], { cwd: home, env: { GMP_HOME: home } });
    expect(built.status, built.stderr).toBe(0);
    const staged = JSON.parse(runGmp(['query', 'select event_id, count(*) over (partition by event_id) as copies from staging.stg_events', '--json'], { cwd: home, env: { GMP_HOME: home } }).stdout) as { event_id: string; copies: number }[];
    const inStaging = new Map(staged.map((r) => [r.event_id, Number(r.copies)]));
    expect([...acked].filter((id) => inStaging.get(id) !== 1)).toEqual([]);
    expect([...refused].filter((id) => inStaging.has(id))).toEqual([]);

    const third = await startCollect();
    const once = event(1);
    expect(await (await post(third.url, '/v1/batch', { batch: [once, once] })).json()).toEqual({ accepted: 1, duplicates: 1, failed: [] });

    // Bad input: the right status each, and the parseable refusals kept with their reason.
    const wrongType = event(2, { game_id: 'gta-v' });
    const noUser = event(4, { user_id: undefined });
    const huge = event(5, { properties: { referrer_page: '/x', filters_applied: { blob: 'x'.repeat(40 * 1024) } } });
    expect((await post(third.url, '/v1/track', wrongType)).status).toBe(400);
    const noUserRes = await post(third.url, '/v1/track', noUser);
    expect(noUserRes.status).toBe(400);
    expect(await noUserRes.json()).toMatchObject({ error: { code: 'NO_USER' } });
    expect((await post(third.url, '/v1/track', huge)).status).toBe(413);
    expect((await post(third.url, '/v1/track', '{"event_id": "oops"')).status).toBe(400);
    expect((await post(third.url, '/v1/batch', { batch: 'x'.repeat(1_100_000) })).status).toBe(413);
    const partly = await post(third.url, '/v1/batch', { batch: [event(7), { ...event(8), event: 'teleport' }] });
    expect(partly.status).toBe(200);
    expect(await partly.json()).toMatchObject({ accepted: 1, failed: [{ index: 1, reason: 'unknown_event' }] });
    // Seed 003's ingest and seed 004's typed telemetry.
    const ingest = await post(third.url, '/api/v1/ingest', { user_id: 'u9', game_id: 3498, event_type: 'add_to_cart', price: 59.99, currency_code: 'USD' });
    expect(ingest.status).toBe(202);
    expect(await ingest.json()).toMatchObject({ status: 'accepted', request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await post(third.url, '/events/game_end', { user_id: 'u9', game_id: 3498, duration: 600, score: 1200, level_reached: 4, coins_earned: 35 })).status).toBe(202);
    expect((await post(third.url, '/events/warp', { user_id: 'u9' })).status).toBe(400);
    third.child.kill('SIGTERM');
    await new Promise((resolve) => third.child.once('exit', resolve));

    // Stopped, it committed what it held: the failures with their reasons, the events in their hour.
    const failures = (await lakeRecords(home, 'failed_events')) as unknown as FailedEvent[];
    expect(failures.map((f) => f.reason).sort()).toEqual(['invalid_json', 'no_user', 'schema_violation', 'too_large', 'unknown_event']);
    // And in the warehouse: raw.failed_events, one row per refusal, its reason a column.
    expect(runGmp(['materialize', '--select', 'events/failed_events'], { cwd: home, env: { GMP_HOME: home } }).status).toBe(0);
    const refusedRows = JSON.parse(runGmp(['query', 'select event_id, reason from raw.failed_events order by reason', '--json'], { cwd: home, env: { GMP_HOME: home } }).stdout) as { event_id: string | null; reason: string }[];
    expect(refusedRows.map((r) => r.reason)).toEqual(['invalid_json', 'no_user', 'schema_violation', 'too_large', 'unknown_event']);
    expect(refusedRows.find((r) => r.reason === 'schema_violation')?.event_id).toBe(wrongType.event_id);
    expect(failures.find((f) => f.reason === 'schema_violation')).toMatchObject({ event_id: wrongType.event_id, detail: expect.stringContaining('game_id') });
    expect(failures.find((f) => f.reason === 'invalid_json')?.payload).toBe('{"event_id": "oops"');
    const events = (await lakeRecords(home, 'events')) as unknown as CollectedEvent[];
    expect(events.find((e) => e.event === 'add_to_cart' && e.user_id === 'u9')).toMatchObject({ user_id: 'u9', properties: { price: 59.99, currency_code: 'USD' } });
    expect(events.find((e) => e.event === 'game_end' && e.user_id === 'u9')).toMatchObject({ properties: { score: 1200, level_reached: 4 } });
  }, 120_000);

  it('refuses a second collector on the same log, naming the one that holds it', async () => {
    const running = await startCollect();
    const second = spawnGmp(['collect', '--port', '0'], { cwd: home, env: { GMP_HOME: home } });
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(2);
    expect(second.output()).toMatch(/another collector \(.*:\d+\) holds the write-ahead log in .*events\/wal/);
    running.child.kill('SIGTERM');
    await new Promise((resolve) => running.child.once('exit', resolve));
  }, 60_000);

  it("asks for a source's write key once one exists, holds each source to its rate, and forgets a revoked key", async () => {
    const keyed = tempDir('gmp-collect-keys-');
    const env = { GMP_HOME: keyed };
    // Beyond loopback, no source means no way in: refused at start.
    const open = runGmp(['collect', '--host', '0.0.0.0', '--port', '0'], { cwd: keyed, env });
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/refusing to collect on 0\.0\.0\.0: .*no source has one yet/);
    const added = runGmp(['sources', 'add', 'game-client', '--rate', '5'], { cwd: keyed, env });
    expect(added.status).toBe(0);
    const key = added.stdout.trim();
    expect(key).toMatch(/^gmpw_[\w-]{32}$/);
    const listed = runGmp(['sources', 'list'], { cwd: keyed, env });
    expect(listed.stdout).toContain(`${key.slice(0, 9)}…`);
    expect(listed.stdout).not.toContain(key);
    expect(runGmp(['sources', 'add', 'game-client'], { cwd: keyed, env }).status).toBe(2);

    const running = await startCollect(keyed);
    const bearer = { authorization: `Bearer ${key}` };
    const none = await post(running.url, '/v1/track', event(1));
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', hint: expect.stringContaining('gmp sources add') } });
    // An unknown sender is refused before its body is read or kept.
    expect((await post(running.url, '/v1/track', '{not json', { authorization: 'Bearer gmpw_forged' })).status).toBe(401);
    expect((await post(running.url, '/v1/track', event(2), bearer)).status).toBe(200);
    expect((await fetch(`${running.url}/v1/stats`)).status).toBe(401);
    expect(await (await fetch(`${running.url}/v1/stats`, { headers: bearer })).json()).toMatchObject({ accepted: 1, failedByReason: {} });
    // 5 events a second, a burst of 10: 20 at once is over, and nothing of them is kept.
    const burst = await post(running.url, '/v1/batch', { batch: Array.from({ length: 20 }, (_, i) => event(i)) }, bearer);
    expect(burst.status).toBe(429);
    expect(Number(burst.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    running.child.kill('SIGTERM');
    await new Promise((resolve) => running.child.once('exit', resolve));

    expect(runGmp(['sources', 'revoke', 'game-client'], { cwd: keyed, env }).stdout).toBe('source game-client revoked\n');
    const after = await startCollect(keyed);
    expect((await post(after.url, '/v1/track', event(3), bearer)).status).toBe(401);
    after.child.kill('SIGTERM');
    await new Promise((resolve) => after.child.once('exit', resolve));
    expect((await lakeRecords(keyed, 'events')).length).toBe(1);
    expect(await lakeRecords(keyed, 'failed_events')).toEqual([]);
  }, 60_000);
});
