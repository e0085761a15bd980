import { formatLocation } from './format-location.js';
import { locateCall } from './locate-call.js';
import type { ModelFile, ModelNode } from './model.js';

/**
 * `nodes` dependencies first (ties by name), pushing one `file:line: ref cycle a -> b -> a`
 * problem per cycle found.
 */
export function topologicalOrder<N extends ModelNode>(nodes: ReadonlyMap<string, N>, files: ReadonlyMap<string, ModelFile>, problems: string[]): N[] {
  const out: N[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  // The path from the current root, for naming a cycle (one shared stack: copying it per step is quadratic on long chains).
  const trail: string[] = [];
  const visit = (name: string): void => {
    const node = nodes.get(name);
    if (!node) return;
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const line = locateCall(files.get(name)?.template ?? '', 'ref', cycle[1]);
      problems.push(`${formatLocation(node.file, line)}: ref cycle ${cycle.join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    trail.push(name);
    for (const dep of node.refs) visit(dep);
    trail.pop();
    state.set(name, 'done');
    out.push(node);
  };
  for (const name of [...nodes.keys()].sort()) visit(name);
  return out;
}
