import { randomBytes } from 'node:crypto';
import { AuthError, UsageError, registerSecret } from '../../core/index.js';
import type { EventSourceRecord } from '../../orchestration/index.js';
import { sha256, withState } from '../accounts.js';
import type { Workspace } from '../workspace.js';

/** A source as people see it: never its key. */
export interface EventSourceInfo {
  name: string;
  keyPrefix: string;
  eventsPerSecond: number | null;
  createdAt: string;
  revokedAt: string | null;
}

const info = (s: EventSourceRecord): EventSourceInfo => ({ name: s.name, keyPrefix: s.keyPrefix, eventsPerSecond: s.eventsPerSecond, createdAt: s.createdAt, revokedAt: s.revokedAt });

/** Adds a source and returns its write key, shown this once (only its hash is kept). */
export async function addEventSource(ws: Workspace, name: string, options: { eventsPerSecond?: number } = {}): Promise<{ source: EventSourceInfo; key: string }> {
  if (!/^[a-z][a-z0-9._-]{1,63}$/.test(name)) throw new UsageError(`"${name}" is not a source name: 2-64 of a-z 0-9 . _ - starting with a letter`);
  if (options.eventsPerSecond !== undefined && !(Number.isInteger(options.eventsPerSecond) && options.eventsPerSecond > 0)) {
    throw new UsageError(`--rate ${options.eventsPerSecond}: expected a whole number of events per second above 0`);
  }
  const key = `gmpw_${randomBytes(24).toString('base64url')}`;
  registerSecret(key);
  const record = { name, keyHash: sha256(key), keyPrefix: key.slice(0, 9), eventsPerSecond: options.eventsPerSecond ?? null, createdAt: ws.clock.now().toISOString() };
  const created = await withState(ws, (state) => state.createEventSource(record));
  if (!created) throw new UsageError(`a source "${name}" exists already`, { hint: 'pick another name, or revoke it first (gmp sources revoke NAME)' });
  return { source: info({ ...record, revokedAt: null }), key };
}

export async function listEventSources(ws: Workspace): Promise<EventSourceInfo[]> {
  return withState(ws, async (state) => (await state.listEventSources()).map(info));
}

export async function revokeEventSource(ws: Workspace, name: string): Promise<void> {
  const revoked = await withState(ws, (state) => state.revokeEventSource(name, ws.clock.now().toISOString()));
  if (!revoked) throw new UsageError(`no active source "${name}"`, { code: 'NOT_FOUND', hint: 'gmp sources list shows them' });
}

/** Who may send events: a write key's source, or anyone when no key exists and the collector is on loopback. */
export interface WriteKeyCheck {
  /** The source of a valid key; null when keys are not required (loopback, none configured). */
  (authorization: string | undefined): Promise<EventSourceInfo | null>;
}

/**
 * Resolves `Authorization: Bearer <write key>` to its source, from the state store (cached a few
 * seconds, so a revocation takes effect within `cacheMs`). On loopback with no source configured,
 * every request passes without a key. Throws AuthError (401) for a missing or unknown key.
 */
export function writeKeyCheck(ws: Workspace, options: { loopback: boolean; cacheMs?: number }): WriteKeyCheck {
  const cacheMs = options.cacheMs ?? 5000;
  // Promises, so that a burst of requests shares one lookup of the state store.
  const byHash = new Map<string, { at: number; source: Promise<EventSourceInfo | null> }>();
  let anyActive: { at: number; value: Promise<boolean> } | undefined;
  return async (authorization) => {
    const now = Date.now();
    if (!anyActive || now - anyActive.at > cacheMs) {
      const value = listEventSources(ws).then((list) => list.some((s) => s.revokedAt === null));
      anyActive = { at: now, value };
      value.catch(() => anyActive?.value === value && (anyActive = undefined));
    }
    const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!key) {
      if (options.loopback && !(await anyActive.value)) return null;
      throw new AuthError('UNAUTHORIZED', 'events need a write key: Authorization: Bearer <key>', { hint: 'gmp sources add NAME prints one' });
    }
    const hash = sha256(key);
    let hit = byHash.get(hash);
    if (!hit || now - hit.at > cacheMs) {
      const source = withState(ws, (state) => state.findEventSource(hash)).then((found) => (found ? info(found) : null));
      hit = { at: now, source };
      byHash.set(hash, hit);
      source.catch(() => byHash.get(hash)?.source === source && byHash.delete(hash));
      if (byHash.size > 10_000) byHash.delete(byHash.keys().next().value!);
    }
    const found = await hit.source;
    if (!found) throw new AuthError('UNAUTHORIZED', 'this write key is unknown or revoked', { hint: 'gmp sources list shows the sources; gmp sources add NAME makes a key' });
    return found;
  };
}
