import type { BinaryOp, Expr, MacroDef, Stmt, TemplateAst } from './ast.js';
import { FILTERS } from './filters.js';
import { TESTS } from './is-tests.js';
import { Markup } from './markup.js';
import { member } from './member.js';
import { TemplateUnsupported } from './template-unsupported.js';

/**
 * What a template's top-level assignments write to and its unresolved names read from (nunjucks'
 * context): the globals, overlaid by top-level `set`s and macros. Every name read from the globals
 * is added to `names`.
 */
class Scope {
  // Assigned names and their values, as two lists: a template assigns a few at most.
  private keys: string[] | undefined;
  private values: unknown[] | undefined;
  /** Top-level names a macro library exports (those not starting with `_`), when it is one. */
  readonly exports: string[] | undefined;

  constructor(
    private readonly globals: Globals,
    private readonly names: Set<string>,
    exporting: boolean,
  ) {
    this.exports = exporting ? [] : undefined;
  }

  lookup(name: string): unknown {
    if (this.keys !== undefined) {
      const i = this.keys.indexOf(name);
      if (i !== -1) return (this.values as unknown[])[i];
    }
    this.names.add(name);
    for (const layer of this.globals) if (Object.hasOwn(layer, name)) return layer[name];
    return undefined;
  }

  assign(name: string, value: unknown): void {
    if (this.keys === undefined) {
      this.keys = [name];
      this.values = [value];
    } else {
      const i = this.keys.indexOf(name);
      if (i === -1) {
        this.keys.push(name);
        (this.values as unknown[]).push(value);
      } else {
        (this.values as unknown[])[i] = value;
      }
    }
    if (this.exports !== undefined && !name.startsWith('_') && !this.exports.includes(name)) this.exports.push(name);
  }

  exported(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const name of this.exports ?? []) out[name] = this.values?.[(this.keys as string[]).indexOf(name)];
    return out;
  }
}

/** Variables of a template's top level, of a loop, or of a macro call (which sees no frame around it). */
class Frame {
  // Names and values, as two lists: a frame holds a few.
  keys: string[] | undefined = undefined;
  values: unknown[] | undefined = undefined;
  /** Whether `keys` is a macro's parameter list, shared by its calls (copied before a name is added). */
  sharedKeys = false;

  constructor(
    readonly parent: Frame | undefined,
    readonly scope: Scope,
    readonly topLevel: boolean,
  ) {}

  /** Index of `name` here, or -1. */
  find(name: string): number {
    return this.keys === undefined ? -1 : this.keys.indexOf(name);
  }

  set(name: string, value: unknown): void {
    if (this.keys === undefined) {
      this.keys = [name];
      this.values = [value];
      return;
    }
    const i = this.keys.indexOf(name);
    if (i === -1) {
      if (this.sharedKeys) {
        this.keys = this.keys.slice();
        this.sharedKeys = false;
      }
      this.keys.push(name);
      (this.values as unknown[]).push(value);
    } else {
      (this.values as unknown[])[i] = value;
    }
  }
}

/** What a template reads its free names from: objects, the first holding a name wins (not modified). */
export type Globals = readonly Readonly<Record<string, unknown>>[];

/**
 * Renders a parsed template with `globals`, adding the names it reads from them to `names`. Throws TemplateUnsupported where its output could differ from nunjucks', and whatever
 * a global function throws; nunjucks then renders the template (to its output or its error).
 */
export function renderTemplate(template: TemplateAst, globals: Globals, names: Set<string>): string {
  return run(template.body, new Frame(undefined, new Scope(globals, names, false), true));
}

/**
 * Runs the top level of macro files in order, as one template, and returns what they export
 * (their macros and top-level `set`s, but names starting with `_`), bound to `globals`.
 */
export function runMacroLibrary(templates: readonly TemplateAst[], globals: Globals, names: Set<string>): Record<string, unknown> {
  const scope = new Scope(globals, names, true);
  const root = new Frame(undefined, scope, true);
  for (const t of templates) run(t.body, root);
  return scope.exported();
}

function unsupported(what: string): never {
  throw new TemplateUnsupported(what);
}

function run(body: readonly Stmt[], f: Frame): string {
  let out = '';
  for (const s of body) {
    switch (s.k) {
      case 'text':
        out += s.s;
        break;
      case 'out':
        out += print(evaluate(s.e, f));
        break;
      case 'if': {
        let taken = false;
        for (let i = 0; i < s.tests.length; i++) {
          if (evaluate(s.tests[i] as Expr, f)) {
            out += run(s.bodies[i] as Stmt[], f);
            taken = true;
            break;
          }
        }
        if (!taken && s.else !== undefined) out += run(s.else, f);
        break;
      }
      case 'for':
        out += runFor(s, f);
        break;
      case 'set': {
        const value = evaluate(s.e, f);
        for (const name of s.names) assign(f, name, value);
        break;
      }
      case 'setblock':
        assign(f, s.name, run(s.body, f));
        break;
      case 'macro':
        assign(f, s.def.name, macro(s.def, f.scope));
        break;
    }
  }
  return out;
}

