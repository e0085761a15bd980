import type { DocsData } from './docs-data.js';
import { escapeHtml } from './escape-html.js';
import { layoutLineage } from './layout-lineage.js';

/** The asset graph as an inline SVG (no xmlns, no external references); each node links to its section. */
export function renderLineageSvg(data: Pick<DocsData, 'lineage' | 'assets' | 'models'>): string {
  const layout = layoutLineage(data.lineage.nodes, data.lineage.edges);
  const kind = new Map(data.assets.map((a) => [a.key, a.kind]));
  const models = new Set(data.models.map((m) => m.key));
  const edges = layout.edges.map(
    (e) => `<path class="edge" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}" d="${e.path}"/>`,
  );
  const nodes = layout.nodes.map((n) => {
    const anchor = `${models.has(n.key) ? 'model' : 'asset'}-${n.key}`;
    return (
      `<a href="#${escapeHtml(anchor)}" class="node kind-${escapeHtml(kind.get(n.key) ?? 'asset')}" data-key="${escapeHtml(n.key)}">` +
      `<title>${escapeHtml(n.key)} (${escapeHtml(kind.get(n.key) ?? '')})</title>` +
      `<rect x="${n.x}" y="${n.y}" width="${layout.nodeWidth}" height="${layout.nodeHeight}" rx="4"/>` +
      `<text x="${n.x + 8}" y="${n.y + layout.nodeHeight / 2 + 4}">${escapeHtml(n.key)}</text></a>`
    );
  });
  return [
    `<svg class="lineage" role="img" aria-label="asset lineage graph" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`,
    `<g class="edges">${edges.join('')}</g>`,
    `<g class="nodes">${nodes.join('')}</g>`,
    '</svg>',
  ].join('\n');
}
