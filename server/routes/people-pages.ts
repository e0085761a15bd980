import type { OpenAPIHono } from '@hono/zod-openapi';
import { effectiveSettings, getProfile, listOwnTokens, listUsers, requireRole, type Principal, type Workspace } from '../../app/index.js';
import { layout } from '../pages/layout.js';
import { profilePage } from '../pages/profile-page.js';
import { registerPage } from '../pages/register-page.js';
import { settingsPage } from '../pages/settings-page.js';

/** The people pages: create an account, your profile and tokens, and (admins) the server's settings. */
export function registerPeoplePages(app: OpenAPIHono, ws: Workspace, frame: { readOnly: boolean }): void {
  // Public: whoever is not signed in may see whether they can register.
  app.get('/register', async (c) => {
    // Undefined for a visitor who is not signed in (the route is public).
    const principal = c.get('principal') as Principal | undefined;
    const [settings, users] = await Promise.all([effectiveSettings(ws, { localMode: c.get('localMode') }), listUsers(ws)]);
    const signedInAs = principal && principal.via !== 'local' ? principal.name : undefined;
    const body = registerPage({ open: settings.registration.value === 'open', readOnly: frame.readOnly, firstAccount: users.length === 0, ...(signedInAs ? { signedInAs } : {}) });
    return c.html(layout({ ...frame, title: 'Create an account', active: '', ...(principal ? { principal } : {}), body, islands: ['people'] }));
  });

  app.get('/profile', async (c) => {
    const principal = c.get('principal');
    const [profile, tokens] = await Promise.all([getProfile(ws, principal), listOwnTokens(ws, principal)]);
    const body = profilePage(profile, tokens, { readOnly: frame.readOnly, now: ws.clock.now().toISOString() });
    return c.html(layout({ ...frame, title: 'Your profile', active: '', principal, body, islands: ['people'] }));
  });

  app.get('/settings', async (c) => {
    const principal = c.get('principal');
    requireRole(principal, 'admin');
    const localMode = c.get('localMode');
    const body = settingsPage(await effectiveSettings(ws, { localMode }), { readOnly: frame.readOnly, localMode });
    return c.html(layout({ ...frame, title: 'Settings', active: '', principal, body, islands: ['people'] }));
  });
}
