import type { Expr, MacroDef, Stmt, TemplateAst } from './ast.js';
import { Cursor } from './cursor.js';
import { lexTemplate, T } from './lex-template.js';
import { parseExpression } from './parse-expression.js';

/**
 * Parses a template into statements: text, `{{ }}`, `{% if/elif/elseif/else %}`, `{% for %}` with
 * `{% else %}`, `{% set %}` (also as a block), top-level `{% macro %}`, comments and raw blocks.
 * Throws TemplateUnsupported for anything else or anything nunjucks would read otherwise (or
 * reject): the caller hands those templates to nunjucks.
 */
export function parseTemplate(source: string): TemplateAst {
  const c = new Cursor(lexTemplate(source));
  const body = parseBody(c, []);
  if (c.kind() !== T.End) c.fail('unexpected block tag');
  return { body };
}

/** Statements up to (not including) a block tag named in `ends`, or the end of the template. */
function parseBody(c: Cursor, ends: readonly string[]): Stmt[] {
  const body: Stmt[] = [];
  for (;;) {
    const kind = c.kind();
    if (kind === T.End) {
      if (ends.length > 0) c.fail('unclosed block');
      return body;
    }
    if (kind === T.Text) {
      const text = c.value() as string;
      c.advance();
      if (text !== '') body.push({ k: 'text', s: text });
    } else if (kind === T.VarOpen) {
      c.advance();
      const e = parseExpression(c);
      c.expect(T.VarClose);
      body.push({ k: 'out', e });
    } else if (kind === T.BlockOpen) {
      if (c.kind(1) !== T.Name) c.fail('tag name');
      const tag = c.value(1) as string;
      if (ends.includes(tag)) return body;
      c.advance();
      c.advance();
      body.push(parseTag(c, tag));
    } else {
      c.fail('unexpected token');
    }
  }
}

function parseTag(c: Cursor, tag: string): Stmt {
  switch (tag) {
    case 'if':
      return parseIf(c);
    case 'for':
      return parseFor(c);
    case 'set':
      return parseSet(c);
    case 'macro':
      return parseMacro(c);
    default:
      return c.fail(`tag "${tag}"`);
  }
}

/** Consumes `{% name %}` (the closing tag of a block). */
function closingTag(c: Cursor, name: string): void {
  c.expect(T.BlockOpen);
  if (!c.skipName(name)) c.fail(`expected ${name}`);
  c.expect(T.BlockClose);
}

function parseIf(c: Cursor): Stmt {
  const tests: Expr[] = [];
  const bodies: Stmt[][] = [];
  let otherwise: Stmt[] | undefined;
  tests.push(parseExpression(c));
  c.expect(T.BlockClose);
  for (;;) {
    bodies.push(parseBody(c, ['elif', 'elseif', 'else', 'endif']));
    c.expect(T.BlockOpen);
    const tag = c.expect(T.Name);
    if (tag === 'endif') {
      c.expect(T.BlockClose);
      return { k: 'if', tests, bodies, else: otherwise };
    }
    if (tag === 'else') {
      c.expect(T.BlockClose);
      otherwise = parseBody(c, ['endif']);
      closingTag(c, 'endif');
      return { k: 'if', tests, bodies, else: otherwise };
    }
    tests.push(parseExpression(c));
    c.expect(T.BlockClose);
  }
}

function parseFor(c: Cursor): Stmt {
  const names = [c.expectPlainName()];
  while (c.skipOp(',')) names.push(c.expectPlainName());
  if (!c.skipName('in')) c.fail('expected in');
  const iter = parseExpression(c);
  c.expect(T.BlockClose);
  c.declare(names, names.length > 1);
  c.loops++;
  c.frames++;
  let body: Stmt[];
  let otherwise: Stmt[] | undefined;
  try {
    body = parseBody(c, ['else', 'endfor']);
  } finally {
    c.undeclare();
    c.loops--;
  }
  try {
    c.expect(T.BlockOpen);
    if (c.skipName('else')) {
      c.expect(T.BlockClose);
      // The else branch runs in the loop's frame, with no loop variable (nor `loop`) set.
      c.hide(names);
      try {
        otherwise = parseBody(c, ['endfor']);
      } finally {
        c.unhide();
      }
      c.expect(T.BlockOpen);
    }
  } finally {
    c.frames--;
  }
  if (!c.skipName('endfor')) c.fail('expected endfor');
  c.expect(T.BlockClose);
  return { k: 'for', names, iter, body, else: otherwise };
}

function parseSet(c: Cursor): Stmt {
  const names = [c.expectPlainName()];
  while (c.skipOp(',')) names.push(c.expectPlainName());
  for (const name of names) c.checkAssignable(name);
  if (c.skipOp('=')) {
    const e = parseExpression(c);
    c.expect(T.BlockClose);
    return { k: 'set', names, e };
  }
  if (names.length !== 1) c.fail('block set of several names');
  c.expect(T.BlockClose);
  const body = parseBody(c, ['endset']);
  closingTag(c, 'endset');
  return { k: 'setblock', name: names[0] as string, body };
}

function parseMacro(c: Cursor): Stmt {
  // Only at the top level (or in its ifs): nunjucks scopes macros defined in loops or macros otherwise.
  if (c.frames > 0 || c.inMacro) c.fail('nested macro');
  const name = c.expectPlainName();
  c.expectOp('(');
  const params: string[] = [];
  const defaults: (Expr | undefined)[] = [];
  if (!c.skipOp(')')) {
    for (;;) {
      const param = c.expectPlainName();
      if (params.includes(param)) c.fail('repeated parameter');
      params.push(param);
      if (c.skipOp('=')) {
        defaults.push(parseExpression(c));
      } else {
        defaults.push(undefined);
      }
      if (c.skipOp(')')) break;
      c.expectOp(',');
    }
  }
  c.expect(T.BlockClose);
  // A default reading a parameter depends on the order nunjucks binds them in: left to nunjucks.
  for (const d of defaults) if (d !== undefined && readsAny(d, params)) c.fail('default reading a parameter');
  const body = c.inMacroScope(params, () => parseBody(c, ['endmacro']));
  closingTag(c, 'endmacro');
  const def: MacroDef = { name, params, defaults, body };
  return { k: 'macro', def };
}

function readsAny(e: Expr, names: readonly string[]): boolean {
  let found = false;
  const visit = (x: Expr): void => {
    if (found) return;
    if (x.k === 'name') {
      found = names.includes(x.n);
      return;
    }
    for (const child of Object.values(x)) {
      if (Array.isArray(child)) for (const item of child) if (isExpr(item)) visit(item);
      if (isExpr(child)) visit(child);
    }
  };
  visit(e);
  return found;
}

function isExpr(x: unknown): x is Expr {
  return x !== null && typeof x === 'object' && typeof (x as { k?: unknown }).k === 'string';
}
