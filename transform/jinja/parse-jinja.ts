import type { BinaryOp, CompareOp, Expr, RawMacro, RawStmt } from './jinja-ast.js';
import { lexJinja, type JinjaToken } from './lex-jinja.js';
import { Unsupported } from './unsupported.js';

const COMPARE_OPS: readonly string[] = ['==', '===', '!=', '!==', '<', '>', '<=', '>='];
const EQUALITY_OPS: readonly string[] = ['==', '===', '!=', '!=='];
const BRACKETS: readonly JinjaToken['type'][] = ['paren', 'bracket', 'curly'];
const OPENING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** Parses a model template; throws Unsupported outside the fast subset (or where nunjucks would fail). */
export function parseJinjaTemplate(text: string): RawStmt[] {
  const parser = new JinjaParser(lexJinja(text));
  const body = parser.parseNodes();
  parser.expectEnd();
  return body;
}

/** Parses a macro file: only `{% macro %}` definitions, text and comments at its top level. */
export function parseJinjaMacros(text: string): RawMacro[] {
  return new JinjaParser(lexJinja(text)).parseMacroFile();
}

/**
 * A port of nunjucks 3.2's Parser (parser.js) over lexJinja's tokens, statement by statement, so
 * whitespace control and precedence come out as nunjucks has them. Where nunjucks' compiled
 * JavaScript would evaluate differently from its own tree (it emits binary operators without
 * parentheses, so JS precedence regroups e.g. `a + b - c` or `not a == b`), it bails instead.
 */
class JinjaParser {
  private i = 0;
  private dropLeadingWhitespace = false;
  private breakOnBlocks: readonly string[] | null = null;

  constructor(private readonly tokens: readonly JinjaToken[]) {}

  expectEnd(): void {
    if (this.i < this.tokens.length) throw new Unsupported('unexpected end tag');
  }

  parseMacroFile(): RawMacro[] {
    const macros: RawMacro[] = [];
    for (let tok = this.next(); tok; tok = this.next()) {
      // Text between macros is rendered and discarded, so its whitespace control does not matter.
      if (tok.type === 'data' || tok.type === 'comment') continue;
      if (tok.type !== 'block-start' || !this.isSymbol(this.peek(), 'macro')) throw new Unsupported('macro files hold only macros');
      macros.push(this.parseMacro());
    }
    return macros;
  }

  parseNodes(): RawStmt[] {
    const buf: RawStmt[] = [];
    for (let tok = this.next(); tok; tok = this.next()) {
      if (tok.type === 'data') {
        let data = tok.value;
        const next = this.peek();
        if (this.dropLeadingWhitespace) {
          data = data.replace(/^\s*/, '');
          this.dropLeadingWhitespace = false;
        }
        if (next && (next.type === 'block-start' || next.type === 'var-start' || next.type === 'comment') && next.value.charAt(2) === '-') {
          data = data.replace(/\s*$/, '');
        }
        buf.push({ k: 'text', text: data });
      } else if (tok.type === 'block-start') {
        this.dropLeadingWhitespace = false;
        const node = this.parseStatement();
        if (!node) break;
        buf.push(node);
      } else if (tok.type === 'var-start') {
        const expr = this.parseExpression();
        this.dropLeadingWhitespace = false;
        this.advanceAfterVariableEnd();
        buf.push({ k: 'output', expr });
      } else if (tok.type === 'comment') {
        this.dropLeadingWhitespace = tok.value.charAt(tok.value.length - 3) === '-';
      } else {
        throw new Unsupported(`token ${tok.type} at top level`);
      }
    }
    return buf;
  }

  private parseStatement(): RawStmt | null {
    const tok = this.peek();
    if (!tok || tok.type !== 'symbol') throw new Unsupported('tag name expected');
    if (this.breakOnBlocks?.includes(tok.value)) return null;
    switch (tok.value) {
      case 'if':
        return this.parseIf();
      case 'for':
        return this.parseFor();
      case 'set':
        return this.parseSet();
      default:
        throw new Unsupported(`tag ${tok.value}`);
    }
  }

