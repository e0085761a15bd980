import type { Context, Env, Hono } from 'hono';
import type { HotStore } from '../../app/index.js';

const USER_ID = /^[\w.:@-]{1,128}$/;

/**
 * The hot path's reads (seed 003): a player's 10 most recently viewed games, newest first, and a
 * session's live state — answered from the hot store the collector feeds, within a second of the
 * event, before any run. `allowed` decides who may read (a caller's auth rule).
 */
export function registerHotRoutes<E extends Env>(app: Hono<E>, hot: HotStore | undefined, allowed: (c: Context) => Promise<Response | null>): void {
  if (hot === undefined) {
    const none = (c: Context) =>
      c.json({ error: { code: 'NO_HOT_STORE', message: 'this server has no hot path', hint: 'run gmp serve --collect, or set GMP_HOT_URL to the Redis your collectors share' } }, 503);
    app.get('/api/v1/users/:id/recent', none);
    app.get('/api/v1/sessions/:id', none);
    return;
  }
  app.get('/api/v1/users/:id/recent', async (c) => {
    const refused = await allowed(c);
    if (refused) return refused;
    const id = c.req.param('id');
    if (!USER_ID.test(id)) return c.json({ error: { code: 'BAD_ID', message: 'a user id is 1 to 128 letters, digits or . : @ _ -' } }, 400);
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 10) || 10, 1), 10);
    return c.json({ user_id: id, recent: await hot.recentViews(id, limit), store: hot.kind });
  });
  app.get('/api/v1/sessions/:id', async (c) => {
    const refused = await allowed(c);
    if (refused) return refused;
    const id = c.req.param('id');
    if (!USER_ID.test(id)) return c.json({ error: { code: 'BAD_ID', message: 'a session id is 1 to 128 letters, digits or . : @ _ -' } }, 400);
    const session = await hot.session(id, new Date());
    if (!session) return c.json({ error: { code: 'NOT_FOUND', message: `no live session ${id} (sessions are kept 24 hours after their last event)` } }, 404);
    return c.json(session);
  });
}
