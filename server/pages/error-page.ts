import { escapeHtml as e } from './escape.js';

/** A page for a refused or failed page request: what happened and what to do. */
export function errorPage(status: number, message: string, hint?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${status} · gmp</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main id="main"><h1>${status}</h1><p>${e(message)}</p>${hint ? `<p class="muted">${e(hint)}</p>` : ''}<p><a href="/">Overview</a> · <a href="/runs">Runs</a></p></main></body></html>`;
}
