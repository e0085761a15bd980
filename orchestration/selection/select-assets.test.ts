import { describe, expect, it } from 'vitest';
import { unpartitioned, type AssetDefinition, type AssetDep, type AssetKind } from '../../core/index.js';
import { buildAssetGraph } from '../graph/index.js';
import { selectAssets } from './select-assets.js';

const asset = (key: string, kind: AssetKind, deps: AssetDep[] = []): AssetDefinition => ({
  key, description: '', deps, partitions: unpartitioned, group: key.split('/')[0]!, kind, tags: [], materialize: async () => ({}),
});

// A relationships test on stg_events reads dim_games too; a not_null test on dim_games reads only it.
const graph = buildAssetGraph([
  asset('marts/dim_games', 'table'),
  asset('staging/stg_events', 'incremental'),
  asset('marts/funnel', 'table', [{ key: 'staging/stg_events' }, { key: 'marts/dim_games' }]),
  asset('checks/staging/stg_events/relationships_game_id', 'check', [{ key: 'staging/stg_events' }, { key: 'marts/dim_games' }]),
  asset('checks/marts/dim_games/not_null_game_id', 'check', [{ key: 'marts/dim_games' }]),
]);

describe('selecting checks', () => {
  it('reaches a check downstream only through the asset it checks, not through what it looks up', () => {
    expect(selectAssets(graph, 'marts/dim_games+').sort()).toEqual(['checks/marts/dim_games/not_null_game_id', 'marts/dim_games', 'marts/funnel']);
    expect(selectAssets(graph, 'staging/stg_events+')).toContain('checks/staging/stg_events/relationships_game_id');
  });

  it('excludes the checks of an excluded asset', () => {
    expect(selectAssets(graph, '*', 'marts/dim_games').sort()).toEqual(['checks/staging/stg_events/relationships_game_id', 'marts/funnel', 'staging/stg_events']);
  });
});
