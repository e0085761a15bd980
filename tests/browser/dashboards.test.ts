import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDashboard, materialize, queryWarehouse, runDaemon, writeSimulatedHistory, type DaemonEvent, type Workspace } from '../../app/index.js';
import { createLogger, fixedClock, packageRoot } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { controlsTabMisses, expectClean as clean, guardedPage, launchBrowser } from '../helpers/browser.js';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir, testWorkspace } from '../helpers/workspace.js';

const KEY = 'dashboards-browser-key-77c1';
const SHIPPED = readdirSync(path.join(packageRoot(), 'dashboards')).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
let sandbox: Sandbox;
let ws: Workspace;
let home: string;
let dashboardsDir: string;
let server: RunningServer;
let browser: Browser;

/** A page only this test has: a text filter, to try hostile values against. */
const PROBE = `# Probe
<TextInput name=q title="Name" />
\`\`\`sql matches
select count(*) as n, max(\${inputs.q}) as echoed from marts.dim_games where name = \${inputs.q}
\`\`\`
<BigValue data={matches} value=n title="Games named so" />
<DataTable data={matches} />
`;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  home = tempDir('gmp-dash-');
  dashboardsDir = path.join(home, 'dashboards');
  cpSync(path.join(packageRoot(), 'dashboards'), dashboardsDir, { recursive: true });
  writeFileSync(path.join(dashboardsDir, 'probe.md'), PROBE);
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { GMP_DASHBOARDS_DIR: dashboardsDir } });
  // Players too, for the live-ops page: two simulated days of events.
  await writeSimulatedHistory(ws, { seed: 3, players: 60, days: 2, end: '2025-06-29' });
  await materialize(ws, { select: '*', from: '2025-06-28', to: '2025-06-29' });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sandbox?.close();
});

const sql = (text: string) => queryWarehouse(ws, text);
const getJson = async (p: string) => {
  const res = await fetch(`${server.url}${p}`);
  expect(res.status, p).toBe(200);
  return (await res.json()) as { charts: { index: number; columns: string[]; rows: Record<string, unknown>[]; error: string | null }[]; problems: unknown[] };
};
const ACTION_GAMES = `select g.* from marts.dim_games g where g.game_id in (
  select b.game_id from marts.bridge_game_genres b join marts.dim_genres d using (genre_id) where d.slug = 'action')`;

