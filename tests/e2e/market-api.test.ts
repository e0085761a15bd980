import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, GAME_ORDERINGS, materialize, queryWarehouse, STAT_NAMES, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { testWorkspace } from '../helpers/workspace.js';

const KEY = 'market-key-8c1d';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;

interface Page {
  games: { id: number; name: string; rating: number | null; genres: { slug: string }[]; parent_platforms: { slug: string }[] }[];
  total: number;
  next: string | null;
  data: { runId: string; publishedAt: string } | null;
}

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  await materialize(ws, { select: '*', from: '2025-06-28', to: '2025-06-29' });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
}, 180_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}
const page = async (path: string) => (await get(path)).body as Page;
const ids = async (sql: string) => (await queryWarehouse(ws, sql)).map((r) => Number(r.game_id));

/** Every page of a listing, following `next`. */
async function walk(query: string): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  do {
    const p: Page = await page(`/api/v1/games?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...p.games.map((g) => g.id));
    cursor = p.next;
  } while (cursor !== null);
  return seen;
}

describe('the market API', () => {
  it('sorts on every documented column both ways, pages without gaps or repeats, and counts the total', async () => {
    const columns: Record<string, string> = { id: 'game_id', updated: 'updated_at' };
    const all = await ids('select game_id from marts.dim_games');
    expect(all.length).toBeGreaterThan(100);
    for (const ordering of GAME_ORDERINGS) {
      for (const descending of [false, true]) {
        const col = columns[ordering] ?? ordering;
        const expected = await ids(`select game_id from marts.dim_games order by ${col} is null, ${col} ${descending ? 'desc' : 'asc'}, game_id`);
        expect(await walk(`ordering=${descending ? '-' : ''}${ordering}&page_size=100`), `${descending ? '-' : ''}${ordering}`).toEqual(expected);
      }
    }
    // Small pages across ties and missing values (many games have no Metacritic).
    const byMetacritic = await walk('ordering=-metacritic&page_size=7');
    expect(byMetacritic).toEqual(await ids('select game_id from marts.dim_games order by metacritic is null, metacritic desc, game_id'));
    expect((await page('/api/v1/games?page_size=5')).total).toBe(all.length);
  });

  it('searches names case-insensitively and filters by genre and parent platform slugs and by rating', async () => {
    const [{ name }] = (await queryWarehouse(ws, 'select name from marts.dim_games order by ratings_count desc, game_id limit 1')) as [{ name: string }];
    const word = name.split(' ')[0]!;
    const found = await page(`/api/v1/games?search=${encodeURIComponent(word.toUpperCase())}&page_size=100`);
    expect(found.games.length).toBeGreaterThan(0);
    expect(found.games.every((g) => g.name.toLowerCase().includes(word.toLowerCase()))).toBe(true);
    expect(found.total).toBe((await ids(`select game_id from marts.dim_games where lower(name) like '%${word.toLowerCase()}%'`)).length);

    const action = await page('/api/v1/games?genres=action,puzzle&page_size=100');
    expect(action.games.every((g) => g.genres.some((x) => x.slug === 'action' || x.slug === 'puzzle'))).toBe(true);
    expect(action.total).toBe(
      (await ids(`select distinct b.game_id from marts.bridge_game_genres b join marts.dim_genres d using (genre_id) where d.slug in ('action', 'puzzle')`)).length,
    );
    const pc = await page('/api/v1/games?parent_platforms=pc&rating_min=4&page_size=100');
    expect(pc.total).toBeGreaterThan(0);
    expect(pc.games.every((g) => g.parent_platforms.some((p) => p.slug === 'pc') && g.rating! >= 4)).toBe(true);
  });

  it('serves one game with its lists, and the lists to filter by', async () => {
    // The most-rated game that stores sell (some games have no store link, and so an empty list).
    const stores = await queryWarehouse(ws, 'select game_id, count(*) as n from marts.bridge_game_stores group by game_id');
    const storeCount = new Map(stores.map((r) => [Number(r.game_id), Number(r.n)]));
    const first = (await page('/api/v1/games?ordering=-ratings_count&page_size=20')).games.find((g) => storeCount.has(g.id));
    const game = (await get(`/api/v1/games/${first!.id}`)).body as { id: number; stores: unknown[]; developers: unknown[]; data: { runId: string } };
    expect(game.id).toBe(first!.id);
    expect(game.stores.length).toBeGreaterThan(0);
    expect(game.stores).toHaveLength(storeCount.get(game.id)!);
    expect(game.data.runId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    const genres = (await get('/api/v1/genres')).body as { items: { slug: string; games: number }[] };
    const [{ n }] = (await queryWarehouse(ws, `select count(*) as n from marts.bridge_game_genres b join marts.dim_genres d using (genre_id) where d.slug = '${genres.items[0]!.slug}'`)) as [{ n: number }];
    expect(genres.items[0]!.games).toBe(Number(n));
    for (const list of ['platforms', 'parent-platforms', 'stores', 'tags', 'developers', 'publishers']) {
      expect(((await get(`/api/v1/${list}`)).body as { items: unknown[] }).items.length, list).toBeGreaterThan(0);
    }
  });

  it('serves every statistic, each equal to a direct query of the marts, filters applied', async () => {
    for (const stat of STAT_NAMES) {
      const { status, body } = await get(`/api/v1/stats/${stat}`);
      expect(status, stat).toBe(200);
      expect((body as { rows: unknown[] }).rows.length, stat).toBeGreaterThan(0);
    }
    type Rows = { rows: Record<string, number | string>[] };
    const perYear = ((await get('/api/v1/stats/games-per-year')).body as Rows).rows;
    const direct = await queryWarehouse(ws, 'select cast(extract(year from released) as integer) as year, count(*) as games from marts.dim_games where released is not null group by 1 order by 1');
    expect(perYear).toEqual(direct);
    const byGenre = ((await get('/api/v1/stats/rating-by-genre?parent_platforms=pc')).body as Rows).rows;
    const [top] = await queryWarehouse(
      ws,
      `select d.slug, count(*) as games, round(avg(g.rating), 2) as average_rating from marts.dim_games g
       join marts.bridge_game_genres b using (game_id) join marts.dim_genres d using (genre_id)
       where g.rating > 0 and exists (select 1 from marts.bridge_game_platforms p join marts.dim_platforms x using (platform_id) where p.game_id = g.game_id and x.parent_platform_slug = 'pc')
       group by d.slug, d.name order by games desc, d.name limit 1`,
    );
    expect(byGenre[0]).toMatchObject(top!);
    const shares = ((await get('/api/v1/stats/platform-share-by-year')).body as Rows).rows;
    const year = shares[0]!.year;
    const total = shares.filter((r) => r.year === year).reduce((n, r) => n + Number(r.share), 0);
    expect(total).toBeCloseTo(1, 2);
    expect(((await get('/api/v1/stats/top-genres?limit=3')).body as Rows).rows).toHaveLength(3);
    expect((await get('/api/v1/stats/nothing')).status).toBe(404);
  });

  it('streams the whole filtered set as CSV in the order asked, refusing a bad ordering before the first byte', async () => {
    const res = await fetch(`${server.url}/api/v1/games.csv?genres=action&ordering=-metacritic`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="games.csv"');
    const lines = (await res.text()).trimEnd().split('\n');
    expect(lines[0]!.split(',')[0]).toBe('game_id');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(await walk('genres=action&ordering=-metacritic&page_size=100'));
    const bad = await get('/api/v1/games.csv?ordering=-price');
    expect(bad).toMatchObject({ status: 400, body: { error: { message: 'cannot order games by "-price"' } } });
  });

  it('runs read-only SQL from the console route and refuses the rest with the error body', async () => {
    const post = (sql: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/v1/sql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ sql }) });
    const ok = await post('select count(*) as n from marts.dim_games');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ columns: ['n'], rows: [{ n: (await ids('select game_id from marts.dim_games')).length }], limitReached: false });
    const refused = await post("select * from read_text('/etc/passwd')");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'SQL_REFUSED', message: expect.stringContaining('refused the query') } });
    expect((await post('pragma database_list')).status).toBe(400);
    // Another site's page cannot use a visitor's session to run queries.
    expect((await post('select 1', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('exports every row of a console query as CSV, past the 2,000 shown, with the same refusals', async () => {
    const csv = (sql: string) => fetch(`${server.url}/api/v1/sql.csv`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql }) });
    const shown = (await (await fetch(`${server.url}/api/v1/sql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sql: 'select * from range(5000) t(i)' }) })).json()) as { rows: unknown[]; limitReached: boolean };
    expect(shown).toMatchObject({ limitReached: true });
    expect(shown.rows).toHaveLength(2000);
    const all = await csv("select i, 'a,\"b' as t from range(5000) t(i) order by i");
    expect(all.headers.get('content-disposition')).toBe('attachment; filename="query.csv"');
    const lines = (await all.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(5001);
    expect(lines.slice(0, 3)).toEqual(['i,t', '0,"a,""b"', '1,"a,""b"']);
    expect(lines.at(-1)).toBe('4999,"a,""b"');
    // No row: the header alone.
    expect(await (await csv('select game_id, name from marts.dim_games where false')).text()).toBe('game_id,name\n');
    const refused = await csv("select * from read_text('/etc/passwd')");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: 'SQL_REFUSED' } });
    expect((await csv('select nope from marts.dim_games')).status).toBe(400);
  });

  it('answers 304 to the data version it sent as ETag, and the version names the run', async () => {
    const first = await get('/api/v1/games?genres=action');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{16}"$/);
    expect(first.headers.get('x-data-run')).toBe((first.body as Page).data!.runId);
    expect((await get('/api/v1/games?genres=action', { 'if-none-match': etag })).status).toBe(304);
    expect((await get('/api/v1/games?genres=action', { 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('refuses bad input with the error body: an unknown ordering, a page too big, a bad date, an unknown game', async () => {
    const bad = await get('/api/v1/games?ordering=-price');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { message: 'cannot order games by "-price"', hint: expect.stringContaining('-rating') } });
    expect((await get('/api/v1/games?page_size=101')).status).toBe(400);
    expect((await get('/api/v1/games?released_from=2024-13')).status).toBe(400);
    expect((await get('/api/v1/games?cursor=bm9wZQ')).status).toBe(400);
    expect(await get('/api/v1/games/999999999')).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    expect((await get('/api/v1/games/abc')).status).toBe(400);
    // A quote or a comment in a filter is a value, never SQL.
    const hostile = await page(`/api/v1/games?search=${encodeURIComponent("x' OR 1=1 --")}&genres=${encodeURIComponent("action') OR (1=1")}`);
    expect(hostile.total).toBe(0);
  });

  // Last: it creates accounts, which ends local mode for the tests after it.
  it('keeps favorites per person: add (again is fine), list, remove; an unknown game 404; someone else\'s 403', async () => {
    const send = (method: string, path: string, cookie?: string) =>
      fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, ...(method === 'PUT' ? { body: '{}' } : {}) });
    const [first, second] = (await page('/api/v1/games?ordering=id&page_size=2')).games;
    expect((await send('PUT', '/api/v1/me/favorites/999999999')).status).toBe(404);
    expect(await (await send('PUT', `/api/v1/me/favorites/${first!.id}`)).json()).toEqual({ gameId: first!.id, added: true });
    expect(await (await send('PUT', `/api/v1/me/favorites/${first!.id}`)).json()).toEqual({ gameId: first!.id, added: false });
    await send('PUT', `/api/v1/me/favorites/${second!.id}`);
    const mine = (await (await send('GET', '/api/v1/me/favorites')).json()) as { user: string; favorites: { gameId: number }[] };
    expect(mine.user).toBe('local');
    expect(mine.favorites.map((f) => f.gameId).sort()).toEqual([first!.id, second!.id].sort());
    expect(await (await send('DELETE', `/api/v1/me/favorites/${second!.id}`)).json()).toEqual({ gameId: second!.id, removed: true });

    await addUser(ws, { name: 'ana', role: 'viewer', password: 'ana-password-1234' });
    await addUser(ws, { name: 'bo', role: 'viewer', password: 'bo-password-12345' });
    const signIn = async (name: string, password: string) => {
      const res = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
      return res.headers.get('set-cookie')!.split(';')[0]!;
    };
    const ana = await signIn('ana', 'ana-password-1234');
    expect((await send('PUT', `/api/v1/me/favorites/${first!.id}`, ana)).status).toBe(200);
    expect((await send('GET', '/api/v1/users/ana/favorites', ana)).status).toBe(200);
    const bo = await signIn('bo', 'bo-password-12345');
    expect((await (await send('GET', '/api/v1/me/favorites', bo)).json()) as unknown).toEqual({ user: 'bo', favorites: [] });
    const theirs = await send('GET', '/api/v1/users/ana/favorites', bo);
    expect(theirs.status).toBe(403);
    expect(await theirs.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await send('GET', '/api/v1/me/favorites')).status).toBe(401);
  });
});
