import type { Expr, JinjaMacro, JinjaTemplate, Stmt } from './jinja-ast.js';
import { JinjaFrame } from './jinja-frame.js';
import { compare, fromIterator, hasOwn, inOperator, isArray, isMacroFunction, keywordArgs, markEngineFunction, memberLookup, numArgs, ownKeys, textSafe } from './jinja-runtime.js';
import { templateString } from './template-string.js';
import { Unsupported } from './unsupported.js';

type Context = Record<string, unknown>;

/** A macro library prepared once: its macros by name (the later of two namesakes wins), and which a model sees. */
export interface JinjaMacros {
  all: ReadonlyMap<string, JinjaMacro>;
  /** The names `getExported` returns: all but those starting with `_`. */
  exported: ReadonlySet<string>;
}

export function prepareJinjaMacros(macros: readonly JinjaMacro[]): JinjaMacros {
  const all = new Map(macros.map((m) => [m.name, m]));
  return { all, exported: new Set([...all.keys()].filter((n) => n.charAt(0) !== '_')) };
}

/**
 * One render's macros: nunjucks runs the macro library in a copy of the model's context (its
 * globals as given, without the template's own `set`s) and gives the model the same functions.
 * They are bound on first use.
 */
interface Library {
  macros: JinjaMacros;
  ctx: Context;
  names: Set<string> | undefined;
  bound: Map<string, (...args: unknown[]) => unknown> | undefined;
}

interface State {
  ctx: Context;
  /** nunjucks renders in a copy of the context; copied here on the first top-level `set`. */
  ctxOwned: boolean;
  frame: JinjaFrame;
  /** One array of slots per running function (the template or macro, then each capture block). */
  acts: unknown[][];
  names: Set<string> | undefined;
  library: Library | undefined;
  /** Inside a macro every macro is visible; in the template only the exported ones. */
  inMacro: boolean;
}

/**
 * Renders a template as nunjucks 3.2 (with installJinjaCompat, autoescape off, throwOnUndefined)
 * renders it with `context` and the macros (as `getExported` on the joined macro files binds them),
 * adding to `names` every name read from the context or the macros (by the template or a macro). Throws Unsupported where the
 * result could differ from nunjucks' or nunjucks would throw (an undefined output, a call of a
 * non-function, Jinja-compat methods, nunjucks' globals): render it with nunjucks then, which gives
 * its own result or error.
 */
export function renderJinja(template: JinjaTemplate, context: Context, options: { macros?: JinjaMacros; names?: Set<string> } = {}): string {
  const frame = new JinjaFrame();
  frame.topLevel = true;
  const library = options.macros && options.macros.all.size > 0 ? { macros: options.macros, ctx: context, names: options.names, bound: undefined } : undefined;
  return run(template.body, { ctx: context, ctxOwned: false, frame, acts: [new Array<unknown>(template.slots)], names: options.names, library, inMacro: false });
}

function boundMacro(library: Library, name: string): (...args: unknown[]) => unknown {
  library.bound ??= new Map();
  let fn = library.bound.get(name);
  if (fn === undefined) {
    const macro = library.macros.all.get(name)!;
    fn = markEngineFunction((...args: unknown[]) => callMacro(macro, library, args), 'macro');
    library.bound.set(name, fn);
  }
  return fn;
}

// nunjucks' makeMacro: extra positional arguments fill the keyword arguments in order; keyword
// arguments named like positional ones fill those.
function callMacro(macro: JinjaMacro, library: Library, macroArgs: unknown[]): unknown {
  const argNames = macro.args;
  const argCount = numArgs(macroArgs);
  const kwargs = keywordArgs(macroArgs);
  let args: unknown[];
  if (argCount > argNames.length) {
    args = macroArgs.slice(0, argNames.length);
    macroArgs.slice(args.length, argCount).forEach((val, i) => {
      if (i < macro.kwargs.length) kwargs[macro.kwargs[i]![0]] = val;
    });
    args.push(kwargs);
  } else if (argCount < argNames.length) {
    args = macroArgs.slice(0, argCount);
    for (let i = argCount; i < argNames.length; i++) {
      const arg = argNames[i]!;
      args.push(kwargs[arg]);
      delete kwargs[arg];
    }
    args.push(kwargs);
  } else {
    args = macroArgs;
  }
  // The compiled macro's body: a fresh frame, its arguments, then its keyword arguments' defaults.
  const frame = new JinjaFrame();
  const act = new Array<unknown>(macro.slots);
  const s: State = { ctx: library.ctx, ctxOwned: true, frame, acts: [act], names: library.names, library, inMacro: true };
  const passed = (args[argNames.length] || {}) as Context;
  if (hasOwn(passed, 'caller')) frame.set('caller', passed.caller);
  for (let i = 0; i < argNames.length; i++) {
    act[i] = args[i];
    frame.set(argNames[i]!, args[i]);
  }
  for (const [name, fallback] of macro.kwargs) frame.set(name, hasOwn(passed, name) ? passed[name] : evaluate(fallback, s));
  return templateString(run(macro.body, s));
}

