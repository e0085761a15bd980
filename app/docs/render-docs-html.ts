import type { DocsData, DocsModel } from './docs-data.js';
import { escapeHtml as e } from './escape-html.js';
import { renderLineageSvg } from './render-lineage-svg.js';

const STYLE = `
:root{--fg:#1d2433;--muted:#5b6475;--bg:#fff;--panel:#f5f7fa;--line:#d8dde6;--accent:#2457c5}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{position:sticky;top:0;z-index:2;display:flex;gap:16px;align-items:center;padding:10px 20px;background:var(--panel);border-bottom:1px solid var(--line)}
header h1{font-size:18px;margin:0}header nav a{margin-right:12px}
header input{margin-left:auto;padding:5px 8px;width:280px;border:1px solid var(--line);border-radius:4px;font:inherit}
main{padding:10px 20px 60px;max-width:1400px}
h2{margin-top:32px;border-bottom:2px solid var(--line);padding-bottom:4px}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid var(--line)}
th{background:var(--panel);font-weight:600}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:var(--panel);padding:10px;overflow:auto;border:1px solid var(--line);border-radius:4px}
.model{border:1px solid var(--line);border-radius:6px;padding:4px 16px 10px;margin:14px 0}
.model h3{margin:10px 0 4px}
.meta{color:var(--muted)}.meta span{margin-right:14px}
.muted{color:var(--muted)}.warn{color:#a15c00}.error{color:#b3261e}.unresolved{color:#a15c00;font-size:12px}
.graph{overflow:auto;border:1px solid var(--line);border-radius:6px;background:var(--panel);max-height:80vh}
svg.lineage .edge{fill:none;stroke:#9aa5b8;stroke-width:1.2}
svg.lineage .edge.hl{stroke:var(--accent);stroke-width:2.4}
svg.lineage rect{fill:#fff;stroke:#8893a7}
svg.lineage text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:var(--fg)}
svg.lineage .kind-ingestion rect{fill:#fff3d6;stroke:#c99a2e}
svg.lineage .kind-view rect{fill:#e6f0ff;stroke:#5b82c9}
svg.lineage .kind-table rect,svg.lineage .kind-incremental rect,svg.lineage .kind-partitioned rect{fill:#e4f5e8;stroke:#4f9a62}
svg.lineage .node.hl rect{stroke:var(--accent);stroke-width:2.4}
.hidden{display:none}
`;

// Filters rows and model sections by name; highlights a graph node's edges on hover. No network.
const SCRIPT = `
(function(){
  var q=document.getElementById('search');
  q.addEventListener('input',function(){
    var t=q.value.trim().toLowerCase();
    document.querySelectorAll('[data-name]').forEach(function(el){
      el.classList.toggle('hidden',t!==''&&el.getAttribute('data-name').toLowerCase().indexOf(t)<0);
    });
  });
  document.querySelectorAll('svg.lineage .node').forEach(function(n){
    var k=n.getAttribute('data-key');
    function set(on){
      n.classList.toggle('hl',on);
      document.querySelectorAll('svg.lineage .edge').forEach(function(p){
        if(p.getAttribute('data-from')===k||p.getAttribute('data-to')===k)p.classList.toggle('hl',on);
      });
    }
    n.addEventListener('mouseenter',function(){set(true)});
    n.addEventListener('mouseleave',function(){set(false)});
  });
})();
`;

