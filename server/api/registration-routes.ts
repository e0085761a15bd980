import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { audit, register, type Workspace } from '../../app/index.js';
import { createLoginThrottle } from '../login-throttle.js';
import { json } from './openapi-json.js';
import { ErrorBodySchema, MeSchema, RegisterSchema } from './schemas.js';
import { setSessionCookie } from './session-cookie.js';

/**
 * `POST /api/v1/register`: anyone may create a viewer account while registration is open, and is
 * signed in at once. Attempts are throttled per email and per address, successful ones included:
 * each creates an account.
 */
export function registerRegistrationRoutes(api: OpenAPIHono, ws: Workspace, clientAddress: (c: { req: { raw: Request } }) => string): void {
  const throttle = createLoginThrottle({ perName: 5, perAddress: 20, what: 'registration attempts' });
  api.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/register',
      tags: ['accounts'],
      summary: 'Create an account (a viewer; the first account of a server without any becomes its admin) and sign in: sets the session cookie',
      request: { body: { content: { 'application/json': { schema: RegisterSchema } }, required: true } },
      responses: {
        201: json(MeSchema, 'created and signed in'),
        400: json(ErrorBodySchema, 'a bad name, email or password (USAGE), or one another account has (NAME_TAKEN, EMAIL_TAKEN)'),
        403: json(ErrorBodySchema, 'registration is closed on this server'),
        429: json(ErrorBodySchema, 'too many attempts (Retry-After)'),
      },
    }),
    async (c) => {
      const request = c.req.valid('json');
      const address = clientAddress(c);
      const email = request.email.trim().toLowerCase();
      throttle.check(email, address);
      try {
        const { session, user, expiresAt } = await register(ws, request, { localMode: c.get('localMode') });
        throttle.attempted(address);
        setSessionCookie(c, ws, session, expiresAt);
        await audit(ws, { name: user.name, role: user.role, via: 'session' }, 'user.register', user.name, { role: user.role });
        return c.json({ name: user.name, role: user.role, via: 'session' as const, email: user.email, displayName: user.displayName }, 201);
      } catch (error) {
        throttle.failed(email, address);
        throw error;
      }
    },
  );
}
