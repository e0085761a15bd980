import { T, type Token } from './lex-template.js';
import { TemplateUnsupported } from './template-unsupported.js';

/** Object.prototype's names: as variables, keys or attributes they would reach the prototype. */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
/** Words the expression grammar uses, nunjucks' own globals, and names nunjucks gives a meaning. */
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'null', 'none', 'None', 'true', 'True', 'false', 'False', 'range', 'cycler', 'joiner', 'caller', 'varargs', 'kwargs']);

/** Whether `name` can be a variable, parameter or macro name for this engine. */
export function isPlainName(name: string): boolean {
  return !RESERVED.has(name) && !PROTOTYPE_NAMES.has(name) && name !== 'loop';
}

/** Whether `key` is safe as an attribute or dict key (not one of Object.prototype's). */
export function isPlainKey(key: string): boolean {
  return !PROTOTYPE_NAMES.has(key);
}

/** The parser's position in the token list, and the names loops and macros declare around it. */
export class Cursor {
  pos = 0;
  /** Loop variables and macro parameters in scope, innermost last. */
  private readonly declared: string[][] = [];
  /**
   * The variables of loops whose else branch is being parsed: nunjucks reads them there from its own
   * local variables (undefined, or the value a previous run of the loop left), left to it.
   */
  private readonly hidden: string[][] = [];
  /** Loop bodies around the current position, within the current macro (or the top level). */
  loops = 0;
  /** Loop bodies and loop else branches around the current position (each runs in a frame of its own). */
  frames = 0;
  /** Whether the position is inside a macro body. */
  inMacro = false;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  isOp(v: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.t === T.Op && token.v === v;
  }

  isName(v: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.t === T.Name && token.v === v;
  }

  skipOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.pos++;
    return true;
  }

  skipName(v: string): boolean {
    if (!this.isName(v)) return false;
    this.pos++;
    return true;
  }

  expectOp(v: string): void {
    if (!this.skipOp(v)) this.fail(`expected "${v}"`);
  }

  expect(t: T): Token {
    if (this.peek().t !== t) this.fail('unexpected token');
    return this.next();
  }

  /** A name usable as a variable, parameter or macro name. */
  expectPlainName(): string {
    const token = this.expect(T.Name);
    const name = token.v as string;
    if (!isPlainName(name)) this.fail(`reserved name "${name}"`);
    this.checkVisible(name);
    return name;
  }

  /** Fails on a variable of a loop whose else branch is being parsed. */
  checkVisible(name: string): void {
    if (this.hidden.some((names) => names.includes(name))) this.fail(`loop variable ${name} in the loop's else branch`);
  }

  hide(names: string[]): void {
    this.hidden.push(names);
  }

  unhide(): void {
    this.hidden.pop();
  }

  fail(what: string): never {
    throw new TemplateUnsupported(`${what} (offset ${this.peek().at})`);
  }

  declare(names: string[]): void {
    this.declared.push(names);
  }

  undeclare(): void {
    this.declared.pop();
  }

  isDeclared(name: string): boolean {
    return this.declared.some((scope) => scope.includes(name));
  }

  /** Runs `body` in a macro's own scope: the names declared around the definition are not visible in it. */
  inMacroScope<R>(params: string[], body: () => R): R {
    const saved = this.declared.splice(0);
    const loops = this.loops;
    const frames = this.frames;
    this.declared.push(params);
    this.loops = 0;
    this.frames = 0;
    this.inMacro = true;
    try {
      return body();
    } finally {
      this.declared.splice(0, this.declared.length, ...saved);
      this.loops = loops;
      this.frames = frames;
      this.inMacro = false;
    }
  }
}
