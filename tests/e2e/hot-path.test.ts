import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { spawnGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const children: ReturnType<typeof spawnGmp>[] = [];
let redis: RedisServer | undefined;
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.stop();
});

/** Spawns gmp and resolves with the addresses it prints (`gmp serve: URL`, `gmp collect: URL`) once all are printed. */
async function start(args: string[], env: Record<string, string>, expect: readonly string[]): Promise<Record<string, string>> {
  const home = tempDir('gmp-hot-');
  const child = spawnGmp(args, { cwd: home, env: { GMP_HOME: home, ...env } });
  children.push(child);
  return new Promise((resolve, reject) => {
    const look = (): void => {
      const found: Record<string, string> = {};
      for (const name of expect) {
        const m = new RegExp(`gmp ${name}: (http://127\\.0\\.0\\.1:\\d+)`).exec(child.output());
        if (m) found[name] = m[1]!;
      }
      if (Object.keys(found).length === expect.length) resolve(found);
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => reject(new Error(`gmp ${args[0]} exited (${code}): ${child.output()}`)));
  });
}

// Event times a few minutes before now: live sessions expire a day after their last event, so a
// fixed date would make this test fail once that day has passed.
const BASE_MS = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
const view = (user: string, game: number, second: number) => ({
  event_id: randomUUID(), event: 'view', user_id: user, session_id: `${user}-s1`, game_id: game,
  timestamp: new Date(BASE_MS + second * 1000).toISOString(), properties: { platform: 'pc' },
});
const send = (url: string, batch: unknown[]) =>
  fetch(`${url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
const getJson = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe('the hot path', () => {
  it('gmp serve --collect answers recent views and the live session as soon as the batch is acknowledged', async () => {
    const urls = await start(['serve', '--port', '0', '--collect', '--collect-port', '0'], {}, ['serve', 'collect']);
    const user = `p-${randomUUID().slice(0, 8)}`;
    const acked = await send(urls.collect!, [view(user, 3498, 1), view(user, 28, 2), view(user, 3498, 3)]);
    expect(acked.status).toBe(200);
    const recent = await getJson(`${urls.serve}/api/v1/users/${user}/recent`);
    expect(recent.status).toBe(200);
    expect((recent.body.recent as { game_id: number }[]).map((v) => v.game_id)).toEqual([3498, 28]);
    expect(recent.body.store).toBe('embedded');
    const session = await getJson(`${urls.serve}/api/v1/sessions/${user}-s1`);
    expect(session.body).toMatchObject({ user_id: user, events: 3, game_id: 3498, platform: 'pc' });
    expect((await getJson(`${urls.serve}/api/v1/sessions/nope`)).status).toBe(404);
    // The collector answers the same reads itself on loopback while no write key exists.
    expect((await getJson(`${urls.collect}/api/v1/users/${user}/recent`)).body.recent).toEqual(recent.body.recent);
  });

  it('with GMP_HOT_URL a collector and a separate gmp serve share the hot path through a real Redis', async () => {
    redis = await startRedisServer();
    const env = { GMP_HOT_URL: redis.url };
    const [collector, server] = await Promise.all([start(['collect', '--port', '0'], env, ['collect']), start(['serve', '--port', '0'], env, ['serve'])]);
    const user = `p-${randomUUID().slice(0, 8)}`;
    expect((await send(collector.collect!, [view(user, 5286, 1), view(user, 4200, 2)])).status).toBe(200);
    // Redis is fed after the acknowledgement: ask the server (the observable state) until the views show.
    const recent = await vi.waitFor(
      async () => {
        const r = await getJson(`${server.serve}/api/v1/users/${user}/recent`);
        expect(r.body.recent).toHaveLength(2);
        return r;
      },
      { timeout: 30_000, interval: 20 },
    );
    expect(recent.body).toMatchObject({ store: 'redis', recent: [{ game_id: 4200 }, { game_id: 5286 }] });
  });

  it('gmp serve without a hot path says how to get one', async () => {
    const urls = await start(['serve', '--port', '0'], {}, ['serve']);
    const r = await getJson(`${urls.serve}/api/v1/users/anyone/recent`);
    expect(r.status).toBe(503);
    expect(JSON.stringify(r.body)).toMatch(/--collect|GMP_HOT_URL/);
  });
});
