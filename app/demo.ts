import { randomBytes } from 'node:crypto';
import { SANDBOX_LEDGER, addDays, dateToKey, registerSecret, type Config } from '../core/index.js';
import type { Sandbox, SimulatedGame } from '../sandbox/index.js';
import { simulationGames, simulationsInLake, writeSimulatedHistory } from './events/index.js';
import type { Row, Warehouse } from '../warehouse/index.js';
import { executePrepared, type ExecuteOptions } from './execute-prepared.js';
import { prepareRun } from './materialize.js';
import { planMaterialize, type PlanReport } from './plan-materialize.js';
import type { MaterializeRequest, RunSummary } from './run-request.js';
import { openReader } from './query.js';
import { openWorkspace, type OpenWorkspaceOptions, type Workspace } from './workspace.js';
import { probeXgboost } from '../ml/index.js';
import { listMlRuns } from './ml/index.js';

export const DEMO_DAYS = 7;
/** Simulated players of the demo's week (about 60,000 events; a few seconds). */
export const DEMO_PLAYERS = 500;
const DEMO_SEED = 7;

/** The demo's simulated players: SYNTHETIC events in the lake's hourly partitions. */
export interface DemoPlayers {
  players: number;
  from: string;
  to: string;
  events: number;
  /** False when an earlier demo's simulated week was kept (one population, not a second one beside it). */
  written: boolean;
  simulation: string;
  seconds: number;
}

export interface DemoResult {
  /** True when the data came from the built-in sandbox (no RAWG_API_KEY). */
  synthetic: boolean;
  apiBase: string;
  partitions: { from: string; to: string };
  run: RunSummary;
  tables: { relation: string; rows: number }[];
  sample: Row[];
  warehousePath: string;
  /** The simulated players' week; absent when there were no games to play (a failed run with a real key). */
  players?: DemoPlayers;
  /** The prediction models: each one's holdout metric against its baselines, or why training was left out. */
  models: DemoModels;
}

export type DemoModels =
  | { trained: true; models: { model: string; version: number | null; status: string; metric: string; value: number | null; meanBaseline: number | null; linear: number | null; error: string | null }[] }
  | { trained: false; reason: string };

type DemoOptions = OpenWorkspaceOptions & Pick<ExecuteOptions, 'signal' | 'onProgress' | 'onWarehouseWait'> & { sandboxGames?: number };

/** The demo's workspace: the configured API, or (no RAWG_API_KEY) a sandbox started for it. */
async function openDemoWorkspace(options: DemoOptions): Promise<{ ws: Workspace; sandbox?: Sandbox; request: MaterializeRequest; from: string; to: string; noTraining?: string }> {
  const probe = openWorkspace(options);
  let override = options.override;
  let sandbox: Sandbox | undefined;
  if (probe.config.rawg.apiKey === undefined) {
    const key = `sandbox-${randomBytes(12).toString('hex')}`;
    registerSecret(key);
    const today = dateToKey(probe.clock.now());
    // Loaded on demand: only the keyless demo needs the sandbox.
    const { startSandbox } = await import('../sandbox/index.js');
    sandbox = await startSandbox({ apiKey: key, asOf: today, ...(options.sandboxGames ? { games: options.sandboxGames } : {}) });
    const url = sandbox.url;
    override = (c: Config) => ({
      ...c,
      rawg: { ...c.rawg, apiKey: key, baseUrl: url, ledger: SANDBOX_LEDGER, requestsPerSecond: 500, concurrency: 8, snapshotMaxPages: 5 },
    });
  }
  const ws = openWorkspace({ ...options, override });
  const to = addDays(dateToKey(ws.clock.now()), -1);
  const from = addDays(to, -(DEMO_DAYS - 1));
  // Training needs XGBoost's native library; without it the demo runs everything else and says so.
  const xgboost = await probeXgboost(ws.config.ml?.xgboostLibrary);
  const request: MaterializeRequest = { select: '*', from, to, kind: 'demo', concurrency: 4, ...(xgboost.available ? {} : { exclude: 'tag:training' }) };
  return { ws, ...(sandbox ? { sandbox } : {}), request, from, to, ...(xgboost.available ? {} : { noTraining: xgboost.reason }) };
}

