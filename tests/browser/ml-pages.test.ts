import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, queryWarehouse, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { expectClean, guardedPage, launchBrowser } from '../helpers/browser.js';
import { testWorkspace } from '../helpers/workspace.js';

// The models page and a game's prediction, as a person sees them in Chromium, after `*` (the
// demo's job) trained both models on a week of the sandbox catalogue.
const KEY = 'ml-pages-key-90d2';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  const run = await materialize(ws, { select: '*', exclude: 'marts/mart_events_hourly', from: '2025-06-23', to: '2025-06-29' });
  expect(run.status).toBe('succeeded');
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sandbox?.close();
});

describe('the models page', () => {
  it('shows each production model against its baselines, its reasons, versions and the runs', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/`);
    await Promise.all([g.page.waitForURL(/\/models$/), g.page.click('nav a:text("Models")')]);
    for (const model of ['game_rating_model', 'game_popularity_model']) {
      const section = g.page.locator(`section#${model}`);
      expect(await section.locator('h2').textContent()).toBe(model);
      expect(await section.textContent()).toMatch(/Production: v1 from run/);
      expect(await section.locator('.bar-row').count()).toBe(3);
      expect(await section.locator('table.importance tbody tr').count()).toBeGreaterThanOrEqual(3);
      expect(await section.locator('table.versions tbody tr').allTextContents()).toEqual([expect.stringMatching(/^v1\s*candidate\s*production/)]);
      expect(await section.locator('figure.chart svg path').count()).toBe(2);
    }
    const rating = g.page.locator('section#game_rating_model');
    expect(await rating.textContent()).toMatch(/RMSE \d+\.\d% below the mean baseline's/);
    expect(await g.page.locator('#ml-runs tbody tr').count()).toBe(2);
    await g.page.screenshot({ path: `${ws.config.home}/models-page.png`, fullPage: true });
    expectClean(g);
  });

  it("puts the prediction and its reasons on a game's page, equal to the predictions mart", async () => {
    const [row] = (await queryWarehouse(ws, 'select game_id, predicted_rating, popularity_probability from marts.fct_game_predictions where actual_rating is not null order by actual_ratings_count desc, game_id limit 1')) as {
      game_id: number;
      predicted_rating: number;
      popularity_probability: number;
    }[];
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/games/${row!.game_id}`);
    const section = g.page.locator('#prediction');
    expect(await section.locator('.card .big').first().textContent()).toBe(row!.predicted_rating.toFixed(2));
    expect(await section.locator('.card .big').nth(1).textContent()).toBe(`${(row!.popularity_probability * 100).toFixed(0)}%`);
    expect(await section.locator('ul.reasons').first().locator('li').count()).toBeGreaterThan(0);
    await Promise.all([g.page.waitForURL(/\/models#game_rating_model$/), section.locator('a[href="/models#game_rating_model"]').click()]);
    await g.page.goto(`${server.url}/games/${row!.game_id}`);
    await g.page.locator('#prediction').screenshot({ path: `${ws.config.home}/game-prediction.png` });
    expectClean(g);
  });
});
