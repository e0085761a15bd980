import { editDistance } from '../core/index.js';

/** ` (did you mean 'a', 'b'?)` for the known names close to `name`, or an empty string. */
export function didYouMean(name: string, known: readonly string[]): string {
  const close = known.filter((k) => k.includes(name) || name.includes(k) || editDistance(k, name) <= 3);
  return close.length > 0 ? ` (did you mean ${close.slice(0, 3).map((c) => `'${c}'`).join(', ')}?)` : '';
}
