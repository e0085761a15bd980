import type { OpenAPIHono } from '@hono/zod-openapi';
import { html, raw } from 'hono/html';
import { streamSSE } from 'hono/streaming';
import { gameNames, listPlayers, playerDataVersion, playerProfile, renderDashboardBody, runDashboard, type CollectorStats, type HotStore, type Workspace } from '../../app/index.js';
import { HttpProblem } from '../http-problem.js';
import { layout } from '../pages/layout.js';
import { livePage, liveStrip } from '../pages/live-page.js';
import { playerPage, playersPage } from '../pages/players-page.js';

const LIVE_DASHBOARD = 'live-ops';
const PAGE = 50;

export interface LiveSources {
  /** The in-process collector's counts (gmp serve --collect), if any. */
  collectorStats?: () => CollectorStats;
  hot?: HotStore;
}

/**
 * The player pages (a list, one player with live recent views) and the live-ops page: the
 * live-ops dashboard plus a strip of the in-process collector's figures, both kept current over
 * Server-Sent Events (/api/v1/live/stream): the strip every second, the charts whenever a run
 * rebuilds the player marts.
 */
export function registerPlayerPages(app: OpenAPIHono, ws: Workspace, frame: { readOnly: boolean }, live: LiveSources): void {
  const stylesheet = raw('<link rel="stylesheet" href="/dashboards.css" />');

  app.get('/players', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 128);
    const offset = Math.max(0, Number(c.req.query('offset') ?? 0) || 0);
    const page = await listPlayers(ws, { ...(q ? { q } : {}), offset, limit: PAGE });
    return c.html(layout({ ...frame, title: 'Players', active: '/players', principal: c.get('principal'), body: playersPage(page, q, offset, PAGE) }));
  });

  app.get('/players/:id', async (c) => {
    const id = c.req.param('id');
    const profile = await playerProfile(ws, id);
    if (!profile) throw new HttpProblem(404, 'NOT_FOUND', `no player ${id} in the player marts`, 'players come from collected events: see /players');
    let hotPart: Parameters<typeof playerPage>[1] = null;
    if (live.hot) {
      const [views, sessionId] = await Promise.all([live.hot.recentViews(id), live.hot.latestSession(id)]);
      const names = await gameNames(ws, views.map((v) => v.game_id));
      const session = sessionId ? await live.hot.session(sessionId, new Date()) : null;
      hotPart = { views: views.map((v) => ({ ...v, name: names.get(v.game_id) ?? null })), sessions: session ? [session] : [] };
    }
    return c.html(layout({ ...frame, title: id, active: '/players', principal: c.get('principal'), body: playerPage(profile, hotPart) }));
  });

  const liveBody = async (signal: AbortSignal) => raw(renderDashboardBody(await runDashboard(ws, LIVE_DASHBOARD, {}, { signal }), { interactive: false, header: false }));

  app.get('/live', async (c) => {
    // The charts alone: what the page's island swaps in when a run rebuilt the marts.
    if (c.req.query('fragment') === 'charts') return c.html(await liveBody(c.req.raw.signal));
    const body = html`${stylesheet}${livePage(liveStrip(live.collectorStats?.() ?? null, null), await liveBody(c.req.raw.signal), await playerDataVersion(ws))}`;

    return c.html(layout({ ...frame, title: 'Live ops', active: '/live', principal: c.get('principal'), body, islands: ['live'] }));
  });

  app.get('/api/v1/live/stream', (c) =>
    streamSSE(c, async (stream) => {
      let open = true;
      stream.onAbort(() => {
        open = false;
      });
      let last: { at: number; accepted: number } | null = null;
      let version: string | null | undefined;
      let tick = 0;
      while (open) {
        const stats = live.collectorStats?.() ?? null;
        const now = Date.now();
        const perSecond = stats && last ? Math.max(0, Math.round(((stats.accepted - last.accepted) * 1000) / Math.max(1, now - last.at))) : null;
        if (stats) last = { at: now, accepted: stats.accepted };
        await stream.writeSSE({ event: 'collector', data: JSON.stringify(stats ? { ...stats, eventsPerSecond: perSecond } : null) });
        // The marts change only when a run rebuilds them: looked at every 5 s.
        if (tick++ % 5 === 0) {
          const now = await playerDataVersion(ws);
          if (version !== undefined && now !== version) await stream.writeSSE({ event: 'marts', data: JSON.stringify({ version: now }) });
          version = now;
        }
        await stream.sleep(1000);
      }
    }),
  );
}
