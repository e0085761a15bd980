import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AuthError } from '../../core/index.js';
import { authenticate, listUsers, type Principal, type Workspace } from '../../app/index.js';

export const SESSION_COOKIE = 'gmp_session';

/** Routes anyone may reach: health, the login, registration (refused while closed), the reference and its static files. */
const PUBLIC = [/^\/healthz$/, /^\/readyz$/, /^\/api\/v1\/session$/, /^\/api\/v1\/register$/, /^\/api\/docs$/, /^\/api\/v1\/openapi\.json$/, /^\/static\//, /^\/login$/, /^\/register$/];

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
    /** The server listens on loopback only (registration is open there by default). */
    localMode: boolean;
  }
}

/**
 * Who is asking: a bearer API token (a bad, revoked or expired one is 401 at once), else a session
 * cookie, else — while no account exists and the server listens on loopback only — the local
 * admin. Anyone else gets 401 except on the public routes.
 */
export function authenticateRequests(options: { ws: Workspace; localMode: () => boolean }): MiddlewareHandler {
  return async (c, next) => {
    c.set('localMode', options.localMode());
    const header = c.req.header('authorization');
    let principal: Principal | undefined;
    if (header !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      principal = token === undefined ? undefined : await authenticate(options.ws, { token });
      if (principal === undefined) throw new AuthError('UNAUTHORIZED', 'the API token is not valid (unknown, revoked or expired)', { hint: 'create one with `gmp tokens create --user NAME --name WHAT`' });
    } else {
      const session = getCookie(c, SESSION_COOKIE);
      if (session !== undefined) principal = await authenticate(options.ws, { session });
    }
    if (principal === undefined && options.localMode() && (await listUsers(options.ws)).length === 0) {
      principal = { name: 'local', role: 'admin', via: 'local' };
    }
    if (principal !== undefined) c.set('principal', principal);
    else if (!PUBLIC.some((p) => p.test(c.req.path))) {
      throw new AuthError('UNAUTHORIZED', 'sign in first', { hint: 'POST /api/v1/session with your name and password, or send Authorization: Bearer <token>' });
    }
    await next();
  };
}
