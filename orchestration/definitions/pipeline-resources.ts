import path from 'node:path';
import type { Clock, Config, Logger } from '../../core/index.js';
import type { StateStore } from '../state/index.js';
import type { HttpClient, IngestionResources } from '../../ingestion/index.js';
import { createObjectStore, listCommittedPartitions, mirrorCommittedFiles, type ObjectStore } from '../../lake/index.js';
import type { Project } from '../../transform/index.js';
import { createSharedDuckDbWarehouse, type SharedWarehouse } from '../../warehouse/index.js';
import type { ModelResources } from './model-assets.js';
import { createSourceClient } from './source-client.js';

const WAREHOUSE_WAIT_MS = 30 * 60 * 1000;

/** Everything an asset of this platform may use during a run. */
export interface PipelineResources extends IngestionResources, ModelResources {
  warehouse: SharedWarehouse;
  /** The run's state store (check results, the request ledger). */
  state: StateStore;
  /** Rebuilds `raw.<source>_<entity>` over the entity's committed lake files. */
  refreshRawView(source: string, entity: string, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface OpenResourcesOptions {
  config: Config;
  /** The request ledger lives here: every API request is charged before it is sent. */
  state: StateStore;
  clock: Clock;
  project: Project;
  logger: Logger;
  /** Raw entities (`rawg/games`, …) whose views the warehouse exposes. */
  rawEntities: readonly { source: string; entity: string }[];
}

/** Opens the lake, the warehouse and the HTTP clients described by `config`. */
export async function openPipelineResources(options: OpenResourcesOptions): Promise<PipelineResources> {
  const { config, logger } = options;
  const lake: ObjectStore = await createObjectStore(config.lake);
  // Opened only while there is work, so other gmp processes (a daemon, a backfill, `gmp query`)
  // get their turn: DuckDB lets one process hold the file at a time.
  let warnedWait = false;
  const warehouse = createSharedDuckDbWarehouse({
    path: config.warehouse.path,
    waitMs: WAREHOUSE_WAIT_MS,
    onWait: (waited) => {
      if (!warnedWait && waited > 2000) {
        warnedWait = true;
        logger.warn({ warehouse: config.warehouse.path }, 'waiting for another gmp process to release the warehouse');
      }
    },
  });
  const cacheDir = path.join(config.home, 'cache', 'lake');
  const clients = new Map<string, HttpClient>();
  let synced: Promise<void> | undefined;

  const refreshRawView = async (source: string, entity: string, signal: AbortSignal): Promise<void> => {
    const manifests = await listCommittedPartitions(lake, source, entity, { signal });
    const local = await mirrorCommittedFiles({ store: lake, manifests, cacheDir, signal });
    const files = manifests.flatMap((m) => m.files.map((f) => local.get(f.key)!));
    const { dialect } = warehouse;
    await warehouse.execute([dialect.createSchema('raw'), dialect.rawTableView(`raw.${source}_${entity}`, files)], { signal });
  };

  return {
    lake,
    warehouse,
    state: options.state,
    project: options.project,
    ingestion: { snapshotMaxPages: config.rawg.snapshotMaxPages, pageConcurrency: config.rawg.concurrency },
    http(source) {
      let client = clients.get(source);
      if (!client) {
        client = createSourceClient({ source, config, state: options.state, clock: options.clock, logger });
        clients.set(source, client);
      }
      return client;
    },
    refreshRawView,
    syncRawViews(signal) {
      synced ??= (async () => {
        for (const { source, entity } of options.rawEntities) await refreshRawView(source, entity, signal);
      })();
      return synced;
    },
    async close() {
      await warehouse.close();
    },
  };
}

