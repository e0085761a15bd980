import { randomBytes } from 'node:crypto';
import { addDays, dateToKey, registerSecret, warehouseNamespace, type Config } from '../../core/index.js';
import type { Sandbox } from '../../ingestion/sandbox/index.js';
import type { Row } from '../../warehouse/index.js';
import type { RunProgressEvent } from '../execute/index.js';
import { executePrepared } from './execute-prepared.js';
import { prepareRun } from './materialize.js';
import type { RunSummary } from './run-request.js';
import { queryWarehouse } from './query.js';
import { openWorkspace, type OpenWorkspaceOptions } from './workspace.js';

export const DEMO_DAYS = 7;

export interface DemoResult {
  /** True when the data came from the built-in sandbox (no RAWG_API_KEY). */
  synthetic: boolean;
  apiBase: string;
  partitions: { from: string; to: string };
  run: RunSummary;
  tables: { relation: string; rows: number }[];
  sample: Row[];
  warehousePath: string;
}

/**
 * The main job on the embedded default: snapshots, the last 7 complete daily partitions of
 * `rawg/games` and every model. Without RAWG_API_KEY it serves itself from the sandbox on a free
 * loopback port, with a throwaway key.
 */
export async function runDemo(
  options: OpenWorkspaceOptions & { signal?: AbortSignal; onProgress?: (e: RunProgressEvent) => void; sandboxGames?: number } = {},
): Promise<DemoResult> {
  let sandbox: Sandbox | undefined;
  const probe = openWorkspace(options);
  try {
    let override = options.override;
    if (probe.config.rawg.apiKey === undefined) {
      const key = `sandbox-${randomBytes(12).toString('hex')}`;
      registerSecret(key);
      const today = dateToKey(probe.clock.now());
      // Loaded on demand: only the keyless demo needs the sandbox.
      const { startSandbox } = await import('../../ingestion/sandbox/index.js');
      sandbox = await startSandbox({ apiKey: key, asOf: today, ...(options.sandboxGames ? { games: options.sandboxGames } : {}) });
      const url = sandbox.url;
      override = (c: Config) => ({
        ...c,
        rawg: { ...c.rawg, apiKey: key, baseUrl: url, requestsPerSecond: 500, concurrency: 8, snapshotMaxPages: 5 },
      });
    }
    const ws = openWorkspace({ ...options, override });
    const to = addDays(dateToKey(ws.clock.now()), -1);
    const from = addDays(to, -(DEMO_DAYS - 1));
    const request = { select: '*', from, to, kind: 'demo', concurrency: 4 };
    const prepared = prepareRun(ws, request);
    const run = await executePrepared(ws, prepared, request, options);
    const tables: { relation: string; rows: number }[] = [];
    let sample: Row[] = [];
    if (run.status === 'succeeded') {
      const marts = ws.project.models.filter((m) => m.schema === 'marts').map((m) => m.relation);
      const counts = await queryWarehouse(
        ws,
        marts.map((r) => `SELECT '${r}' AS relation, count(*) AS rows FROM ${r}`).join(' UNION ALL ') + ' ORDER BY 1',
      );
      tables.push(...counts.map((r) => ({ relation: String(r.relation), rows: Number(r.rows) })));
      sample = await queryWarehouse(
        ws,
        `SELECT g.name, g.released, g.rating, g.ratings_count, g.metacritic,
                string_agg(ge.name, ', ' ORDER BY ge.name) AS genres
         FROM marts.dim_games g
         LEFT JOIN marts.bridge_game_genres b USING (game_id)
         LEFT JOIN marts.dim_genres ge USING (genre_id)
         GROUP BY ALL ORDER BY g.ratings_count DESC NULLS LAST, g.name LIMIT 5`,
      );
    }
    return {
      synthetic: sandbox !== undefined,
      apiBase: ws.config.rawg.baseUrl,
      partitions: { from, to },
      run,
      tables,
      sample,
      warehousePath: ws.config.warehouse.type === 'duckdb' ? ws.config.warehouse.path : warehouseNamespace(ws.config.warehouse),
    };
  } finally {
    await sandbox?.close();
  }
}
