import { templateString } from './template-string.js';
import { Unsupported } from './unsupported.js';

// What nunjucks' runtime (runtime.js, lib.js, jinja-compat.js) does to values, for render-jinja.ts.

type Context = Record<string, unknown>;

const TEMPLATE_STRING: unknown = Object.getPrototypeOf(templateString(''));

// Functions this engine makes (macros, bound methods) print differently from nunjucks' own when a
// value holding one is turned into text, so such values bail wherever that could happen.
// They carry this mark (a symbol: no template can read it): 'macro' or 'method'.
const ENGINE = Symbol('jinja engine function');

type Marked = ((...args: unknown[]) => unknown) & { [ENGINE]?: 'macro' | 'method' };

/** `fn`, marked as made by this engine. */
export function markEngineFunction<F extends (...args: never[]) => unknown>(fn: F, kind: 'macro' | 'method'): F {
  (fn as unknown as Marked)[ENGINE] = kind;
  return fn;
}

export function isMacroFunction(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as Marked)[ENGINE] === 'macro';
}

function holdsEngineFunction(value: unknown, depth = 0): boolean {
  if (typeof value === 'function') return (value as Marked)[ENGINE] !== undefined;
  if (value === null || typeof value !== 'object' || depth > 3 || Object.getPrototypeOf(value) === TEMPLATE_STRING) return false;
  if (isArray(value)) return (value as unknown[]).some((v) => holdsEngineFunction(v, depth + 1));
  return isObject(value) && Object.values(value).some((v) => holdsEngineFunction(v, depth + 1));
}

export function textSafe<T>(value: T): T {
  if (holdsEngineFunction(value)) throw new Unsupported('text of an engine function');
  return value;
}

export function compare(op: string, l: unknown, r: unknown): boolean {
  switch (op) {
    case '==':
      return l == r;
    case '===':
      return l === r;
    case '!=':
      return l != r;
    case '!==':
      return l !== r;
    case '<':
      return (l as number) < (r as number);
    case '>':
      return (l as number) > (r as number);
    case '<=':
      return (l as number) <= (r as number);
    default:
      return (l as number) >= (r as number);
  }
}

// Jinja compat's Python methods (`list.append`, `dict.items`, …) are left to nunjucks.
const ARRAY_MEMBERS = new Set(['pop', 'append', 'remove', 'count', 'index', 'find', 'insert']);
const OBJECT_MEMBERS = new Set(['items', 'values', 'keys', 'get', 'has_key', 'pop', 'popitem', 'setdefault', 'update', 'iteritems', 'itervalues', 'iterkeys']);

export function memberLookup(target: unknown, key: unknown): unknown {
  const obj = (target || {}) as Context;
  // A key object could name a compat method through its toString.
  if (typeof key !== 'string' && typeof key !== 'number') throw new Unsupported('lookup by a non-primitive key');
  if (typeof key === 'string' && ((isArray(obj) && ARRAY_MEMBERS.has(key)) || (isObject(obj) && OBJECT_MEMBERS.has(key)))) {
    throw new Unsupported(`Jinja compat method ${key}`);
  }
  const k = key as string;
  if (typeof obj[k] !== 'function') return obj[k];
  return markEngineFunction((...args: unknown[]): unknown => (obj[k] as (...a: unknown[]) => unknown).apply(obj, args), 'method');
}

export function inOperator(key: unknown, val: unknown): boolean {
  if (isArray(val) || isString(val)) return (val as string).indexOf(key as string) !== -1;
  if (isObject(val)) return (key as string) in (val as object);
  throw new Unsupported('in over an unexpected type');
}

export function fromIterator(arr: unknown): unknown {
  if (typeof arr !== 'object' || arr === null || isArray(arr)) return arr;
  if (Symbol.iterator in arr) return Array.from(arr as Iterable<unknown>);
  return arr;
}

export function numArgs(args: readonly unknown[]): number {
  return args.length > 0 && isKeywordArgs(args[args.length - 1]) ? args.length - 1 : args.length;
}

export function keywordArgs(args: readonly unknown[]): Context {
  const last = args[args.length - 1];
  return args.length > 0 && isKeywordArgs(last) ? (last as Context) : {};
}

function isKeywordArgs(obj: unknown): boolean {
  return Boolean(obj) && hasOwn(obj as object, '__keywords');
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function ownKeys(obj: object): string[] {
  const keys: string[] = [];
  for (const k in obj) if (hasOwn(obj, k)) keys.push(k);
  return keys;
}

const toString = Object.prototype.toString;
export const isArray = (x: unknown): boolean => toString.call(x) === '[object Array]';
const isString = (x: unknown): boolean => toString.call(x) === '[object String]';
const isObject = (x: unknown): boolean => toString.call(x) === '[object Object]';
