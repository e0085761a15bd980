import type { BinaryOp, CompareOp, Expr } from './jinja-ast.js';
import { JinjaTokenStream } from './jinja-token-stream.js';
import type { JinjaToken } from './lex-jinja.js';
import { Unsupported } from './unsupported.js';

const COMPARE_OPS: readonly string[] = ['==', '===', '!=', '!==', '<', '>', '<=', '>='];
const EQUALITY_OPS: readonly string[] = ['==', '===', '!=', '!=='];
const BRACKETS: readonly JinjaToken['type'][] = ['paren', 'bracket', 'curly'];
const OPENING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const BINARY_LEVELS: readonly BinaryOp[] = ['~', '+', '-', '*', '/', '//', '%', '**'];

/** The level of a binary operator token in BINARY_LEVELS, or -1. */
function binaryLevel(tok: JinjaToken | undefined): number {
  if (tok === undefined) return -1;
  if (tok.type === 'tilde') return 0;
  return tok.type === 'operator' && tok.value !== '~' ? BINARY_LEVELS.indexOf(tok.value as BinaryOp) : -1;
}

/**
 * nunjucks 3.2's expression parsing (parser.js, parseExpression down to parsePrimary), ported.
 * Where nunjucks' compiled JavaScript would evaluate differently from its own tree (it emits binary
 * operators without parentheses, so JS precedence regroups e.g. `a + b - c` or `not a == b`), it
 * bails instead.
 */
export class JinjaExpressionParser extends JinjaTokenStream {
  // Expressions, loosest first, as nunjucks nests them.

  protected parseExpression(): Expr {
    const body = this.parseOr();
    if (!this.skipSymbol('if')) return body;
    const cond = this.parseOr();
    const else_ = this.skipSymbol('else') ? this.parseOr() : null;
    return { k: 'inline-if', cond, body, else_ };
  }

  protected parseOr(): Expr {
    let node = this.parseAnd();
    while (this.skipSymbol('or')) node = { k: 'or', left: node, right: this.parseAnd() };
    return node;
  }

  protected parseAnd(): Expr {
    let node = this.parseNot();
    while (this.skipSymbol('and')) node = { k: 'and', left: node, right: this.parseNot() };
    return node;
  }

  protected parseNot(): Expr {
    if (!this.skipSymbol('not')) return this.parseIn();
    return unary('not', this.parseNot());
  }

  protected parseIn(): Expr {
    let node = this.parseIs();
    for (;;) {
      const invert = this.isSymbol(this.peek(), 'not');
      if (invert) {
        // nunjucks fails on `not` not followed by `in` here (it cannot push back two tokens).
        if (!this.isSymbol(this.tokens[this.i + 1], 'in')) throw new Unsupported('not without in');
        this.i++;
      }
      if (!this.skipSymbol('in')) break;
      node = { k: 'in', left: node, right: this.parseIs() };
      if (invert) node = unary('not', node);
    }
    return node;
  }

  protected parseIs(): Expr {
    const node = this.parseCompare();
    if (this.isSymbol(this.peek(), 'is')) throw new Unsupported('is tests');
    return node;
  }

  protected parseCompare(): Expr {
    const first = this.parseConcat();
    const ops: { op: CompareOp; expr: Expr }[] = [];
    for (;;) {
      const tok = this.peek();
      if (!tok || !COMPARE_OPS.includes(tok.value)) break;
      // nunjucks takes any token whose text is an operator, even a string '<'.
      if (tok.type !== 'operator') throw new Unsupported('string as comparison operator');
      this.i++;
      ops.push({ op: tok.value as CompareOp, expr: this.parseConcat() });
    }
    if (ops.length === 0) return first;
    // JS gives == and < different precedence; nunjucks chains them left to right.
    const equality = ops.map((o) => EQUALITY_OPS.includes(o.op));
    if (equality.some((e) => e !== equality[0])) throw new Unsupported('mixed comparison chain');
    return { k: 'compare', first, ops };
  }

  // `~ + - * / // % **`, one level each, loosest first, as nunjucks nests parseConcat … parsePow;
  // climbed in one loop (same left-associative tree) rather than through eight calls per operand.
  protected parseConcat(): Expr {
    return this.parseBinary(0);
  }

  private parseBinary(min: number): Expr {
    let node = this.parseUnary(false);
    for (;;) {
      const level = binaryLevel(this.peek());
      if (level < min) return node;
      this.i++;
      node = binary(BINARY_LEVELS[level]!, node, this.parseBinary(level + 1));
    }
  }

  protected parseUnary(noFilters: boolean): Expr {
    let node: Expr;
    if (this.skipValue('operator', '-')) node = unary('neg', this.parseUnary(true));
    else if (this.skipValue('operator', '+')) node = unary('pos', this.parseUnary(true));
    else node = this.parsePrimary();
    if (!noFilters && this.peek()?.type === 'pipe') throw new Unsupported('filters');
    return node;
  }

  protected parsePrimary(noPostfix = false): Expr {
    const tok = this.next();
    if (!tok) throw new Unsupported('expected expression');
    let node: Expr;
    switch (tok.type) {
      case 'string':
        node = { k: 'literal', value: tok.value };
        break;
      case 'int':
        node = { k: 'literal', value: parseInt(tok.value, 10) };
        break;
      case 'float':
        node = { k: 'literal', value: parseFloat(tok.value) };
        break;
      case 'boolean':
        node = { k: 'literal', value: tok.value === 'true' };
        break;
      case 'none':
        node = { k: 'literal', value: null };
        break;
      case 'symbol':
        node = { k: 'symbol', name: tok.value };
        break;
      default:
        this.i--;
        node = this.parseAggregate();
    }
    return noPostfix ? node : this.parsePostfix(node);
  }

