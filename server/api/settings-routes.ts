import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit, changeSettings, effectiveSettings, requireRole, type Workspace } from '../../app/index.js';
import { json } from './openapi-json.js';
import { ErrorBodySchema, SettingsChangeSchema, SettingsSchema } from './schemas.js';

const denied = { 401: json(ErrorBodySchema, 'not signed in'), 403: json(ErrorBodySchema, 'not an admin') };

/** The server's switches (admins): registration open or closed, and who may use the SQL console. */
export function registerSettingsRoutes(api: OpenAPIHono, ws: Workspace): void {
  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/settings', tags: ['accounts'], summary: "The server's switches and where each value comes from (admins)", responses: { 200: json(SettingsSchema, 'the switches in force'), ...denied } }),
    async (c) => {
      requireRole(c.get('principal'), 'admin');
      return c.json(await effectiveSettings(ws, { localMode: c.get('localMode') }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/settings',
      tags: ['accounts'],
      summary: "Change the server's switches (admins): a value, or null for the default again",
      request: { body: { content: { 'application/json': { schema: SettingsChangeSchema } }, required: true } },
      responses: { 200: json(SettingsSchema, 'the switches in force now'), ...denied },
    }),
    async (c) => {
      const principal = c.get('principal');
      const change = c.req.valid('json');
      const settings = await changeSettings(ws, principal, change, { localMode: c.get('localMode') });
      await audit(ws, principal, 'settings.change', null, change);
      return c.json(settings, 200);
    },
  );
}
