import type { Expr } from './ast.js';
import { isPlainKey, isPlainName, type Cursor } from './cursor.js';
import { FILTERS } from './filters.js';
import { T } from './lex-template.js';
import { reshape, type Pre } from './reshape-expression.js';
import { TESTS } from './is-tests.js';

const COMPARE = new Set(['==', '!=', '===', '!==', '<', '>', '<=', '>=']);
const LOOP_ATTRIBUTES = new Set(['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length']);
/** What may follow an `is` test: operators that bind looser than it, or the end of the expression. */
const AFTER_TEST_NAMES = new Set(['in', 'not', 'and', 'or', 'if', 'else']);
const AFTER_TEST_OPS = new Set([')', ']', '}', ',', ':']);

/** Parses one expression at the cursor (the grammar and precedence nunjucks gives it). */
export function parseExpression(c: Cursor): Expr {
  return reshape(parseInlineIf(c));
}

// Precedence, loosest first: inline if, or, and, not, in, is, comparisons, + - ~, * /, //, %, **,
// filters, unary - +, then attributes, subscripts and calls. (Learnt from nunjucks' outputs.)
function parseInlineIf(c: Cursor): Pre {
  const then = parseOr(c);
  if (!c.skipName('if')) return then;
  const test = parseOr(c);
  const otherwise = c.skipName('else') ? parseOr(c) : undefined;
  return { k: 'cond', test, then, else: otherwise };
}

function parseOr(c: Cursor): Pre {
  let l = parseAnd(c);
  while (c.skipName('or')) l = { k: 'infix', op: '||', l, r: parseAnd(c) };
  return l;
}

function parseAnd(c: Cursor): Pre {
  let l = parseNot(c);
  while (c.skipName('and')) l = { k: 'infix', op: '&&', l, r: parseNot(c) };
  return l;
}

function parseNot(c: Cursor): Pre {
  if (c.skipName('not')) return { k: 'prefix', op: '!', x: parseNot(c) };
  return parseIn(c);
}

function parseIn(c: Cursor): Pre {
  let l = parseIs(c);
  for (;;) {
    if (c.skipName('in')) {
      l = { k: 'in', key: l, container: parseIs(c), negate: false };
    } else if (c.isName('not') && c.isName('in', 1)) {
      c.next();
      c.next();
      l = { k: 'in', key: l, container: parseIs(c), negate: true };
    } else {
      return l;
    }
  }
}

function parseIs(c: Cursor): Pre {
  const value = parseCompare(c);
  if (!c.skipName('is')) return value;
  const negate = c.skipName('not');
  const name = c.expect(T.Name).v as string;
  if (!TESTS.has(name)) c.fail(`test "${name}"`);
  const args = c.isOp('(') ? parsePositionalArgs(c) : [];
  const after = c.peek();
  const ends = after.t === T.VarClose || after.t === T.BlockClose || (after.t === T.Name && AFTER_TEST_NAMES.has(after.v as string)) || (after.t === T.Op && AFTER_TEST_OPS.has(after.v as string));
  if (!ends) c.fail('operator after an is test');
  return { k: 'test', name, value, args, negate };
}

function parseCompare(c: Cursor): Pre {
  let l = parseAdditive(c);
  for (;;) {
    const token = c.peek();
    if (token.t !== T.Op || !COMPARE.has(token.v as string)) return l;
    c.next();
    l = { k: 'infix', op: token.v as string, l, r: parseAdditive(c) };
  }
}

// `~`, `+` and `-`: nunjucks writes all three as JavaScript `+`/`-` (`a ~ b` as `a + "" + b`), so
// they group as one left-to-right chain whatever their relative precedence.
function parseAdditive(c: Cursor): Pre {
  let l = parseMultiplicative(c);
  for (;;) {
    const token = c.peek();
    if (token.t !== T.Op || (token.v !== '+' && token.v !== '-' && token.v !== '~')) return l;
    c.next();
    l = { k: 'infix', op: token.v, l, r: parseMultiplicative(c) };
  }
}

function parseMultiplicative(c: Cursor): Pre {
  let l = parseFloorDiv(c);
  for (;;) {
    const token = c.peek();
    if (token.t !== T.Op || (token.v !== '*' && token.v !== '/')) return l;
    c.next();
    l = { k: 'infix', op: token.v, l, r: parseFloorDiv(c) };
  }
}

function parseFloorDiv(c: Cursor): Pre {
  let l = parseModulo(c);
  while (c.skipOp('//')) l = { k: 'fdiv', l, r: parseModulo(c) };
  return l;
}

function parseModulo(c: Cursor): Pre {
  let l = parsePow(c);
  while (c.skipOp('%')) l = { k: 'infix', op: '%', l, r: parsePow(c) };
  return l;
}

function parsePow(c: Cursor): Pre {
  let base = parseFilter(c);
  while (c.skipOp('**')) base = { k: 'pow', base, exp: parseFilter(c) };
  return base;
}

