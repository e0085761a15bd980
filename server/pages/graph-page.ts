import { html, raw } from 'hono/html';
import { GRAPH_NODE, type GraphLayout } from '../../app/index.js';
import { escapeHtml } from './escape.js';
import { assetHref, type Html } from './layout.js';

/** Groups take the colour classes `.g0` … `.g7` of app.css (the CSP allows no inline style). */
const COLOURS = 8;

/**
 * The asset graph, laid out on the server (app/graph-layout, cached by graph hash) and drawn as one
 * SVG; the island adds pan and zoom. The selection (`+marts/dim_games+`) lives in the URL.
 */
export function graphPage(layout: GraphLayout, select: string, groups: readonly string[]): Html {
  const colourOf = (group: string) => `g${Math.max(0, groups.indexOf(group)) % COLOURS}`;
  const at = new Map(layout.nodes.map((n) => [n.key, n]));
  const { width: w, height: h } = GRAPH_NODE;
  // Built as one string: at 2,000 assets, one template per node would cost more than the layout.
  const edges = layout.edges
    .map(([from, to]) => {
      const a = at.get(from)!;
      const b = at.get(to)!;
      const x1 = a.x + w;
      const y1 = a.y + h / 2;
      const x2 = b.x;
      const y2 = b.y + h / 2;
      const mid = (x1 + x2) / 2;
      return `<path d="M${x1} ${y1}C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}"/>`;
    })
    .join('');
  const nodes = layout.nodes
    .map((n) => {
      const room = n.checks ? 27 : 31;
      const label = n.key.length > room ? `${n.key.slice(0, room - 1)}…` : n.key;
      return `<a href="${escapeHtml(assetHref(n.key))}"><g class="node" transform="translate(${n.x} ${n.y})"><title>${escapeHtml(`${n.key} (${n.kind}, ${n.group})${n.checks ? `, ${n.checks} checks` : ''}`)}</title><rect class="${colourOf(n.group)}" width="${w}" height="${h}" rx="5"/><text x="8" y="${h / 2 + 4}">${escapeHtml(label)}</text>${n.checks ? `<text class="checks" x="${w - 8}" y="${h / 2 + 4}" text-anchor="end">✓${n.checks}</text>` : ''}</g></a>`;
    })
    .join('');
  const pad = 20;
  return html`<h1>Asset graph <small class="muted">${layout.nodes.length === layout.total ? `${layout.total} assets` : `${layout.nodes.length} of ${layout.total} assets`}</small></h1>
    <form class="filters" method="get" action="/graph">
      <label>Selection <input name="select" value="${select}" placeholder="+marts/dim_games+  or  rawg/games+2" size="40" /></label>
      <button type="submit">Show</button>
      ${select ? html`<a href="/graph">Whole graph</a>` : ''}
      <span class="muted">Drag to pan, wheel or + / − to zoom, 0 to fit.</span>
    </form>
    <div class="legend">${groups.map((g) => html`<span><i class="swatch ${colourOf(g)}"></i>${g}</span>`)}</div>
    <div class="graph-wrap" id="graph" tabindex="0" aria-label="The asset graph: arrow keys pan, + and − zoom, 0 fits">
      <svg class="graph" viewBox="${-pad} ${-pad} ${layout.width + 2 * pad} ${layout.height + 2 * pad}" data-width="${layout.width + 2 * pad}" data-height="${layout.height + 2 * pad}" role="img" aria-label="${layout.nodes.length} assets and ${layout.edges.length} dependencies">
        <g class="edges">${raw(edges)}</g><g class="nodes">${raw(nodes)}</g>
      </svg>
    </div>`;
}
