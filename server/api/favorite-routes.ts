import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { addFavorite, audit, listFavorites, removeFavorite, type Workspace } from '../../app/index.js';
import { ErrorBodySchema } from './schemas.js';
import { json } from './openapi-json.js';

const FavoritesSchema = z.object({ user: z.string(), favorites: z.array(z.object({ gameId: z.number().int(), at: z.string() })) }).openapi('Favorites');
const GameParam = z.object({ gameId: z.coerce.number().int().positive().openapi({ param: { name: 'gameId', in: 'path' }, example: 3498 }) });
const denied = { 401: json(ErrorBodySchema, 'not signed in'), 403: json(ErrorBodySchema, 'not yours (admins may read anyone’s)') };

/** Favorite games: each signed-in person's own list (in local mode, the local admin's). */
export function registerFavoriteRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/me/favorites', tags: ['accounts'], summary: 'Your favorite games, the latest added first', responses: { 200: json(FavoritesSchema, 'yours'), 401: denied[401] } }),
    async (c) => {
      const principal = c.get('principal');
      return c.json({ user: principal.name, favorites: await listFavorites(ws, principal) }, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{name}/favorites',
      tags: ['accounts'],
      summary: "A user's favorite games: your own, or anyone's for admins",
      request: { params: z.object({ name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' } }) }) },
      responses: { 200: json(FavoritesSchema, 'theirs'), ...denied },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      return c.json({ user: name, favorites: await listFavorites(ws, c.get('principal'), name) }, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/me/favorites/{gameId}',
      tags: ['accounts'],
      summary: 'Make a game one of your favorites (again is fine)',
      request: { params: GameParam },
      responses: { 200: json(z.object({ gameId: z.number().int(), added: z.boolean() }), 'added, or already there'), 404: json(ErrorBodySchema, 'no such game'), 401: denied[401] },
    }),
    async (c) => {
      const { gameId } = c.req.valid('param');
      const principal = c.get('principal');
      const { added } = await addFavorite(ws, principal, gameId);
      if (added) await audit(ws, principal, 'favorite.add', String(gameId));
      return c.json({ gameId, added }, 200);
    },
  );
  api.openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/me/favorites/{gameId}',
      tags: ['accounts'],
      summary: 'No longer a favorite',
      request: { params: GameParam },
      responses: { 200: json(z.object({ gameId: z.number().int(), removed: z.boolean() }), 'removed, or was not one'), 401: denied[401] },
    }),
    async (c) => {
      const { gameId } = c.req.valid('param');
      const principal = c.get('principal');
      const { removed } = await removeFavorite(ws, principal, gameId);
      if (removed) await audit(ws, principal, 'favorite.remove', String(gameId));
      return c.json({ gameId, removed }, 200);
    },
  );
}
