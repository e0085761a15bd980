import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, startBackfill, type Workspace } from '../../app/index.js';
import { createLogger, dailyPartitions, fixedClock, hourlyPartitions, type AssetDefinition } from '../../core/index.js';
import { buildAssetGraph, type PipelineResources } from '../../orchestration/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { expectClean as clean, guardedPage, launchBrowser } from '../helpers/browser.js';
import { tempDir } from '../helpers/workspace.js';

// A workspace with a graph of its own: an hourly asset and a daily one reading it (no API).
let ws: Workspace;
let server: RunningServer;
let browser: Browser;
let backfillId: string;

beforeAll(async () => {
  const home = tempDir('gmp-hourly-pages-');
  const base = openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_LOG_LEVEL: 'silent' }, clock: fixedClock('2026-12-03T10:20:00Z') });
  const asset = (key: string, partitions: AssetDefinition['partitions'], deps: string[]): AssetDefinition<PipelineResources> => ({
    key, description: key, deps: deps.map((d) => ({ key: d })), partitions, group: key.split('/')[0]!, kind: 'table', tags: [],
    materialize: async () => ({ rows: 1 }),
  });
  const graph = buildAssetGraph([
    asset('events/hourly', hourlyPartitions('2026-11-01'), []),
    asset('marts/daily_players', dailyPartitions('2026-11-01'), ['events/hourly']),
  ]);
  ws = { config: base.config, clock: base.clock, vars: {}, logTo: 'file', get project() { return base.project; }, get lineageProject() { return base.lineageProject; }, graph };
  backfillId = (await startBackfill(ws, { select: 'events/hourly+', from: '2026-12-01', to: '2026-12-02' })).backfill.backfillId;
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The colour of a canvas pixel, as `r,g,b`. */
async function pixel(g: Awaited<ReturnType<typeof guardedPage>>, selector: string, x: number, y: number): Promise<string> {
  return g.page.evaluate(`Array.from(document.querySelector(${JSON.stringify(selector)}).getContext('2d').getImageData(${x}, ${y}, 1, 1).data.slice(0, 3)).join(',')`);
}

describe('hourly partitions in the web UI (Chromium)', () => {
  it('the backfill matrix draws the hourly row across the whole range, like the daily one', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/backfills/${backfillId}`);
    await g.page.waitForSelector('#backfill-status[data-status="succeeded"]');
    const width = Number(await g.page.locator('canvas#matrix').getAttribute('width'));
    const succeeded = '26,127,55';
    // Rows are 14 px from y = 4, after a 260 px label: both rows green at the start, middle and end.
    for (const row of [0, 1]) {
      for (const x of [262, Math.round(260 + (width - 264) / 2), width - 8]) {
        expect(await pixel(g, 'canvas#matrix', x, 4 + row * 14 + 7), `row ${row} at x=${x}`).toBe(succeeded);
      }
    }
    clean(g);
  });

  it('the asset page counts hours, and the launch preview plans a day as its hours and an hour as its day', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/assets/events/hourly`);
    expect(await g.page.locator('.legend').first().textContent()).toMatch(/all \d+ hours \(UTC\): 2026-11-01T00 … 2026-12-03T10/);
    expect(await g.page.locator('.card', { hasText: 'Partitions' }).first().textContent()).toContain('hourly from 2026-11-01T00 (UTC)');

    await g.page.goto(`${server.url}/launch`);
    await g.page.fill('input[name="select"]', 'events/hourly+');
    await g.page.fill('input[name="partition"]', '2026-12-03T05');
    await g.page.press('input[name="partition"]', 'Enter');
    await g.page.waitForSelector('#preview h2:text("Plan: 2 steps, 2 to run")');
    const rows = await g.page.locator('#preview tbody tr').allTextContents();
    expect(rows).toEqual([expect.stringContaining('2026-12-03T05'), expect.stringContaining('2026-12-03')]);

    await g.page.fill('input[name="partition"]', '2026-12-02');
    await g.page.press('input[name="partition"]', 'Enter');
    // A day: its 24 hours, and the day downstream.
    await g.page.waitForSelector('#preview h2:text("Plan: 25 steps, 25 to run")');
    expect(await g.page.locator('#preview tbody tr').first().textContent()).toContain('2026-12-02T00..2026-12-02T23');
    clean(g);
  });
});
