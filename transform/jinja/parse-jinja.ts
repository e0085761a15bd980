import type { Expr, RawMacro, RawStmt } from './jinja-ast.js';
import { lexJinja } from './lex-jinja.js';
import { JinjaExpressionParser } from './parse-jinja-expression.js';
import { Unsupported } from './unsupported.js';

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
 * whitespace control comes out as nunjucks has it.
 */
class JinjaParser extends JinjaExpressionParser {
  private dropLeadingWhitespace = false;
  private breakOnBlocks: readonly string[] | null = null;

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
}
