import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { Workspace } from '../../app/index.js';
import { SESSION_COOKIE } from '../middleware/authenticate.js';

/** Sets the session cookie: HttpOnly, SameSite=Strict, Secure under https, for as long as the session lasts. */
export function setSessionCookie(c: Context, ws: Workspace, session: string, expiresAt: string): void {
  // Max-Age, not Expires: a client whose clock disagrees with the server's keeps it all the same.
  const maxAge = Math.max(60, Math.floor((Date.parse(expiresAt) - ws.clock.now().getTime()) / 1000));
  setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', path: '/', secure: new URL(c.req.url).protocol === 'https:', maxAge });
}