function run(stmts: readonly Stmt[], s: State): string {
  let out = '';
  for (const st of stmts) {
    switch (st.k) {
      case 'text':
        out += st.text;
        break;
      case 'output': {
        const value = evaluate(st.expr, s);
        if (value === null || value === undefined) throw new Unsupported('output of an undefined value');
        out += textSafe(value) as string;
        break;
      }
      case 'if': {
        const branch = evaluate(st.cond, s) ? st.body : st.else_;
        if (branch) out += run(branch, s);
        break;
      }
      case 'set': {
        const value = evaluate(st.value, s);
        for (const t of st.targets) assign(s, t, value);
        break;
      }
      case 'capture': {
        s.acts.push(new Array<unknown>(st.slots));
        const value = run(st.body, s);
        s.acts.pop();
        for (const t of st.targets) assign(s, t, value);
        break;
      }
      case 'for':
        out += runFor(st, s);
        break;
      case 'for-pairs':
        out += runForPairs(st, s);
        break;
    }
  }
  return out;
}

function assign(s: State, target: { name: string; slot: { depth: number; index: number } | null }, value: unknown): void {
  if (target.slot) s.acts[target.slot.depth]![target.slot.index] = value;
  s.frame.set(target.name, value, true);
  if (s.frame.topLevel) {
    if (!s.ctxOwned) {
      s.ctx = Object.assign(Object.create(Object.getPrototypeOf(s.ctx) as object | null) as Context, s.ctx);
      s.ctxOwned = true;
    }
    s.ctx[target.name] = value;
  }
}

type Indexable = { length: number; [i: number]: unknown };

// The loop's `len` and item are the compiled function's `var`s: they keep their last values
// across runs of the same loop (nunjucks' `{% else %}` reads a stale `len` when the list is null).
function runFor(st: Extract<Stmt, { k: 'for' }>, s: State): string {
  let out = '';
  const outer = s.frame;
  s.frame = outer.push();
  let arr = evaluate(st.arr, s);
  const lenAct = s.acts[st.len.depth]!;
  if (arr) {
    arr = fromIterator(arr);
    const list = arr as Indexable;
    const len = list.length;
    lenAct[st.len.index] = len;
    const itemAct = s.acts[st.item.depth]!;
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      itemAct[st.item.index] = item;
      s.frame.set(st.name, item);
      loopBindings(s.frame, i, len);
      out += run(st.body, s);
    }
  }
  if (st.else_ && !lenAct[st.len.index]) out += run(st.else_, s);
  s.frame = outer;
  return out;
}

function runForPairs(st: Extract<Stmt, { k: 'for-pairs' }>, s: State): string {
  let out = '';
  const outer = s.frame;
  s.frame = outer.push();
  let arr = evaluate(st.arr, s);
  const lenAct = s.acts[st.len.depth]!;
  if (arr) {
    arr = fromIterator(arr);
    if (isArray(arr)) {
      const list = arr as unknown as Indexable;
      const len = list.length;
      lenAct[st.len.index] = len;
      for (let i = 0; i < list.length; i++) {
        for (let u = 0; u < 2; u++) {
          const value = (list[i] as Indexable)[u];
          s.acts[st.pair[u]!.depth]![st.pair[u]!.index] = value;
          // nunjucks names the frame variable after the parser node, which prints as this.
          s.frame.set('[object Object]', value);
        }
        loopBindings(s.frame, i, len);
        out += run(st.arrayBody, s);
      }
    } else {
      let i = -1;
      const obj = arr as Context;
      const len = ownKeys(obj).length;
      lenAct[st.len.index] = len;
      for (const k in obj) {
        i++;
        const v = obj[k];
        s.acts[st.kv[0].depth]![st.kv[0].index] = k;
        s.acts[st.kv[1].depth]![st.kv[1].index] = v;
        s.frame.set(st.names[0], k);
        s.frame.set(st.names[1], v);
        loopBindings(s.frame, i, len);
        out += run(st.objectBody, s);
      }
    }
  }
  if (st.else_ && !lenAct[st.len.index]) out += run(st.else_, s);
  s.frame = outer;
  return out;
}

