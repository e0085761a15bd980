import type { AssetKind, PartitionsDefinition } from '../core/index.js';
import type { Workspace } from './workspace.js';

export interface AssetSummary {
  key: string;
  kind: AssetKind;
  group: string;
  partitions: string;
  deps: string[];
  description: string;
  tags: string[];
}

/** Every asset in graph order, with its kind, group, partitioning and direct dependencies. */
export function listAssets(ws: Workspace): AssetSummary[] {
  return ws.graph.order.map((key) => {
    const a = ws.graph.get(key);
    return {
      key,
      kind: a.kind,
      group: a.group,
      partitions: describeDefinition(a.partitions),
      deps: a.deps.map((d) => d.key),
      description: a.description,
      tags: [...a.tags],
    };
  });
}

function describeDefinition(def: PartitionsDefinition): string {
  switch (def.type) {
    case 'unpartitioned':
      return '-';
    case 'daily':
      return `daily from ${def.start}${def.end ? ` to ${def.end}` : ''}`;
    case 'hourly':
      return `hourly from ${def.start}${def.end ? ` to ${def.end}` : ''} (UTC)`;
    case 'static':
      return `static (${def.keys.length})`;
  }
}
