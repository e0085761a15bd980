import { AuthError, UsageError } from '../../core/index.js';
import { checkName, checkPassword, hashPassword, openSession, withState, type UserInfo } from '../accounts.js';
import type { Workspace } from '../workspace.js';
import { normalizeDisplayName, normalizeEmail } from './person-fields.js';
import { effectiveSettings } from './server-settings.js';

export interface Registration {
  name: string;
  email: string;
  password: string;
  displayName?: string | null;
}

/**
 * Creates a viewer account and signs it in (a session, as `login` opens one). The first account
 * created while none exists becomes an admin: in local mode the person registering is the local
 * admin already, and a viewer would lock everyone out of administration. FORBIDDEN while
 * registration is closed; NAME_TAKEN, EMAIL_TAKEN or USAGE (a bad name, email or password).
 */
export async function register(ws: Workspace, request: Registration, options: { localMode: boolean }): Promise<{ session: string; user: UserInfo; expiresAt: string }> {
  if ((await effectiveSettings(ws, options)).registration.value === 'closed') {
    throw new AuthError('FORBIDDEN', 'registration is closed on this server', { hint: 'ask an admin for an account (gmp users add NAME --role viewer), or to open registration on /settings' });
  }
  checkName(request.name);
  const email = normalizeEmail(request.email);
  const displayName = normalizeDisplayName(request.displayName);
  checkPassword(request.password);
  const passwordHash = await hashPassword(request.password);
  return withState(ws, async (state) => {
    const created = await state.createUser({ name: request.name, role: 'viewer', firstUserRole: 'admin', passwordHash, email, displayName, at: ws.clock.now().toISOString() });
    if (created === 'name-taken') throw new UsageError(`the user name "${request.name}" is taken`, { code: 'NAME_TAKEN', hint: 'choose another user name' });
    if (created === 'email-taken') throw new UsageError('an account with this email exists already', { code: 'EMAIL_TAKEN', hint: 'sign in on /login, or use another email' });
    return openSession(ws, state, (await state.getUser(request.name))!);
  });
}