/**
 * The main job on the embedded default: snapshots, the last 7 complete daily partitions of
 * `rawg/games` and every model. Without RAWG_API_KEY it serves itself from the sandbox on a free
 * loopback port, with a throwaway key, charging the sandbox's own request ledger.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const { ws, sandbox, request, from, to, noTraining } = await openDemoWorkspace(options);
  try {
    // Players first, so that the run's event models find them; the sandbox's games are those the
    // run ingests. With a real key the games are the marts' own: after the run.
    let players: DemoPlayers | undefined;
    if (sandbox) {
      const { gamesFromCatalogue } = await import('../sandbox/index.js');
      players = await simulateDemoWeek(ws, to, gamesFromCatalogue(sandbox.catalogue, sandbox.catalogue.idsUpdatedBetween(from, to)), options.signal);
    }
    const prepared = prepareRun(ws, request);
    const run = await executePrepared(ws, prepared, request, options);
    if (!sandbox && run.status === 'succeeded') {
      const found = await simulationGames(ws);
      if (found.source === 'warehouse') players = await simulateDemoWeek(ws, to, found.games, options.signal);
    }
    let tables: { relation: string; rows: number }[] = [];
    let sample: Row[] = [];
    const reader = openReader(ws);
    try {
      if (run.status === 'succeeded') {
        tables = await martRowCounts(reader, ws.project.models.filter((m) => m.schema === 'marts').map((m) => m.relation));
        sample = await mostRatedGames(reader);
      }
    } finally {
      await reader.close();
    }
    return {
      synthetic: sandbox !== undefined,
      apiBase: ws.config.rawg.baseUrl,
      partitions: { from, to },
      run,
      tables,
      sample,
      warehousePath: reader.describe(),
      ...(players ? { players } : {}),
      models: noTraining === undefined ? { trained: true, models: await demoModels(ws, run.runId) } : { trained: false, reason: noTraining },
    };
  } finally {
    await sandbox?.close();
  }
}

/** The models this run trained: holdout metric, baselines, version (or the failure). */
async function demoModels(ws: Workspace, runId: string): Promise<Extract<DemoModels, { trained: true }>['models']> {
  const runs = (await listMlRuns(ws, { limit: 20 })).filter((r) => r.tags['gmp.run_id'] === runId);
  return runs.map((r) => {
    const regression = r.tags['gmp.task'] === 'regression';
    const key = regression ? 'rmse' : 'auc';
    return {
      model: r.experiment,
      version: r.version?.version ?? null,
      status: r.status,
      metric: key,
      value: r.metrics[key] ?? null,
      meanBaseline: r.metrics[`baseline_${key}`] ?? null,
      linear: r.metrics[`linear_${key}`] ?? null,
      error: r.error,
    };
  });
}

/**
 * Writes the demo's week of simulated players into the lake, once: a later demo keeps the week an
 * earlier one wrote rather than add a second population of the same player ids beside it.
 */
async function simulateDemoWeek(ws: Workspace, to: string, games: SimulatedGame[], signal?: AbortSignal): Promise<DemoPlayers | undefined> {
  if (games.length === 0) return undefined;
  const started = Date.now();
  const earlier = (await simulationsInLake(ws, signal ? { signal } : {})).filter((id) => id.startsWith('sim-demo-'));
  const window = { from: `${addDays(to, -(DEMO_DAYS - 1))}T00:00:00.000Z`, to: `${addDays(to, 1)}T00:00:00.000Z` };
  if (earlier.length > 0) return { players: DEMO_PLAYERS, ...window, events: 0, written: false, simulation: earlier[earlier.length - 1]!, seconds: (Date.now() - started) / 1000 };
  const report = await writeSimulatedHistory(ws, { seed: DEMO_SEED, players: DEMO_PLAYERS, days: DEMO_DAYS, end: to, games, label: 'demo', ...(signal ? { signal } : {}) });
  return { players: DEMO_PLAYERS, from: report.window.from, to: report.window.to, events: report.events, written: true, simulation: report.logId, seconds: (Date.now() - started) / 1000 };
}

/**
 * The demo's plan with its request estimate, executing nothing (`gmp demo --dry-run`). Estimating
 * sends a few count probes (charged like any request) to the API the demo would use.
 */
export async function planDemo(options: DemoOptions = {}): Promise<{ synthetic: boolean; apiBase: string; partitions: { from: string; to: string }; plan: PlanReport }> {
  const { ws, sandbox, request, from, to } = await openDemoWorkspace(options);
  try {
    const plan = await planMaterialize(ws, request, { forMaterialize: true });
    return { synthetic: sandbox !== undefined, apiBase: ws.config.rawg.baseUrl, partitions: { from, to }, plan };
  } finally {
    await sandbox?.close();
  }
}

// The demo's queries run on every engine: no string_agg / LISTAGG (neither is portable), and no
// reserved word as an alias (Snowflake reserves ROWS).

/** Rows per mart, sorted by relation. */
export async function martRowCounts(warehouse: Warehouse, relations: readonly string[]): Promise<{ relation: string; rows: number }[]> {
  if (relations.length === 0) return [];
  const counts = await warehouse.query(
    relations.map((r) => `SELECT '${r}' AS relation, count(*) AS row_count FROM ${r}`).join(' UNION ALL ') + ' ORDER BY 1',
  );
  return counts.map((r) => ({ relation: String(r.relation), rows: Number(r.row_count) }));
}

/** The five most-rated games with their genres (sorted, comma-separated; null when none). */
export async function mostRatedGames(warehouse: Warehouse): Promise<Row[]> {
  const rows = await warehouse.query(
    `WITH top AS (
       SELECT game_id, name, released, rating, ratings_count, metacritic FROM marts.dim_games
       ORDER BY ratings_count DESC NULLS LAST, name LIMIT 5
     )
     SELECT t.game_id, t.name, t.released, t.rating, t.ratings_count, t.metacritic, ge.name AS genre
     FROM top t
     LEFT JOIN marts.bridge_game_genres b ON b.game_id = t.game_id
     LEFT JOIN marts.dim_genres ge ON ge.genre_id = b.genre_id
     ORDER BY t.ratings_count DESC NULLS LAST, t.name, t.game_id, ge.name`,
  );
  const games = new Map<string, { row: Row; genres: string[] }>();
  for (const { game_id: id, genre, ...game } of rows) {
    const key = String(id);
    const entry = games.get(key) ?? { row: game, genres: [] };
    games.set(key, entry);
    if (genre !== null && genre !== undefined) entry.genres.push(String(genre));
  }
  return [...games.values()].map(({ row, genres }) => ({ ...row, genres: genres.length > 0 ? genres.join(', ') : null }));
}
