import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, queryWarehouse, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { controlsTabMisses, expectClean as clean, guardedPage, launchBrowser } from '../helpers/browser.js';
import { startFixtureRawg, type FixtureRawg } from '../helpers/fixture-rawg.js';
import { testWorkspace } from '../helpers/workspace.js';

const KEY = 'market-browser-key-41ab';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  await materialize(ws, { select: '*', from: '2025-06-28', to: '2025-06-29' });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sandbox?.close();
});

const count = async (sql: string) => Number(((await queryWarehouse(ws, sql)) as [{ n: number }])[0].n);
const PC_ACTION = `select count(*) as n from marts.dim_games g
  where g.game_id in (select b.game_id from marts.bridge_game_genres b join marts.dim_genres d using (genre_id) where d.slug = 'action')
    and g.game_id in (select b.game_id from marts.bridge_game_platforms b join marts.dim_platforms d using (platform_id) where d.parent_platform_slug = 'pc')`;

describe('the explorer in Chromium', () => {
  it('filters from the sidebar into a shareable URL, and its cards count what the marts hold', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/explore`);
    expect(await g.page.locator('[data-kpi="games"]').textContent()).toBe((await count('select count(*) as n from marts.dim_games')).toLocaleString('en-US'));
    await g.page.selectOption('select[name="genres"]', ['action']);
    await g.page.selectOption('select[name="parent_platforms"]', ['pc']);
    await g.page.selectOption('select[name="ordering"]', '-rating');
    await g.page.selectOption('select[name="page_size"]', '12');
    await Promise.all([g.page.waitForURL(/genres=action/), g.page.click('button:text("Apply")')]);
    const url = new URL(g.page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ genres: 'action', parent_platforms: 'pc', ordering: '-rating', page_size: '12' });
    expect(await g.page.locator('[data-kpi="games"]').textContent()).toBe(String(await count(PC_ACTION)));
    const [{ r }] = (await queryWarehouse(ws, PC_ACTION.replace('count(*) as n', 'round(avg(case when g.rating > 0 then g.rating end), 2) as r'))) as [{ r: number }];
    expect(await g.page.locator('[data-kpi="rating"]').textContent()).toBe(Number(r).toFixed(2));
    expect(await g.page.locator('#games li').count()).toBe(12);
    // Sorted by rating, best first, across the page.
    const ratings = (await g.page.locator('#games li .scores span:first-child').allTextContents()).map((t) => Number(t.replace('★', '').trim()));
    expect([...ratings].sort((a, b) => b - a)).toEqual(ratings);
    // The next page continues where this one ended, and the same URL opened afresh shows the same games.
    const firstIds = await g.page.locator('#games li').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    await Promise.all([g.page.waitForURL(/cursor=/), g.page.click('#next-page')]);
    const secondIds = await g.page.locator('#games li').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
    const again = await guardedPage(browser);
    await again.page.goto(g.page.url());
    expect(await again.page.locator('#games li').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toEqual(secondIds);
    clean(g);
    clean(again);
  });

  it('loads no remote image until asked; then only RAWG covers, and a blocked one leaves the page whole', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/explore?page_size=12`);
    expect(await g.page.locator('img').count()).toBe(0);
    expect(g.offHost).toEqual([]);
    await Promise.all([g.page.waitForEvent('load'), g.page.check('[data-images-toggle]')]);
    expect(await g.page.locator('[data-images-toggle]').isChecked()).toBe(true);
    // The guard blocks RAWG's CDN here, as a firewall would: every cover errors and is removed.
    await g.page.waitForFunction('document.querySelectorAll("img[data-cover]").length === 0');
    expect(g.offHost.length).toBeGreaterThan(0);
    expect(g.offHost.every((u) => u.startsWith('https://media.rawg.io/'))).toBe(true);
    expect(await g.page.locator('#games li').count()).toBe(12);
    expect(g.pageErrors).toEqual([]);
    await Promise.all([g.page.waitForEvent('load'), g.page.uncheck('[data-images-toggle]')]);
    expect(await g.page.locator('img').count()).toBe(0);
  });

  it('exports the whole filtered set as CSV, and the keyboard reaches every control', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/explore?genres=action&parent_platforms=pc&ordering=name`);
    const href = await g.page.locator('#export-csv').getAttribute('href');
    const csv = await (await fetch(`${server.url}${href!}`)).text();
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('game_id,slug,name,released,tba,rating,ratings_count,metacritic,playtime,added,esrb_rating,updated_at');
    expect(lines.length - 1).toBe(await count(PC_ACTION));
    expect(await controlsTabMisses(g.page)).toEqual([]);
    // Two genres chosen in the multi-select arrive as repeated keys: a game of either counts.
    await g.page.goto(`${server.url}/explore?genres=action&genres=puzzle&search=&released_from=`);
    expect(await g.page.locator('[data-kpi="games"]').textContent()).toBe(
      String(await count(`select count(distinct b.game_id) as n from marts.bridge_game_genres b join marts.dim_genres d using (genre_id) where d.slug in ('action', 'puzzle')`)),
    );
    clean(g);
  });
});

describe('favorites in Chromium', () => {
  it('a game page adds a favorite, the explorer shows only favorites, and removing it empties them', async () => {
    const g = await guardedPage(browser);
    const [{ game_id: id, name }] = (await queryWarehouse(ws, 'select game_id, name from marts.dim_games order by ratings_count desc, game_id limit 1')) as [{ game_id: number; name: string }];
    await g.page.goto(`${server.url}/games/${id}`);
    const button = g.page.locator('[data-action="favorite"]');
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await button.click();
    await g.page.waitForSelector('[data-action="favorite"][aria-pressed="true"]');
    await g.page.goto(`${server.url}/favorites`);
    expect(new URL(g.page.url()).searchParams.get('favorites')).toBe('1');
    expect(await g.page.locator('#games li .title').allTextContents()).toEqual([name]);
    expect(await g.page.locator('[data-kpi="games"]').textContent()).toBe('1');
    await g.page.goto(`${server.url}/games/${id}`);
    expect(await button.getAttribute('aria-pressed')).toBe('true');
    await button.click();
    await g.page.waitForSelector('[data-action="favorite"][aria-pressed="false"]');
    await g.page.goto(`${server.url}/explore?favorites=1`);
    expect(await g.page.locator('#games li').count()).toBe(0);
    clean(g);
  });
});

describe('the SQL console in Chromium', () => {
  it('runs a query with Ctrl+Enter, shows its rows, and shows a refusal as an error', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/sql`);
    await g.page.fill('#sql', 'select slug from marts.dim_genres order by slug limit 3');
    await g.page.focus('#sql');
    await g.page.keyboard.press('Control+Enter');
    await g.page.waitForSelector('#sql-result table');
    const expected = (await queryWarehouse(ws, 'select slug from marts.dim_genres order by slug limit 3')).map((r) => String(r.slug));
    expect(await g.page.locator('#sql-result tbody td').allTextContents()).toEqual(expected);
    expect(await g.page.locator('#sql-status').textContent()).toMatch(/^3 rows in \d+ ms$/);
    await g.page.fill('#sql', "copy (select 1) to '/tmp/x.csv'");
    await g.page.click('#run-sql');
    await g.page.waitForSelector('#sql-error');
    expect(await g.page.locator('#sql-error').textContent()).toMatch(/refused/);
    expect(await g.page.locator('.schema summary').allTextContents()).toContain('marts.dim_games');
    // Download CSV: every row, not the 2,000 shown.
    await g.page.fill('#sql', 'select game_id from marts.dim_games order by game_id');
    const [download] = await Promise.all([g.page.waitForEvent('download'), g.page.click('#csv-sql')]);
    expect(download.suggestedFilename()).toBe('query.csv');
    const saved = readFileSync((await download.path())!, 'utf8');
    expect(saved).toBe(`game_id\n${(await queryWarehouse(ws, 'select game_id from marts.dim_games order by game_id')).map((r) => r.game_id).join('\n')}\n`);
    expect(await controlsTabMisses(g.page)).toEqual([]);
    clean(g);
  });
});

