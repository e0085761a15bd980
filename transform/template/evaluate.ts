import type { BinaryOp, Expr } from './ast.js';
import { FILTERS } from './filters.js';
import type { Frame} from './frames.js';
import { lookup, lookupFrames } from './frames.js';
import { TESTS } from './is-tests.js';
import { Markup } from './markup.js';
import { member } from './member.js';
import { TemplateUnsupported } from './template-unsupported.js';

function unsupported(what: string): never {
  throw new TemplateUnsupported(what);
}

/** The value of `e` in frame `f`, with the JavaScript semantics nunjucks' compiled code gives it. */
export function evaluate(e: Expr, f: Frame): unknown {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'name':
      return e.declared ? lookupFrames(f, e.n) : lookup(f, e.n);
    case 'bin':
      return binary(e.op, evaluate(e.l, f), evaluate(e.r, f));
    case 'member':
      return member(evaluate(e.obj, f), evaluate(e.key, f));
    case 'call':
      return call(e, f);
    case 'filter': {
      const value = evaluate(e.value, f);
      const filter = FILTERS.get(e.name) as (v: unknown, ...a: unknown[]) => unknown;
      const { args } = e;
      if (args.length === 0) return filter(value);
      if (args.length === 1) return filter(value, evaluate(args[0] as Expr, f));
      return filter(value, ...evaluateAll(args, f));
    }
    case 'test': {
      const value = evaluate(e.value, f);
      const test = TESTS.get(e.name) as (v: unknown, ...a: unknown[]) => boolean;
      const result = e.args.length === 0 ? test(value) : test(value, ...evaluateAll(e.args, f));
      return e.negate ? !result : result;
    }
    case 'in': {
      const found = inOperator(evaluate(e.key, f), evaluate(e.container, f));
      return e.negate ? !found : found;
    }
    case 'cond':
      return evaluate(e.test, f) ? evaluate(e.then, f) : e.else === undefined ? '' : evaluate(e.else, f);
    case 'and': {
      const l = evaluate(e.l, f);
      return l ? evaluate(e.r, f) : l;
    }
    case 'or': {
      const l = evaluate(e.l, f);
      return l ? l : evaluate(e.r, f);
    }
    case 'not':
      return !evaluate(e.x, f);
    case 'neg':
      return -(evaluate(e.x, f) as number);
    case 'pos':
      return +(evaluate(e.x, f) as number);
    case 'floor':
      return Math.floor(evaluate(e.x, f) as number);
    case 'pow':
      return Math.pow(evaluate(e.base, f) as number, evaluate(e.exp, f) as number);
    case 'list':
      return evaluateAll(e.items, f);
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < e.keys.length; i++) out[e.keys[i] as string] = evaluate(e.values[i] as Expr, f);
      return out;
    }
    case 'comma': {
      let value: unknown;
      for (const x of e.items) value = evaluate(x, f);
      return value;
    }
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- JavaScript's operators on any values, as nunjucks' compiled code applies them */
function binary(op: BinaryOp, l: any, r: any): unknown {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '==':
      return l == r;
    case '!=':
      return l != r;
    case '===':
      return l === r;
    case '!==':
      return l !== r;
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    case '>=':
      return l >= r;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

type CallExpr = Extract<Expr, { k: 'call' }>;

function evaluateAll(items: readonly Expr[], f: Frame): unknown[] {
  const out = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = evaluate(items[i] as Expr, f);
  return out;
}

function call(e: CallExpr, f: Frame): unknown {
  const fn = evaluate(e.fn, f);
  if (typeof fn !== 'function') unsupported('call of a value that is not a function');
  const args = evaluateAll(e.args, f);
  if (e.kwNames.length > 0) {
    const kwargs: Record<string, unknown> = {};
    for (let i = 0; i < e.kwNames.length; i++) kwargs[e.kwNames[i] as string] = evaluate(e.kwValues[i] as Expr, f);
    kwargs.__keywords = true;
    args.push(kwargs);
  }
  return (fn as (...a: unknown[]) => unknown)(...args);
}

function inOperator(key: unknown, container: unknown): boolean {
  if (Array.isArray(container)) return container.indexOf(key) !== -1;
  if (typeof container === 'string') return container.indexOf(key as string) !== -1;
  if (container !== null && typeof container === 'object') return (key as PropertyKey) in container;
  return unsupported('in on this value');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What `{{ value }}` writes: nunjucks' string of it, for the values whose string both engines agree on. */
export function print(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Markup) return value.val;
  if (value === undefined || value === null) return unsupported('output of undefined or null');
  if (printable(value, 0)) return `${value as string}`;
  return unsupported('output of this value');
}

function printable(value: unknown, depth: number): boolean {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Markup) return true;
  if (depth > 8) return false;
  if (Array.isArray(value)) return value.every((v) => printable(v, depth + 1));
  return isPlainObject(value) && !Object.hasOwn(value, 'valueOf') && (!Object.hasOwn(value, 'toString') || typeof value.toString === 'function');
}
