export type { TemplateAst } from './ast.js';
export { Markup } from './markup.js';
export { parseTemplate } from './parse-template.js';
export { renderTemplate, runMacroLibrary } from './render-template.js';
export type { Globals } from './frames.js';
export { TemplateUnsupported } from './template-unsupported.js';
