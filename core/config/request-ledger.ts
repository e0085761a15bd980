import type { RawgSettings } from './config-schema.js';

/** The ledger name of the built-in sandbox the keyless demo starts (on whatever port). */
export const SANDBOX_LEDGER = 'sandbox';

/**
 * The request ledger an endpoint's requests are charged to: `settings.ledger` when set, else the
 * base URL without credentials, query or trailing slash (`https://api.rawg.io/api`). Each endpoint
 * has its own ledger, so a test server or a replay never spends the real API's monthly quota.
 */
export function requestLedger(settings: Pick<RawgSettings, 'baseUrl' | 'ledger'>): string {
  if (settings.ledger !== undefined) return settings.ledger;
  try {
    const url = new URL(settings.baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return settings.baseUrl;
  }
}