  private parseIf(): RawStmt {
    const tag = this.next()!; // `if`, `elif` or `elseif`, checked by the caller
    const cond = this.parseExpression();
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('elif', 'elseif', 'else', 'endif');
    const tok = this.peek();
    if (tok?.type !== 'symbol') throw new Unsupported('unterminated if');
    switch (tok.value) {
      case 'elif':
      case 'elseif':
        return { k: 'if', cond, body, else_: [this.parseIf()] };
      case 'else': {
        this.advanceAfterBlockEnd();
        const else_ = this.parseUntilBlocks('endif');
        this.advanceAfterBlockEnd();
        return { k: 'if', cond, body, else_ };
      }
      case 'endif':
        this.advanceAfterBlockEnd();
        return { k: 'if', cond, body, else_: null };
      default:
        throw new Unsupported('unterminated if');
    }
  }

  private parseFor(): RawStmt {
    const tag = this.next()!;
    const names = [this.symbolName(this.parsePrimary())];
    if (this.peek()?.type === 'comma') {
      while (this.skip('comma')) names.push(this.symbolName(this.parsePrimary()));
    }
    if (names.length > 2) throw new Unsupported('for over more than two names');
    if (!this.skipSymbol('in')) throw new Unsupported('for without in');
    const arr = this.parseExpression();
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endfor', 'else');
    let else_: RawStmt[] | null = null;
    if (this.skipSymbol('else')) {
      this.advanceAfterBlockEnd('else');
      else_ = this.parseUntilBlocks('endfor');
    }
    this.advanceAfterBlockEnd();
    return { k: 'for', names, arr, body, else_ };
  }

  private parseSet(): RawStmt {
    const tag = this.next()!;
    const targets: string[] = [];
    for (;;) {
      targets.push(this.symbolName(this.parsePrimary()));
      if (!this.skip('comma')) break;
    }
    if (this.skipValue('operator', '=')) {
      const value = this.parseExpression();
      this.advanceAfterBlockEnd(tag.value);
      return { k: 'set', targets, value };
    }
    // nunjucks consumes this block end without looking at its `-`.
    if (!this.skip('block-end')) throw new Unsupported('set without =');
    const body = this.parseUntilBlocks('endset');
    this.advanceAfterBlockEnd();
    return { k: 'capture', targets, body };
  }

  private parseMacro(): RawMacro {
    const tag = this.next()!;
    const nameTok = this.next();
    if (nameTok?.type !== 'symbol') throw new Unsupported('macro name');
    const signature = this.parseSignature();
    const args = signature.args.map((a) => this.symbolName(a));
    const kwargs = signature.kwargs.map(([key, value]): [string, Expr] => [this.symbolName(key), value]);
    this.advanceAfterBlockEnd(tag.value);
    const body = this.parseUntilBlocks('endmacro');
    this.advanceAfterBlockEnd();
    return { name: nameTok.value, args, kwargs, body };
  }

  private parseUntilBlocks(...names: string[]): RawStmt[] {
    const prev = this.breakOnBlocks;
    this.breakOnBlocks = names;
    const body = this.parseNodes();
    this.breakOnBlocks = prev;
    return body;
  }

  private advanceAfterBlockEnd(name?: string): void {
    if (name === undefined) {
      if (this.peek()?.type !== 'symbol') throw new Unsupported('end tag name');
      this.next();
    }
    const tok = this.next();
    if (tok?.type !== 'block-end') throw new Unsupported('expected block end');
    if (tok.value.charAt(0) === '-') this.dropLeadingWhitespace = true;
  }

  private advanceAfterVariableEnd(): void {
    const tok = this.next();
    if (tok?.type !== 'var-end') throw new Unsupported('expected variable end');
    this.dropLeadingWhitespace = tok.value.charAt(tok.value.length - 3) === '-';
  }

