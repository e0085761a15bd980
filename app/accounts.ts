import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { AuthError, UsageError, registerSecret } from '../core/index.js';
import type { ApiTokenRecord, AuditRecord, Role, StateStore, UserRecord } from '../orchestration/index.js';
import { openStateStore, type Workspace } from './workspace.js';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
/** What each role may do, cumulatively: viewers read, operators launch and cancel, admins manage accounts. */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const SESSION_DAYS = 7;
const MIN_PASSWORD = 10;

/** Who is acting: a user (by session or token), or the loopback local-admin mode. */
export interface Principal {
  name: string;
  role: Role;
  /** How: `session`, `token`, or `local` (no account exists yet, loopback bind). */
  via: 'session' | 'token' | 'local';
  tokenId?: string;
  /** The name the person chose to be shown by (their profile), if any. */
  displayName?: string;
}

export interface UserInfo {
  name: string;
  role: Role;
  email: string | null;
  displayName: string | null;
  createdAt: string;
  updatedAt: string;
}

export function hasRole(principal: Principal, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}

/** Throws FORBIDDEN unless the principal's role reaches `needed`. */
export function requireRole(principal: Principal, needed: Role): void {
  if (!hasRole(principal, needed)) {
    throw new AuthError('FORBIDDEN', `${principal.name} is a ${principal.role}; this needs ${needed}`, { hint: 'ask an admin to raise your role (gmp users set-role NAME ROLE)' });
  }
}

/** `scrypt$N$r$p$salt$hash` (base64url), never reversible. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches the stored hash (constant-time comparison). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** How sessions and tokens are stored: the hash of their random value, never the value. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');
/** What may be shown of a user: never the password hash. */
export const info = (u: UserRecord): UserInfo => ({ name: u.name, role: u.role, email: u.email, displayName: u.displayName, createdAt: u.createdAt, updatedAt: u.updatedAt });

/** Runs `work` on the workspace's state store, closed afterwards. */
export async function withState<T>(ws: Workspace, work: (state: StateStore) => Promise<T>): Promise<T> {
  const state = await openStateStore(ws);
  try {
    return await work(state);
  } finally {
    await state.close();
  }
}

/** USAGE unless `name` is a user name: 2-64 of a-z 0-9 . _ - starting with a letter. */
export function checkName(name: string): void {
  if (!/^[a-z][a-z0-9._-]{1,63}$/.test(name)) throw new UsageError(`"${name}" is not a user name: 2-64 of a-z 0-9 . _ - starting with a letter`);
}

function checkRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`unknown role "${role}": expected ${ROLES.join(', ')}`);
}

/** USAGE for a password shorter than 10 characters. */
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new UsageError(`a password needs at least ${MIN_PASSWORD} characters`);
}

/** Creates a user; UsageError for a bad name, role or password, or a taken name. */
export async function addUser(ws: Workspace, user: { name: string; role: string; password: string }): Promise<UserInfo> {
  checkName(user.name);
  checkRole(user.role);
  checkPassword(user.password);
  const passwordHash = await hashPassword(user.password);
  return withState(ws, async (state) => {
    const at = ws.clock.now().toISOString();
    if ((await state.createUser({ name: user.name, role: user.role as Role, passwordHash, at })) !== 'created') throw new UsageError(`a user "${user.name}" exists already`, { code: 'NAME_TAKEN' });
    return info((await state.getUser(user.name))!);
  });
}

export async function listUsers(ws: Workspace): Promise<UserInfo[]> {
  return withState(ws, async (state) => (await state.listUsers()).map(info));
}

/** True when at least one admin exists (a bind beyond loopback needs one). */
export async function hasAdmin(ws: Workspace): Promise<boolean> {
  return withState(ws, async (state) => (await state.listUsers()).some((u) => u.role === 'admin'));
}

/** Changes a user's role; never demotes the last admin. */
export async function setRole(ws: Workspace, name: string, role: string): Promise<UserInfo> {
  checkRole(role);
  return withState(ws, async (state) => {
    const users = await state.listUsers();
    const user = users.find((u) => u.name === name);
    if (!user) throw new UsageError(`no user "${name}"`, { code: 'NOT_FOUND' });
    if (user.role === 'admin' && role !== 'admin' && users.filter((u) => u.role === 'admin').length === 1) {
      throw new UsageError(`${name} is the last admin`, { hint: 'make another user admin first' });
    }
    await state.updateUser(name, { role }, ws.clock.now().toISOString());
    return info((await state.getUser(name))!);
  });
}

