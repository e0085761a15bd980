import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { Workspace } from '../../app/index.js';
import { addUser, audit, createToken, getProfile, listAudit, listTokens, listUsers, login, logout, removeUser, requireRole, revokeToken, setRole } from '../../app/index.js';
import type { createLoginThrottle } from '../login-throttle.js';
import { SESSION_COOKIE } from '../middleware/authenticate.js';
import {
  AuditSchema,
  CreatedTokenSchema,
  ErrorBodySchema,
  LoginSchema,
  MeSchema,
  NewTokenSchema,
  NewUserSchema,
  RoleSchema,
  TokenSchema,
  UserSchema,
} from './schemas.js';
import { json } from './openapi-json.js';
import { registerProfileRoutes } from './profile-routes.js';
import { registerRegistrationRoutes } from './registration-routes.js';
import { setSessionCookie } from './session-cookie.js';
import { registerSettingsRoutes } from './settings-routes.js';

const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const denied = { 401: json(ErrorBodySchema, 'not signed in'), 403: json(ErrorBodySchema, 'not an admin') };
const NameParam = z.object({ name: z.string().min(1).max(64).openapi({ param: { name: 'name', in: 'path' } }) });

/**
 * Sign-in, the caller's identity, and (admins) users, API tokens and the audit log; with them
 * registration, one's own profile and tokens, and the server's settings.
 */
export function registerAccountRoutes(api: OpenAPIHono, ws: Workspace, throttle: ReturnType<typeof createLoginThrottle>, clientAddress: (c: { req: { raw: Request } }) => string): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/session',
      tags: ['accounts'],
      summary: 'Sign in: sets an HttpOnly, SameSite=Strict session cookie',
      request: body(LoginSchema),
      responses: { 200: json(MeSchema, 'signed in'), 401: json(ErrorBodySchema, 'wrong name or password'), 429: json(ErrorBodySchema, 'too many failed sign-ins (Retry-After)') },
    }),
    async (c) => {
      const { name, password } = c.req.valid('json');
      const address = clientAddress(c);
      throttle.check(name, address);
      try {
        const { session, user, expiresAt } = await login(ws, name, password);
        throttle.succeeded(name);
        setSessionCookie(c, ws, session, expiresAt);
        await audit(ws, { name: user.name, role: user.role, via: 'session' }, 'session.create', user.name);
        return c.json({ name: user.name, role: user.role, via: 'session' as const, email: user.email, displayName: user.displayName }, 200);
      } catch (error) {
        throttle.failed(name, address);
        throw error;
      }
    },
  );

  api.openapi(
    createRoute({ method: 'delete', path: '/api/v1/session', tags: ['accounts'], summary: 'Sign out', responses: { 204: { description: 'signed out' } } }),
    async (c) => {
      const session = getCookie(c, SESSION_COOKIE);
      if (session !== undefined) await logout(ws, session);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/me', tags: ['accounts'], summary: 'Who you are: your role, email and display name', responses: { 200: json(MeSchema, 'you'), 401: denied[401] } }),
    async (c) => {
      const { name, role, via, email, displayName } = await getProfile(ws, c.get('principal'));
      return c.json({ name, role, via, email, displayName }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/users', tags: ['accounts'], summary: 'Every user (admins)', responses: { 200: json(z.object({ users: z.array(UserSchema) }), 'users'), ...denied } }),
    async (c) => {
      requireRole(c.get('principal'), 'admin');
      return c.json({ users: await listUsers(ws) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/api/v1/users', tags: ['accounts'], summary: 'Add a user (admins)', request: body(NewUserSchema), responses: { 201: json(UserSchema, 'the user'), 400: json(ErrorBodySchema, 'bad name, role or password, or taken'), ...denied } }),
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'admin');
      const { name, role, password } = c.req.valid('json');
      const user = await addUser(ws, { name, role, password });
      await audit(ws, principal, 'user.create', name, { role });
      return c.json(user, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{name}/role',
      tags: ['accounts'],
      summary: "Change a user's role (admins; never the last admin's)",
      request: { params: NameParam, ...body(z.object({ role: RoleSchema }).strict()) },
      responses: { 200: json(UserSchema, 'the user'), 404: json(ErrorBodySchema, 'no such user'), ...denied },
    }),
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'admin');
      const { name } = c.req.valid('param');
      const { role } = c.req.valid('json');
      const user = await setRole(ws, name, role);
      await audit(ws, principal, 'user.role', name, { role });
      return c.json(user, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'delete', path: '/api/v1/users/{name}', tags: ['accounts'], summary: 'Remove a user with their sessions and tokens (admins)', request: { params: NameParam }, responses: { 204: { description: 'removed' }, 404: json(ErrorBodySchema, 'no such user'), ...denied } }),
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'admin');
      const { name } = c.req.valid('param');
      await removeUser(ws, name);
      await audit(ws, principal, 'user.remove', name);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/tokens', tags: ['accounts'], summary: 'Every API token, without its secret (admins)', responses: { 200: json(z.object({ tokens: z.array(TokenSchema) }), 'tokens'), ...denied } }),
    async (c) => {
      requireRole(c.get('principal'), 'admin');
      return c.json({ tokens: await listTokens(ws) }, 200);
    },
  );

  api.openapi(
    createRoute({ method: 'post', path: '/api/v1/tokens', tags: ['accounts'], summary: 'Create an API token for a user: its secret is shown once (admins)', request: body(NewTokenSchema), responses: { 201: json(CreatedTokenSchema, 'the token'), ...denied } }),
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'admin');
      const request = c.req.valid('json');
      const created = await createToken(ws, request);
      await audit(ws, principal, 'token.create', created.tokenId, { user: request.user, name: request.name, expiresAt: created.expiresAt });
      return c.json(created, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/tokens/{tokenId}/revoke',
      tags: ['accounts'],
      summary: 'Revoke an API token (admins)',
      request: { params: z.object({ tokenId: z.string().min(1).max(100).openapi({ param: { name: 'tokenId', in: 'path' } }) }) },
      responses: { 204: { description: 'revoked' }, 404: json(ErrorBodySchema, 'no such token'), ...denied },
    }),
    async (c) => {
      const principal = c.get('principal');
      requireRole(principal, 'admin');
      const { tokenId } = c.req.valid('param');
      await revokeToken(ws, tokenId);
      await audit(ws, principal, 'token.revoke', tokenId);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/audit',
      tags: ['accounts'],
      summary: 'Every change made through the server: who, what, when (admins), newest first',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.string().max(40).optional() }) },
      responses: { 200: json(AuditSchema, 'a page of the log'), ...denied },
    }),
    async (c) => {
      requireRole(c.get('principal'), 'admin');
      const { limit, cursor } = c.req.valid('query');
      const entries = await listAudit(ws, { limit: limit + 1, ...(cursor ? { beforeId: Number(cursor) || 0 } : {}) });
      const page = entries.slice(0, limit);
      return c.json({ entries: page, next: entries.length > limit ? String(page[page.length - 1]!.id) : null }, 200);
    },
  );

  registerRegistrationRoutes(api, ws, clientAddress);
  registerProfileRoutes(api, ws, throttle, clientAddress);
  registerSettingsRoutes(api, ws);
}
