import { isPlainKey } from './cursor.js';
import { TemplateUnsupported } from './template-unsupported.js';

// The Python dict methods nunjucks' Jinja compatibility adds to objects, and the list methods it
// adds to arrays (or that change an array while a loop may walk it).
const DICT_METHODS = new Set(['get', 'has_key', 'items', 'iteritems', 'iterkeys', 'itervalues', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values']);
const ARRAY_METHODS = new Set(['append', 'count', 'index', 'find', 'insert', 'pop', 'remove', 'reverse', 'sort', 'push', 'shift', 'unshift', 'splice', 'fill', 'copyWithin', 'extend', 'clear', 'copy']);

function unsupported(what: string): never {
  throw new TemplateUnsupported(what);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function checkArgs(args: readonly unknown[]): void {
  for (const a of args) if (a !== null && typeof a === 'object' && (a as { __keywords?: unknown }).__keywords === true) unsupported('keyword arguments to a dict method');
}

function dictKey(key: unknown): string | number {
  if (typeof key === 'number' || (typeof key === 'string' && isPlainKey(key))) return key;
  return unsupported('dict key');
}

/**
 * `obj.key` / `obj[key]` as nunjucks reads it: undefined on undefined or null, a function bound to
 * `obj`, and for a plain object `items()`, `keys()`, `values()`, `get(k, default)` and `has_key(k)`
 * as dbt users write them. Anything else nunjucks may read otherwise throws TemplateUnsupported.
 */
export function member(obj: unknown, key: unknown): unknown {
  if (obj === undefined || obj === null) return undefined;
  if (typeof key === 'string') {
    if (!isPlainKey(key)) unsupported(`attribute ${key}`);
    if (Array.isArray(obj)) {
      if (ARRAY_METHODS.has(key)) unsupported(`list method ${key}`);
    } else if ((typeof obj === 'object' || typeof obj === 'function') && DICT_METHODS.has(key)) {
      if (!isPlainObject(obj)) unsupported(`method ${key} of this value`);
      return dictMethod(obj, key);
    }
  } else if (typeof key !== 'number') {
    unsupported('subscript of this type');
  }
  const value = (obj as Record<string | number, unknown>)[key];
  if (typeof value === 'function') return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(obj, args);
  return value;
}

function dictMethod(obj: Record<string, unknown>, name: string): (...args: unknown[]) => unknown {
  switch (name) {
    case 'items':
      return (...args) => (checkArgs(args), Object.keys(obj).map((k) => [k, obj[k]]));
    case 'keys':
      return (...args) => (checkArgs(args), Object.keys(obj));
    case 'values':
      return (...args) => (checkArgs(args), Object.keys(obj).map((k) => obj[k]));
    case 'get':
      return (...args) => {
        checkArgs(args);
        const value = obj[dictKey(args[0])];
        return value === undefined ? args[1] : value;
      };
    case 'has_key':
      return (...args) => (checkArgs(args), Object.hasOwn(obj, dictKey(args[0])));
    default:
      return unsupported(`dict method ${name}`);
  }
}
