import { AuthError, UsageError } from '../../core/index.js';
import type { Role } from '../../orchestration/index.js';
import { checkPassword, hashPassword, info, sha256, verifyPassword, withState, type Principal, type UserInfo } from '../accounts.js';
import type { Workspace } from '../workspace.js';
import { normalizeDisplayName, normalizeEmail } from './person-fields.js';

/** Who is signed in, with what their account holds (all null for the local admin, who has none). */
export interface Profile {
  name: string;
  role: Role;
  via: Principal['via'];
  email: string | null;
  displayName: string | null;
  createdAt: string | null;
}

/** Throws USAGE for the local admin: there is no account to change until one is created. */
export function requireAccount(principal: Principal): void {
  if (principal.via === 'local') {
    throw new UsageError('you act as the local admin: no account exists yet, so there is nothing to change', {
      hint: 'create one on /register (the first account becomes admin) or with gmp users add NAME --role admin',
    });
  }
}

/** Your profile; UNAUTHORIZED when your account was removed meanwhile. */
export async function getProfile(ws: Workspace, principal: Principal): Promise<Profile> {
  const base = { name: principal.name, role: principal.role, via: principal.via };
  if (principal.via === 'local') return { ...base, email: null, displayName: null, createdAt: null };
  const user = await withState(ws, (state) => state.getUser(principal.name));
  if (!user) throw new AuthError('UNAUTHORIZED', 'your account no longer exists', { hint: 'sign in again' });
  return { ...base, email: user.email, displayName: user.displayName, createdAt: user.createdAt };
}

/** Changes your display name (empty: none) or email; EMAIL_TAKEN when another account has that email. */
export async function updateProfile(ws: Workspace, principal: Principal, change: { displayName?: string | null; email?: string }): Promise<UserInfo> {
  requireAccount(principal);
  const next = {
    ...(change.displayName !== undefined ? { displayName: normalizeDisplayName(change.displayName) } : {}),
    ...(change.email !== undefined ? { email: normalizeEmail(change.email) } : {}),
  };
  return withState(ws, async (state) => {
    const outcome = await state.updateProfile(principal.name, next, ws.clock.now().toISOString());
    if (outcome === 'email-taken') throw new UsageError('another account has this email', { code: 'EMAIL_TAKEN', hint: 'use another email' });
    if (outcome === 'missing') throw new AuthError('UNAUTHORIZED', 'your account no longer exists', { hint: 'sign in again' });
    return info((await state.getUser(principal.name))!);
  });
}

/**
 * Replaces your password after checking the current one (UNAUTHORIZED when wrong; USAGE for a weak
 * new one), then ends your other sessions: every one but `keepSession`, the cookie of this request.
 */
export async function changePassword(ws: Workspace, principal: Principal, request: { currentPassword: string; newPassword: string; keepSession?: string }): Promise<{ sessionsEnded: number }> {
  requireAccount(principal);
  return withState(ws, async (state) => {
    const user = await state.getUser(principal.name);
    if (!user || !(await verifyPassword(request.currentPassword, user.passwordHash))) throw new AuthError('UNAUTHORIZED', 'the current password is wrong');
    checkPassword(request.newPassword);
    if (request.newPassword === request.currentPassword) throw new UsageError('the new password is the current one', { hint: 'choose a different password' });
    await state.updateUser(user.name, { passwordHash: await hashPassword(request.newPassword) }, ws.clock.now().toISOString());
    const keep = request.keepSession === undefined ? undefined : sha256(request.keepSession);
    return { sessionsEnded: await state.deleteUserSessions(user.userId, keep) };
  });
}
