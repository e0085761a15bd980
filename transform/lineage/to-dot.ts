import type { LineageView } from './lineage-view.js';

/** A Graphviz DOT digraph (left to right); unresolved nodes are dashed. */
export function toDot(view: LineageView): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [shape=box];'];
  for (const n of view.nodes) lines.push(`  ${quote(n.id)} [label=${quote(n.label)}${n.resolved === false ? ', style=dashed' : ''}];`);
  for (const e of view.edges) lines.push(`  ${quote(e.from)} -> ${quote(e.to)}${e.label ? ` [label=${quote(e.label)}]` : ''};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
