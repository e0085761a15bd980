import type { JinjaToken } from './lex-jinja.js';

/** Reading lexJinja's tokens as nunjucks' parser reads its lexer's (whitespace is already dropped). */
export class JinjaTokenStream {
  protected i = 0;

  constructor(protected readonly tokens: readonly JinjaToken[]) {}

  protected peek(): JinjaToken | undefined {
    return this.tokens[this.i];
  }

  protected next(): JinjaToken | undefined {
    return this.tokens[this.i++];
  }

  protected isSymbol(tok: JinjaToken | undefined, value: string): boolean {
    return tok?.type === 'symbol' && tok.value === value;
  }

  protected skip(type: JinjaToken['type']): boolean {
    if (this.peek()?.type !== type) return false;
    this.i++;
    return true;
  }

  protected skipValue(type: JinjaToken['type'], value: string): boolean {
    const tok = this.peek();
    if (tok?.type !== type || tok.value !== value) return false;
    this.i++;
    return true;
  }

  protected skipSymbol(value: string): boolean {
    return this.skipValue('symbol', value);
  }
}