describe('shipped dashboards in Chromium', () => {
  it('draws every shipped page without a problem, and its first chart holds what the marts hold', async () => {
    expect(SHIPPED.sort()).toEqual(['genre-platform-heatmap', 'genre-trends', 'live-ops', 'market-overview', 'platform-share', 'publisher-leaderboard']);
    // What each page's first chart should show, computed here from the marts directly.
    const truth: Record<string, () => Promise<string[]>> = {
      'market-overview': async () => [String((await sql('select count(*) as n from marts.dim_games'))[0]!.n)],
      'live-ops': async () => [String((await sql('select dau from marts.mart_engagement_daily order by activity_date desc limit 1'))[0]!.dau)],
      'platform-share': async () =>
        (await sql(`select year, platform, round(games * 1.0 / sum(games) over (partition by year), 4) as share from (
            select cast(year(g.released) as integer) as year, d.parent_platform_name as platform, count(distinct g.game_id) as games
            from marts.dim_games g join marts.bridge_game_platforms b using (game_id) join marts.dim_platforms d using (platform_id)
            where g.released is not null and d.parent_platform_slug is not null and year(g.released) >= 2000 group by 1, 2)`)).map((r) => `${r.year}|${r.platform}|${Number(r.share)}`),
      'publisher-leaderboard': async () => [String((await sql('select publisher_name as p from marts.mart_publisher_portfolio where games >= 2 order by games desc, publisher_name limit 1'))[0]!.p)],
      'genre-platform-heatmap': async () =>
        (await sql(`select d.parent_platform_name as platform, dg.name as genre, count(distinct g.game_id) as games from marts.dim_games g
            join marts.bridge_game_platforms b using (game_id) join marts.dim_platforms d using (platform_id)
            join marts.bridge_game_genres bg using (game_id) join marts.dim_genres dg using (genre_id)
            where d.parent_platform_slug is not null group by 1, 2`)).map((r) => `${r.platform}|${r.genre}|${Number(r.games)}`),
      'genre-trends': async () =>
        (await sql(`select t.release_year as year, d.name as genre, t.releases from marts.mart_genre_trends t join marts.dim_genres d using (genre_id)
            where t.release_year >= 2000 and t.genre_id in (select genre_id from marts.mart_genre_trends where release_year >= 2000 group by 1 order by sum(releases) desc, genre_id limit 6)`)).map((r) => `${r.year}|${r.genre}|${Number(r.releases)}`),
    };
    for (const name of SHIPPED) {
      const g = await guardedPage(browser);
      await g.page.goto(`${server.url}/dashboards/${name}`);
      expect(await g.page.locator('.dash-error').count(), name).toBe(0);
      expect(await g.page.locator('#provenance').textContent()).toMatch(/^Data from run \d{8}T\d{6}Z-[0-9a-f]{6}, published /);
      const first = g.page.locator('#chart-0');
      const kind = await first.getAttribute('data-kind');
      const shown =
        kind === 'BigValue'
          ? [(await first.locator('.big').getAttribute('data-value'))!]
          : kind === 'Heatmap'
            ? await first.locator('rect[data-value]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-x')}|${e.getAttribute('data-y')}|${e.getAttribute('data-value')}`))
            : await first.locator('[data-y]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-x')}|${e.getAttribute('data-series') ?? ''}|${Number(e.getAttribute('data-y'))}`));
      let expected = await truth[name]!();
      // A chart draws its ten largest series (the CSV has all): compare those.
      const drawn = new Set(shown.map((s) => s.split('|')[1]));
      if (name === 'platform-share') expect(await first.locator('.series-note').textContent()).toMatch(/^10 of 1\d series drawn/);
      if (name === 'platform-share') expected = expected.filter((e) => drawn.has(e.split('|')[1]));
      if (kind === 'BigValue') expect(shown, name).toEqual(expected);
      else expect([...shown].sort(), name).toEqual([...expected].sort());
      expect(shown.length, name).toBeGreaterThan(0);
      clean(g);
    }
  });

  it('filters into a shareable URL; KPIs, show SQL and CSV agree with the marts', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/dashboards/market-overview`);
    await Promise.all([g.page.waitForURL(/genre=action/), g.page.selectOption('select[name="genre"]', 'action')]);
    expect(new URL(g.page.url()).search).toBe('?genre=action&min_rating=0');
    const [kpi] = await sql(`select count(*) as games, round(avg(case when rating > 0 then rating end), 2) as r, round(avg(metacritic), 1) as m from (${ACTION_GAMES})`);
    expect(await g.page.locator('#chart-0 .big').textContent()).toBe(Number(kpi!.games).toLocaleString('en-US'));
    expect(await g.page.locator('#chart-1 .big').textContent()).toBe(Number(kpi!.r).toFixed(2));
    expect(await g.page.locator('#chart-2 .big').textContent()).toBe(Number(kpi!.m).toFixed(1));
    // The same URL opened afresh shows the same view.
    const again = await guardedPage(browser);
    await again.page.goto(g.page.url());
    expect(await again.page.locator('select[name="genre"]').inputValue()).toBe('action');
    expect(await again.page.locator('#chart-0 .big').textContent()).toBe(Number(kpi!.games).toLocaleString('en-US'));
    // Show SQL reveals the query as written.
    const details = g.page.locator('#chart-4 details.sql');
    expect(await details.locator('pre').isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await details.locator('pre').textContent()).toContain('from ${games}');
    // The chart's CSV: every row of its query, for the same filters.
    const href = await g.page.locator('#chart-4 a.csv').getAttribute('href');
    expect(href).toBe('/dashboards/market-overview/charts/4.csv?genre=action');
    const csv = await (await fetch(`${server.url}${href}`)).text();
    const years = await sql(`select cast(year(released) as integer) as year, count(*) as games from (${ACTION_GAMES}) where released is not null group by 1 order by 1`);
    expect(csv).toBe(`year,games\n${years.map((r) => `${r.year},${r.games}`).join('\n')}\n`);
    expect(await controlsTabMisses(g.page)).toEqual([]);
    clean(g);
    clean(again);
  });

  it('a page added appears on reload; a broken one shows file:line while the others keep working', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/dashboards`);
    expect(await g.page.locator('.dash-list a').allTextContents()).not.toContain('Late addition');
    writeFileSync(path.join(dashboardsDir, 'late.md'), '---\ntitle: Late addition\norder: 9\n---\n```sql n\nselect count(*) as games from marts.dim_games\n```\n<BigValue data={n} value=games />\n');
    writeFileSync(
      path.join(dashboardsDir, 'broken.md'),
      '# Broken\n\n```sql q\nselect nope from marts.dim_games\n```\n```sql ok\nselect 1 as one\n```\n<BarChart data={q} x=nope y=nope />\n<BarChart data={ok} x=one y=two />\n<LineChart data={absent} x=a y=b />\n',
    );
    await g.page.reload();
    expect(await g.page.locator('.dash-list a').allTextContents()).toContain('Late addition');
    await g.page.goto(`${server.url}/dashboards/broken`);
    expect(await g.page.locator('.dash-error').allTextContents()).toEqual([
      expect.stringContaining('broken.md:11 <LineChart> draws data={absent}'),
      expect.stringMatching(/broken\.md:3 query q failed: .*nope/),
      expect.stringContaining('broken.md:10 query ok has no column "two" (it has one)'),
    ]);
    await g.page.goto(`${server.url}/dashboards/late`);
    expect(await g.page.locator('#chart-0 .big').textContent()).toBe(String((await sql('select count(*) as n from marts.dim_games'))[0]!.n));
    // The CLI check sees the same problems, every one, and exits 2.
    const check = runGmp(['dashboards', 'check'], { cwd: home, env: { GMP_HOME: home, GMP_DASHBOARDS_DIR: dashboardsDir } });
    expect(check.status).toBe(2);
    expect(check.stdout).toMatch(/dashboards\/broken\.md:3: query q failed: .*nope/);
    expect(check.stdout).toContain('dashboards/broken.md:10: <BarChart> y=two: query ok has no such column (it has one)');
    expect(check.stdout).toContain('dashboards/broken.md:11: <LineChart> draws data={absent}');
    expect(check.stdout).toMatch(/^9 pages, \d+ queries, \d+ charts: 3 problems$/m);
    for (const f of ['late.md', 'broken.md']) writeFileSync(path.join(dashboardsDir, f), '');
    const fixed = runGmp(['dashboards', 'check'], { cwd: home, env: { GMP_HOME: home, GMP_DASHBOARDS_DIR: dashboardsDir } });
    expect(fixed.stdout).toMatch(/: all good$/m);
    expect(fixed.status).toBe(0);
    clean(g);
  });
});

