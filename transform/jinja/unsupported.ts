/**
 * Thrown by the fast template engine where a template leaves the subset it mirrors exactly (or
 * would fail in nunjucks): the caller renders that template with nunjucks instead.
 */
export class Unsupported extends Error {
  constructor(what: string) {
    super(`not in the fast template subset: ${what}`);
    this.name = 'Unsupported';
  }
}
