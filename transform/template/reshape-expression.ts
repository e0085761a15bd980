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
  // The other kinds have the same shape before and after: their children are reshaped in place.
  const x = e as unknown as Record<string, unknown>;
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
    case 'comma':
      all(e.items);
      return e as unknown as Expr;
    case 'dict':
      all(e.values);
      return e as unknown as Expr;
    case 'member':
      x.obj = reshape(e.obj);
      x.key = reshape(e.key);
      return e as unknown as Expr;
    case 'call':
      x.fn = reshape(e.fn);
      all(e.args);
      all(e.kwValues);
      return e as unknown as Expr;
    case 'filter':
    case 'test':
      x.value = reshape(e.value);
      all(e.args);
      return e as unknown as Expr;
    case 'in':
      x.key = reshape(e.key);
      x.container = reshape(e.container);
      return e as unknown as Expr;
    case 'cond':
      x.test = reshape(e.test);
      x.then = reshape(e.then);
      if (e.else !== undefined) x.else = reshape(e.else);
      return e as unknown as Expr;
    case 'pow':
      x.base = reshape(e.base);
      x.exp = reshape(e.exp);
      return e as unknown as Expr;
  }
}

function all(items: Pre[]): void {
  for (let i = 0; i < items.length; i++) (items as unknown as Expr[])[i] = reshape(items[i] as Pre);
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
