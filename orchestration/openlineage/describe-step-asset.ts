import { defaultSourceRelation, type Project } from '../../transform/index.js';
import { INGESTION_SPECS, modelAssetKey } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import type { StepAsset } from './step-datasets.js';

/** What an asset of this platform reads and writes: `rawg/games` → `/games` into `raw.rawg_games`; a model → its relation. */
export function describeStepAsset(graph: AssetGraph<unknown>, project: Pick<Project, 'models'>, key: string): StepAsset {
  const kind = graph.assets.get(key)?.kind;
  if (kind === 'ingestion') {
    const [source = '', entity = ''] = key.split('/');
    const endpoint = INGESTION_SPECS.get(key)?.path ?? `/${entity}`;
    return { kind: 'ingestion', endpoint, relation: defaultSourceRelation(source, entity) };
  }
  const model = project.models.find((m) => modelAssetKey(m) === key);
  return model ? { kind: 'model', relation: model.relation } : { kind: 'other' };
}
