/**
 * Secret redaction. Every secret the process learns (API keys, cloud credentials) is registered
 * here once, at the config edge; errors, logs, the lake writer and the state store pass text
 * through `redactText` so a registered value can never leave the process.
 */
const secrets = new Set<string>();
const MASK = '[REDACTED]';
// RAWG echoes `key=` in `next`/`previous` URLs; mask it even when the value was never registered.
const KEY_PARAM = /([?&](?:key|api_key|apikey|token|access_token)=)[^&\s"'#<>]+/gi;
const SECRET_FIELD = /^(?:api_?key|secret|.*secret.*|.*password.*|.*token.*|authorization)$/i;

/** Registers a secret value; values shorter than 4 characters are ignored (they would mask noise). */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 4) secrets.add(value);
}

/** Forgets every registered secret (tests only). */
export function clearSecrets(): void {
  secrets.clear();
}

/** Returns `text` with every registered secret and every `key=` URL parameter masked. */
export function redactText(text: string): string {
  let out = text.replace(KEY_PARAM, `$1${MASK}`);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return out;
}

/** Deep-redacts a JSON-like value: strings are redacted, fields named like secrets are masked. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && typeof v === 'string' ? MASK : redactValue(v, depth + 1);
  }
  return out;
}

/** Removes the `key` query parameter from a URL entirely (for URLs we store, like `next`). */
export function stripKeyParam(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.searchParams.delete('key');
    return parsed.toString();
  } catch {
    return redactText(url);
  }
}