  protected parsePostfix(start: Expr): Expr {
    let node = start;
    for (;;) {
      const tok = this.peek();
      if (tok?.type === 'paren' && tok.value === '(') {
        const { args, kwargs } = this.parseSignature();
        const named = kwargs.map(([key, value]): [string, Expr] => [dictKey(key), value]);
        node = { k: 'call', fn: node, args, kwargs: named.length > 0 ? named : null };
      } else if (tok?.type === 'bracket' && tok.value === '[') {
        const lookup = this.parseAggregate();
        if (lookup.k !== 'array' || lookup.items.length !== 1) throw new Unsupported('index');
        node = { k: 'lookup', target: node, key: lookup.items[0]! };
      } else if (tok?.type === 'operator' && tok.value === '.') {
        this.i++;
        const name = this.next();
        if (name?.type !== 'symbol') throw new Unsupported('lookup name');
        node = { k: 'lookup', target: node, key: { k: 'literal', value: name.value } };
      } else {
        return node;
      }
    }
  }

  protected parseAggregate(): Expr {
    const open = this.next();
    const close = open === undefined || !BRACKETS.includes(open.type) ? undefined : OPENING[open.value];
    if (close === undefined) throw new Unsupported('unexpected token');
    const items: Expr[] = [];
    const pairs: [string, Expr][] = [];
    for (let first = true; ; first = false) {
      const tok = this.peek();
      if (!tok) throw new Unsupported('unterminated aggregate');
      if (BRACKETS.includes(tok.type) && OPENING[tok.value] === undefined) {
        // nunjucks closes on any bracket; only the matching one is taken here.
        if (tok.value !== close) throw new Unsupported('mismatched bracket');
        this.i++;
        break;
      }
      if (!first && !this.skip('comma')) throw new Unsupported('expected comma');
      if (close === '}') {
        const key = dictKey(this.parsePrimary());
        if (!this.skip('colon')) throw new Unsupported('expected colon');
        pairs.push([key, this.parseExpression()]);
      } else {
        items.push(this.parseExpression());
      }
    }
    if (close === '}') return { k: 'dict', pairs };
    if (close === ']') return { k: 'array', items };
    // `()` would be a JS syntax error in nunjucks' output.
    if (items.length === 0) throw new Unsupported('empty group');
    return { k: 'group', items };
  }

  protected parseSignature(): { args: Expr[]; kwargs: [Expr, Expr][] } {
    const open = this.next();
    if (open?.type !== 'paren' || open.value !== '(') throw new Unsupported('expected arguments');
    const args: Expr[] = [];
    const kwargs: [Expr, Expr][] = [];
    for (let first = true; ; first = false) {
      const tok = this.peek();
      if (!tok) throw new Unsupported('unterminated arguments');
      if (tok.value === ')' && tok.type === 'paren') {
        this.i++;
        break;
      }
      if (!first && !this.skip('comma')) throw new Unsupported('expected comma');
      const arg = this.parseExpression();
      if (this.skipValue('operator', '=')) kwargs.push([arg, this.parseExpression()]);
      else args.push(arg);
    }
    return { args, kwargs };
  }

  protected symbolName(expr: Expr): string {
    if (expr.k !== 'symbol') throw new Unsupported('name expected');
    return expr.name;
  }

}

/** A dict or keyword-argument key: a name or a string (nunjucks rejects others when compiling). */
function dictKey(expr: Expr): string {
  if (expr.k === 'symbol') return expr.name;
  if (expr.k === 'literal' && typeof expr.value === 'string') {
    // `"__proto__": v` in an object literal sets the prototype.
    if (expr.value === '__proto__') throw new Unsupported('__proto__ key');
    return expr.value;
  }
  throw new Unsupported('dict key');
}

// How tightly nunjucks' emitted JavaScript binds each node (higher binds tighter; 20: an atom).
function precedence(expr: Expr): number {
  switch (expr.k) {
    case 'or':
      return 3;
    case 'and':
      return 4;
    case 'compare':
      return EQUALITY_OPS.includes(expr.ops[0]!.op) ? 8 : 9;
    case 'binary':
      return expr.op === '+' || expr.op === '-' || expr.op === '~' ? 11 : expr.op === '*' || expr.op === '/' || expr.op === '%' ? 12 : 20;
    case 'not':
    case 'neg':
    case 'pos':
      return 14;
    default:
      return 20;
  }
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  // `a // b` is emitted as `Math.floor(a / b)`, so its operands bind as a division's.
  const p = op === '**' ? 0 : op === '//' ? 12 : precedence({ k: 'binary', op, left, right });
  if (precedence(left) < p || precedence(right) <= p) throw new Unsupported(`operands of ${op} regroup in JavaScript`);
  return { k: 'binary', op, left, right };
}

function unary(k: 'not' | 'neg' | 'pos', target: Expr): Expr {
  // `!a == b` is `(!a) == b` in JS; `- -a` is emitted as `--a`.
  if (precedence(target) < 14) throw new Unsupported(`${k} over a binary operator`);
  if ((k === 'neg' && target.k === 'neg') || (k === 'pos' && target.k === 'pos')) throw new Unsupported('doubled sign');
  return { k, target };
}
