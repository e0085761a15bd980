import type { LineageView } from './lineage-view.js';

/** A Mermaid flowchart (left to right); node ids are `n0…` because labels hold dots and brackets. */
export function toMermaid(view: LineageView): string {
  const ids = new Map(view.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const n of view.nodes) lines.push(`  ${ids.get(n.id)}["${escape(n.label)}"]`);
  for (const e of view.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (from && to) lines.push(e.label ? `  ${from} -->|"${escape(e.label)}"| ${to}` : `  ${from} --> ${to}`);
  }
  const dashed = view.nodes.filter((n) => n.resolved === false).map((n) => ids.get(n.id));
  if (dashed.length > 0) lines.push('  classDef unresolved stroke-dasharray: 5 5', `  class ${dashed.join(',')} unresolved`);
  return `${lines.join('\n')}\n`;
}

// Mermaid labels in double quotes take HTML entities, not backslash escapes.
function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
