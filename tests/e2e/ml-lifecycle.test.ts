import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObjectStore } from '../../lake/index.js';
import { materialize, queryWarehouse, type Workspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { GAME_MODELS, runTraining, type FeatureRow } from '../../ml/index.js';
import { createStateStore } from '../../orchestration/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { startServer, type RunningServer } from '../../server/index.js';
import { startMlflowServer, type MlflowServer } from '../helpers/mlflow-server.js';
import { runGmpAsync } from '../helpers/run-gmp.js';
import { tempDir, testWorkspace } from '../helpers/workspace.js';

// The model lifecycle end to end on the sandbox catalogue (a week of updates, as `gmp demo`):
// features → XGBoost in a child process → tracked runs (state store, lake, a real MLflow server)
// → registry and promotion → batch predictions mart → online predictions over HTTP.
const KEY = 'ml-lifecycle-key-7c41';
let sandbox: Sandbox;
let mlflow: MlflowServer;
let ws: Workspace;
let home: string;
let env: Record<string, string>;
let server: RunningServer;

beforeAll(async () => {
  [sandbox, mlflow] = await Promise.all([startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 }), startMlflowServer({ dir: tempDir() })]);
  home = tempDir();
  env = {
    RAWG_API_KEY: KEY,
    RAWG_BASE_URL: sandbox.url,
    RAWG_REQUESTS_PER_SECOND: '1000',
    RAWG_CONCURRENCY: '4',
    GMP_HOME: home,
    MLFLOW_TRACKING_URI: mlflow.url,
  };
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { MLFLOW_TRACKING_URI: mlflow.url } });
  // The demo's job over a week: the taxonomy snapshots give the games their platform families.
  const run = await materialize(ws, { select: '*', exclude: 'marts/mart_events_hourly', from: '2025-06-23', to: '2025-06-29' });
  expect(run.status).toBe('succeeded');
  server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: false, logger: createLogger({ level: 'silent' }) });
}, 300_000);

afterAll(async () => {
  await server?.close();
  await mlflow?.stop();
  await sandbox?.close();
});

interface RunJson {
  runId: string;
  experiment: string;
  status: string;
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
  artifacts: { path: string; key: string }[];
  error: string | null;
  version: { version: number; aliases: string[] } | null;
}

const gmp = (args: string[], extra: Record<string, string> = {}) => runGmpAsync(args, { cwd: home, env: { ...env, ...extra } });
async function runs(): Promise<RunJson[]> {
  const out = await gmp(['ml', 'runs', '--json', '--limit', '100']);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout) as RunJson[];
}
async function production(model: string): Promise<number | undefined> {
  const models = JSON.parse((await gmp(['ml', 'models', '--json'])).stdout) as { model: string; versions: { version: number; aliases: string[] }[] }[];
  return models.find((m) => m.model === model)?.versions.find((v) => v.aliases.includes('production'))?.version;
}
const features = async () => (await queryWarehouse(ws, 'select * from marts.ml_game_features')) as FeatureRow[];

