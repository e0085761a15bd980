import { formatLocation } from './format-location.js';

/**
 * A nunjucks error as one `file:line: message` problem; nunjucks' own `(file) [Line L, Column C]`
 * prefix is folded into the location so every problem reads the same way.
 */
export function templateErrorMessage(file: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const located = /^\((?:[^)]*)\)\s*\[Line (\d+), Column (\d+)\]\s*([\s\S]*)$/.exec(text);
  const clean = (s: string): string => s.replace(/^Error:\s*/, '').replace(/\s+/g, ' ').trim();
  if (!located) return `${file}: ${clean(text.replace(/^\((?:[^)]*)\)\s*/, ''))}`;
  return `${formatLocation(file, Number(located[1]))}: ${clean(located[3] ?? '')} (column ${located[2]})`;
}
