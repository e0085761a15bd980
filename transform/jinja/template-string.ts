/**
 * What a macro returns: nunjucks' SafeString — a String-like object (so `if macro()` is true even
 * when empty and `===` against a string is false) that concatenates as its text.
 */
export interface TemplateString {
  readonly val: string;
  readonly length: number;
}

const prototype: object = Object.create(String.prototype, {
  length: { writable: true, configurable: true, value: 0 },
  // Assigned in nunjucks, so enumerable (a `for k in` over a macro's result sees them).
  valueOf: {
    writable: true,
    enumerable: true,
    configurable: true,
    value(this: TemplateString) {
      return this.val;
    },
  },
  toString: {
    writable: true,
    enumerable: true,
    configurable: true,
    value(this: TemplateString) {
      return this.val;
    },
  },
});

export function templateString(val: string): TemplateString {
  const s = Object.create(prototype) as { val: string; length: number };
  s.val = val;
  s.length = val.length;
  return s;
}
