import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, queryWarehouse, writeSimulatedHistory, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { expectClean as clean, guardedPage, launchBrowser } from '../helpers/browser.js';
import { testWorkspace } from '../helpers/workspace.js';

const KEY = 'player-pages-key-93e2';
const LAST_DAY = '2025-06-29';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  await materialize(ws, { select: 'rawg/games+', exclude: 'marts/mart_events_hourly', from: '2025-06-28', to: LAST_DAY });
  await writeSimulatedHistory(ws, { seed: 5, players: 120, days: 3, end: LAST_DAY });
  await materialize(ws, { select: 'events/events+', partition: LAST_DAY });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }), collect: { host: '127.0.0.1', port: 0 } });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sandbox?.close();
});

const send = (batch: unknown[]) =>
  fetch(`${server.collectorUrl}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });

describe('the player pages in Chromium', () => {
  it('list the players the marts hold, most engaged first, and open one with its insights, sessions and purchases', async () => {
    const [total] = (await queryWarehouse(ws, 'select count(*) as n from marts.mart_customer_insights')) as { n: number }[];
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/players`);
    await expect.poll(() => g.page.locator('h1 small').textContent()).toBe(Number(total!.n).toLocaleString('en-US'));
    const scores = await g.page.locator('#players tbody tr td:nth-child(3)').allTextContents();
    expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((a, b) => b - a));
    const first = g.page.locator('#players tbody tr td:first-child a').first();
    const id = (await first.textContent())!;
    await first.click();
    await g.page.waitForURL(`**/players/${id}`);
    expect(await g.page.locator('h1').textContent()).toContain(id);
    const [sessions] = (await queryWarehouse(ws, `select count(*) as n from marts.fct_sessions where user_id = '${id}'`)) as { n: number }[];
    expect(await g.page.locator('#sessions tbody tr').count()).toBe(Math.min(10, Number(sessions!.n)));
    clean(g);
  });

  it('show a view as soon as the collector acknowledged it: the recent views come from the hot path', async () => {
    const [player] = (await queryWarehouse(ws, 'select user_id from marts.dim_players order by user_id limit 1')) as { user_id: string }[];
    const [game] = (await queryWarehouse(ws, 'select game_id, name from marts.dim_games order by game_id desc limit 1')) as { game_id: number; name: string }[];
    const acked = await send([{ event_id: randomUUID(), event: 'view', user_id: player!.user_id, game_id: Number(game!.game_id), timestamp: new Date().toISOString(), properties: {} }]);
    expect(acked.status).toBe(200);
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/players/${player!.user_id}`);
    expect(await g.page.locator('h2', { hasText: 'Recent views' }).textContent()).toContain('live');
    expect(await g.page.locator('#recent-views li').first().textContent()).toContain(game!.name);
    clean(g);
  });

  it('the live-ops page counts events as they arrive and redraws its charts when a run rebuilds the marts', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/live`);
    await g.page.locator('#live-status', { hasText: /^live$/ }).waitFor();
    expect(await g.page.locator('#live-charts svg').count()).toBeGreaterThan(3);
    const before = Number((await g.page.locator('[data-live="accepted"]').textContent())!.replace(/,/g, ''));
    const batch = Array.from({ length: 7 }, (_, i) => ({ event_id: randomUUID(), event: 'heartbeat', user_id: `live-${i}`, timestamp: new Date().toISOString(), properties: { fps: 60, latency_ms: 20 } }));
    expect((await send(batch)).status).toBe(200);
    await g.page.locator('[data-live="accepted"]', { hasText: new RegExp(`^${(before + 7).toLocaleString('en-US')}$`) }).waitFor();
    // A run rebuilds the player marts: the charts are fetched again, in place.
    await materialize(ws, { select: 'events/events+', partition: LAST_DAY });
    await g.page.locator('#live-status', { hasText: 'charts updated' }).waitFor({ timeout: 30_000 });
    expect(await g.page.locator('#live-charts svg').count()).toBeGreaterThan(3);
    clean(g);
  });
});
