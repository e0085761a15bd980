import type { Config } from '../../core/index.js';
import type { SettingRecord } from '../../orchestration/index.js';
import { requireRole, withState, type Principal } from '../accounts.js';
import { stateExists, type Workspace } from '../workspace.js';

export const REGISTRATION_VALUES = ['open', 'closed'] as const;
export const SQL_CONSOLE_VALUES = ['viewers', 'operators', 'off'] as const;
export type RegistrationSetting = (typeof REGISTRATION_VALUES)[number];
export type SqlConsoleAccess = (typeof SQL_CONSOLE_VALUES)[number];

/** A switch's value now and where it comes from. */
export interface EffectiveSetting<V extends string> {
  value: V;
  /** `admin`: chosen on the settings page (or PUT /api/v1/settings) by `setBy` at `setAt`. */
  source: 'admin' | 'environment' | 'default';
  setBy: string | null;
  setAt: string | null;
  /** What applies while no admin has chosen: the environment's value, or the built-in default. */
  fallback: { value: V; source: 'environment' | 'default' };
}

export interface ServerSettings {
  /** Whether anyone may create an account (`POST /api/v1/register`, the /register page). */
  registration: EffectiveSetting<RegistrationSetting>;
  /** Who may use the SQL console. */
  sqlConsole: EffectiveSetting<SqlConsoleAccess>;
}

/** What an admin asks: a value, or null to go back to the fallback; an absent key stays as it is. */
export interface SettingsChange {
  registration?: RegistrationSetting | null;
  sqlConsole?: SqlConsoleAccess | null;
}

/** The stored key of each setting. */
const KEYS = { registration: 'registration', sqlConsole: 'sql_console' } as const satisfies Record<keyof ServerSettings, string>;

function pick<V extends string>(allowed: readonly V[], stored: SettingRecord | undefined, fallback: EffectiveSetting<V>['fallback']): EffectiveSetting<V> {
  // A value this version does not know (written by a newer one, or by hand) falls back.
  if (stored !== undefined && (allowed as readonly string[]).includes(stored.value)) {
    return { value: stored.value as V, source: 'admin', setBy: stored.updatedBy, setAt: stored.updatedAt, fallback };
  }
  return { value: fallback.value, source: fallback.source, setBy: null, setAt: null, fallback };
}

/**
 * The switches from what admins stored, over the environment, over the built-in defaults.
 * Registration is open by default on a loopback-only server (local mode) and closed beyond it.
 */
export function resolveSettings(stored: readonly SettingRecord[], config: Pick<Config, 'sqlConsole' | 'sqlConsoleSource'>, options: { localMode: boolean }): ServerSettings {
  const byKey = new Map(stored.map((s) => [s.key, s]));
  return {
    registration: pick(REGISTRATION_VALUES, byKey.get(KEYS.registration), { value: options.localMode ? 'open' : 'closed', source: 'default' }),
    sqlConsole: pick(SQL_CONSOLE_VALUES, byKey.get(KEYS.sqlConsole), { value: config.sqlConsole, source: config.sqlConsoleSource ?? 'default' }),
  };
}

/** The switches in force on this server (`localMode`: it listens on loopback only). Creates no state file. */
export async function effectiveSettings(ws: Workspace, options: { localMode: boolean }): Promise<ServerSettings> {
  const stored = stateExists(ws) ? await withState(ws, (state) => state.listSettings()) : [];
  return resolveSettings(stored, ws.config, options);
}

/** Stores an admin's choices (FORBIDDEN for anyone else) and returns the switches in force after them. */
export async function changeSettings(ws: Workspace, principal: Principal, change: SettingsChange, options: { localMode: boolean }): Promise<ServerSettings> {
  requireRole(principal, 'admin');
  const at = ws.clock.now().toISOString();
  await withState(ws, async (state) => {
    for (const [field, key] of Object.entries(KEYS) as [keyof SettingsChange, string][]) {
      const value = change[field];
      if (value === undefined) continue;
      if (value === null) await state.removeSetting(key);
      else await state.putSetting({ key, value, updatedAt: at, updatedBy: principal.name });
    }
  });
  return effectiveSettings(ws, options);
}
