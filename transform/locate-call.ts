/**
 * The 1-based line of the first `fn(` call in `template` whose first argument is the string
 * literal `firstArg` (any call of `fn` when omitted); undefined when none is written literally.
 */
export function locateCall(template: string, fn: string, firstArg?: string): number | undefined {
  // nunjucks cannot tell a global function where it was called from, so problems found inside
  // one (unknown var, missing env_var) are located by finding the call in the source text.
  const arg = firstArg === undefined ? '' : `\\s*(['"])${escape(firstArg)}\\1`;
  const match = new RegExp(`(?<![\\w.])${escape(fn)}\\s*\\(${arg}`).exec(template);
  if (!match) return undefined;
  return template.slice(0, match.index).split('\n').length;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
