import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { AuthError } from '../../core/index.js';
import { audit, changePassword, createOwnToken, listOwnTokens, revokeOwnToken, updateProfile, type Workspace } from '../../app/index.js';
import type { createLoginThrottle } from '../login-throttle.js';
import { SESSION_COOKIE } from '../middleware/authenticate.js';
import { json } from './openapi-json.js';
import { CreatedTokenSchema, ErrorBodySchema, NewOwnTokenSchema, PasswordChangeSchema, ProfileChangeSchema, TokenSchema, UserSchema } from './schemas.js';

const body = <S extends z.ZodType>(schema: S) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const noAccount = json(ErrorBodySchema, 'you act as the local admin: there is no account yet (USAGE)');
const TokenParam = z.object({ tokenId: z.string().min(1).max(100).openapi({ param: { name: 'tokenId', in: 'path' } }) });

/** Your own account: display name, email, password and API tokens. */
export function registerProfileRoutes(api: OpenAPIHono, ws: Workspace, throttle: ReturnType<typeof createLoginThrottle>, clientAddress: (c: { req: { raw: Request } }) => string): void {
  api.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/me',
      tags: ['accounts'],
      summary: 'Change your display name or email',
      request: body(ProfileChangeSchema),
      responses: { 200: json(UserSchema, 'your account'), 400: json(ErrorBodySchema, 'a bad value, an email another account has (EMAIL_TAKEN), or no account'), 401: json(ErrorBodySchema, 'not signed in') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const change = c.req.valid('json');
      const user = await updateProfile(ws, principal, change);
      await audit(ws, principal, 'user.profile', principal.name, { changed: Object.keys(change).sort() });
      return c.json(user, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/me/password',
      tags: ['accounts'],
      summary: 'Change your password: ends your other sessions (this one stays); wrong current passwords are throttled like sign-ins',
      request: body(PasswordChangeSchema),
      responses: {
        200: json(z.object({ sessionsEnded: z.number().int().openapi({ description: 'your other sessions, now signed out' }) }), 'changed'),
        400: json(ErrorBodySchema, 'a weak new password, or no account'),
        401: json(ErrorBodySchema, 'the current password is wrong, or not signed in'),
        429: json(ErrorBodySchema, 'too many wrong passwords (Retry-After)'),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { currentPassword, newPassword } = c.req.valid('json');
      const address = clientAddress(c);
      throttle.check(principal.name, address);
      const session = principal.via === 'session' ? getCookie(c, SESSION_COOKIE) : undefined;
      try {
        const outcome = await changePassword(ws, principal, { currentPassword, newPassword, ...(session !== undefined ? { keepSession: session } : {}) });
        await audit(ws, principal, 'user.password', principal.name, { sessionsEnded: outcome.sessionsEnded });
        return c.json(outcome, 200);
      } catch (error) {
        if (error instanceof AuthError && error.code === 'UNAUTHORIZED') throttle.failed(principal.name, address);
        throw error;
      }
    },
  );

  api.openapi(
    createRoute({ method: 'get', path: '/api/v1/me/tokens', tags: ['accounts'], summary: 'Your API tokens, without their secrets', responses: { 200: json(z.object({ tokens: z.array(TokenSchema) }), 'yours'), 401: json(ErrorBodySchema, 'not signed in') } }),
    async (c) => c.json({ tokens: await listOwnTokens(ws, c.get('principal')) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/me/tokens',
      tags: ['accounts'],
      summary: 'Create an API token acting as you: its secret is shown once (from a signed-in session, not from another token)',
      request: body(NewOwnTokenSchema),
      responses: { 201: json(CreatedTokenSchema, 'the token'), 400: noAccount, 401: json(ErrorBodySchema, 'not signed in'), 403: json(ErrorBodySchema, 'asked with an API token') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const request = c.req.valid('json');
      const created = await createOwnToken(ws, principal, request);
      await audit(ws, principal, 'token.create', created.tokenId, { user: principal.name, name: request.name, expiresAt: created.expiresAt });
      return c.json(created, 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/me/tokens/{tokenId}/revoke',
      tags: ['accounts'],
      summary: 'Revoke one of your API tokens',
      request: { params: TokenParam },
      responses: { 204: { description: 'revoked' }, 404: json(ErrorBodySchema, 'you have no such token'), 401: json(ErrorBodySchema, 'not signed in') },
    }),
    async (c) => {
      const principal = c.get('principal');
      const { tokenId } = c.req.valid('param');
      await revokeOwnToken(ws, principal, tokenId);
      await audit(ws, principal, 'token.revoke', tokenId);
      return c.body(null, 204);
    },
  );
}
