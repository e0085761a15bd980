import { TemplateUnsupported } from './template-unsupported.js';

type Filter = (value: unknown, ...args: unknown[]) => unknown;

function unsupported(name: string): never {
  throw new TemplateUnsupported(`filter ${name} on this value`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The filters this engine renders, each for the values on which it was checked to give what
 * nunjucks' filter of that name gives (transform/template/differential.test.ts); any other value throws
 * TemplateUnsupported, so nunjucks renders the template.
 */
export const FILTERS: ReadonlyMap<string, Filter> = new Map<string, Filter>([
  [
    'join',
    (value, separator = '', attribute?) => {
      if (!Array.isArray(value) || typeof separator !== 'string' || (attribute !== undefined && typeof attribute !== 'string')) return unsupported('join');
      const items = attribute === undefined ? value : value.map((item: unknown) => (item === null || typeof item !== 'object' ? unsupported('join') : (item as Record<string, unknown>)[attribute]));
      return items.join(separator);
    },
  ],
  ['upper', (value) => (value === undefined || value === null ? '' : typeof value === 'string' ? value.toUpperCase() : unsupported('upper'))],
  ['lower', (value) => (value === undefined || value === null ? '' : typeof value === 'string' ? value.toLowerCase() : unsupported('lower'))],
  ['default', defaultFilter],
  ['d', defaultFilter],
  [
    'length',
    (value) => {
      if (value === undefined || value === null) return 0;
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (isPlainObject(value)) return Object.keys(value).length;
      return unsupported('length');
    },
  ],
  ['trim', (value) => (typeof value === 'string' ? value.trim() : unsupported('trim'))],
  [
    'replace',
    (value, search, replacement, count?) => {
      if (typeof value !== 'string' || typeof search !== 'string' || search === '' || typeof replacement !== 'string') return unsupported('replace');
      if (count !== undefined && !(typeof count === 'number' && Number.isInteger(count) && count > 0)) return unsupported('replace');
      let out = '';
      let from = 0;
      let done = 0;
      for (;;) {
        const at = value.indexOf(search, from);
        if (at === -1 || (count !== undefined && done === count)) break;
        out += value.slice(from, at) + replacement;
        from = at + search.length;
        done++;
      }
      return out + value.slice(from);
    },
  ],
  ['first', (value) => (typeof value === 'string' || Array.isArray(value) ? value[0] : unsupported('first'))],
  ['last', (value) => (typeof value === 'string' || Array.isArray(value) ? value[value.length - 1] : unsupported('last'))],
  ['list', (value) => (typeof value === 'string' ? value.split('') : Array.isArray(value) ? [...value] : unsupported('list'))],
]);

function defaultFilter(value: unknown, fallback?: unknown, ifFalsy?: unknown): unknown {
  if (ifFalsy !== undefined && typeof ifFalsy !== 'boolean') return unsupported('default');
  if (ifFalsy === true) return value ? value : fallback;
  return value === undefined ? fallback : value;
}
