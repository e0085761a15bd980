import { html } from 'hono/html';
import type { Html } from './layout.js';

export interface SchemaEntry {
  relation: string;
  description: string;
  columns: { name: string; description: string }[];
}

/** The SQL console: a query box, Run and Cancel, the result, and the models with their columns. */
export function sqlPage(schema: readonly SchemaEntry[], access: 'viewers' | 'operators' | 'off', example: string): Html {
  return html`<h1>SQL console</h1>
    <p class="muted">One read-only query over the warehouse (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN): no file, network or setting access; stopped after 15 s; 2,000 rows shown, every row in the CSV. ${access === 'operators' ? 'Operators and admins only.' : ''}</p>
    <div class="console">
      <section>
        <label for="sql" class="visually-hidden">Query</label>
        <textarea id="sql" name="sql" rows="8" spellcheck="false">${example}</textarea>
        <p><button type="button" id="run-sql">Run (Ctrl+Enter)</button> <button type="button" id="cancel-sql" disabled>Cancel</button>
          <button type="button" id="csv-sql" class="secondary" title="Every row, not just the 2,000 shown (2 minutes at most)">Download CSV</button>
          <span id="sql-status" role="status" class="muted"></span></p>
        <div id="sql-result" class="result"></div>
      </section>
      <aside class="schema" aria-label="Tables and their columns">
        <h2>Tables</h2>
        ${schema.map(
          (t) => html`<details><summary><code>${t.relation}</code></summary>
            <p class="muted">${t.description}</p>
            <ul>${t.columns.map((c) => html`<li><code>${c.name}</code> <span class="muted">${c.description}</span></li>`)}</ul>
          </details>`,
        )}
      </aside>
    </div>`;
}
