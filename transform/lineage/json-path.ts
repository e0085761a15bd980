/**
 * The segments of a constant JSON path as DuckDB reads it (`$.a.b[0]`, `$.a[*]`, `/a/b`, or a bare
 * key); `[*]` marks an array element. Null for a path too dynamic to name a field.
 */
export function parseJsonPath(path: string | number): string[] | null {
  if (typeof path === 'number') return Number.isInteger(path) ? [`[${path}]`] : null;
  if (path.startsWith('/')) return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (!path.startsWith('$')) return path === '' ? null : [path];
  const segments: string[] = [];
  const re = /\.(?:"((?:[^"\\]|\\.)*)"|([^.[\]"]+))|\[(\*|-?\d+)\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return null;
    segments.push(m[3] !== undefined ? `[${m[3]}]` : (m[1] ?? m[2] ?? ''));
  }
  return segments;
}

/** `['genres', '[*]', 'id']` → `genres[*].id`; undefined for the whole column. */
export function formatJsonPath(segments: readonly string[]): string | undefined {
  if (segments.length === 0) return undefined;
  return segments.reduce((out, s) => (s.startsWith('[') || out === '' ? `${out}${s}` : `${out}.${s}`), '');
}

/** A field path inside a field path: `genres[*]` + `id` → `genres[*].id`. */
export function joinJsonPath(outer: string | undefined, inner: string | undefined): string | undefined {
  if (!outer) return inner;
  if (!inner) return outer;
  return inner.startsWith('[') ? `${outer}${inner}` : `${outer}.${inner}`;
}