/** Removes a user with their sessions and tokens; never the last admin. */
export async function removeUser(ws: Workspace, name: string): Promise<void> {
  await withState(ws, async (state) => {
    const users = await state.listUsers();
    const user = users.find((u) => u.name === name);
    if (!user) throw new UsageError(`no user "${name}"`, { code: 'NOT_FOUND' });
    if (user.role === 'admin' && users.filter((u) => u.role === 'admin').length === 1) {
      throw new UsageError(`${name} is the last admin`, { hint: 'make another user admin first' });
    }
    await state.removeUser(name);
  });
}

/**
 * Checks a name and password and opens a session: the cookie value (shown once; only its hash is
 * stored) and its expiry. UNAUTHORIZED, the same for an unknown user and a wrong password.
 */
export async function login(ws: Workspace, name: string, password: string): Promise<{ session: string; user: UserInfo; expiresAt: string }> {
  return withState(ws, async (state) => {
    const user = await state.getUser(name);
    // A missing user costs a hash too, so timing does not tell which names exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    if (!user || !ok) throw new AuthError('UNAUTHORIZED', 'wrong user name or password');
    return openSession(ws, state, user);
  });
}

/** A new session for `user`: the cookie value (shown once; only its hash is stored) and its expiry. */
export async function openSession(ws: Workspace, state: StateStore, user: UserRecord): Promise<{ session: string; user: UserInfo; expiresAt: string }> {
  const session = randomBytes(32).toString('base64url');
  registerSecret(session);
  const now = ws.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString();
  await state.createSession({ tokenHash: sha256(session), userId: user.userId, at: now.toISOString(), expiresAt });
  return { session, user: info(user), expiresAt };
}

export async function logout(ws: Workspace, session: string): Promise<void> {
  await withState(ws, (state) => state.deleteSession(sha256(session)));
}

/** The principal of a session cookie or a bearer token, if it is valid now. */
export async function authenticate(ws: Workspace, credential: { session?: string; token?: string }): Promise<Principal | undefined> {
  return withState(ws, async (state) => {
    const now = ws.clock.now().toISOString();
    if (credential.token !== undefined) {
      const found = await state.tokenUser(sha256(credential.token), now);
      return found && { name: found.user.name, role: found.user.role, via: 'token' as const, tokenId: found.tokenId, ...shownAs(found.user) };
    }
    if (credential.session !== undefined) {
      const user = await state.sessionUser(sha256(credential.session), now);
      return user && { name: user.name, role: user.role, via: 'session' as const, ...shownAs(user) };
    }
    return undefined;
  });
}

const shownAs = (user: UserRecord): { displayName?: string } => (user.displayName ? { displayName: user.displayName } : {});

/** A new API token for a user: `{token}` is shown once (only its hash is stored). */
export async function createToken(ws: Workspace, request: { user: string; name: string; expiresDays: number }): Promise<{ tokenId: string; token: string; expiresAt: string }> {
  if (!Number.isInteger(request.expiresDays) || request.expiresDays < 1 || request.expiresDays > 3650) throw new UsageError('a token expires in 1 to 3650 days');
  if (request.name.trim() === '' || request.name.length > 100) throw new UsageError('a token needs a name of 1-100 characters (what it is for)');
  return withState(ws, async (state) => {
    const user = await state.getUser(request.user);
    if (!user) throw new UsageError(`no user "${request.user}"`, { code: 'NOT_FOUND' });
    const tokenId = `tok_${randomBytes(6).toString('hex')}`;
    const token = `gmp_${randomBytes(32).toString('base64url')}`;
    registerSecret(token);
    const now = ws.clock.now();
    const expiresAt = new Date(now.getTime() + request.expiresDays * 86_400_000).toISOString();
    await state.createApiToken({ tokenId, userId: user.userId, name: request.name.trim(), tokenHash: sha256(token), at: now.toISOString(), expiresAt });
    return { tokenId, token, expiresAt };
  });
}

export async function listTokens(ws: Workspace): Promise<ApiTokenRecord[]> {
  return withState(ws, (state) => state.listApiTokens());
}

export async function revokeToken(ws: Workspace, tokenId: string): Promise<void> {
  await withState(ws, async (state) => {
    if (!(await state.revokeApiToken(tokenId, ws.clock.now().toISOString()))) throw new UsageError(`no token "${tokenId}"`, { code: 'NOT_FOUND' });
  });
}

/** Records a change made through the server: who, what, on what, when. */
export async function audit(ws: Workspace, principal: Principal, action: string, target: string | null, detail: Record<string, unknown> | null = null): Promise<void> {
  const actor = principal.via === 'token' ? `${principal.name} (token ${principal.tokenId})` : principal.via === 'local' ? 'local' : principal.name;
  await withState(ws, (state) => state.appendAudit({ at: ws.clock.now().toISOString(), actor, action, target, detail }));
}

export async function listAudit(ws: Workspace, options: { limit: number; beforeId?: number }): Promise<AuditRecord[]> {
  return withState(ws, (state) => state.listAudit(options));
}
