import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { apiSchemas, createServerApp, startServer, type RunningServer } from '../../server/index.js';
import { testWorkspace } from '../helpers/workspace.js';

const { AuditSchema, CreatedTokenSchema, ErrorBodySchema, MeSchema, SettingsSchema, UserSchema } = apiSchemas;

// Nothing here calls RAWG: the base URL only has to parse.
const PASSWORD = 'canary-password-people-5d1e';
const NEW_PASSWORD = 'canary-new-password-8c2a';
const NOW = '2025-06-30T12:00:00Z';
let ws: Workspace;
let server: RunningServer;
const logLines: string[] = [];
const seen: string[] = [];

beforeAll(async () => {
  ws = testWorkspace({ baseUrl: 'http://127.0.0.1:9', key: 'unused-key-people', now: NOW });
  // An empty warehouse, so the SQL console has something to open.
  (await DuckDBInstance.create(path.join(ws.config.home, 'warehouse.duckdb'))).closeSync();
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ destination: { write: (l: string) => void logLines.push(l) } }) });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function call(path: string, init: { method?: string; body?: unknown; cookie?: string; token?: string; base?: string } = {}) {
  const res = await fetch(`${init.base ?? server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  seen.push(text, JSON.stringify([...res.headers]));
  const json = res.headers.get('content-type')?.includes('json') && text ? (JSON.parse(text) as unknown) : text;
  return { status: res.status, body: json, headers: res.headers };
}
const error = (r: { body: unknown }) => ErrorBodySchema.parse(r.body).error;
const cookieOf = (r: { headers: Headers }) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;

async function signIn(name: string, password = PASSWORD): Promise<string> {
  const r = await call('/api/v1/session', { body: { name, password } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return cookieOf(r);
}

async function registered(name: string, email: string, displayName?: string): Promise<string> {
  const r = await call('/api/v1/register', { body: { name, email, password: PASSWORD, ...(displayName ? { displayName } : {}) } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return cookieOf(r);
}

let ana: string; // admin's session
let bo: string; // a viewer's session, kept through the password change

describe('gmp serve: registration, profiles, own tokens and settings', () => {
  it('in local mode, the local admin has no account to change and is told how to make one', async () => {
    expect(MeSchema.parse((await call('/api/v1/me')).body)).toEqual({ name: 'local', role: 'admin', via: 'local', email: null, displayName: null });
    for (const r of [await call('/api/v1/me', { method: 'PATCH', body: { displayName: 'Me' } }), await call('/api/v1/me/tokens', { body: { name: 'ci' } })]) {
      expect(r.status).toBe(400);
      expect(error(r).hint).toMatch(/\/register/);
    }
    const page = await call('/profile');
    expect(page.body).toContain('no account exists on this server yet');
    expect(await call('/register').then((r) => r.body)).toContain('the first one becomes this server’s <strong>admin</strong>');
  });

  it('makes the first registered account the admin, signed in at once; local mode then ends', async () => {
    const r = await call('/api/v1/register', { body: { name: 'ana', email: ' Ana@Example.org', password: PASSWORD, displayName: 'Ana Lima' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(MeSchema.parse(r.body)).toEqual({ name: 'ana', role: 'admin', via: 'session', email: 'ana@example.org', displayName: 'Ana Lima' });
    expect(r.headers.get('set-cookie')).toMatch(/gmp_session=[^;]+;.*HttpOnly/i);
    ana = cookieOf(r);
    expect(MeSchema.parse((await call('/api/v1/me', { cookie: ana })).body)).toMatchObject({ name: 'ana', role: 'admin', displayName: 'Ana Lima' });
    expect((await call('/api/v1/me')).status).toBe(401);
    // The header names the person by their display name and links to their profile.
    expect((await call('/', { cookie: ana })).body).toMatch(/<a class="badge" href="\/profile"[^>]*>Ana Lima · admin<\/a>/);
  });

  it('registers viewers; a duplicate email (in any case) or name, a weak password or a malformed email is 400 and creates nothing', async () => {
    bo = await registered('bo', 'bo@example.org');
    expect(MeSchema.parse((await call('/api/v1/me', { cookie: bo })).body)).toMatchObject({ name: 'bo', role: 'viewer', via: 'session' });
    const refusals = [
      [{ name: 'cy', email: 'ANA@example.ORG', password: PASSWORD }, 'EMAIL_TAKEN', /an account with this email exists already/],
      [{ name: 'bo', email: 'other@example.org', password: PASSWORD }, 'NAME_TAKEN', /the user name "bo" is taken/],
      [{ name: 'cy', email: 'cy@example.org', password: 'short' }, 'USAGE', /at least 10 characters/],
      [{ name: 'cy', email: 'cy-at-example.org', password: PASSWORD }, 'USAGE', /not an email address/],
      [{ name: 'Cy Ng', email: 'cy@example.org', password: PASSWORD }, 'USAGE', /not a user name/],
    ] as const;
    for (const [body, code, message] of refusals) {
      const r = await call('/api/v1/register', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(error(r)).toMatchObject({ code, message: expect.stringMatching(message) });
    }
    const users = (await call('/api/v1/users', { cookie: ana })).body as { users: unknown[] };
    expect(users.users.map((u) => UserSchema.parse(u)).map((u) => [u.name, u.role, u.email])).toEqual([['ana', 'admin', 'ana@example.org'], ['bo', 'viewer', 'bo@example.org']]);
  });

  it('answers a wrong password at sign-in with 401', async () => {
    const r = await call('/api/v1/session', { body: { name: 'bo', password: 'not-the-password' } });
    expect(r.status).toBe(401);
    expect(error(r).code).toBe('UNAUTHORIZED');
  });

  it('changes a display name and email; an email another account has is 400', async () => {
    const r = await call('/api/v1/me', { method: 'PATCH', cookie: bo, body: { displayName: '  Bo Berg ', email: 'Bo.Berg@Example.org' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(UserSchema.parse(r.body)).toMatchObject({ name: 'bo', displayName: 'Bo Berg', email: 'bo.berg@example.org' });
    expect(MeSchema.parse((await call('/api/v1/me', { cookie: bo })).body)).toMatchObject({ displayName: 'Bo Berg', email: 'bo.berg@example.org' });
    const taken = await call('/api/v1/me', { method: 'PATCH', cookie: bo, body: { email: 'ana@EXAMPLE.org' } });
    expect(taken.status).toBe(400);
    expect(error(taken).code).toBe('EMAIL_TAKEN');
    // An empty display name: shown by the user name again.
    await call('/api/v1/me', { method: 'PATCH', cookie: bo, body: { displayName: '' } });
    expect(MeSchema.parse((await call('/api/v1/me', { cookie: bo })).body).displayName).toBeNull();
  });

  it('changes a password: a wrong current one is 401, a weak new one 400; the old one stops working and the other sessions end', async () => {
    const other = await signIn('bo');
    const wrong = await call('/api/v1/me/password', { method: 'PUT', cookie: bo, body: { currentPassword: 'not-the-password', newPassword: NEW_PASSWORD } });
    expect(wrong.status).toBe(401);
    expect(error(wrong).message).toBe('the current password is wrong');
    expect((await call('/api/v1/me/password', { method: 'PUT', cookie: bo, body: { currentPassword: PASSWORD, newPassword: 'short' } })).status).toBe(400);
    const changed = await call('/api/v1/me/password', { method: 'PUT', cookie: bo, body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toEqual({ sessionsEnded: 1 });
    expect((await call('/api/v1/me', { cookie: bo })).status).toBe(200);
    expect((await call('/api/v1/me', { cookie: other })).status).toBe(401);
    expect((await call('/api/v1/session', { body: { name: 'bo', password: PASSWORD } })).status).toBe(401);
    expect((await call('/api/v1/session', { body: { name: 'bo', password: NEW_PASSWORD } })).status).toBe(200);
  });

  let boToken = '';
  it('creates your own tokens (the secret once), uses and revokes them; someone else’s token is 404 to you', async () => {
    const created = await call('/api/v1/me/tokens', { cookie: bo, body: { name: 'notebook', expiresInDays: 30 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const mine = CreatedTokenSchema.parse(created.body);
    boToken = mine.token;
    expect(mine.expiresAt).toBe('2025-07-30T12:00:00.000Z');
    expect(MeSchema.parse((await call('/api/v1/me', { token: mine.token })).body)).toMatchObject({ name: 'bo', role: 'viewer', via: 'token' });
    const listed = await call('/api/v1/me/tokens', { cookie: bo });
    expect((listed.body as { tokens: { tokenId: string; name: string }[] }).tokens.map((t) => [t.tokenId, t.name])).toEqual([[mine.tokenId, 'notebook']]);
    expect(JSON.stringify(listed.body)).not.toContain(mine.token);
    // A token cannot mint tokens.
    expect((await call('/api/v1/me/tokens', { token: mine.token, body: { name: 'more' } })).status).toBe(403);

    const anas = CreatedTokenSchema.parse((await call('/api/v1/me/tokens', { cookie: ana, body: { name: 'ci' } })).body);
    expect((await call('/api/v1/me/tokens', { cookie: bo })).body).not.toMatchObject({ tokens: expect.arrayContaining([expect.objectContaining({ tokenId: anas.tokenId })]) });
    const theirs = await call(`/api/v1/me/tokens/${anas.tokenId}/revoke`, { cookie: bo, body: {} });
    expect(theirs.status).toBe(404);
    expect(error(theirs).code).toBe('NOT_FOUND');
    expect((await call('/api/v1/me', { token: anas.token })).status).toBe(200);

    expect((await call(`/api/v1/me/tokens/${mine.tokenId}/revoke`, { cookie: bo, body: {} })).status).toBe(204);
    expect((await call('/api/v1/me', { token: mine.token })).status).toBe(401);
    expect((await call('/api/v1/me/tokens', { cookie: bo })).body).toMatchObject({ tokens: [{ tokenId: mine.tokenId, revokedAt: expect.any(String) }] });
  });

  it('lets only admins read and change the settings, and the SQL console follows them', async () => {
    expect((await call('/api/v1/settings', { cookie: bo })).status).toBe(403);
    expect((await call('/api/v1/settings', { method: 'PUT', cookie: bo, body: { sqlConsole: 'off' } })).status).toBe(403);
    expect((await call('/settings', { cookie: bo })).status).toBe(403);
    const before = SettingsSchema.parse((await call('/api/v1/settings', { cookie: ana })).body);
    expect(before.registration).toEqual({ value: 'open', source: 'default', setBy: null, setAt: null, fallback: { value: 'open', source: 'default' } });
    expect(before.sqlConsole).toMatchObject({ value: 'viewers', source: 'default' });
    const query = { sql: 'select 42 as answer' };
    expect((await call('/api/v1/sql', { cookie: bo, body: query })).body).toMatchObject({ rows: [{ answer: 42 }] });

    const off = await call('/api/v1/settings', { method: 'PUT', cookie: ana, body: { sqlConsole: 'off' } });
    expect(SettingsSchema.parse(off.body).sqlConsole).toEqual({ value: 'off', source: 'admin', setBy: 'ana', setAt: '2025-06-30T12:00:00.000Z', fallback: { value: 'viewers', source: 'default' } });
    for (const who of [bo, ana]) {
      const r = await call('/api/v1/sql', { cookie: who, body: query });
      expect(r.status).toBe(403);
      expect(error(r)).toMatchObject({ code: 'FORBIDDEN', message: 'the SQL console is turned off on this server' });
    }
    expect((await call('/sql', { cookie: bo })).body).toContain('The SQL console is turned off on this server.');

    await call('/api/v1/settings', { method: 'PUT', cookie: ana, body: { sqlConsole: 'operators' } });
    expect((await call('/api/v1/sql', { cookie: bo, body: query })).status).toBe(403);
    expect((await call('/sql', { cookie: bo })).body).toContain('The SQL console is for operators; you are a viewer.');
    expect((await call('/api/v1/sql', { cookie: ana, body: query })).body).toMatchObject({ rows: [{ answer: 42 }] });
    // null: back to the default (GMP_SQL_CONSOLE).
    expect(SettingsSchema.parse((await call('/api/v1/settings', { method: 'PUT', cookie: ana, body: { sqlConsole: null } })).body).sqlConsole.source).toBe('default');
    expect((await call('/api/v1/sql', { cookie: bo, body: query })).status).toBe(200);
  });

  it('refuses registration with 403 and a hint while an admin has closed it; the pages say so', async () => {
    await call('/api/v1/settings', { method: 'PUT', cookie: ana, body: { registration: 'closed' } });
    const r = await call('/api/v1/register', { body: { name: 'di', email: 'di@example.org', password: PASSWORD } });
    expect(r.status).toBe(403);
    expect(error(r)).toMatchObject({ code: 'FORBIDDEN', message: 'registration is closed on this server', hint: expect.stringMatching(/ask an admin/) });
    expect((await call('/register')).body).toContain('Registration is closed on this server.');
    expect((await call('/login')).body).not.toContain('href="/register"');
    await call('/api/v1/settings', { method: 'PUT', cookie: ana, body: { registration: null } });
    expect((await call('/login')).body).toContain('href="/register"');
  });

  it('keeps registration closed by default on a server reachable beyond loopback', async () => {
    const app = createServerApp({ ws, logger: createLogger({ level: 'silent' }), allowedHosts: new Set(['gmp.example']), readOnly: false, localMode: false });
    const r = await app.request('http://gmp.example/api/v1/register', { method: 'POST', headers: { host: 'gmp.example', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'eve', email: 'eve@example.org', password: PASSWORD }) });
    expect(r.status).toBe(403);
    const settings = await app.request('http://gmp.example/api/v1/settings', { headers: { host: 'gmp.example', cookie: ana } });
    expect(SettingsSchema.parse(await settings.json()).registration).toMatchObject({ value: 'closed', source: 'default' });
  });

  it('audits registrations, profile, password, token and settings changes, without a secret', async () => {
    const log = AuditSchema.parse((await call('/api/v1/audit?limit=500', { cookie: ana })).body);
    const actions = log.entries.map((e) => `${e.actor} ${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['ana user.register', 'bo user.register', 'bo user.profile', 'bo user.password', 'bo token.create', 'bo token.revoke', 'ana settings.change']));
    expect(log.entries.find((e) => e.action === 'settings.change')?.detail).toEqual({ registration: null });
    expect(JSON.stringify(log)).not.toMatch(new RegExp(`${PASSWORD}|${NEW_PASSWORD}|${boToken}`));
  });

  it('throttles registration attempts: the sixth failure for one email is answered 429 with Retry-After', async () => {
    // A server of its own: its throttle starts empty.
    const fresh = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
    try {
      const answers: number[] = [];
      for (let i = 0; i < 6; i++) answers.push((await call('/api/v1/register', { base: fresh.url, body: { name: `x${i}x`, email: 'ana@example.org', password: PASSWORD } })).status);
      expect(answers).toEqual([400, 400, 400, 400, 400, 429]);
      const r = await call('/api/v1/register', { base: fresh.url, body: { name: 'zed', email: 'ana@example.org', password: PASSWORD } });
      expect(error(r).message).toBe('too many registration attempts: wait before trying again');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('never shows a password in a response or a log line, nor a token secret beyond its one answer', () => {
    for (const text of [...seen, ...logLines]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(NEW_PASSWORD);
    }
    expect(seen.filter((t) => t.includes(boToken))).toHaveLength(1);
    expect(logLines.join('\n')).not.toContain(boToken);
  });
});
