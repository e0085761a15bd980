import type { Expr, JinjaMacro, JinjaTemplate, RawMacro, RawStmt, Slot, Stmt } from './jinja-ast.js';

/** Binds a parsed template's names as nunjucks' compiler does (its compile-time frames). */
export function resolveJinjaTemplate(raw: readonly RawStmt[]): JinjaTemplate {
  const r = new Resolver([]);
  const body = r.stmts(raw);
  return { body, slots: r.counts[0]! };
}

/** Binds a macro: its positional arguments are slots 0…n-1 of its activation, seen by its defaults and body. */
export function resolveJinjaMacro(raw: RawMacro): JinjaMacro {
  const r = new Resolver(raw.args);
  const kwargs = raw.kwargs.map(([name, value]): [string, Expr] => [name, r.expr(value)]);
  const body = r.stmts(raw.body);
  return { name: raw.name, args: raw.args, kwargs, body, slots: r.counts[0]! };
}

class Resolver {
  /** Slots allocated per function activation, innermost last. */
  readonly counts: number[] = [0];
  /** nunjucks' compile-time frames: names bound to slots, innermost last. */
  private readonly scopes: Map<string, Slot>[];

  constructor(args: readonly string[]) {
    const top = new Map<string, Slot>();
    for (const name of args) top.set(name, this.slot());
    this.scopes = [top];
  }

  stmts(list: readonly RawStmt[]): Stmt[] {
    return list.map((s) => this.stmt(s));
  }

  expr(e: Expr): Expr {
    switch (e.k) {
      case 'symbol': {
        const slot = this.lookup(e.name);
        return slot ? { k: 'static', slot } : e;
      }
      case 'literal':
      case 'static':
        return e;
      case 'lookup':
        return { k: 'lookup', target: this.expr(e.target), key: this.expr(e.key) };
      case 'call':
        return { k: 'call', fn: this.expr(e.fn), args: e.args.map((a) => this.expr(a)), kwargs: e.kwargs && e.kwargs.map(([n, v]): [string, Expr] => [n, this.expr(v)]) };
      case 'array':
      case 'group':
        return { k: e.k, items: e.items.map((i) => this.expr(i)) };
      case 'dict':
        return { k: 'dict', pairs: e.pairs.map(([n, v]): [string, Expr] => [n, this.expr(v)]) };
      case 'inline-if':
        return { k: 'inline-if', cond: this.expr(e.cond), body: this.expr(e.body), else_: e.else_ && this.expr(e.else_) };
      case 'or':
      case 'and':
      case 'in':
        return { k: e.k, left: this.expr(e.left), right: this.expr(e.right) };
      case 'not':
      case 'neg':
      case 'pos':
        return { k: e.k, target: this.expr(e.target) };
      case 'compare':
        return { k: 'compare', first: this.expr(e.first), ops: e.ops.map((o) => ({ op: o.op, expr: this.expr(o.expr) })) };
      case 'binary':
        return { k: 'binary', op: e.op, left: this.expr(e.left), right: this.expr(e.right) };
    }
  }

  private stmt(s: RawStmt): Stmt {
    switch (s.k) {
      case 'text':
        return s;
      case 'output':
        return { k: 'output', expr: this.expr(s.expr) };
      case 'if':
        return { k: 'if', cond: this.expr(s.cond), body: this.stmts(s.body), else_: s.else_ && this.stmts(s.else_) };
      case 'set':
        return { k: 'set', targets: this.targets(s.targets), value: this.expr(s.value) };
      case 'capture': {
        const targets = this.targets(s.targets);
        // The body runs in its own JS function (an IIFE), with its own `var`s.
        this.counts.push(0);
        const body = this.stmts(s.body);
        const slots = this.counts.pop()!;
        return { k: 'capture', targets, body, slots };
      }
      case 'for':
        return this.forStmt(s);
    }
  }

  private forStmt(s: Extract<RawStmt, { k: 'for' }>): Stmt {
    const len = this.slot();
    const scope = new Map<string, Slot>();
    this.scopes.push(scope);
    try {
      const arr = this.expr(s.arr);
      if (s.names.length === 1) {
        const item = this.slot();
        scope.set(s.names[0]!, item);
        return { k: 'for', name: s.names[0]!, item, len, arr, body: this.stmts(s.body), else_: s.else_ && this.stmts(s.else_) };
      }
      const names = s.names as [string, string];
      // nunjucks compiles the body twice: once binding an array's pairs, once an object's keys and values.
      const pair: [Slot, Slot] = [this.slot(), this.slot()];
      scope.set(names[0], pair[0]);
      scope.set(names[1], pair[1]);
      const arrayBody = this.stmts(s.body);
      const kv: [Slot, Slot] = [this.slot(), this.slot()];
      scope.set(names[0], kv[0]);
      scope.set(names[1], kv[1]);
      const objectBody = this.stmts(s.body);
      return { k: 'for-pairs', names, pair, kv, len, arr, arrayBody, objectBody, else_: s.else_ && this.stmts(s.else_) };
    } finally {
      this.scopes.pop();
    }
  }

  private targets(names: readonly string[]): { name: string; slot: Slot | null }[] {
    return names.map((name) => ({ name, slot: this.lookup(name) ?? null }));
  }

  private lookup(name: string): Slot | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const slot = this.scopes[i]!.get(name);
      if (slot) return slot;
    }
    return undefined;
  }

  private slot(): Slot {
    const depth = this.counts.length - 1;
    return { depth, index: this.counts[depth]!++ };
  }
}
