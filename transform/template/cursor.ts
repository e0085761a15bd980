import { T, type Tokens } from './lex-template.js';
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
  /** For each scope in `declared`: whether it is a loop unpacking several names per item. */
  private readonly unpacking: boolean[] = [];
  /** Loop bodies around the current position, within the current macro (or the top level). */
  loops = 0;
  /** Loop bodies and loop else branches around the current position (each runs in a frame of its own). */
  frames = 0;
  /** Whether the position is inside a macro body. */
  inMacro = false;
  /** Whether the expression being parsed has nodes reshape-expression.ts regroups (set by the parser). */
  regroup = false;

  private readonly kinds: readonly T[];
  private readonly values: readonly (string | number)[];
  private readonly ats: readonly number[];
  private readonly last: number;

  constructor(tokens: Tokens) {
    this.kinds = tokens.kinds;
    this.values = tokens.values;
    this.ats = tokens.ats;
    this.last = tokens.n - 1;
  }

  /** The kind of the token `offset` ahead (End past the end). */
  kind(offset = 0): T {
    const i = this.pos + offset;
    return i < this.last ? (this.kinds[i] as T) : T.End;
  }

  /** The value of the token `offset` ahead: text, name, operator, string or number. */
  value(offset = 0): string | number {
    const i = this.pos + offset;
    return i < this.last ? (this.values[i] as string | number) : '';
  }

  advance(): void {
    if (this.pos < this.last) this.pos++;
  }

  isOp(v: string, offset = 0): boolean {
    return this.kind(offset) === T.Op && this.value(offset) === v;
  }

  isName(v: string, offset = 0): boolean {
    return this.kind(offset) === T.Name && this.value(offset) === v;
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

  /** Consumes a token of kind `t` and returns its value. */
  expect(t: T): string | number {
    if (this.kind() !== t) this.fail('unexpected token');
    const value = this.value();
    this.advance();
    return value;
  }

  /** A name usable as a variable, parameter or macro name. */
  expectPlainName(): string {
    const name = this.expect(T.Name) as string;
    if (!isPlainName(name)) this.fail(`reserved name "${name}"`);
    this.checkVisible(name);
    return name;
  }

  /** Fails on a variable of a loop whose else branch is being parsed. */
  checkVisible(name: string): void {
    for (const names of this.hidden) if (names.includes(name)) this.fail(`loop variable ${name} in the loop's else branch`);
  }

  hide(names: string[]): void {
    this.hidden.push(names);
  }

  unhide(): void {
    this.hidden.pop();
  }

  fail(what: string): never {
    throw new TemplateUnsupported(`${what} (offset ${this.ats[Math.min(this.pos, this.last)] ?? 0})`);
  }

  /** Declares the variables of a loop (`unpacking`: several names per item) or a macro's parameters. */
  declare(names: string[], unpacking = false): void {
    this.declared.push(names);
    this.unpacking.push(unpacking);
  }

  undeclare(): void {
    this.declared.pop();
    this.unpacking.pop();
  }

  /**
   * Fails on a `set` of a variable of an enclosing loop that unpacks items (`for k, v in pairs`):
   * nunjucks keeps those out of its frames, so the set reaches a variable outside the loop.
   */
  checkAssignable(name: string): void {
    if (this.declared.some((names, i) => this.unpacking[i] === true && names.includes(name))) this.fail(`set of the unpacked loop variable ${name}`);
  }

  isDeclared(name: string): boolean {
    for (const scope of this.declared) if (scope.includes(name)) return true;
    return false;
  }

  /** Runs `body` in a macro's own scope: the names declared around the definition are not visible in it. */
  inMacroScope<R>(params: string[], body: () => R): R {
    const saved = this.declared.splice(0);
    const savedUnpacking = this.unpacking.splice(0, this.unpacking.length, false);
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
      this.unpacking.splice(0, this.unpacking.length, ...savedUnpacking);
      this.loops = loops;
      this.frames = frames;
      this.inMacro = false;
    }
  }
}
