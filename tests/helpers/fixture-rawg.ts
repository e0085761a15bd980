import { addDays } from '../../core/index.js';
import { fixtureFiles, gameFixtureItems, readFixture } from './fixtures.js';
import { sendJson, startTestServer, type TestServer } from './test-server.js';

/** The recorded RAWG responses served as an API, and the days that carry them. */
export interface FixtureRawg {
  server: TestServer;
  /** Base URL for RAWG_BASE_URL (`…/api`). */
  baseUrl: string;
  /** Each recorded /games file is served as the games updated on its own day, from `firstDay` to `lastDay`. */
  firstDay: string;
  lastDay: string;
  /** Every recorded game item with the file it came from. */
  items: ReturnType<typeof gameFixtureItems>;
  files: string[];
  /** The recorded details by game id, as served. */
  details: Map<number, Record<string, unknown>>;
  /** The day a recorded /games file is served on. */
  dayOf(file: string): string;
}

/**
 * Serves the recorded fixtures: each /games file as the games updated on its own day (from
 * 2024-01-01), `/games/{id}` with the recorded detail of that game (or, for a game without one, its
 * newest list record, which names no developer or publisher), and the parent-platforms list.
 * `detailOverride` changes a detail before it is served (a hostile description, say).
 */
export async function startFixtureRawg(options: { detailOverride?: (detail: Record<string, unknown>) => Record<string, unknown> } = {}): Promise<FixtureRawg> {
  const firstDay = '2024-01-01';
  const files = fixtureFiles('games');
  const items = gameFixtureItems();
  const dayOf = (file: string) => addDays(firstDay, files.indexOf(file));
  const details = new Map(
    files.filter((f) => f.includes('/detail-')).map((f) => {
      const body = readFixture(f) as Record<string, unknown>;
      return [Number(body.id), options.detailOverride ? options.detailOverride(body) : body] as const;
    }),
  );
  const latest = new Map<number, { file: string; item: Record<string, unknown> }>();
  for (const entry of items) {
    const id = Number(entry.item.id);
    const seen = latest.get(id);
    if (!seen || String(entry.item.updated ?? '') > String(seen.item.updated ?? '')) latest.set(id, entry);
  }
  const server = await startTestServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const detailId = /\/games\/(\d+)$/.exec(url.pathname)?.[1];
    if (detailId !== undefined) {
      const detail = details.get(Number(detailId)) ?? latest.get(Number(detailId))?.item;
      return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { detail: 'Not found.' });
    }
    if (url.pathname.endsWith('/platforms/lists/parents')) {
      const body = readFixture('platforms-lists-parents/list-marcoaoteixeira.json') as { results: unknown[] };
      return Number(url.searchParams.get('page') ?? 1) > 1
        ? sendJson(res, 404, { detail: 'Invalid page.' })
        : sendJson(res, 200, { count: body.results.length, next: null, previous: null, results: body.results });
    }
    if (!url.pathname.endsWith('/games')) return sendJson(res, 200, { count: 0, next: null, previous: null, results: [] });
    const day = (url.searchParams.get('updated') ?? '').split(',')[0];
    const page = Number(url.searchParams.get('page') ?? 1);
    const results = items.filter((i) => dayOf(i.file) === day).map((i) => i.item);
    if (page > 1) return sendJson(res, 404, { detail: 'Invalid page.' });
    sendJson(res, 200, { count: results.length, next: null, previous: null, results });
  });
  return { server, baseUrl: `${server.url}/api`, firstDay, lastDay: addDays(firstDay, files.length - 1), items, files, details, dayOf };
}
