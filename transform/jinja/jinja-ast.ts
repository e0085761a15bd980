/** A variable nunjucks' compiler binds statically (a loop variable, a macro argument): a JS `var` of one function activation. */
export interface Slot {
  /** Function nesting: 0 for the template (or macro) body, +1 inside each `{% set x %}…{% endset %}`. */
  depth: number;
  index: number;
}

export type CompareOp = '==' | '===' | '!=' | '!==' | '<' | '>' | '<=' | '>=';
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '//' | '**' | '~';

/** An expression; `symbol` is a run-time lookup (frame, then context), `static` a compiler-bound variable. */
export type Expr =
  | { k: 'literal'; value: string | number | boolean | null }
  | { k: 'symbol'; name: string }
  | { k: 'static'; slot: Slot }
  | { k: 'lookup'; target: Expr; key: Expr }
  | { k: 'call'; fn: Expr; args: Expr[]; kwargs: [string, Expr][] | null }
  | { k: 'array'; items: Expr[] }
  | { k: 'dict'; pairs: [string, Expr][] }
  | { k: 'group'; items: Expr[] }
  | { k: 'inline-if'; cond: Expr; body: Expr; else_: Expr | null }
  | { k: 'or' | 'and' | 'in'; left: Expr; right: Expr }
  | { k: 'not' | 'neg' | 'pos'; target: Expr }
  | { k: 'compare'; first: Expr; ops: { op: CompareOp; expr: Expr }[] }
  | { k: 'binary'; op: BinaryOp; left: Expr; right: Expr };

/** A statement as parsed (loop and set names unresolved). */
export type RawStmt =
  | { k: 'text'; text: string }
  | { k: 'output'; expr: Expr }
  | { k: 'if'; cond: Expr; body: RawStmt[]; else_: RawStmt[] | null }
  | { k: 'for'; names: string[]; arr: Expr; body: RawStmt[]; else_: RawStmt[] | null }
  | { k: 'set'; targets: string[]; value: Expr }
  | { k: 'capture'; targets: string[]; body: RawStmt[] };

/** A `{% macro %}` of a macro file: positional argument names, keyword arguments with their defaults. */
export interface RawMacro {
  name: string;
  args: string[];
  kwargs: [string, Expr][];
  body: RawStmt[];
}

/** A statement ready to run: names bound as nunjucks' compiler binds them. */
export type Stmt =
  | { k: 'text'; text: string }
  | { k: 'output'; expr: Expr }
  | { k: 'if'; cond: Expr; body: Stmt[]; else_: Stmt[] | null }
  | { k: 'for'; name: string; item: Slot; len: Slot; arr: Expr; body: Stmt[]; else_: Stmt[] | null }
  | {
      k: 'for-pairs';
      names: [string, string];
      /** Arrays of pairs bind both names to these slots, objects (key, value) to `kv`. */
      pair: [Slot, Slot];
      kv: [Slot, Slot];
      len: Slot;
      arr: Expr;
      arrayBody: Stmt[];
      objectBody: Stmt[];
      else_: Stmt[] | null;
    }
  | { k: 'set'; targets: { name: string; slot: Slot | null }[]; value: Expr }
  | { k: 'capture'; targets: { name: string; slot: Slot | null }[]; body: Stmt[]; slots: number };

/** A template ready to run, with the number of slots its activation holds. */
export interface JinjaTemplate {
  body: Stmt[];
  slots: number;
}

/** A macro ready to run: its arguments' slots come first in its activation. */
export interface JinjaMacro {
  name: string;
  args: string[];
  kwargs: [string, Expr][];
  body: Stmt[];
  slots: number;
}
