import path from 'node:path';
import { warehouseNamespace, type Clock, type Config, type Logger, type MlSettings } from '../../core/index.js';
import type { StateStore } from '../state/index.js';
import type { HttpClient, IngestionResources } from '../../ingestion/index.js';
import { committedFileLocations, createObjectStore, entityPrefix, listCommittedPartitions, listReadablePartitions, parseLakeKey, type ObjectStore } from '../../lake/index.js';
import type { Project } from '../../transform/index.js';
import { createSharedWarehouse, type SharedWarehouse } from '../../warehouse/index.js';
import type { RawEntity } from './event-definitions.js';
import type { ModelResources } from './model-assets.js';
import { createSourceClient } from './source-client.js';
import { createLakeRecordReader } from './lake-record-reader.js';
import { createRawViewFreshness } from './raw-view-freshness.js';
import { createWarehouseWaitReporter, type WarehouseWaitNotice } from './warehouse-wait-notice.js';

const WAREHOUSE_WAIT_MS = 30 * 60 * 1000;

/**
 * A committed file's run: its run folder, as DuckDB reads it from the path (a manifest may keep
 * files an earlier run of its partition wrote), else the manifest's run.
 */
function runOf(key: string, manifestRun: string): string {
  const parts = parseLakeKey(key);
  return parts?.kind === 'run-file' && parts.runId !== '' ? parts.runId : manifestRun;
}

/** Where the warehouse reads a remote lake's committed files from: their verified local copies. */
export function lakeMirrorDir(config: Pick<Config, 'home'>): string {
  return path.join(config.home, 'cache', 'lake');
}

