import type { BinaryOp, Expr } from './ast.js';
import { TemplateUnsupported } from './template-unsupported.js';

/** An expression as parsed, before the operators written as JavaScript infix are regrouped. */
export type Pre =
  | { k: 'lit'; v: unknown }
  | { k: 'name'; n: string; declared: boolean }
  | { k: 'list'; items: Pre[] }
  | { k: 'dict'; keys: string[]; values: Pre[] }
  | { k: 'group'; x: Pre }
  | { k: 'comma'; items: Pre[] }
  | { k: 'member'; obj: Pre; key: Pre }
  | { k: 'call'; fn: Pre; args: Pre[]; kwNames: string[]; kwValues: Pre[] }
  | { k: 'filter'; name: string; value: Pre; args: Pre[] }
  | { k: 'test'; name: string; value: Pre; args: Pre[]; negate: boolean }
  | { k: 'in'; key: Pre; container: Pre; negate: boolean }
  | { k: 'cond'; test: Pre; then: Pre; else: Pre | undefined }
  | { k: 'fdiv'; l: Pre; r: Pre }
  | { k: 'pow'; base: Pre; exp: Pre }
  /** `~ + - * / % == != === !== < > <= >= && ||`, written by nunjucks as JavaScript infix. */
  | { k: 'infix'; op: string; l: Pre; r: Pre }
  /** `not`, unary `-` and `+`, written as JavaScript prefix operators. */
  | { k: 'prefix'; op: '!' | '-' | '+'; x: Pre };

type Piece = { op: string } | { x: Pre };

/**
 * nunjucks compiles an expression to JavaScript text and writes most operators as plain infix
 * without parentheses, so JavaScript regroups them by its own precedence: `not a == b` is
 * `(!a) == b`, `1 ~ 2 + 3` is `"12" + 3`, `3 == 3 < 2` is `3 == (3 < 2)`, and `a // b % c` floors
 * `(a / b) % c`. This rebuilds each such run of operators as JavaScript would parse it, so that
 * evaluating the tree gives the values nunjucks gives.
 */
export function reshape(e: Pre): Expr {
  switch (e.k) {
    case 'infix':
    case 'prefix':
      return regroup(flatten(e, []));
    case 'fdiv':
      return { k: 'floor', x: regroup([...flatten(e.l, []), { op: '/' }, ...flatten(e.r, [])]) };
    case 'lit':
    case 'name':
      return e;
    case 'group':
      return reshape(e.x);
    case 'list':
      return { k: 'list', items: e.items.map(reshape) };
    case 'dict':
      return { k: 'dict', keys: e.keys, values: e.values.map(reshape) };
    case 'comma':
      return { k: 'comma', items: e.items.map(reshape) };
    case 'member':
      return { k: 'member', obj: reshape(e.obj), key: reshape(e.key) };
    case 'call':
      return { k: 'call', fn: reshape(e.fn), args: e.args.map(reshape), kwNames: e.kwNames, kwValues: e.kwValues.map(reshape) };
    case 'filter':
      return { k: 'filter', name: e.name, value: reshape(e.value), args: e.args.map(reshape) };
    case 'test':
      return { k: 'test', name: e.name, value: reshape(e.value), args: e.args.map(reshape), negate: e.negate };
    case 'in':
      return { k: 'in', key: reshape(e.key), container: reshape(e.container), negate: e.negate };
    case 'cond':
      return { k: 'cond', test: reshape(e.test), then: reshape(e.then), else: e.else === undefined ? undefined : reshape(e.else) };
    case 'pow':
      return { k: 'pow', base: reshape(e.base), exp: reshape(e.exp) };
  }
}

/** The operator text nunjucks writes for `e`, as pieces: operators and the operands between them. */
function flatten(e: Pre, out: Piece[]): Piece[] {
  if (e.k === 'infix') {
    flatten(e.l, out);
    if (e.op === '~') out.push({ op: '+' }, { x: { k: 'lit', v: '' } }, { op: '+' });
    else out.push({ op: e.op });
    flatten(e.r, out);
  } else if (e.k === 'prefix') {
    out.push({ op: `u${e.op}` });
    flatten(e.x, out);
  } else {
    out.push({ x: e });
  }
  return out;
}

// JavaScript's binary precedence for the operators nunjucks writes infix.
const LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!=', '===', '!=='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

function regroup(pieces: Piece[]): Expr {
  let i = 0;
  const fail = (): never => {
    throw new TemplateUnsupported('operator sequence');
  };
  const operand = (): Expr => {
    const piece = pieces[i++];
    if (piece === undefined) return fail();
    if ('x' in piece) return reshape(piece.x);
    if (piece.op === 'u!') return { k: 'not', x: operand() };
    if (piece.op === 'u-') return { k: 'neg', x: operand() };
    if (piece.op === 'u+') return { k: 'pos', x: operand() };
    return fail();
  };
  const level = (depth: number): Expr => {
    const ops = LEVELS[depth];
    if (ops === undefined) return operand();
    let l = level(depth + 1);
    for (;;) {
      const piece = pieces[i];
      if (piece === undefined || !('op' in piece) || !ops.includes(piece.op)) return l;
      i++;
      const r = level(depth + 1);
      if (piece.op === '||') l = { k: 'or', l, r };
      else if (piece.op === '&&') l = { k: 'and', l, r };
      else l = { k: 'bin', op: piece.op as BinaryOp, l, r };
    }
  };
  const tree = level(0);
  if (i !== pieces.length) fail();
  return tree;
}
