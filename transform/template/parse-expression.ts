import type { Expr } from './ast.js';
import { isPlainKey, isPlainName, type Cursor } from './cursor.js';
import { FILTERS } from './filters.js';
import { TESTS } from './is-tests.js';
import { T } from './lex-template.js';
import { reshape, type Pre } from './reshape-expression.js';

/**
 * Binding strength of the binary operators, loosest first, as nunjucks parses them (learnt from its
 * outputs): or, and, (prefix not), in / not in, is, comparisons, + - ~, * /, //, %, **. Filters,
 * unary - + and attributes, subscripts and calls bind tighter, in that order.
 */
const enum P {
  Or = 1,
  And,
  Not,
  In,
  Is,
  Compare,
  Additive,
  Multiplicative,
  FloorDiv,
  Modulo,
  Pow,
}

const OPERATORS: Readonly<Record<string, P>> = {
  '==': P.Compare,
  '!=': P.Compare,
  '===': P.Compare,
  '!==': P.Compare,
  '<': P.Compare,
  '>': P.Compare,
  '<=': P.Compare,
  '>=': P.Compare,
  '+': P.Additive,
  '-': P.Additive,
  '~': P.Additive,
  '*': P.Multiplicative,
  '/': P.Multiplicative,
  '//': P.FloorDiv,
  '%': P.Modulo,
  '**': P.Pow,
};
const LOOP_ATTRIBUTES = new Set(['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length']);
/** What may follow an `is` test: operators that bind looser than it, or the end of the expression. */
const AFTER_TEST_NAMES = new Set(['in', 'not', 'and', 'or', 'if', 'else']);
const AFTER_TEST_OPS = new Set([')', ']', '}', ',', ':']);

/** Parses one expression at the cursor (the grammar and precedence nunjucks gives it). */
export function parseExpression(c: Cursor): Expr {
  c.regroup = false;
  const pre = parseInlineIf(c);
  // Without infix or prefix operators, parentheses or `//`, the tree is already as JavaScript groups it.
  return c.regroup ? reshape(pre) : (pre as unknown as Expr);
}

function parseInlineIf(c: Cursor): Pre {
  const then = parseBinary(c, P.Or);
  if (!c.skipName('if')) return then;
  const test = parseBinary(c, P.Or);
  const otherwise = c.skipName('else') ? parseBinary(c, P.Or) : undefined;
  return { k: 'cond', test, then, else: otherwise };
}

/** The binary operator at the cursor and its strength (0: none). `not in` counts as one. */
function operatorAt(c: Cursor): P | 0 {
  const kind = c.kind();
  if (kind === T.Op) return OPERATORS[c.value() as string] ?? 0;
  if (kind !== T.Name) return 0;
  switch (c.value()) {
    case 'or':
      return P.Or;
    case 'and':
      return P.And;
    case 'in':
      return P.In;
    case 'is':
      return P.Is;
    case 'not':
      return c.isName('in', 1) ? P.In : 0;
    default:
      return 0;
  }
}

// Precedence climbing: operands bind to the operators stronger than `min`, left to right.
function parseBinary(c: Cursor, min: P): Pre {
  let left: Pre;
  if (min <= P.Not && c.skipName('not')) {
    c.regroup = true;
    left = { k: 'prefix', op: '!', x: parseBinary(c, P.Not) };
  } else {
    left = parseFilter(c);
  }
  for (;;) {
    const p = operatorAt(c);
    if (p === 0 || p < min) return left;
    if (p === P.Is) {
      c.advance();
      left = parseTest(c, left);
      continue;
    }
    if (p === P.In) {
      const negate = c.skipName('not');
      c.advance();
      left = { k: 'in', key: left, container: parseBinary(c, P.Is), negate };
      continue;
    }
    const op = p === P.Or ? '||' : p === P.And ? '&&' : (c.value() as string);
    c.advance();
    c.regroup = true;
    if (p === P.FloorDiv) left = { k: 'fdiv', l: left, r: parseBinary(c, P.Modulo) };
    else if (p === P.Pow) left = { k: 'pow', base: left, exp: parseFilter(c) };
    else left = { k: 'infix', op, l: left, r: parseBinary(c, p + 1) };
  }
}

