/** Binary operators, evaluated with JavaScript's own semantics (nunjucks compiles them to JavaScript). */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '===' | '!==' | '<' | '>' | '<=' | '>=';

/** An expression, shaped as JavaScript groups it (see reshape-expression.ts). */
export type Expr =
  | { k: 'lit'; v: unknown }
  /** `declared`: a loop variable or macro parameter in scope, read from frames only. */
  | { k: 'name'; n: string; declared: boolean }
  | { k: 'list'; items: Expr[] }
  | { k: 'dict'; keys: string[]; values: Expr[] }
  /** A parenthesized list with commas: the value of the last one. */
  | { k: 'comma'; items: Expr[] }
  | { k: 'member'; obj: Expr; key: Expr }
  | { k: 'call'; fn: Expr; args: Expr[]; kwNames: string[]; kwValues: Expr[] }
  | { k: 'filter'; name: string; value: Expr; args: Expr[] }
  | { k: 'test'; name: string; value: Expr; args: Expr[]; negate: boolean }
  | { k: 'in'; key: Expr; container: Expr; negate: boolean }
  | { k: 'cond'; test: Expr; then: Expr; else: Expr | undefined }
  | { k: 'floor'; x: Expr }
  | { k: 'pow'; base: Expr; exp: Expr }
  | { k: 'bin'; op: BinaryOp; l: Expr; r: Expr }
  | { k: 'and'; l: Expr; r: Expr }
  | { k: 'or'; l: Expr; r: Expr }
  | { k: 'not'; x: Expr }
  | { k: 'neg'; x: Expr }
  | { k: 'pos'; x: Expr };

export interface MacroDef {
  name: string;
  /** Parameters in declaration order; `defaults[i]` undefined for a parameter without default. */
  params: string[];
  defaults: (Expr | undefined)[];
  body: Stmt[];
}

export type Stmt =
  | { k: 'text'; s: string }
  | { k: 'out'; e: Expr }
  | { k: 'if'; tests: Expr[]; bodies: Stmt[][]; else: Stmt[] | undefined }
  | { k: 'for'; names: string[]; iter: Expr; body: Stmt[]; else: Stmt[] | undefined }
  | { k: 'set'; names: string[]; e: Expr }
  | { k: 'setblock'; name: string; body: Stmt[] }
  | { k: 'macro'; def: MacroDef };

/** A parsed template. */
export interface TemplateAst {
  body: Stmt[];
}
