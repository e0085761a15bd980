// People of `gmp serve`: registration, profiles, one's own API tokens, and the server's switches.
export { normalizeDisplayName, normalizeEmail } from './person-fields.js';
export { register } from './register.js';
export type { Registration } from './register.js';
export { changePassword, getProfile, requireAccount, updateProfile } from './profile.js';
export type { Profile } from './profile.js';
export { createOwnToken, listOwnTokens, revokeOwnToken } from './own-tokens.js';
export { REGISTRATION_VALUES, SQL_CONSOLE_VALUES, changeSettings, effectiveSettings, resolveSettings } from './server-settings.js';
export type { EffectiveSetting, RegistrationSetting, ServerSettings, SettingsChange, SqlConsoleAccess } from './server-settings.js';