  // Expressions, loosest first, as nunjucks nests them.

  private parseExpression(): Expr {
    const body = this.parseOr();
    if (!this.skipSymbol('if')) return body;
    const cond = this.parseOr();
    const else_ = this.skipSymbol('else') ? this.parseOr() : null;
    return { k: 'inline-if', cond, body, else_ };
  }

  private parseOr(): Expr {
    let node = this.parseAnd();
    while (this.skipSymbol('or')) node = { k: 'or', left: node, right: this.parseAnd() };
    return node;
  }

  private parseAnd(): Expr {
    let node = this.parseNot();
    while (this.skipSymbol('and')) node = { k: 'and', left: node, right: this.parseNot() };
    return node;
  }

  private parseNot(): Expr {
    if (!this.skipSymbol('not')) return this.parseIn();
    return unary('not', this.parseNot());
  }

  private parseIn(): Expr {
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

  private parseIs(): Expr {
    const node = this.parseCompare();
    if (this.isSymbol(this.peek(), 'is')) throw new Unsupported('is tests');
    return node;
  }

  private parseCompare(): Expr {
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

  private parseConcat(): Expr {
    return this.parseBinary('tilde', '~', () => this.parseAdd());
  }

  private parseAdd(): Expr {
    return this.parseBinary('operator', '+', () => this.parseSub());
  }

  private parseSub(): Expr {
    return this.parseBinary('operator', '-', () => this.parseMul());
  }

  private parseMul(): Expr {
    return this.parseBinary('operator', '*', () => this.parseDiv());
  }

  private parseDiv(): Expr {
    return this.parseBinary('operator', '/', () => this.parseFloorDiv());
  }

  private parseFloorDiv(): Expr {
    return this.parseBinary('operator', '//', () => this.parseMod());
  }

  private parseMod(): Expr {
    return this.parseBinary('operator', '%', () => this.parsePow());
  }

  private parsePow(): Expr {
    return this.parseBinary('operator', '**', () => this.parseUnary(false));
  }

  private parseBinary(type: JinjaToken['type'], op: BinaryOp, operand: () => Expr): Expr {
    let node = operand();
    while (this.skipValue(type, op)) node = binary(op, node, operand());
    return node;
  }

  private parseUnary(noFilters: boolean): Expr {
    let node: Expr;
    if (this.skipValue('operator', '-')) node = unary('neg', this.parseUnary(true));
    else if (this.skipValue('operator', '+')) node = unary('pos', this.parseUnary(true));
    else node = this.parsePrimary();
    if (!noFilters && this.peek()?.type === 'pipe') throw new Unsupported('filters');
    return node;
  }

  private parsePrimary(noPostfix = false): Expr {
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

  private parsePostfix(start: Expr): Expr {
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

  private parseAggregate(): Expr {
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

  private parseSignature(): { args: Expr[]; kwargs: [Expr, Expr][] } {
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

  private symbolName(expr: Expr): string {
    if (expr.k !== 'symbol') throw new Unsupported('name expected');
    return expr.name;
  }

  private peek(): JinjaToken | undefined {
    return this.tokens[this.i];
  }

  private next(): JinjaToken | undefined {
    return this.tokens[this.i++];
  }

  private isSymbol(tok: JinjaToken | undefined, value: string): boolean {
    return tok?.type === 'symbol' && tok.value === value;
  }

  private skip(type: JinjaToken['type']): boolean {
    if (this.peek()?.type !== type) return false;
    this.i++;
    return true;
  }

  private skipValue(type: JinjaToken['type'], value: string): boolean {
    const tok = this.peek();
    if (tok?.type !== type || tok.value !== value) return false;
    this.i++;
    return true;
  }

  private skipSymbol(value: string): boolean {
    return this.skipValue('symbol', value);
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