// `set` updates the innermost frame that has the name (up to the macro call), else defines it in
// the current frame; at the top level it also writes the scope, which is what macros read.
function assign(f: Frame, name: string, value: unknown): void {
  let found = false;
  for (let g: Frame | undefined = f; g !== undefined; g = g.parent) {
    const i = g.find(name);
    if (i !== -1) {
      (g.values as unknown[])[i] = value;
      found = true;
      break;
    }
  }
  if (!found) f.set(name, value);
  if (f.topLevel) f.scope.assign(name, value);
}

function lookupFrames(f: Frame, name: string): unknown {
  for (let g: Frame | undefined = f; g !== undefined; g = g.parent) {
    const i = g.find(name);
    if (i !== -1) return (g.values as unknown[])[i];
  }
  return undefined;
}

// A name that no enclosing loop or macro declares is read from the frames, and from the scope when
// the frames give undefined.
function lookup(f: Frame, name: string): unknown {
  const value = lookupFrames(f, name);
  return value !== undefined ? value : f.scope.lookup(name);
}

type ForStmt = Extract<Stmt, { k: 'for' }>;

function runFor(s: ForStmt, outer: Frame): string {
  const iter = evaluate(s.iter, outer);
  const f = new Frame(outer, outer.scope, false);
  const { names, body } = s;
  const single = names.length === 1 ? (names[0] as string) : undefined;
  let out = '';
  let n = 0;
  if (Array.isArray(iter) || typeof iter === 'string') {
    n = iter.length;
    for (let i = 0; i < n; i++) {
      const item: unknown = iter[i];
      if (single !== undefined) {
        f.set(single, item);
      } else {
        if (!Array.isArray(item) && typeof item !== 'string') unsupported('unpacking a value that is not a list');
        if (typeof iter === 'string') unsupported('unpacking a string');
        for (let j = 0; j < names.length; j++) f.set(names[j] as string, item[j]);
      }
      f.set('loop', loopInfo(i, n));
      out += run(body, f);
    }
  } else if (isPlainObject(iter)) {
    if (names.length > 2) unsupported('three loop variables over a dict');
    if (names.length === 2) {
      const keys = Object.keys(iter);
      n = keys.length;
      for (let i = 0; i < n; i++) {
        const key = keys[i] as string;
        f.set(names[0] as string, key);
        f.set(names[1] as string, iter[key]);
        f.set('loop', loopInfo(i, n));
        out += run(body, f);
      }
    }
  } else if (!(iter === undefined || iter === null || typeof iter === 'number' || typeof iter === 'boolean' || typeof iter === 'function')) {
    unsupported('loop over this value');
  }
  if (n === 0 && s.else !== undefined) out += run(s.else, f);
  return out;
}

function loopInfo(i: number, n: number): Record<string, unknown> {
  return { index: i + 1, index0: i, revindex: n - i, revindex0: n - i - 1, first: i === 0, last: i === n - 1, length: n };
}

function macro(def: MacroDef, scope: Scope): (...args: unknown[]) => Markup {
  const { params, defaults, body } = def;
  return (...args: unknown[]) => {
    let count = args.length;
    let kwargs: Record<string, unknown> | undefined;
    const last = args[count - 1];
    if (last !== null && typeof last === 'object' && (last as { __keywords?: unknown }).__keywords === true) {
      kwargs = last as Record<string, unknown>;
      count--;
    }
    const f = new Frame(undefined, scope, false);
    const values = new Array<unknown>(params.length);
    f.keys = params;
    f.sharedKeys = true;
    f.values = values;
    // Positional arguments go to the parameters without a default first, then to the others.
    let p = 0;
    for (let i = 0; i < params.length; i++) {
      if (defaults[i] !== undefined) continue;
      const name = params[i] as string;
      values[i] = p < count ? args[p++] : kwargs !== undefined && Object.hasOwn(kwargs, name) ? kwargs[name] : undefined;
    }
    for (let i = 0; i < params.length; i++) {
      const fallback = defaults[i];
      if (fallback === undefined) continue;
      const name = params[i] as string;
      // Defaults read no parameter (the parser declines those), so the order of binding is free.
      values[i] = p < count ? args[p++] : kwargs !== undefined && Object.hasOwn(kwargs, name) ? kwargs[name] : evaluate(fallback, f);
    }
    return new Markup(run(body, f));
  };
}

function evaluate(e: Expr, f: Frame): unknown {
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What `{{ value }}` writes: nunjucks' string of it, for the values whose string both engines agree on. */
function print(value: unknown): string {
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