function parseFilter(c: Cursor): Pre {
  let value = parseUnary(c);
  while (c.skipOp('|')) {
    const name = c.expect(T.Name).v as string;
    if (!FILTERS.has(name)) c.fail(`filter "${name}"`);
    const args = c.isOp('(') ? parsePositionalArgs(c) : [];
    value = { k: 'filter', name, value, args };
  }
  return value;
}

function parseUnary(c: Cursor): Pre {
  if (c.isOp('-') || c.isOp('+')) {
    const op = c.next().v as '-' | '+';
    const x = parseUnary(c);
    // nunjucks writes `- -x` as `--x`, a JavaScript syntax error.
    if (x.k === 'prefix' && x.op === op) c.fail('repeated unary operator');
    return { k: 'prefix', op, x };
  }
  return parsePostfix(c, parsePrimary(c));
}

function parsePrimary(c: Cursor): Pre {
  const token = c.next();
  switch (token.t) {
    case T.Str:
    case T.Num:
      return { k: 'lit', v: token.v };
    case T.Name: {
      const name = token.v as string;
      if (name === 'true' || name === 'True') return { k: 'lit', v: true };
      if (name === 'false' || name === 'False') return { k: 'lit', v: false };
      if (name === 'none' || name === 'None') return { k: 'lit', v: null };
      if (name === 'loop') return parseLoopAttribute(c);
      if (!isPlainName(name)) c.fail(`name "${name}"`);
      c.checkVisible(name);
      return { k: 'name', n: name, declared: c.isDeclared(name) };
    }
    case T.Op:
      if (token.v === '(') return parseGroup(c);
      if (token.v === '[') return { k: 'list', items: parseList(c, ']') };
      if (token.v === '{') return parseDict(c);
      break;
    default:
      break;
  }
  return c.fail('unexpected token');
}

// `loop` is only read as `loop.<attribute>` inside a loop of the same macro (or top level).
function parseLoopAttribute(c: Cursor): Pre {
  if (c.loops === 0 || c.isDeclared('loop')) c.fail('loop outside a loop');
  c.expectOp('.');
  const attribute = c.expect(T.Name).v as string;
  if (!LOOP_ATTRIBUTES.has(attribute)) c.fail(`loop.${attribute}`);
  return { k: 'member', obj: { k: 'name', n: 'loop', declared: false }, key: { k: 'lit', v: attribute } };
}

function parseGroup(c: Cursor): Pre {
  const items = parseList(c, ')');
  if (items.length === 0) c.fail('empty parentheses');
  return items.length === 1 ? { k: 'group', x: items[0] as Pre } : { k: 'comma', items };
}

/** Comma-separated expressions up to `close` (consumed); no trailing comma, as nunjucks. */
function parseList(c: Cursor, close: string): Pre[] {
  const items: Pre[] = [];
  if (c.skipOp(close)) return items;
  for (;;) {
    items.push(parseInlineIf(c));
    if (c.skipOp(close)) return items;
    c.expectOp(',');
  }
}

function parseDict(c: Cursor): Pre {
  const keys: string[] = [];
  const values: Pre[] = [];
  if (c.skipOp('}')) return { k: 'dict', keys, values };
  for (;;) {
    const key = c.next();
    if (key.t !== T.Str && key.t !== T.Name) c.fail('dict key');
    if (!isPlainKey(key.v as string)) c.fail('dict key');
    c.expectOp(':');
    keys.push(key.v as string);
    values.push(parseInlineIf(c));
    if (c.skipOp('}')) return { k: 'dict', keys, values };
    c.expectOp(',');
  }
}

function parsePostfix(c: Cursor, start: Pre): Pre {
  let x = start;
  for (;;) {
    if (c.skipOp('.')) {
      const key = c.expect(T.Name).v as string;
      if (!isPlainKey(key)) c.fail(`attribute "${key}"`);
      x = { k: 'member', obj: x, key: { k: 'lit', v: key } };
    } else if (c.skipOp('[')) {
      if (c.isOp(']') || c.isOp(':')) c.fail('empty subscript or slice');
      const key = parseInlineIf(c);
      c.expectOp(']');
      x = { k: 'member', obj: x, key };
    } else if (c.isOp('(')) {
      x = parseCall(c, x);
    } else {
      return x;
    }
  }
}

function parseCall(c: Cursor, fn: Pre): Pre {
  c.expectOp('(');
  const args: Pre[] = [];
  const kwNames: string[] = [];
  const kwValues: Pre[] = [];
  if (!c.skipOp(')')) {
    for (;;) {
      if (c.peek().t === T.Name && c.isOp('=', 1)) {
        const name = c.next().v as string;
        c.next();
        if (!isPlainKey(name)) c.fail(`keyword "${name}"`);
        kwNames.push(name);
        kwValues.push(parseInlineIf(c));
      } else {
        args.push(parseInlineIf(c));
      }
      if (c.skipOp(')')) break;
      c.expectOp(',');
    }
  }
  return { k: 'call', fn, args, kwNames, kwValues };
}

/** `(a, b)` after a filter or test name: positional arguments only. */
function parsePositionalArgs(c: Cursor): Pre[] {
  c.expectOp('(');
  return parseList(c, ')');
}