// Seven `frame.set('loop.<x>', …)` calls in nunjucks, each creating `loop` when it is falsy.
function loopBindings(frame: JinjaFrame, i: number, len: number): void {
  const vars = frame.variables;
  let loop = vars.loop as Record<string, unknown>;
  if (!loop) vars.loop = loop = {};
  loop.index = i + 1;
  loop.index0 = i;
  loop.revindex = len - i;
  loop.revindex0 = len - i - 1;
  loop.first = i === 0;
  loop.last = i === len - 1;
  loop.length = len;
}

// The operators as nunjucks' emitted JavaScript applies them (the parser refuses the cases where
// JS precedence would regroup them), hence the deliberate loose equality and `+` on unknowns.
function evaluate(e: Expr, s: State): unknown {
  switch (e.k) {
    case 'literal':
      return e.value;
    case 'symbol':
      return lookupName(s, e.name);
    case 'static':
      return s.acts[e.slot.depth]![e.slot.index];
    case 'lookup':
      return memberLookup(evaluate(e.target, s), evaluate(e.key, s));
    case 'call': {
      const fn = evaluate(e.fn, s);
      const args = e.args.map((a) => evaluate(a, s));
      if (e.kwargs) {
        const kwargs: Context = {};
        for (const [name, value] of e.kwargs) kwargs[name] = evaluate(value, s);
        kwargs.__keywords = true;
        args.push(kwargs);
      }
      if (typeof fn !== 'function') throw new Unsupported('call of a non-function');
      // Plain JS functions (ref, the dialect's macros, methods) may turn their arguments into text.
      if (!isMacroFunction(fn)) textSafe(args);
      return (fn as (...a: unknown[]) => unknown)(...args);
    }
    case 'array':
      return e.items.map((i) => evaluate(i, s));
    case 'dict': {
      const obj: Context = {};
      for (const [name, value] of e.pairs) obj[name] = evaluate(value, s);
      return obj;
    }
    case 'group': {
      let last: unknown;
      for (const item of e.items) last = evaluate(item, s);
      return last;
    }
    case 'inline-if':
      return evaluate(e.cond, s) ? evaluate(e.body, s) : e.else_ === null ? '' : evaluate(e.else_, s);
    case 'or':
      return evaluate(e.left, s) || evaluate(e.right, s);
    case 'and':
      return evaluate(e.left, s) && evaluate(e.right, s);
    case 'in':
      return inOperator(textSafe(evaluate(e.left, s)), textSafe(evaluate(e.right, s)));
    case 'not':
      return !evaluate(e.target, s);
    case 'neg':
      return -(textSafe(evaluate(e.target, s)) as number);
    case 'pos':
      return +(textSafe(evaluate(e.target, s)) as number);
    case 'compare': {
      let value = evaluate(e.first, s);
      for (const { op, expr } of e.ops) {
        const right = evaluate(expr, s);
        value = op === '===' || op === '!==' ? compare(op, value, right) : compare(op, textSafe(value), textSafe(right));
      }
      return value;
    }
    case 'binary': {
      if (e.op === '~') {
        const left = (textSafe(evaluate(e.left, s)) as string) + '';
        return left + (textSafe(evaluate(e.right, s)) as string);
      }
      const l = textSafe(evaluate(e.left, s)) as number;
      const r = textSafe(evaluate(e.right, s)) as number;
      switch (e.op) {
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
        case '//':
          return Math.floor(l / r);
        case '**':
          return Math.pow(l, r);
      }
    }
  }
}

const NUNJUCKS_GLOBALS = new Set(['range', 'cycler', 'joiner']);

// runtime.contextOrFrameLookup with Jinja compat: the frame, then the context (nunjucks' globals
// when the context lacks them), then True/False/None.
function lookupName(s: State, name: string): unknown {
  const local = s.frame.lookup(name);
  if (local !== undefined) return local;
  s.names?.add(name);
  const library = s.library;
  if (library && (s.inMacro ? library.macros.all.has(name) : library.macros.exported.has(name))) return boundMacro(library, name);
  if (NUNJUCKS_GLOBALS.has(name) && !(name in s.ctx)) throw new Unsupported(`nunjucks global ${name}`);
  const value = s.ctx[name];
  if (value !== undefined) return value;
  return name === 'True' ? true : name === 'False' ? false : name === 'None' ? null : undefined;
}

