import type { Expr, MacroDef, Stmt, TemplateAst } from './ast.js';
import { evaluate, isPlainObject, print } from './evaluate.js';
import { assign, Frame, Scope, type Globals } from './frames.js';
import { Markup } from './markup.js';
import { TemplateUnsupported } from './template-unsupported.js';

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