describe('a game page in Chromium, from the recorded fixtures', () => {
  let rawg: FixtureRawg;
  let fixtureWs: Workspace;
  let fixtureServer: RunningServer;
  // GTA V's real description, with a script, an image handler and a javascript: link added.
  const HOSTILE = '<script>window.__pwned = 1</script><img src="https://evil.example/x.png" onerror="window.__pwned = 2"><a href="javascript:window.__pwned = 3">click</a>';

  beforeAll(async () => {
    rawg = await startFixtureRawg({ detailOverride: (d) => (d.id === 3498 ? { ...d, description: `${String(d.description)}${HOSTILE}` } : d) });
    fixtureWs = testWorkspace({ baseUrl: rawg.baseUrl, key: 'fixture-key-page', now: '2024-06-01T00:00:00Z' });
    await materialize(fixtureWs, { select: '*', from: rawg.firstDay, to: rawg.lastDay });
    fixtureServer = await startServer({ ws: fixtureWs, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
  }, 180_000);

  afterAll(async () => {
    await fixtureServer?.close();
    await rawg?.server.close();
  });

  it('GTA V: every attribute, its lists as links to filtered views, the description sanitized and inert', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${fixtureServer.url}/games/3498`);
    expect(await g.page.locator('h1').textContent()).toBe('Grand Theft Auto V');
    const description = await g.page.locator('#description').innerHTML();
    expect(description).toContain('Rockstar Games');
    expect(description).not.toMatch(/<script|onerror|javascript:|<img/i);
    expect(await g.page.evaluate('window.__pwned')).toBeUndefined();
    expect(await g.page.locator('dl.facts').textContent()).toMatch(/Publishers\s*Rockstar Games/);
    // A publisher link opens the explorer filtered to it.
    const href = (await g.page.locator('dl.facts div:has(dt:text-is("Publishers")) a').getAttribute('href'))!;
    const slug = /^\/explore\?publishers=([\w-]+)$/.exec(href)?.[1];
    expect(slug).toBeDefined();
    await Promise.all([g.page.waitForURL((url) => url.pathname === '/explore' && url.searchParams.get('publishers') === slug), g.page.click('dl.facts div:has(dt:text-is("Publishers")) a')]);
    expect(await g.page.locator('#games li .title').allTextContents()).toContain('Grand Theft Auto V');
    expect(await g.page.locator('.chip').textContent()).toContain(`Publisher: ${slug}`);
    expect(g.offHost, 'no remote image or script was requested').toEqual([]);
    expect(g.pageErrors).toEqual([]);
  });

  it('an unknown game is a 404 page that says so', async () => {
    const g = await guardedPage(browser);
    const res = await g.page.goto(`${fixtureServer.url}/games/999999999`);
    expect(res?.status()).toBe(404);
    expect(await g.page.locator('main').textContent()).toContain('no game 999999999');
  });
});

