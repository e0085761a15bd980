import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Env, Hono } from 'hono';
import type { HotStore } from '../../app/index.js';
import { ErrorBodySchema } from './schemas.js';

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

/** The hot path's routes in gmp serve's OpenAPI document (they are plain Hono routes, shared with gmp collect). */
export function documentHotRoutes(api: OpenAPIHono): void {
  const id = (name: string, what: string) => z.object({ [name]: z.string().regex(USER_ID).openapi({ param: { name, in: 'path' }, description: what }) });
  const recent = z.object({ user_id: z.string(), recent: z.array(z.object({ game_id: z.number().int(), viewed_at: z.string() })), store: z.enum(['embedded', 'redis']) }).openapi('RecentViews');
  const session = z
    .object({
      session_id: z.string(), user_id: z.string().nullable(), started_at: z.string(), last_event_at: z.string(), last_event: z.string(), events: z.number().int(),
      game_id: z.number().int().nullable(), platform: z.string().nullable(), cart: z.array(z.number().int()), purchases: z.number().int(), revenue_usd: z.number(), status: z.enum(['active', 'idle']),
    })
    .openapi('LiveSession');
  const noHot = { 503: { description: 'this server has no hot path (run gmp serve --collect, or set GMP_HOT_URL)', content: { 'application/json': { schema: ErrorBodySchema } } } };
  api.openAPIRegistry.registerPath({
    method: 'get', path: '/api/v1/users/{id}/recent', tags: ['events'], summary: "A player's 10 most recently viewed games, newest first, from the hot path (within a second of the event)",
    request: { params: id('id', 'the user_id of the events'), query: z.object({ limit: z.string().regex(/^\d+$/).optional().openapi({ description: '1 to 10 (default 10)' }) }) },
    responses: { 200: { description: 'the views', content: { 'application/json': { schema: recent } } }, ...noHot },
  });
  api.openAPIRegistry.registerPath({
    method: 'get', path: '/api/v1/sessions/{id}', tags: ['events'], summary: "A session's live state: events so far, the game, the cart, purchases, active or idle",
    request: { params: id('id', 'the session_id of the events') },
    responses: { 200: { description: 'the session', content: { 'application/json': { schema: session } } }, 404: { description: 'no live session with this id (kept 24 hours after its last event)', content: { 'application/json': { schema: ErrorBodySchema } } }, ...noHot },
  });
  api.openAPIRegistry.registerPath({
    method: 'get', path: '/api/v1/live/stream', tags: ['events'], summary: "The live-ops stream: the in-process collector's counts every second (`event: collector`), and `event: marts` when a run rebuilt the player marts",
    responses: { 200: { description: 'Server-Sent Events', content: { 'text/event-stream': { schema: z.string() } } } },
  });
}