function parseTest(c: Cursor, value: Pre): Pre {
  const negate = c.skipName('not');
  const name = c.expect(T.Name) as string;
  if (!TESTS.has(name)) c.fail(`test "${name}"`);
  const args = c.isOp('(') ? parsePositionalArgs(c) : [];
  // nunjucks reads one test, then only looser operators (`a is b == c` it reads otherwise).
  const kind = c.kind();
  const ends = kind === T.VarClose || kind === T.BlockClose || (kind === T.Name && AFTER_TEST_NAMES.has(c.value() as string)) || (kind === T.Op && AFTER_TEST_OPS.has(c.value() as string));
  if (!ends) c.fail('operator after an is test');
  return { k: 'test', name, value, args, negate };
}

function parseFilter(c: Cursor): Pre {
  let value = parseUnary(c);
  while (c.skipOp('|')) {
    const name = c.expect(T.Name) as string;
    if (!FILTERS.has(name)) c.fail(`filter "${name}"`);
    const args = c.isOp('(') ? parsePositionalArgs(c) : [];
    value = { k: 'filter', name, value, args };
  }
  return value;
}

function parseUnary(c: Cursor): Pre {
  if (c.isOp('-') || c.isOp('+')) {
    const op = c.value() as '-' | '+';
    c.advance();
    c.regroup = true;
    const x = parseUnary(c);
    // nunjucks writes `- -x` as `--x`, a JavaScript syntax error.
    if (x.k === 'prefix' && x.op === op) c.fail('repeated unary operator');
    return { k: 'prefix', op, x };
  }
  return parsePostfix(c, parsePrimary(c));
}

function parsePrimary(c: Cursor): Pre {
  const kind = c.kind();
  const value = c.value();
  c.advance();
  switch (kind) {
    case T.Str:
    case T.Num:
      return { k: 'lit', v: value };
    case T.Name: {
      const name = value as string;
      if (name === 'true' || name === 'True') return { k: 'lit', v: true };
      if (name === 'false' || name === 'False') return { k: 'lit', v: false };
      if (name === 'none' || name === 'None') return { k: 'lit', v: null };
      if (name === 'loop') return parseLoopAttribute(c);
      if (!isPlainName(name)) c.fail(`name "${name}"`);
      c.checkVisible(name);
      return { k: 'name', n: name, declared: c.isDeclared(name) };
    }
    case T.Op:
      if (value === '(') return parseGroup(c);
      if (value === '[') return { k: 'list', items: parseList(c, ']') };
      if (value === '{') return parseDict(c);
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
  const attribute = c.expect(T.Name) as string;
  if (!LOOP_ATTRIBUTES.has(attribute)) c.fail(`loop.${attribute}`);
  return { k: 'member', obj: { k: 'name', n: 'loop', declared: false }, key: { k: 'lit', v: attribute } };
}

function parseGroup(c: Cursor): Pre {
  const items = parseList(c, ')');
  if (items.length === 0) c.fail('empty parentheses');
  c.regroup = true;
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
    const kind = c.kind();
    const key = c.value();
    if ((kind !== T.Str && kind !== T.Name) || !isPlainKey(key as string)) c.fail('dict key');
    c.advance();
    c.expectOp(':');
    keys.push(key as string);
    values.push(parseInlineIf(c));
    if (c.skipOp('}')) return { k: 'dict', keys, values };
    c.expectOp(',');
  }
}

function parsePostfix(c: Cursor, start: Pre): Pre {
  let x = start;
  for (;;) {
    if (c.kind() !== T.Op) return x;
    const op = c.value();
    if (op === '.') {
      c.advance();
      const key = c.expect(T.Name) as string;
      if (!isPlainKey(key)) c.fail(`attribute "${key}"`);
      x = { k: 'member', obj: x, key: { k: 'lit', v: key } };
    } else if (op === '[') {
      c.advance();
      if (c.isOp(']') || c.isOp(':')) c.fail('empty subscript or slice');
      const key = parseInlineIf(c);
      c.expectOp(']');
      x = { k: 'member', obj: x, key };
    } else if (op === '(') {
      x = parseCall(c, x);
    } else {
      return x;
    }
  }
}

// Shared by the calls without keyword arguments (never written to).
const NO_KEYWORDS: never[] = [];

function parseCall(c: Cursor, fn: Pre): Pre {
  c.expectOp('(');
  const args: Pre[] = [];
  let kwNames: string[] = NO_KEYWORDS;
  let kwValues: Pre[] = NO_KEYWORDS;
  if (!c.skipOp(')')) {
    for (;;) {
      if (c.kind() === T.Name && c.isOp('=', 1)) {
        const name = c.value() as string;
        c.advance();
        c.advance();
        if (!isPlainKey(name)) c.fail(`keyword "${name}"`);
        if (kwNames === NO_KEYWORDS) {
          kwNames = [];
          kwValues = [];
        }
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
