import type { SharedWarehouse } from '../../warehouse/index.js';

/**
 * Keeps `raw.*` views up to date without re-listing an entity's whole lake after every commit in
 * the foreground: a commit marks its entity stale and starts a background refresh, commits landing
 * while one runs are covered by the next (so a backfill of n partitions lists the lake far fewer
 * than n times, not n² manifests), and everything that reads the warehouse first waits until the
 * views cover every commit so far. A failed refresh is reported to the next reader.
 */
export interface RawViewFreshness {
  /** After a commit of `source/entity`: its view is stale; a refresh starts in the background. */
  committed(source: string, entity: string, signal: AbortSignal): void;
  /** Resolves once every view covers every commit so far; throws a refresh's failure (once). */
  fresh(): Promise<void>;
  /** The warehouse as readers get it: each use first waits for `fresh()`. */
  readerView(warehouse: SharedWarehouse): SharedWarehouse;
  /** Waits for refreshes in flight (their failures are the readers' to report). */
  settle(): Promise<void>;
}

interface ViewState {
  source: string;
  entity: string;
  /** Commits of this process so far, and how many of them the view is known to include. */
  wanted: number;
  covered: number;
  inflight?: Promise<void>;
  error?: unknown;
  signal: AbortSignal;
}

export function createRawViewFreshness(refresh: (source: string, entity: string, signal: AbortSignal) => Promise<void>): RawViewFreshness {
  const views = new Map<string, ViewState>();
  const kick = (v: ViewState): void => {
    if (v.inflight !== undefined || v.signal.aborted) return;
    const target = v.wanted;
    v.inflight = refresh(v.source, v.entity, v.signal).then(
      () => {
        v.covered = Math.max(v.covered, target);
        v.error = undefined;
      },
      (error: unknown) => {
        v.error = error;
      },
    );
    void v.inflight.finally(() => {
      v.inflight = undefined;
      if (v.covered < v.wanted && v.error === undefined) kick(v);
    });
  };
  const fresh = async (): Promise<void> => {
    for (const v of views.values()) {
      while (v.covered < v.wanted) {
        if (v.inflight !== undefined) {
          // Its `finally` (registered first) has restarted a refresh for commits that landed meanwhile.
          await v.inflight;
          continue;
        }
        if (v.error !== undefined) {
          const error = v.error;
          v.error = undefined;
          throw error;
        }
        if (v.signal.aborted) throw v.signal.reason;
        kick(v);
      }
    }
  };
  // Resolves once no refresh is in flight, whatever their outcome (a failure stays for `fresh()`).
  const quiet = async (): Promise<void> => {
    for (;;) {
      const inflight = [...views.values()].flatMap((v) => (v.inflight ? [v.inflight] : []));
      if (inflight.length === 0) return;
      // Each refresh's `finally` (registered first) has run, and maybe started another, when this resumes.
      await Promise.all(inflight);
    }
  };
  return {
    committed(source, entity, signal) {
      const key = `${source}/${entity}`;
      const v = views.get(key) ?? { source, entity, wanted: 0, covered: 0, signal };
      v.signal = signal;
      v.wanted++;
      views.set(key, v);
      kick(v);
    },
    fresh,
    readerView(warehouse) {
      // Every member listed: the wrapped object may be a class instance, whose methods a spread would drop.
      return {
        dialect: warehouse.dialect,
        capabilities: warehouse.capabilities,
        describe: () => warehouse.describe(),
        use: async (work, signal) => (await fresh(), warehouse.use(work, signal)),
        execute: async (statements, options) => (await fresh(), warehouse.execute(statements, options)),
        query: async (sql, options) => (await fresh(), warehouse.query(sql, options)),
        listRelations: async () => (await fresh(), warehouse.listRelations()),
        // The publication holds no raw view: a failed refresh does not hold it back (and stays for
        // the next `fresh()` to report). Waiting keeps a refresh's statements from running between the publish's.
        publishSnapshot: async (options) => (await quiet(), warehouse.publishSnapshot(options)),
        close: () => warehouse.close(),
        ...(warehouse.exposeCommittedFiles ? { exposeCommittedFiles: warehouse.exposeCommittedFiles.bind(warehouse) } : {}),
        ...(warehouse.loadCommittedFiles ? { loadCommittedFiles: warehouse.loadCommittedFiles.bind(warehouse) } : {}),
      };
    },
    async settle() {
      await Promise.all([...views.values()].map((v) => v.inflight?.catch(() => undefined)));
    },
  };
}
