import { AuthError, UsageError } from '../../core/index.js';
import type { ApiTokenRecord } from '../../orchestration/index.js';
import { createToken, revokeToken, withState, type Principal } from '../accounts.js';
import type { Workspace } from '../workspace.js';
import { requireAccount } from './profile.js';

/** Your API tokens (revoked and expired ones too), oldest first; never their secrets. */
export async function listOwnTokens(ws: Workspace, principal: Principal): Promise<ApiTokenRecord[]> {
  if (principal.via === 'local') return [];
  return withState(ws, (state) => state.listApiTokens({ user: principal.name }));
}

/**
 * A new token acting as you: its secret is returned once. Made from a signed-in session, never by
 * another token (a leaked token must not be able to outlive its own revocation).
 */
export async function createOwnToken(ws: Workspace, principal: Principal, request: { name: string; expiresInDays: number }): Promise<{ tokenId: string; token: string; expiresAt: string }> {
  requireAccount(principal);
  if (principal.via === 'token') throw new AuthError('FORBIDDEN', 'an API token cannot create tokens', { hint: 'sign in and create it on your profile page (/profile)' });
  return createToken(ws, { user: principal.name, name: request.name, expiresDays: request.expiresInDays });
}

/** Revokes one of your tokens; NOT_FOUND for a token that is not yours (whether or not it exists). */
export async function revokeOwnToken(ws: Workspace, principal: Principal, tokenId: string): Promise<void> {
  const mine = (await listOwnTokens(ws, principal)).some((t) => t.tokenId === tokenId);
  if (!mine) throw new UsageError(`you have no token "${tokenId}"`, { code: 'NOT_FOUND', hint: 'GET /api/v1/me/tokens lists yours' });
  await revokeToken(ws, tokenId);
}
