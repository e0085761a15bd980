import { describe, expect, it } from 'vitest';
import { dailyPartitions, type AssetDefinition } from '../core/index.js';
import { buildAssetGraph } from '../orchestration/index.js';
import { layoutGraph } from './graph-layout.js';

const asset = (key: string, deps: string[], kind: AssetDefinition<unknown>['kind'] = 'table'): AssetDefinition<unknown> => ({
  key, description: key, deps: deps.map((d) => ({ key: d })), partitions: dailyPartitions('2024-01-01'), group: key.split('/')[0]!, kind, tags: [],
  async materialize() {
    return {};
  },
});

describe('layoutGraph', () => {
  // a/1 and a/2 feed b/1 and b/2 crosswise: alphabetical rows would cross both edges.
  const graph = buildAssetGraph([
    asset('a/1', []),
    asset('a/2', []),
    asset('b/1', ['a/2']),
    asset('b/2', ['a/1']),
    asset('c/1', ['b/1', 'b/2']),
    asset('checks/c/1/not_empty', ['c/1'], 'check'),
  ]);

  it('places every asset right of what it reads, without overlaps, checks counted on their asset', () => {
    const layout = layoutGraph(graph);
    const at = new Map(layout.nodes.map((n) => [n.key, n]));
    expect(layout.nodes.map((n) => n.key).sort()).toEqual(['a/1', 'a/2', 'b/1', 'b/2', 'c/1']);
    for (const [from, to] of layout.edges) expect(at.get(from)!.x).toBeLessThan(at.get(to)!.x);
    expect(new Set(layout.nodes.map((n) => `${n.x},${n.y}`)).size).toBe(layout.nodes.length);
    expect(at.get('c/1')!.checks).toBe(1);
    expect(layout.total).toBe(5);
  });

  it('orders each layer by what it reads, so crosswise edges do not cross', () => {
    const at = new Map(layoutGraph(graph).nodes.map((n) => [n.key, n]));
    const y = (k: string) => at.get(k)!.y;
    // a/1 → b/2 and a/2 → b/1: the two edges keep their order from one layer to the next.
    expect(y('a/1') < y('a/2')).toBe(y('b/2') < y('b/1'));
  });

  it('lays out only a selection, and reuses a layout for the same graph and selection', () => {
    const part = layoutGraph(graph, '+b/1');
    expect(part.nodes.map((n) => n.key).sort()).toEqual(['a/2', 'b/1']);
    expect(part.edges).toEqual([['a/2', 'b/1']]);
    expect(part.total).toBe(5);
    expect(layoutGraph(graph, '+b/1')).toBe(part);
    expect(layoutGraph(graph, '+b/2').hash).not.toBe(part.hash);
  });
});
