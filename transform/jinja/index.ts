import type { JinjaMacro, JinjaTemplate } from './jinja-ast.js';
import { parseJinjaMacros, parseJinjaTemplate } from './parse-jinja.js';
import { resolveJinjaMacro, resolveJinjaTemplate } from './resolve-jinja.js';

export type { JinjaMacro, JinjaTemplate } from './jinja-ast.js';
export { prepareJinjaMacros, renderJinja } from './render-jinja.js';
export type { JinjaMacros } from './render-jinja.js';
export { Unsupported } from './unsupported.js';

/**
 * A model template compiled for the fast engine (a nunjucks-exact subset, no code generation);
 * throws Unsupported when the template is outside it, so nunjucks must render it.
 */
export function compileJinjaTemplate(text: string): JinjaTemplate {
  return resolveJinjaTemplate(parseJinjaTemplate(text));
}

/** A macro file's macros for the fast engine; throws Unsupported as compileJinjaTemplate does. */
export function compileJinjaMacros(text: string): JinjaMacro[] {
  return parseJinjaMacros(text).map(resolveJinjaMacro);
}