/** One self-contained HTML page (inline CSS, a little inline JS, no network) with every text escaped. */
export function renderDocsHtml(data: DocsData): string {
  const modelKeys = new Set(data.models.map((m) => m.key));
  const link = (key: string): string => `<a href="#${e(`${modelKeys.has(key) ? 'model' : 'asset'}-${key}`)}">${e(key)}</a>`;
  const modelLink = (relation: string): string => {
    const m = data.models.find((x) => x.relation === relation);
    return m ? `<a href="#${e(`model-${m.key}`)}">${e(relation)}</a>` : e(relation);
  };
  const assets = data.assets
    .map(
      (a) =>
        `<tr id="${e(`asset-${a.key}`)}" data-name="${e(a.key)}"><td class="mono">${modelKeys.has(a.key) ? link(a.key) : e(a.key)}</td><td>${e(a.kind)}</td><td>${e(a.group)}</td>` +
        `<td>${e(a.partitions)}</td><td class="mono">${a.deps.map(link).join('<br>')}</td><td>${e(a.description)}</td></tr>`,
    )
    .join('\n');
  const sources = data.sources
    .map((s) => {
      const f = s.freshness;
      const fresh = f ? [f.warnAfterHours !== undefined ? `warn after ${f.warnAfterHours} h` : '', f.errorAfterHours !== undefined ? `error after ${f.errorAfterHours} h` : '', f.loadedAtField ? `on ${f.loadedAtField}` : ''].filter(Boolean).join(', ') : '';
      return `<tr data-name="${e(`${s.key} ${s.relation}`)}"><td class="mono">${e(s.key)}</td><td class="mono">${e(s.relation)}</td><td>${e(s.description)}</td><td>${e(fresh)}</td><td class="muted">${e(s.where ?? '')}</td></tr>`;
    })
    .join('\n');
  const checks = data.checks
    .map(
      (c) =>
        `<tr data-name="${e(`${c.key} ${c.asset}`)}"><td class="mono">${e(c.key)}</td><td class="mono">${link(c.asset)}</td><td class="${e(c.severity)}">${e(c.severity)}${c.blocking ? ', blocking' : ''}</td><td>${e(c.partitions)}</td><td>${e(c.description)}</td></tr>`,
    )
    .join('\n');
  const edgeList = data.lineage.edges.map((x) => `<li class="mono">${e(x.from)} → ${e(x.to)}</li>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gmp docs</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>gmp docs</h1>
<nav><a href="#lineage">Lineage</a><a href="#assets">Assets (${data.assets.length})</a><a href="#models">Models (${data.models.length})</a><a href="#sources">Sources (${data.sources.length})</a><a href="#checks">Checks (${data.checks.length})</a></nav>
<input id="search" type="search" placeholder="filter assets and models by name" aria-label="filter by name">
</header>
<main>
<p class="muted">Generated ${e(data.generatedAt)}. The same data is in docs.json beside this file.</p>
<h2 id="lineage">Lineage</h2>
<p class="muted">Assets left to right by depth (checks left out); hover a node to highlight its edges, click it to jump to it.</p>
<div class="graph">${renderLineageSvg(data)}</div>
<details><summary>Edges as a list (${data.lineage.edges.length})</summary><ul>${edgeList}</ul></details>
<h2 id="assets">Assets</h2>
<table><thead><tr><th>asset</th><th>kind</th><th>group</th><th>partitions</th><th>deps</th><th>description</th></tr></thead>
<tbody>
${assets}
</tbody></table>
<h2 id="models">Models</h2>
${data.models.map((m) => renderModel(m, modelLink, link)).join('\n')}
<h2 id="sources">Sources</h2>
<table><thead><tr><th>source</th><th>relation</th><th>description</th><th>freshness</th><th>declared in</th></tr></thead>
<tbody>
${sources}
</tbody></table>
<h2 id="checks">Checks</h2>
<table><thead><tr><th>check</th><th>asset</th><th>severity</th><th>partitions</th><th>description</th></tr></thead>
<tbody>
${checks}
</tbody></table>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function renderModel(m: DocsModel, modelLink: (relation: string) => string, link: (key: string) => string): string {
  const meta = [
    `materialized: <b>${e(m.materialized)}</b>`,
    `schema: ${e(m.schema)}`,
    `file: <span class="mono">${e(m.file)}</span>`,
    m.partitionBy ? `partition by: <span class="mono">${e(m.partitionBy)}</span>` : '',
    m.uniqueKey ? `unique key: <span class="mono">${e(m.uniqueKey.join(', '))}</span>` : '',
    m.tags.length > 0 ? `tags: ${e(m.tags.join(', '))}` : '',
  ].filter(Boolean);
  const reads = [...m.refs.map(modelLink), ...m.sources.map(link)];
  const columns = m.columns
    .map(
      (c) =>
        `<tr><td class="mono">${e(c.name)}</td><td>${e(c.description)}</td><td class="mono">${c.sources.map(e).join('<br>') || '<span class="muted">(constant)</span>'}` +
        `${c.resolved ? '' : `<div class="unresolved">unresolved: ${e(c.reason ?? '')}</div>`}</td>` +
        `<td class="mono">${c.origins.join() === c.sources.join() ? '' : c.origins.map(e).join('<br>')}</td></tr>`,
    )
    .join('');
  const tests = m.tests
    .map(
      (t) =>
        `<tr><td class="mono">${e(t.name)}</td><td>${e(t.kind)}</td><td class="mono">${e(t.column ?? '')}</td><td class="${e(t.severity)}">${e(t.severity)}</td><td>${e(t.description)}</td><td class="muted">${e(t.where)}</td></tr>`,
    )
    .join('');
  const sql = m.compiledSql !== null ? `<pre><code>${e(m.compiledSql)}</code></pre>` : `<p class="error">could not compile: ${e(m.compileError ?? '')}</p>`;
  return `<section class="model" id="${e(`model-${m.key}`)}" data-name="${e(`${m.relation} ${m.key}`)}">
<h3 class="mono">${e(m.relation)}</h3>
<div class="meta">${meta.map((x) => `<span>${x}</span>`).join('')}</div>
<p>${e(m.description) || '<span class="muted">(no description)</span>'}</p>
<p>reads: ${reads.join(', ') || '<span class="muted">nothing</span>'}</p>
${m.columnLineage.resolved ? '' : `<p class="unresolved">column lineage unresolved: ${e(m.columnLineage.reason ?? '')}</p>`}
<table><thead><tr><th>column</th><th>description</th><th>derived from</th><th>origin</th></tr></thead><tbody>${columns || '<tr><td colspan="4" class="muted">no columns known</td></tr>'}</tbody></table>
<table><thead><tr><th>test</th><th>kind</th><th>column</th><th>severity</th><th>description</th><th>declared in</th></tr></thead><tbody>${tests || '<tr><td colspan="6" class="muted">no tests</td></tr>'}</tbody></table>
<details><summary>compiled SQL</summary>${sql}</details>
</section>`;
}