/** Everything an asset of this platform may use during a run. */
export interface PipelineResources extends IngestionResources, ModelResources {
  warehouse: SharedWarehouse;
  /** The run's state store (check results, the request ledger, ML runs and the model registry). */
  state: StateStore;
  /** Machine learning settings (MLflow mirror, XGBoost's library, minimum training rows). */
  ml: MlSettings;
  /** Event lake maintenance: compaction age and late window (hours), and a local scratch folder. */
  events: { compactAfterHours: number; lateWindowHours: number; workDir: string };
  /**
   * After a commit: `raw.<source>_<entity>` must come to name the entity's committed lake files.
   * The rebuild runs in the background; every later use of `warehouse` waits for it.
   */
  rawViewCommitted(source: string, entity: string, signal: AbortSignal): void;
  /**
   * Queues work for the end of the run, once the raw views name every commit of the run (e.g.
   * deleting superseded lake files the views read until then). The readers' publication holds
   * marts only and names no lake file, so it does not hold such work back.
   */
  afterRun(task: () => Promise<void>): void;
  /**
   * Runs the queued `afterRun` tasks (once), after waiting for the raw views; when a view cannot be
   * refreshed the tasks are dropped with a warning (the files stay, orphans for a later commit's GC).
   */
  runAfterRun(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenResourcesOptions {
  config: Config;
  /** The request ledger lives here: every API request is charged before it is sent. */
  state: StateStore;
  clock: Clock;
  project: Project;
  logger: Logger;
  /** Raw entities (`rawg/games`, `events/events`, …) whose views the warehouse exposes. */
  rawEntities: readonly RawEntity[];
  /** The run these resources serve (tags its warehouse statements). */
  runId?: string;
  /** Told at once when another process holds the warehouse file, while the wait lasts, and when it ends. */
  onWarehouseWait?: (notice: WarehouseWaitNotice) => void;
}

/** Opens the lake, the warehouse and the HTTP clients described by `config`. */
export async function openPipelineResources(options: OpenResourcesOptions): Promise<PipelineResources> {
  const { config, logger } = options;
  const lake: ObjectStore = await createObjectStore(config.lake);
  // Opened only while there is work, so other gmp processes (a daemon, a backfill, `gmp query`)
  // get their turn: DuckDB lets one process hold the file at a time.
  const s3Lake = config.lake.type === 's3' ? config.lake : undefined;
  const waits = createWarehouseWaitReporter({
    state: options.state,
    logger,
    namespace: warehouseNamespace(config.warehouse),
    ...(options.onWarehouseWait ? { onNotice: options.onWarehouseWait } : {}),
  });
  const shared = createSharedWarehouse(config.warehouse, {
    logger,
    waitMs: WAREHOUSE_WAIT_MS,
    ...(s3Lake ? { s3Lake } : {}),
    onWait: waits.onWait,
    onWaitEnd: waits.onWaitEnd,
  });
  const cacheDir = lakeMirrorDir(config);
  const readRecords = createLakeRecordReader(lake, path.join(config.home, 'cache', 'load'));
  const clients = new Map<string, HttpClient>();
  // Each raw entity's view is brought up to date once a run, by the first model reading it: a model
  // waits for its own sources only, while the next entities' files are verified beside its SQL.
  // One entity at a time, in the order asked for: the first model's files are hashed first.
  const synced = new Map<string, Promise<void>>();
  let syncing: Promise<unknown> = Promise.resolve();
  const syncEntity = (key: string, signal: AbortSignal): Promise<void> => {
    let sync = synced.get(key);
    if (sync === undefined) {
      const { source, entity } = entities.get(key)!;
      const refresh = (): Promise<void> => refreshRawView(source, entity, signal);
      sync = syncing.then(refresh, refresh).catch((error: unknown) => {
        // A transient failure must not fail every later model step of the run.
        synced.delete(key);
        throw error;
      });
      synced.set(key, sync);
      syncing = sync.catch(() => undefined);
    }
    return sync;
  };
  const refreshing = new Map<string, Promise<void>>();
  const afterRun: (() => Promise<void>)[] = [];
  // An engine that reads lake URLs itself (DuckDB with httpfs) is handed them; otherwise a local mirror.
  let readsLakeUrls: Promise<boolean> | undefined;
  const lakeUrlsReadable = (): Promise<boolean> =>
    (readsLakeUrls ??= shared.lakeUrlsReadable === undefined ? Promise.resolve(false) : shared.lakeUrlsReadable().then((status) => {
      if (!status.available) logger.debug({ lake: lake.describe(), reason: status.reason }, 'the warehouse reads the S3 lake from a local mirror of the committed files');
      return status.available;
    }));

  // List, mirror and define the view while holding the warehouse (no other gmp process can
  // commit-and-refresh in between) and one entity at a time in this process: a view built from a
  // stale listing could name files that a newer commit has superseded.
  const entities = new Map(options.rawEntities.map((e) => [`${e.source}/${e.entity}`, e]));
  let hourlyNoticed = false;
  const refreshRawView = (source: string, entity: string, signal: AbortSignal): Promise<void> => {
    const key = `${source}/${entity}`;
    const { relation, layout } = entities.get(key) ?? { relation: `raw.${source}_${entity}`, layout: undefined };
    const run = (): Promise<void> =>
      shared.use(async (w) => {
        if (w.loadCommittedFiles) {
          // The engine loads the lake (Postgres): exactly the readable committed files, each once.
          const manifests = await (layout?.hourly ? listReadablePartitions : listCommittedPartitions)(lake, source, entity, { signal });
          // Each file the engine loads is checked against its manifest's size and checksum as it is read.
          const files = manifests.flatMap((m) => m.files.map((f) => ({ key: f.key, dt: m.dt, runId: runOf(f.key, m.run_id), bytes: f.bytes, ...(f.sha256 ? { sha256: f.sha256 } : {}) })));
          const report = await w.loadCommittedFiles({ relation, ...(layout ? { layout } : {}) }, files, readRecords, { signal, tag: { run_id: options.runId, asset: key } });
          if (report.filesAdded + report.filesRemoved > 0) logger.debug({ relation, ...report }, 'raw table loaded from the lake');
          return;
        }
        if (!w.capabilities.readsLocalFiles) {
          if (layout?.hourly) {
            // Engines that read the lake by key (Snowflake) expose daily partitions only, for now.
            if (!hourlyNoticed) logger.warn({ relation, engine: w.dialect.name }, `${relation} is not exposed on ${w.dialect.name}: hourly event partitions are read by DuckDB only`);
            hourlyNoticed = true;
            return;
          }
          // The engine reads the lake by key: it is handed the committed files, nothing is mirrored.
          const list = async () =>
            (await listCommittedPartitions(lake, source, entity, { signal })).map((m) => ({
              dt: m.dt, runId: m.run_id, committedAt: m.committed_at, generation: m.generation, keys: m.files.map((f) => f.key),
            }));
          const target = { relation, entityPath: entityPrefix(source, entity) };
          return w.exposeCommittedFiles!(target, list, { signal, tag: { run_id: options.runId, asset: key } });
        }
        // Hourly entities may have compacted days: each event is read from its day's Parquet or its hour, once.
        const manifests = await (layout?.hourly ? listReadablePartitions : listCommittedPartitions)(lake, source, entity, { signal });
        // Every file is verified against its manifest before the view names it; the record under
        // GMP_HOME keeps that to the files new (or changed) since the last refresh.
        const verifiedRecord = path.join(config.home, 'cache', 'verified', `${source}.${entity}.json`);
        const files = await committedFileLocations({ store: lake, manifests, cacheDir, signal, verifiedRecord, direct: await lakeUrlsReadable() });
        await w.execute([w.dialect.createSchema('raw'), w.dialect.rawTableView!(relation, files, layout)], { signal });
      }, signal);
    const next = (refreshing.get(key) ?? Promise.resolve()).then(run, run);
    refreshing.set(key, next.catch(() => undefined));
    return next;
  };
  const freshness = createRawViewFreshness(refreshRawView);
  // Readers (models, checks) see every commit of this run in the raw views.
  const warehouse = freshness.readerView(shared);

  return {
    ml: config.ml ?? { minRows: 200 },
    lake,
    warehouse,
    state: options.state,
    events: { compactAfterHours: config.eventsCompactAfterHours ?? 72, lateWindowHours: config.eventsLateWindowDays * 24, workDir: path.join(config.home, 'cache', 'compact') },
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
    rawViewCommitted: (source, entity, signal) => freshness.committed(source, entity, signal),
    syncRawViews(signal, sources) {
      // The entities the model reads; a source that is no raw entity of this platform (a user's own
      // `source()` over some other relation) leaves nothing to refresh.
      const keys = sources.map((s) => `${s.source}/${s.table}`).filter((key) => entities.has(key));
      return Promise.all(keys.map((key) => syncEntity(key, signal))).then(() => undefined);
    },
    afterRun: (task) => void afterRun.push(task),
    async runAfterRun() {
      const tasks = afterRun.splice(0);
      if (tasks.length === 0) return;
      const fresh = await freshness.fresh().then(
        () => true,
        (error: unknown) => {
          logger.warn({ err: String(error) }, 'the raw views could not be refreshed: superseded lake files are kept');
          return false;
        },
      );
      if (!fresh) return;
      for (const task of tasks) {
        await task().catch((error: unknown) => logger.warn({ err: String(error) }, 'post-run cleanup failed'));
      }
    },
    async close() {
      await freshness.settle();
      await shared.close();
    },
  };
}

