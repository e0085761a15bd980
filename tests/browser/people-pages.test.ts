import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { controlsTabMisses, expectClean as clean, guardedPage, launchBrowser } from '../helpers/browser.js';
import { testWorkspace } from '../helpers/workspace.js';

const PASSWORD = 'people-browser-password-77';
let ws: Workspace;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // These pages read no market data: the RAWG base URL only has to parse.
  ws = testWorkspace({ baseUrl: 'http://127.0.0.1:9', key: 'unused-key-people-browser', now: '2025-06-30T12:00:00Z' });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const me = async (token: string) => (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('the people pages in Chromium', () => {
  it('registers the first account (the admin) on /register, lands signed in, renames itself and makes a token shown once', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/register`);
    expect(await g.page.locator('.notice').textContent()).toContain('the first one becomes this server’s admin');
    await g.page.fill('input[name="name"]', 'ana');
    await g.page.fill('input[name="email"]', 'Ana@Example.org');
    await g.page.fill('input[name="password"]', PASSWORD);
    await Promise.all([g.page.waitForURL(/\/profile$/), g.page.press('input[name="password"]', 'Enter')]);
    expect(await g.page.locator('.who').textContent()).toContain('ana · admin');
    expect(await g.page.locator('#profile-email').textContent()).toBe('ana@example.org');

    await g.page.fill('#profile input[name="displayName"]', 'Ana Lima');
    await Promise.all([g.page.waitForEvent('load'), g.page.click('button:text("Save profile")')]);
    expect(await g.page.locator('h1').textContent()).toContain('Ana Lima');
    expect(await g.page.locator('.who a.badge').textContent()).toBe('Ana Lima · admin');

    expect(await g.page.locator('#token-secret').isVisible()).toBe(false);
    await g.page.fill('#new-token input[name="name"]', 'grafana');
    await g.page.click('button:text("Create token")');
    await g.page.waitForSelector('#token-secret:not([hidden])');
    const token = (await g.page.locator('#token-value').textContent()) ?? '';
    expect(token).toMatch(/^gmp_\S+$/);
    expect(await g.page.locator('#tokens tbody tr').count()).toBe(1);
    expect(await me(token)).toBe(200);
    // Once: the page reloaded lists the token by name, never its secret.
    await g.page.reload();
    expect(await g.page.locator('#token-secret').isVisible()).toBe(false);
    expect(await g.page.locator('#tokens tbody tr td:first-child').allTextContents()).toEqual(['grafana']);
    expect(await g.page.content()).not.toContain(token);
    await g.page.click('#tokens button:text("Revoke")');
    await g.page.waitForSelector('#tokens .badge:text("revoked")');
    expect(await me(token)).toBe(401);
    expect(await controlsTabMisses(g.page)).toEqual([]);
    clean(g);
  });

  it('an admin closes registration and turns the SQL console off on /settings, and back to the defaults', async () => {
    const admin = await guardedPage(browser);
    await admin.page.goto(`${server.url}/login`);
    await admin.page.fill('input[name="name"]', 'ana');
    await admin.page.fill('input[name="password"]', PASSWORD);
    await Promise.all([admin.page.waitForURL(/\/$/), admin.page.press('input[name="password"]', 'Enter')]);
    await admin.page.goto(`${server.url}/profile`);
    await Promise.all([admin.page.waitForURL(/\/settings$/), admin.page.click('a:text("Server settings")')]);
    expect(await admin.page.locator('#setting-registration .in-force').textContent()).toMatch(/In force: Open \(the default, as this server listens on loopback only\)/);
    expect(await admin.page.locator('#setting-sqlConsole .in-force').textContent()).toMatch(/In force: Everyone signed in \(the default, as GMP_SQL_CONSOLE is unset\)/);
    expect(await controlsTabMisses(admin.page)).toEqual([]);

    await admin.page.check('#setting-registration input[value="closed"]');
    await admin.page.check('#setting-sqlConsole input[value="off"]');
    await Promise.all([admin.page.waitForEvent('load'), admin.page.click('button:text("Save settings")')]);
    expect(await admin.page.locator('#setting-registration .in-force').textContent()).toMatch(/In force: Closed \(set by ana at 2025-06-30 12:00:00\)/);
    expect(await admin.page.locator('#setting-sqlConsole .in-force').textContent()).toMatch(/In force: Off \(set by ana at/);
    await admin.page.goto(`${server.url}/sql`);
    expect(await admin.page.locator('main .notice').textContent()).toContain('The SQL console is turned off on this server.');

    const visitor = await guardedPage(browser);
    await visitor.page.goto(`${server.url}/register`);
    expect(await visitor.page.locator('main .notice').textContent()).toContain('Registration is closed on this server.');
    expect(await visitor.page.locator('form#register').count()).toBe(0);
    await visitor.page.goto(`${server.url}/login`);
    expect(await visitor.page.locator('a[href="/register"]').count()).toBe(0);

    await admin.page.goto(`${server.url}/settings`);
    await admin.page.check('#setting-registration input[value=""]');
    await admin.page.check('#setting-sqlConsole input[value=""]');
    await Promise.all([admin.page.waitForEvent('load'), admin.page.click('button:text("Save settings")')]);
    expect(await admin.page.locator('#setting-registration .in-force').textContent()).toContain('In force: Open (the default');
    expect(await admin.page.locator('#setting-sqlConsole .in-force').textContent()).toContain('In force: Everyone signed in (the default');
    clean(admin);
    clean(visitor);
  });

  it('registers a viewer from the sign-in page, who sees the SQL console but not the settings', async () => {
    const g = await guardedPage(browser);
    await g.page.goto(`${server.url}/login`);
    await Promise.all([g.page.waitForURL(/\/register$/), g.page.click('a:text("Create one")')]);
    expect(await g.page.locator('main').textContent()).toContain('New accounts are viewers');
    await g.page.fill('input[name="name"]', 'bo');
    await g.page.fill('input[name="email"]', 'ana@example.org');
    await g.page.fill('input[name="password"]', PASSWORD);
    await g.page.click('button:text("Create account")');
    await g.page.waitForSelector('#register-error:text("an account with this email exists already")');
    await g.page.fill('input[name="email"]', 'bo@example.org');
    await g.page.fill('input[name="displayName"]', 'Bo Berg');
    await Promise.all([g.page.waitForURL(/\/profile$/), g.page.click('button:text("Create account")')]);
    expect(await g.page.locator('.who a.badge').textContent()).toBe('Bo Berg · viewer');
    expect(await g.page.locator('a:text("Server settings")').count()).toBe(0);
    const settings = await g.page.goto(`${server.url}/settings`);
    expect(settings?.status()).toBe(403);
    await g.page.goto(`${server.url}/sql`);
    expect(await g.page.locator('#run-sql').count()).toBe(1);
    clean(g);
  });
});
