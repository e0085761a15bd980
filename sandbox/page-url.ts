// Python's quote_plus: only letters, digits and _.-~ survive; space becomes '+'.
const quotePlus = (text: string): string =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/**
 * A `next`/`previous` link the way Django REST Framework builds them: every query parameter of the
 * request is echoed (the API key included), `page` is replaced (or dropped for page 1), and the
 * parameters are re-encoded sorted by name.
 */
export function pageUrl(base: string, params: URLSearchParams, page: number | null): string {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) {
    if (name === 'page') continue;
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  }
  if (page !== null) grouped.set('page', [String(page)]);
  const query = [...grouped.keys()]
    .sort()
    .flatMap((name) => (grouped.get(name) ?? []).map((value) => `${quotePlus(name)}=${quotePlus(value)}`))
    .join('&');
  return query === '' ? base : `${base}?${query}`;
}
