import { AuthError } from '../../core/index.js';
import { hasRole, type Principal } from '../accounts.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';
import { getGame } from './market.js';

/** Marks a game a favorite of `principal` (idempotent); NOT_FOUND for a game the marts lack. */
export async function addFavorite(ws: Workspace, principal: Principal, gameId: number): Promise<{ added: boolean }> {
  await getGame(ws, gameId); // 404 for an unknown game
  const state = await openStateStore(ws);
  try {
    return { added: await state.addFavorite(principal.name, gameId, ws.clock.now().toISOString()) };
  } finally {
    await state.close();
  }
}

export async function removeFavorite(ws: Workspace, principal: Principal, gameId: number): Promise<{ removed: boolean }> {
  if (!stateExists(ws)) return { removed: false };
  const state = await openStateStore(ws);
  try {
    return { removed: await state.removeFavorite(principal.name, gameId) };
  } finally {
    await state.close();
  }
}

/**
 * A user's favorite game ids, the latest first. Your own, or (admins) anyone's: someone else's
 * favorites are FORBIDDEN to everyone else.
 */
export async function listFavorites(ws: Workspace, principal: Principal, userName = principal.name): Promise<{ gameId: number; at: string }[]> {
  if (userName !== principal.name && !hasRole(principal, 'admin')) {
    throw new AuthError('FORBIDDEN', `the favorites of ${userName} are theirs to see`, { hint: 'GET /api/v1/me/favorites lists yours' });
  }
  if (!stateExists(ws)) return [];
  const state = await openStateStore(ws);
  try {
    return await state.listFavorites(userName);
  } finally {
    await state.close();
  }
}
