/**
 * Thrown (by parse or render) when a template steps outside what this engine renders exactly as
 * nunjucks does; the caller then renders that template with nunjucks, which gives either the same
 * output or its own error.
 */
export class TemplateUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateUnsupported';
  }
}
