import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createToken, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { apiSchemas, startServer, type RunningServer } from '../../server/index.js';
import { runGmp } from '../helpers/run-gmp.js';
import { testWorkspace } from '../helpers/workspace.js';

const { AuditSchema, CreatedTokenSchema, ErrorBodySchema, MeSchema } = apiSchemas;

const KEY = 'canary-rawg-key-accounts-71c3';
const PASSWORD = 'canary-password-0b9e4f22';
const NOW = '2025-06-30T12:00:00Z';
let sandbox: Sandbox;
let ws: Workspace;
let server: RunningServer;
const logLines: string[] = [];
const seen: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30' });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: NOW });
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ destination: { write: (l: string) => void logLines.push(l) } }) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

async function call(path: string, init: { method?: string; body?: unknown; cookie?: string; token?: string; headers?: Record<string, string>; base?: string } = {}) {
  const res = await fetch(`${init.base ?? server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  seen.push(text, JSON.stringify([...res.headers]));
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, headers: res.headers };
}
const code = (r: { body: unknown }) => ErrorBodySchema.parse(r.body).error.code;

async function signIn(name: string, password = PASSWORD): Promise<string> {
  const r = await call('/api/v1/session', { body: { name, password } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const cookie = r.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/gmp_session=[^;]+;.*HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
  return cookie.split(';')[0]!;
}

describe('gmp serve: accounts and roles', () => {
  it('acts as the local admin on loopback while no account exists, and says so', async () => {
    expect(MeSchema.parse((await call('/api/v1/me')).body)).toEqual({ name: 'local', role: 'admin', via: 'local', email: null, displayName: null });
  });

  it('once accounts exist, lets in only signed-in users and valid tokens, each as far as their role', async () => {
    await addUser(ws, { name: 'ana', role: 'admin', password: PASSWORD });
    await addUser(ws, { name: 'vic', role: 'viewer', password: PASSWORD });
    await addUser(ws, { name: 'ops', role: 'operator', password: PASSWORD });
    expect(code(await call('/api/v1/runs'))).toBe('UNAUTHORIZED');
    expect((await call('/api/v1/runs')).status).toBe(401);
    expect((await call('/healthz')).status).toBe(200);

    const wrong = await call('/api/v1/session', { body: { name: 'vic', password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    const vic = await signIn('vic');
    expect(MeSchema.parse((await call('/api/v1/me', { cookie: vic })).body)).toEqual({ name: 'vic', role: 'viewer', via: 'session', email: null, displayName: null });
    expect((await call('/api/v1/runs', { cookie: vic })).status).toBe(200);
    const launch = await call('/api/v1/runs', { cookie: vic, body: { select: 'rawg/genres' } });
    expect(launch.status).toBe(403);
    expect(code(launch)).toBe('FORBIDDEN');
    expect((await call('/api/v1/users', { cookie: vic })).status).toBe(403);

    // A session cookie sent from another site changes nothing.
    const ops = await signIn('ops');
    const crossSite = await call('/api/v1/runs', { cookie: ops, body: { select: 'rawg/genres' }, headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await call('/api/v1/runs', { cookie: ops, body: { select: 'rawg/genres' } })).status).toBe(202);

    // Signing out ends the session.
    expect((await call('/api/v1/session', { method: 'DELETE', cookie: vic })).status).toBe(204);
    expect((await call('/api/v1/me', { cookie: vic })).status).toBe(401);
  });

  it('creates tokens shown once, and refuses revoked and expired ones with 401', async () => {
    const ana = await signIn('ana');
    const created = await call('/api/v1/tokens', { cookie: ana, body: { user: 'ops', name: 'ci', expiresDays: 30 } });
    expect(created.status).toBe(201);
    const { token, tokenId } = CreatedTokenSchema.parse(created.body);
    expect(token).toMatch(/^gmp_/);
    expect(MeSchema.parse((await call('/api/v1/me', { token })).body)).toEqual({ name: 'ops', role: 'operator', via: 'token', email: null, displayName: null });
    const listed = await call('/api/v1/tokens', { cookie: ana });
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await call(`/api/v1/tokens/${tokenId}/revoke`, { cookie: ana, body: {} })).status).toBe(204);
    expect((await call('/api/v1/me', { token })).status).toBe(401);
    expect(code(await call('/api/v1/me', { token: 'gmp_made-up' }))).toBe('UNAUTHORIZED');

    // A token past its expiry: the same state, seen two days later.
    const soon = await createToken(ws, { user: 'ops', name: 'short', expiresDays: 1 });
    const later = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-07-02T12:00:00Z', home: ws.config.home });
    const laterServer = await startServer({ ws: later, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
    try {
      expect((await call('/api/v1/me', { token: soon.token })).status).toBe(200);
      expect((await call('/api/v1/me', { token: soon.token, base: laterServer.url })).status).toBe(401);
    } finally {
      await laterServer.close();
    }
  });

  it('throttles failed sign-ins: the tenth wrong password is answered 429 with Retry-After', async () => {
    const answers: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await call('/api/v1/session', { body: { name: 'ana', password: `wrong-${i}` } });
      answers.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(answers.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Even the right password waits now.
    expect((await call('/api/v1/session', { body: { name: 'ana', password: PASSWORD } })).status).toBe(429);
  });

  it('audits every change, for admins only', async () => {
    const ops = await signIn('ops');
    // ana's sign-ins are throttled by now: her token still works.
    const admin = await createToken(ws, { user: 'ana', name: 'audit', expiresDays: 1 });
    const log = AuditSchema.parse((await call('/api/v1/audit', { token: admin.token })).body);
    const actions = log.entries.map((e) => `${e.actor} ${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['ops run.launch', 'ana token.create', 'ana token.revoke']));
    expect((await call('/api/v1/audit', { cookie: ops })).status).toBe(403);
  });

  it('never shows a password, a session, a token or the RAWG key in a response or a log line', () => {
    for (const text of [...seen, ...logLines]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(KEY);
    }
  });

  it('manages users and tokens from the CLI, never removing the last admin or taking a weak password', () => {
    const cwd = ws.config.home;
    const env = { GMP_HOME: ws.config.home };
    const add = runGmp(['users', 'add', 'eve', '--role', 'viewer', '--password-stdin'], { cwd, env, input: `${PASSWORD}\n` });
    expect(add.status, add.stderr).toBe(0);
    expect(runGmp(['users', 'set-role', 'eve', 'operator'], { cwd, env }).stdout).toContain('eve is now operator');
    const list = JSON.parse(runGmp(['users', 'list', '--json'], { cwd, env }).stdout) as { name: string; role: string }[];
    expect(list.map((u) => `${u.name}:${u.role}`)).toEqual(['ana:admin', 'eve:operator', 'ops:operator', 'vic:viewer']);
    expect(runGmp(['users', 'remove', 'ana'], { cwd, env }).stderr).toMatch(/ana is the last admin/);
    const token = runGmp(['tokens', 'create', '--user', 'eve', '--name', 'grafana'], { cwd, env });
    expect(token.stdout.trim()).toMatch(/^gmp_\S+$/);
    expect(runGmp(['tokens', 'list'], { cwd, env }).stdout).not.toContain(token.stdout.trim());
    const weak = runGmp(['users', 'add', 'zed', '--role', 'viewer', '--password-stdin'], { cwd, env, input: 'short\n' });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/at least 10 characters/);
  });
});
