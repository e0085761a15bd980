import { LakeError } from '../core/index.js';

/** Prefix of the temporary files a local put writes before its rename; never a valid key segment. */
export const TEMP_FILE_PREFIX = '.gmp-tmp-';

/** Throws a non-retryable LakeError unless `key` is a safe '/'-separated relative path. */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key, false);
  if (problem !== undefined) throw invalid('key', key, problem);
}

/** Like assertValidKey, but '' and a trailing '/' or partial last segment are fine (list prefixes). */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const problem = keyProblem(prefix, true);
  if (problem !== undefined) throw invalid('prefix', prefix, problem);
}

function keyProblem(key: string, isPrefix: boolean): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) return 'it is absolute';
  if (key.includes('\\')) return 'it contains a backslash';
  // Control characters break S3 XML listings and some file systems.
  if (hasControlCharacter(key)) return 'it contains a control character';
  const segments = key.split('/');
  // A prefix may end with '/': its last (empty) segment is allowed.
  const checked = isPrefix && key.endsWith('/') ? segments.slice(0, -1) : segments;
  for (const segment of checked) {
    if (segment === '') return 'it has an empty segment';
    if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
    if (segment.startsWith(TEMP_FILE_PREFIX)) return `its segments may not start with "${TEMP_FILE_PREFIX}"`;
  }
  return undefined;
}

function invalid(what: string, key: string, problem: string): LakeError {
  const shown = JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key);
  return new LakeError(`invalid lake ${what} ${shown}: ${problem}`, {
    retryable: false,
    context: { lakeKey: key, invalidKey: true },
    hint: "use a relative '/'-separated path without '.', '..', '\\' or empty segments",
  });
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
