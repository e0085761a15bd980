import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, launchRun, listAssets, materialize, runDaemon, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { controlsTabMisses, expectClean as clean, guardedPage, launchBrowser } from '../helpers/browser.js';
import { testWorkspace } from '../helpers/workspace.js';

const KEY = 'browser-key-2f8a';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;
let browser: Browser;
let firstRun: string;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 30 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  const run = await materialize(ws, { select: 'rawg/games+', partition: '2025-06-20' });
  firstRun = run.runId;
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sandbox?.close();
});


describe('the operations pages in Chromium', () => {
  it('overview: shows the latest run, says local admin, and `/` focuses the search', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/`);
    expect(await g.page.title()).toBe('Overview · gmp');
    expect(await g.page.locator('a', { hasText: firstRun }).count()).toBeGreaterThan(0);
    expect(await g.page.locator('.who').textContent()).toContain('local admin');
    await g.page.keyboard.press('/');
    expect(await g.page.evaluate('document.activeElement?.id')).toBe('q');
    // The first Tab reaches the skip link; following it lands in the page's content.
    await g.page.locator('body').click({ position: { x: 5, y: 600 } });
    await g.page.keyboard.press('Tab');
    expect(await g.page.evaluate('document.activeElement?.className')).toBe('skip');
    clean(g);
  });

  it('runs: filters live in the URL, and a run page draws its steps and filters its events on the server', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/runs`);
    await g.page.selectOption('select[name="status"]', 'succeeded');
    await Promise.all([g.page.waitForURL(/status=succeeded/), g.page.click('form.filters button[type="submit"]')]);
    await g.page.click(`a:has-text("${firstRun}")`);
    await g.page.waitForURL(new RegExp(`/runs/${firstRun}$`));
    expect(await g.page.locator('svg.gantt rect').count()).toBeGreaterThan(5);
    const all = await g.page.locator('#events tbody tr').count();
    await g.page.fill('input[name="type"]', 'RUN_START,RUN_END');
    await Promise.all([g.page.waitForURL(/type=RUN_START/), g.page.press('input[name="type"]', 'Enter')]);
    expect(await g.page.locator('#events tbody tr').count()).toBe(2);
    expect(all).toBeGreaterThan(2);
    clean(g);
  });

  it('a running run tails its events live and shows its end without a reload by hand', async () => {
    const launched = await launchRun(ws, { select: 'rawg/games', from: '2025-05-01', to: '2025-05-20', kind: 'materialize' });
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/runs/${launched.runId}`);
    const before = await g.page.locator('#events tbody tr').count();
    await launched.done;
    // The island reloads once the stream says the run ended.
    await g.page.waitForSelector('#run-status[data-status="succeeded"]', { timeout: 60_000 });
    expect(await g.page.locator('#events tbody tr').count()).toBeGreaterThan(before);
    clean(g);
  });

  it('launch dialog: previews a partition of the sandbox, launches it, and lands on the run finishing live', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/launch`);
    await g.page.fill('input[name="select"]', 'rawg/games');
    await g.page.fill('input[name="partition"]', '2025-06-18');
    await g.page.press('input[name="partition"]', 'Enter');
    await g.page.waitForSelector('#preview h2:text("Plan: 1 step, 1 to run")');
    expect(await g.page.locator('#preview').textContent()).toMatch(/API requests: ~\d+/);
    // Launch has the focus after the preview: Enter starts the run.
    await Promise.all([g.page.waitForURL(/\/runs\/\d{8}T\d{6}Z-[0-9a-f]{6}$/), g.page.keyboard.press('Enter')]);
    await g.page.waitForSelector('#run-status[data-status="succeeded"]', { timeout: 60_000 });
    expect(await g.page.locator('svg.gantt rect').count()).toBeGreaterThanOrEqual(1);
    clean(g);
  });

  it('backfills: cancels a running one and resumes it from its page, its matrix following', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/launch`);
    await g.page.fill('input[name="select"]', 'rawg/games');
    await g.page.fill('input[name="partition"]', '');
    await g.page.fill('input[name="from"]', '2024-01-01');
    await g.page.fill('input[name="to"]', '2025-03-31');
    await g.page.check('input[name="backfill"]');
    await g.page.click('button:text("Preview")');
    await g.page.waitForSelector('#preview h2');
    await Promise.all([g.page.waitForURL(/\/backfills\/bf-/), g.page.click('#preview button:text("Launch")')]);
    await g.page.waitForSelector('button:text("Cancel")');
    expect(await g.page.locator('canvas#matrix').count()).toBe(1);
    await g.page.click('button:text("Cancel")');
    await g.page.waitForSelector('#backfill-status[data-status="canceled"]', { timeout: 60_000 });
    await g.page.click('button:text("Resume")');
    await g.page.waitForSelector('#backfill-status[data-status="succeeded"]', { timeout: 120_000 });
    await g.page.goto(`${server.url}/backfills`);
    expect(await g.page.locator('table.data tbody tr').first().textContent()).toContain('succeeded');
    clean(g);
  });

  it('assets: the catalog filters in the URL, and the header search lands on it', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/assets`);
    const notChecks = listAssets(ws).filter((a) => a.kind !== 'check');
    expect(await g.page.locator('table.data tbody tr').count()).toBe(notChecks.length);
    await g.page.selectOption('select[name="group"]', 'marts');
    await Promise.all([g.page.waitForURL(/group=marts/), g.page.click('form.filters button[type="submit"]')]);
    const groups = await g.page.locator('table.data tbody tr td:nth-child(3)').allTextContents();
    expect(groups.length).toBe(notChecks.filter((a) => a.group === 'marts').length);
    expect(new Set(groups)).toEqual(new Set(['marts']));
    await g.page.keyboard.press('/');
    await g.page.keyboard.type('dim_games');
    await Promise.all([g.page.waitForURL(/\/assets\?q=dim_games/), g.page.keyboard.press('Enter')]);
    expect(await g.page.locator('table.data tbody tr td:first-child').allTextContents()).toEqual(['marts/dim_games']);
    clean(g);
  });

  it('an asset page draws partition health from ranges and lists its materializations and checks', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/assets`);
    await Promise.all([g.page.waitForURL(/\/assets\/rawg\/games$/), g.page.click('a:text-is("rawg/games")')]);
    // The bar is painted: the materialized days show in green on the last-90-days bar.
    const green = await g.page.evaluate(`(() => {
      const canvas = document.querySelector('#health-recent');
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, 1).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] === 0x1a && data[i + 1] === 0x7f && data[i + 2] === 0x37) n++;
      return n;
    })()`);
    expect(green).toBeGreaterThan(0);
    expect(await g.page.locator('#health').getAttribute('title')).toMatch(/^\d+ materialized, \d+ failed, \d+ missing of \d+ partitions$/);
    // Newest first: the backfill above wrote the latest of them.
    expect(await g.page.locator('#history tbody tr').first().textContent()).toContain('succeeded');
    expect(await g.page.locator('#history tbody tr').count()).toBe(30);
    expect(await g.page.locator('#checks').textContent()).toContain('not_empty');
    clean(g);
  });

  it('graph: draws every asset, keeps the selection in the URL, zooms from the keyboard, and opens an asset', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/graph`);
    const notChecks = listAssets(ws).filter((a) => a.kind !== 'check');
    expect(await g.page.locator('svg.graph g.node').count()).toBe(notChecks.length);
    await g.page.fill('input[name="select"]', '+marts/dim_games');
    await Promise.all([g.page.waitForURL(/select=%2Bmarts%2Fdim_games/), g.page.press('input[name="select"]', 'Enter')]);
    const shown = await g.page.locator('svg.graph g.node title').allTextContents();
    expect(shown.map((t) => t.split(' ')[0]).sort()).toEqual(['marts/dim_games', 'rawg/games', 'staging/stg_rawg__games', 'staging/stg_rawg__games_daily']);
    const before = await g.page.locator('svg.graph').getAttribute('viewBox');
    await g.page.focus('#graph');
    await g.page.keyboard.press('+');
    expect(await g.page.locator('svg.graph').getAttribute('viewBox')).not.toBe(before);
    await g.page.keyboard.press('0');
    expect(await g.page.locator('svg.graph').getAttribute('viewBox')).toBe(before);
    await Promise.all([g.page.waitForURL(/\/assets\/marts\/dim_games$/), g.page.click('svg.graph g.node:has(title:text-matches("^marts/dim_games "))')]);
    clean(g);
  });

  it('schedules: lists both with their next tick, and the daemons with their heartbeat', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/`);
    expect(await g.page.locator('#daemon').getAttribute('data-state')).toBe('none');
    const summary = await runDaemon(ws, { once: true });
    expect(summary.ticks).toEqual([]);
    await g.page.goto(`${server.url}/schedules`);
    expect(await g.page.locator('table.data').first().textContent()).toMatch(/daily_games[\s\S]*weekly_taxonomy/);
    expect(await g.page.locator('#daemons tbody tr').textContent()).toMatch(/\(--once\)\s*stopped/);
    await g.page.goto(`${server.url}/`);
    expect(await g.page.locator('#daemon').getAttribute('data-state')).toBe('stopped');
    clean(g);
  });

  it('every page: the keyboard alone reaches every control', async () => {
    const g = await guardedPage(browser);
    const [backfill] = ((await (await fetch(`${server.url}/api/v1/backfills`)).json()) as { backfills: { backfillId: string }[] }).backfills;
    const pages = ['/', '/runs', `/runs/${firstRun}`, '/backfills', `/backfills/${backfill!.backfillId}`, '/schedules', '/launch', '/assets', '/assets/rawg/games', '/assets/marts/dim_games', '/graph', '/login', '/register', '/profile', '/settings', '/api/docs'];
    for (const path of pages) {
      await g.page.goto(`${server.url}${path}`);
      expect(await controlsTabMisses(g.page), path).toEqual([]);
    }
    clean(g);
  });

  it('once an account exists, sends the visitor to sign in and back', async () => {
    await addUser(ws, { name: 'ana', role: 'admin', password: 'browser-password-1234' });
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/runs`);
    await g.page.waitForURL(/\/login\?next=%2Fruns/);
    await g.page.fill('input[name="name"]', 'ana');
    await g.page.fill('input[name="password"]', 'wrong password here');
    await g.page.press('input[name="password"]', 'Enter');
    await g.page.waitForSelector('#login-error:text("wrong user name or password")');
    await g.page.fill('input[name="password"]', 'browser-password-1234');
    await Promise.all([g.page.waitForURL(/\/runs$/), g.page.press('input[name="password"]', 'Enter')]);
    expect(await g.page.locator('.who').textContent()).toContain('ana · admin');
    await Promise.all([g.page.waitForURL(/\/login$/), g.page.click('button:has-text("Sign out")')]);
    clean(g);
  });
});