describe('training on the sandbox catalogue', () => {
  it('beats both baselines as the issue asks, with XGBoost and the TypeScript scorer agreeing on the holdout', async () => {
    const all = await runs();
    const rating = all.find((r) => r.experiment === 'game_rating_model')!;
    const popularity = all.find((r) => r.experiment === 'game_popularity_model')!;
    for (const r of [rating, popularity]) {
      expect(r.status).toBe('FINISHED');
      expect(r.version).toEqual({ version: 1, aliases: ['candidate', 'production'] });
      expect(r.metrics.scorer_max_abs_diff).toBeLessThanOrEqual(1e-5);
      expect(r.artifacts.map((a) => a.path).sort()).toEqual(['evaluation.json', 'model/feature_spec.json', 'model/model.json']);
      expect(r.tags['gmp.dataset_fingerprint']).toMatch(/^[0-9a-f]{16}$/);
      expect(r.tags['gmp.code_version']).toMatch(/^\d+\.\d+\.\d+/);
    }
    // The acceptance figures: RMSE at least 25% below the mean baseline's and below the linear one's.
    expect(rating.metrics.rmse).toBeLessThanOrEqual(0.75 * rating.metrics.baseline_rmse!);
    expect(rating.metrics.rmse).toBeLessThan(rating.metrics.linear_rmse!);
    expect(popularity.metrics.auc).toBeGreaterThanOrEqual(0.75);
    expect(popularity.metrics.auc).toBeGreaterThan(popularity.metrics.baseline_auc!);

    // The holdout is later than everything learnt from: a time split.
    expect(rating.params.cutoff! > rating.params.valid_from!).toBe(true);
    const lake = await createObjectStore(ws.config.lake);
    const evaluation = JSON.parse(new TextDecoder().decode(await lake.get(rating.artifacts.find((a) => a.path === 'evaluation.json')!.key))) as {
      holdout: { gameId: number; predicted: number; native: number }[];
    };
    expect(evaluation.holdout.length).toBe(rating.metrics.rows_holdout);
    expect(Math.max(...evaluation.holdout.map((h) => Math.abs(h.predicted - h.native)))).toBeLessThanOrEqual(1e-5);
    const released = new Map((await features()).map((f) => [Number(f.game_id), String(f.released)]));
    expect(evaluation.holdout.every((h) => released.get(h.gameId)! >= rating.params.cutoff!)).toBe(true);
  });

  it('shows one run with its boosting rounds, and compares runs side by side', async () => {
    const [first] = await runs();
    const show = JSON.parse((await gmp(['ml', 'show', first!.runId, '--json'])).stdout) as { metrics: { key: string; step: number }[] };
    const valid = show.metrics.filter((m) => m.key.startsWith('valid_'));
    expect(valid.length).toBeGreaterThan(5);
    expect(valid.map((m) => m.step)).toEqual(valid.map((_, i) => i));
    const text = await gmp(['ml', 'show', first!.runId]);
    expect(text.stdout).toMatch(/metrics \(holdout\):[\s\S]*boosting rounds/);
    const ids = (await runs()).map((r) => r.runId);
    const cmp = await gmp(['ml', 'compare', ids[0]!, ids[1]!]);
    expect(cmp.status).toBe(0);
    expect(cmp.stdout).toContain(ids[0]!);
    expect(cmp.stdout).toMatch(/max_depth/);
  });

  it('is logged to the real MLflow server with its params, metrics and model artifact', async () => {
    const rating = (await runs()).find((r) => r.experiment === 'game_rating_model')!;
    expect(rating.tags['gmp.mlflow_run']).toContain(mlflow.url);
    const api = async <T>(endpoint: string, body: unknown): Promise<T> => {
      const res = await fetch(`${mlflow.url}/api/2.0/mlflow/${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    };
    const experiment = await fetch(`${mlflow.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=game_rating_model`).then((r) => r.json() as Promise<{ experiment: { experiment_id: string } }>);
    const found = await api<{ runs: { info: { run_id: string; status: string }; data: { params: { key: string; value: string }[]; metrics: { key: string; value: number }[] } }[] }>('runs/search', {
      experiment_ids: [experiment.experiment.experiment_id],
      filter: `tags.\`gmp.run_id\` = '${rating.runId}'`,
    });
    expect(found.runs).toHaveLength(1);
    const mirrored = found.runs[0]!;
    expect(mirrored.info.status).toBe('FINISHED');
    expect(Object.fromEntries(mirrored.data.params.map((p) => [p.key, p.value]))).toMatchObject({ max_depth: rating.params.max_depth, objective: 'reg:squarederror' });
    const metrics = Object.fromEntries(mirrored.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics.rmse).toBeCloseTo(rating.metrics.rmse!, 10);
    expect(metrics.baseline_rmse).toBeCloseTo(rating.metrics.baseline_rmse!, 10);
    const model = await fetch(`${mlflow.url}/get-artifact?run_id=${mirrored.info.run_id}&path=model/model.json`);
    expect(model.status).toBe(200);
    expect(((await model.json()) as { learner: unknown }).learner).toBeDefined();
  });
});

describe('serving', () => {
  it('scores every game in marts.fct_game_predictions with the version recorded, and the API says the same', async () => {
    const rows = (await queryWarehouse(ws, 'select * from marts.fct_game_predictions order by game_id')) as Record<string, number | null>[];
    expect(rows.length).toBe((await features()).length);
    expect(new Set(rows.map((r) => r.rating_model_version))).toEqual(new Set([1]));
    expect(new Set(rows.map((r) => r.popularity_model_version))).toEqual(new Set([1]));
    const game = rows.find((r) => r.actual_rating !== null)!;
    const res = await fetch(`${server.url}/api/v1/games/${game.game_id}/prediction`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rating: { value: number; version: number; contributions: { contribution: number; label: string }[] }; popularity: { value: number } };
    expect(body.rating.value).toBeCloseTo(game.predicted_rating!, 9);
    expect(body.popularity.value).toBeCloseTo(game.popularity_probability!, 9);
    expect(body.rating.version).toBe(1);
    const sizes = body.rating.contributions.map((c) => Math.abs(c.contribution));
    expect(sizes.length).toBeGreaterThan(0);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(body.rating.contributions.every((c) => c.label.length > 0)).toBe(true);
    expect((await fetch(`${server.url}/api/v1/games/999999999/prediction`)).status).toBe(404);
  });

  it('predicts a game that does not exist yet, and names the field of a bad request', async () => {
    const [publisher] = (await queryWarehouse(ws, 'select p.slug from marts.dim_publishers p join marts.bridge_game_publishers b using (publisher_id) group by p.slug order by count(*) desc, p.slug limit 1')) as { slug: string }[];
    const [genre] = (await queryWarehouse(ws, "select split_part(genres, '|', 1) as g from marts.ml_game_features where genres is not null group by 1 order by count(*) desc limit 1")) as { g: string }[];
    const post = (body: unknown) => fetch(`${server.url}/api/v1/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const good = { genres: [genre!.g], parent_platforms: ['pc'], publisher: publisher!.slug, release_date: '2026-03-15' };
    const ok = await post(good);
    expect(ok.status, await ok.clone().text()).toBe(200);
    const p = (await ok.json()) as { gameId: null; rating: { value: number }; popularity: { value: number } };
    expect(p.gameId).toBeNull();
    expect(Number.isFinite(p.rating.value)).toBe(true);
    expect(p.popularity.value).toBeGreaterThan(0);
    expect(p.popularity.value).toBeLessThan(1);

    const problem = async (body: unknown) => {
      const res = await post(body);
      return { status: res.status, message: ((await res.json()) as { error: { message: string } }).error.message };
    };
    expect(await problem({ ...good, genres: [genre!.g, 'underwater-basket-weaving'] })).toMatchObject({ status: 400, message: expect.stringContaining('genres[1]') });
    expect(await problem({ ...good, release_date: 20260315 })).toMatchObject({ status: 400, message: expect.stringContaining('release_date') });
    expect(await problem({ ...good, metacritic: 'great' })).toMatchObject({ status: 400, message: expect.stringContaining('metacritic') });
    expect(await problem({ ...good, publisher: 'no-such-publisher-xyz' })).toMatchObject({ status: 400, message: expect.stringContaining('publisher') });
    expect(await problem({ ...good, colour: 'blue' })).toMatchObject({ status: 400 });
  });
});

describe('the registry', () => {
  it('keeps production when a retrained version is no better, and refuses a promotion that would make it worse', async () => {
    // In process: the workspace's clock is the sandbox's day (the CLI's would be today's).
    const again = await materialize(ws, { select: 'tag:training' });
    expect(again.status).toBe('succeeded');
    const v2 = (await runs()).find((r) => r.experiment === 'game_rating_model' && r.version?.version === 2)!;
    expect(v2.version).toEqual({ version: 2, aliases: ['candidate'] });
    expect(v2.tags['gmp.promotion']).toMatch(/^production kept: rmse on the same \d+-game holdout/);
    expect(await production('game_rating_model')).toBe(1);

    // A deliberately weak version: two rounds of stumps.
    const state = await createStateStore(ws.config.state);
    const lake = await createObjectStore(ws.config.lake);
    try {
      const weak = await runTraining({
        definition: GAME_MODELS.find((d) => d.model === 'game_rating_model')!,
        rows: await features(),
        asOf: '2025-06-30',
        params: { maxDepth: 1 },
        numRounds: 2,
        earlyStoppingRounds: 1,
        store: state,
        lake,
        clock: ws.clock,
        logger: createLogger({ level: 'silent' }),
        runId: 'weak-rating-model',
      });
      expect(weak.promoted).toBe(false);
      expect(weak.version.version).toBe(3);
    } finally {
      await state.close();
    }
    const refused = await gmp(['ml', 'promote', 'game_rating_model', '3']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/refused: v3 would make production worse or no better: rmse on the same \d+-game holdout: v3 [\d.]+ vs production v1 [\d.]+/);
    expect(await production('game_rating_model')).toBe(1);

    const forced = await gmp(['ml', 'promote', 'game_rating_model', '3', '--force']);
    expect(forced.status).toBe(0);
    expect(await production('game_rating_model')).toBe(3);
    const back = await gmp(['ml', 'promote', 'game_rating_model', '1']);
    expect(back.stdout).toMatch(/promoted by cli: rmse/);
    expect(await production('game_rating_model')).toBe(1);
    const history = JSON.parse((await gmp(['ml', 'models', '--json'])).stdout) as { model: string; history: { version: number; by: string; reason: string }[] }[];
    expect(history.find((m) => m.model === 'game_rating_model')!.history.slice(0, 2).map((h) => [h.version, h.by, h.reason.split(':')[0]])).toEqual([
      [1, 'cli', 'promoted by cli'],
      [3, 'cli', 'forced by cli although not better'],
    ]);
  });

  it('records a run with too few rows as FAILED with the reason, warns, and leaves production alone', async () => {
    // Too little data is the ML run's failure, not the pipeline's: a day's run stays green and says so.
    const strict = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { GMP_ML_MIN_ROWS: '1000000' } });
    const warned = await materialize(strict, { select: 'ml/game_popularity_model' });
    expect(warned.status).toBe('succeeded');
    expect(JSON.stringify(warned.warnings)).toMatch(/too few rows to train: \d+ released games with a popular up to 2025-06-30/);
    const latest = (await runs()).find((r) => r.experiment === 'game_popularity_model' && r.tags['gmp.run_id'] === warned.runId)!;
    expect(latest).toMatchObject({ status: 'FAILED', version: null });
    expect(latest.error).toMatch(/too few rows to train: \d+ released games with a popular up to 2025-06-30 .*; at least 1000000 are needed/);
    expect(await production('game_popularity_model')).toBe(1);
  });

  it('fails training with one line on installing XGBoost when its library is missing, and nothing else needs it', async () => {
    const out = await gmp(['materialize', '--select', 'ml/game_rating_model'], { GMP_XGBOOST_LIBRARY: '/nonexistent/libxgboost.so.0' });
    expect(out.status).not.toBe(0);
    expect(out.stdout + out.stderr).toMatch(/libxgboost0/);
    // Scoring and serving never load it.
    const scored = await gmp(['materialize', '--select', 'ml/game_predictions+'], { GMP_XGBOOST_LIBRARY: '/nonexistent/libxgboost.so.0' });
    expect(scored.status).toBe(0);
  });
});
