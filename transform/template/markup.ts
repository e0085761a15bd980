/**
 * What a macro call returns: the shape nunjucks gives its macro output (a String-derived object with
 * own `val` and `length`), so values compare, concatenate, print and reach global functions alike.
 * An empty macro output is still truthy, as in nunjucks.
 */
export class Markup {
  readonly val: string;
  readonly length: number;

  constructor(val: string) {
    this.val = val;
    this.length = val.length;
  }

  valueOf(): string {
    return this.val;
  }

  toString(): string {
    return this.val;
  }
}
Object.setPrototypeOf(Markup.prototype, String.prototype);
