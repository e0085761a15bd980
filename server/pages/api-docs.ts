import { escapeHtml as e } from './escape.js';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: { type?: string; enum?: string[]; default?: unknown } }[];
  responses?: Record<string, { description?: string }>;
}
interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths?: object;
}

/**
 * The interactive API reference at /api/docs, rendered from the OpenAPI document: every route with
 * its parameters and answers, and a form that sends it (the island /static/api-docs.js); served
 * offline, nothing from a CDN.
 */
export function renderApiDocs(doc: OpenApiDoc): string {
  const operations = Object.entries((doc.paths ?? {}) as Record<string, Record<string, Operation> | undefined>).flatMap(([path, methods]) =>
    Object.entries(methods ?? {})
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const body = operations
    .map(({ path, method, op }, i) => {
      const params = (op.parameters ?? [])
        .map((p) => {
          const choices = p.schema?.enum ? ` (${p.schema.enum.join(', ')})` : '';
          const value = p.schema?.default === undefined ? '' : String(p.schema.default);
          return `<label>${e(p.name)} <small>${e(p.in)}${p.required ? ', required' : ''}${e(choices)}</small>
            <input name="${e(p.name)}" data-in="${e(p.in)}" value="${e(value)}" ${p.required ? 'required' : ''} aria-describedby="d${i}-${e(p.name)}">
            <span id="d${i}-${e(p.name)}" class="hint">${e(p.description ?? '')}</span></label>`;
        })
        .join('');
      const answers = Object.entries(op.responses ?? {}).map(([code, r]) => `<li><code>${e(code)}</code> ${e(r.description ?? '')}</li>`).join('');
      return `<section class="op" id="op${i}">
        <h2><span class="method">${e(method)}</span> <code>${e(path)}</code></h2>
        <p>${e(op.summary ?? '')}</p>
        <form class="try" data-method="${e(method)}" data-path="${e(path)}">${params}<button type="submit">Send</button></form>
        <ul class="answers">${answers}</ul>
        <pre class="result" aria-live="polite"></pre>
      </section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(doc.info.title)} — API reference</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main class="docs"><h1>${e(doc.info.title)} <small>v${e(doc.info.version)}</small></h1>
<p>${e(doc.info.description ?? '')}</p><p><a href="/api/v1/openapi.json">OpenAPI 3.1 document</a></p>
${body}
</main><script type="module" src="/static/api-docs.js"></script></body></html>`;
}
