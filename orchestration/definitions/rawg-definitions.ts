import { dateToKey, type AssetDefinition } from '../../core/index.js';
import {
  RAWG_DETAIL_ENDPOINTS,
  RAWG_ENDPOINTS,
  RAWG_PARTITIONS_START,
  createDetailAssets,
  createIngestionAssets,
  ingestionAssetKey,
  type DetailSpec,
  type EndpointSpec,
} from '../../ingestion/index.js';
import { collectGarbage, readIntactManifest, readManifest } from '../../lake/index.js';
import type { Project } from '../../transform/index.js';
import { RAWG_CHECKS, createCheckAssets, wireBlockingChecks } from '../checks/index.js';
import { buildAssetGraph, type AssetGraph } from '../graph/index.js';
import { modelTestChecks } from '../model-tests/model-test-checks.js';
import { createEventCompactionAsset } from './event-compaction.js';
import { EVENT_ENTITIES, createEventAssets, type RawEntity } from './event-definitions.js';
import { createModelAssets } from './model-assets.js';
import { createMlAssets, PREDICTION_ENTITIES } from './ml-assets.js';
import type { PipelineResources } from './pipeline-resources.js';

const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/** Every endpoint this platform fetches, by asset key (`rawg/games`, `rawg/game_details`, …). */
export const INGESTION_SPECS: ReadonlyMap<string, EndpointSpec | DetailSpec> = new Map(
  [...RAWG_ENDPOINTS, ...RAWG_DETAIL_ENDPOINTS].map((s) => [ingestionAssetKey(s), s]),
);

/** Raw entities exposed to the warehouse: the RAWG ones as `raw.<source>_<entity>`, the events as `raw.events` and `raw.failed_events`. */
export const RAW_ENTITIES: readonly RawEntity[] = [
  ...[...INGESTION_SPECS.values()].map((e) => ({ source: e.source, entity: e.entity, relation: `raw.${e.source}_${e.entity}` })),
  ...EVENT_ENTITIES,
  ...PREDICTION_ENTITIES,
];

/**
 * This platform's asset graph: the RAWG ingestion assets (each refreshing its raw view after a
 * commit), the collector's event datasets (external assets), one asset per model, and the asset checks (blocking ones hold back what is downstream).
 */
export function buildPipelineGraph(project: Project): AssetGraph<PipelineResources> {
  const fetched = [...createIngestionAssets(RAWG_ENDPOINTS), ...createDetailAssets(RAWG_DETAIL_ENDPOINTS, RAWG_ENDPOINTS)];
  const ingestion: AssetDefinition<PipelineResources>[] = fetched.map((asset) => {
    const { source, entity } = INGESTION_SPECS.get(asset.key)!;
    return {
      ...asset,
      async materialize(ctx) {
        // Snapshots are keyed by the fetch date, as the ingestion asset does.
        const dt = ctx.partitionKey ?? dateToKey(ctx.clock.now());
        // (A corrupt previous commit has no files to clean up that GC would not find.)
        const before = await readIntactManifest(ctx.resources.lake, source, entity, dt, { signal: ctx.signal });
        const result = await asset.materialize(ctx);
        ctx.resources.rawViewCommitted(source, entity, ctx.signal);
        // The superseded run's files go at the end of the run, once the raw views no longer name
        // them (the readers' publication holds marts only), and only if the manifest still names
        // this run (a newer commit would have superseded it in turn). Folders of killed runs go once
        // they are an hour old, so a writer still running in another process is never pulled from under it.
        const committedDt = String(result.metadata?.dt ?? dt);
        const lake = ctx.resources.lake;
        if (before !== undefined && before.run_id !== ctx.runId && before.dt === committedDt) {
          ctx.resources.afterRun(async () => {
            const now = await readManifest(lake, source, entity, committedDt);
            if (now?.run_id !== ctx.runId) return;
            for (const f of [...before.files, ...before.invalid_files]) await lake.delete(f.key);
          });
        }
        await collectGarbage({ store: lake, source, entity, dt: committedDt, olderThanMs: ORPHAN_GRACE_MS, signal: ctx.signal, clock: ctx.clock });
        return result;
      },
    };
  });
  const base = [
    ...ingestion,
    ...createEventAssets(),
    createEventCompactionAsset(),
    ...createModelAssets<PipelineResources>(project, RAWG_PARTITIONS_START),
    ...createMlAssets(project),
  ];
  // The hand-written checks on raw data, then the models' yml and singular tests.
  const specs = [...RAWG_CHECKS, ...modelTestChecks(project)];
  const checks = createCheckAssets<PipelineResources>(specs, new Map(base.map((a) => [a.key, a])));
  return buildAssetGraph<PipelineResources>(wireBlockingChecks([...base, ...checks], specs));
}