describe('dashboard filters are parameters', () => {
  it('a quote, a semicolon or -- in a filter value cannot change the SQL', async () => {
    const games = Number((await sql('select count(*) as n from marts.dim_games'))[0]!.n);
    for (const hostile of ["x' OR '1'='1", "'; DROP TABLE marts.dim_games; --", 'a -- b', "Robert'); DELETE FROM marts.dim_games; --"]) {
      const page = await getJson(`/api/v1/dashboards/probe?${new URLSearchParams({ q: hostile })}`);
      expect(page.charts[0]!.error).toBeNull();
      // Nothing is named so, and the value came back as the value it was.
      expect(page.charts[0]!.rows).toEqual([{ n: 0, echoed: null }]);
    }
    const [name] = await sql("select name from marts.dim_games where name like '%''%' or name like '%-%' limit 1");
    if (name) expect((await getJson(`/api/v1/dashboards/probe?${new URLSearchParams({ q: String(name.name) })}`)).charts[0]!.rows[0]!.n).toBeGreaterThan(0);
    expect(Number((await sql('select count(*) as n from marts.dim_games'))[0]!.n)).toBe(games);
    // The page shows the same, the hostile text escaped in its field.
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/dashboards/probe?${new URLSearchParams({ q: "\"><script>window.pwned=1</script>'; --" })}`);
    expect(await g.page.locator('#chart-0 .big').textContent()).toBe('0');
    expect(await g.page.inputValue('.dash-inputs input[name="q"]')).toBe("\"><script>window.pwned=1</script>'; --");
    expect(await g.page.evaluate('window.pwned')).toBeUndefined();
    clean(g);
  });
});

describe('exporting and delivering a page', () => {
  it('exports one self-contained HTML file and, with Chromium here, a PDF', async () => {
    const out = tempDir('gmp-export-');
    const result = await exportDashboard(ws, 'market-overview', { out, inputs: { genre: 'action' } });
    const htmlText = readFileSync(result.html, 'utf8');
    expect(htmlText).not.toMatch(/<script|<link|src=|@import|url\(/i);
    expect(htmlText).toContain('<svg');
    expect(htmlText).toContain('Filters: Genre = action');
    expect(result.problems).toBe(0);
    expect(readFileSync(result.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the daemon delivers a page with deliver: once per tick, to the webhook its variable names', async () => {
    const received: { url: string; body: { dashboard: string; title: string; run_id: string; html: string; text: string } }[] = [];
    let failNext = 1;
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        // The first attempt meets a 503: the delivery retries.
        if (failNext-- > 0) return void res.writeHead(503).end();
        received.push({ url: req.url ?? '', body: JSON.parse(body) as never });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/T0KEN-s3cret`;
    const reports = path.join(home, 'reports');
    mkdirSync(reports, { recursive: true });
    writeFileSync(path.join(reports, 'weekly.md'), '---\ntitle: Weekly\ndeliver:\n  cron: "0 8 * * 1"\n  webhook_env: WEEKLY_HOOK\n---\n```sql n\nselect count(*) as games from marts.dim_games\n```\n<BigValue data={n} value=games />\n');
    const monday = { ...testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T08:00:30Z', home, env: { GMP_DASHBOARDS_DIR: reports, GMP_LOG_LEVEL: 'silent' } }), clock: fixedClock('2025-06-30T08:00:30Z') };
    const events: DaemonEvent[] = [];
    try {
      await runDaemon(monday, { once: true, schedules: [], env: { WEEKLY_HOOK: hook }, onEvent: (e) => events.push(e) });
      await runDaemon(monday, { once: true, schedules: [], env: { WEEKLY_HOOK: hook }, onEvent: (e) => events.push(e) });
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/hooks/T0KEN-s3cret');
    expect(received[0]!.body).toMatchObject({ dashboard: 'weekly', title: 'Weekly', text: expect.stringContaining('Weekly — gmp report of 2025-06-30') });
    expect(received[0]!.body.html).toContain(`data-value="${(await sql('select count(*) as n from marts.dim_games'))[0]!.n}"`);
    expect(events.filter((e) => e.type === 'report-delivered')).toEqual([expect.objectContaining({ dashboard: 'weekly', tick: '2025-06-30T08:00:00.000Z', httpStatus: 204 })]);
    // The webhook URL carries a token: no event and no state row shows it.
    expect(JSON.stringify(events)).not.toContain('s3cret');
    const logs = path.join(home, 'logs');
    for (const f of readdirSync(logs, { recursive: true, withFileTypes: true }).filter((d) => d.isFile())) expect(readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain('s3cret');
  });
});
