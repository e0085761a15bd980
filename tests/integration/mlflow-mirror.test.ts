import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowError, mirrorRunToMlflow, type ArtifactRef, type MetricPoint, type MlRun } from '../../ml/index.js';
import { startMlflowServer, type MlflowServer } from '../helpers/mlflow-server.js';
import { freePort } from '../helpers/test-server.js';

// A training run as gmp records it, mirrored to a real MLflow tracking server (scripts/test-tools/
// install-mlflow.sh installs the pinned one) and read back through MLflow's own REST API.
let dir: string;
let server: MlflowServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gmp-mlflow-'));
  server = await startMlflowServer({ dir });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const START = Date.parse('2026-12-04T20:10:00Z');
const ROUNDS = 50;

interface TrainingRun {
  run: MlRun;
  files: Map<string, Uint8Array>;
}

/** A finished XGBoost-like run: hyperparameters, 50 rounds of validation rmse, final metrics, two artifacts. */
function trainingRun(experiment: string, changes: Partial<MlRun> = {}): TrainingRun {
  const runId = `train-${randomUUID()}`;
  const model = new TextEncoder().encode(JSON.stringify({ learner: { gradient_booster: { model: { trees: [{ id: 0, split_conditions: [0.5, 1.25] }] } } }, run: runId }));
  const evaluation = new TextEncoder().encode(JSON.stringify({ rmse: 0.412, mae: 0.301, rows: 1834 }));
  const files = new Map<string, Uint8Array>();
  const artifact = (artifactPath: string, bytes: Uint8Array): ArtifactRef => {
    const key = `ml/runs/${runId}/artifacts/${artifactPath}`;
    files.set(key, bytes);
    return { path: artifactPath, key, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  const series: MetricPoint[] = Array.from({ length: ROUNDS }, (_, round) => ({
    key: 'validation_rmse',
    value: 1 / (round + 1) + 0.4,
    step: round,
    timestamp: START + 1_000 + round * 20,
  }));
  const params: Record<string, string> = { objective: 'reg:squarederror', max_depth: '6', eta: '0.1', num_boost_round: String(ROUNDS) };
  // More params than one log-batch takes (100), and one longer than MLflow keeps (6000 characters).
  for (let i = 0; i < 110; i++) params[`feature.${String(i).padStart(3, '0')}`] = i % 3 === 0 ? 'categorical' : 'numeric';
  params.feature_columns = 'x'.repeat(7_000);
  return {
    files,
    run: {
      runId,
      experiment,
      name: `game_rating_model ${new Date(START).toISOString()}`,
      status: 'FINISHED',
      startTime: START,
      endTime: START + 60_000,
      params,
      metrics: [...series, { key: 'rmse', value: 0.412, step: 0, timestamp: START + 59_000 }, { key: 'mae', value: 0.301, step: 0, timestamp: START + 59_000 }],
      tags: { 'gmp.code_version': '4770fc0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b', 'gmp.asset': 'ml/game_rating_model', 'gmp.partition': '2026-12-04' },
      artifacts: [artifact('model/model.json', model), artifact('evaluation.json', evaluation)],
      error: null,
      ...changes,
    },
  };
}

const reader = (files: Map<string, Uint8Array>) => async (ref: ArtifactRef) => files.get(ref.key)!;

async function api<T>(endpoint: string, query: Record<string, string> = {}, body?: unknown): Promise<T> {
  const url = new URL(`${server.url}/api/2.0/mlflow/${endpoint}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, `${endpoint}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}

interface RunView {
  info: { run_id: string; run_name: string; status: string; start_time: number; end_time?: number; experiment_id: string };
  data: { params?: { key: string; value: string }[]; tags?: { key: string; value: string }[]; metrics?: { key: string; value: number }[] };
}
const getRun = async (runId: string) => (await api<{ run: RunView }>('runs/get', { run_id: runId })).run;
const asRecord = (entries: { key: string; value: string }[] = []) => Object.fromEntries(entries.map((e) => [e.key, e.value]));
const history = async (runId: string, key: string) =>
  ((await api<{ metrics?: MetricPoint[] }>('metrics/get-history', { run_id: runId, metric_key: key })).metrics ?? []).sort((a, b) => a.step - b.step);
const runsTagged = async (experimentId: string, gmpRunId: string) =>
  (await api<{ runs?: RunView[] }>('runs/search', {}, { experiment_ids: [experimentId], filter: `tags.\`gmp.run_id\` = '${gmpRunId}'` })).runs ?? [];

describe('mirrorRunToMlflow against a real MLflow tracking server', () => {
  it('a training run appears in MLflow with its params, metric series, tags, status, times and model artifact', async () => {
    const { run, files } = trainingRun('game_rating_model');
    const mirrored = await mirrorRunToMlflow(run, reader(files), { trackingUri: server.url });

    const mlflowRun = await getRun(mirrored.runId);
    expect(mlflowRun.info).toMatchObject({ run_name: run.name, status: 'FINISHED', start_time: run.startTime, end_time: run.endTime, experiment_id: mirrored.experimentId });
    const params = asRecord(mlflowRun.data.params);
    expect(Object.keys(params)).toHaveLength(Object.keys(run.params).length);
    expect(params).toMatchObject({ objective: 'reg:squarederror', max_depth: '6', eta: '0.1', num_boost_round: '50', 'feature.109': 'numeric' });
    expect(params.feature_columns).toBe('x'.repeat(6_000));
    expect(asRecord(mlflowRun.data.tags)).toMatchObject({
      'mlflow.runName': run.name,
      'mlflow.source.name': 'gmp',
      'mlflow.source.type': 'JOB',
      'mlflow.source.git.commit': run.tags['gmp.code_version'],
      'gmp.run_id': run.runId,
      'gmp.asset': 'ml/game_rating_model',
      'gmp.partition': '2026-12-04',
    });
    expect(Object.fromEntries((mlflowRun.data.metrics ?? []).map((m) => [m.key, m.value]))).toMatchObject({ rmse: 0.412, mae: 0.301, validation_rmse: 1 / ROUNDS + 0.4 });

    const series = await history(mirrored.runId, 'validation_rmse');
    expect(series.map((p) => p.step)).toEqual(Array.from({ length: ROUNDS }, (_, i) => i));
    expect(series.map((p) => [p.value, p.timestamp])).toEqual(run.metrics.filter((m) => m.key === 'validation_rmse').map((m) => [m.value, m.timestamp]));

    const root = await api<{ files: { path: string; is_dir: boolean }[] }>('artifacts/list', { run_id: mirrored.runId });
    expect(root.files.map((f) => [f.path, f.is_dir]).sort()).toEqual([['evaluation.json', false], ['model', true]]);
    const model = await api<{ files: { path: string; file_size: number }[] }>('artifacts/list', { run_id: mirrored.runId, path: 'model' });
    expect(model.files).toEqual([{ path: 'model/model.json', is_dir: false, file_size: run.artifacts[0]!.bytes }]);
    const download = await fetch(`${server.url}/get-artifact?run_id=${mirrored.runId}&path=model/model.json`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(files.get(run.artifacts[0]!.key)!))).toBe(true);

    expect(mirrored.runUrl).toBe(`${server.url}/#/experiments/${mirrored.experimentId}/runs/${mirrored.runId}`);
  });

  it('mirroring a run again, in progress then finished, completes the one MLflow run instead of adding another', async () => {
    const { run, files } = trainingRun('game_rating_model_reruns');
    const inProgress: MlRun = { ...run, status: 'RUNNING', endTime: null, metrics: run.metrics.slice(0, 20), artifacts: [] };
    const first = await mirrorRunToMlflow(inProgress, reader(files), { trackingUri: server.url });
    expect((await getRun(first.runId)).info.status).toBe('RUNNING');

    const second = await mirrorRunToMlflow(run, reader(files), { trackingUri: server.url });
    const third = await mirrorRunToMlflow(run, reader(files), { trackingUri: server.url });
    expect([second.runId, third.runId]).toEqual([first.runId, first.runId]);
    expect(await runsTagged(first.experimentId, run.runId)).toHaveLength(1);
    const finished = await getRun(first.runId);
    expect(finished.info).toMatchObject({ status: 'FINISHED', end_time: run.endTime });
    expect(await history(first.runId, 'validation_rmse')).toHaveLength(ROUNDS);
  });

  it('two runs mirrored at once into a new experiment both land in the one experiment', async () => {
    const [a, b] = [trainingRun('game_rating_model_parallel'), trainingRun('game_rating_model_parallel')];
    const mirrored = await Promise.all([a, b].map(({ run, files }) => mirrorRunToMlflow(run, reader(files), { trackingUri: server.url })));
    expect(mirrored[0]!.experimentId).toBe(mirrored[1]!.experimentId);
    expect(mirrored[0]!.runId).not.toBe(mirrored[1]!.runId);
    const found = await api<{ experiment: { experiment_id: string } }>('experiments/get-by-name', { experiment_name: 'game_rating_model_parallel' });
    expect(found.experiment.experiment_id).toBe(mirrored[0]!.experimentId);
  });

  it('a FAILED run mirrors as FAILED, with its end time and why it failed', async () => {
    const { run, files } = trainingRun('game_rating_model', {
      status: 'FAILED',
      endTime: START + 5_000,
      error: 'xgboost: [20:10:05] label must be finite, found NaN at row 17',
    });
    const failed = { ...run, metrics: [...run.metrics.slice(0, 3), { key: 'validation_rmse', value: Number.NaN, step: 3, timestamp: START + 1_080 }], artifacts: [] };
    const mirrored = await mirrorRunToMlflow(failed, reader(files), { trackingUri: server.url });

    const mlflowRun = await getRun(mirrored.runId);
    expect(mlflowRun.info).toMatchObject({ status: 'FAILED', end_time: START + 5_000 });
    expect(asRecord(mlflowRun.data.tags)['gmp.error']).toBe(run.error);
    expect((await history(mirrored.runId, 'validation_rmse')).map((p) => p.value)).toEqual([1.4, 0.9, 1 / 3 + 0.4, 'NaN']);
  });

  it('a server that gives runs a local artifact path, not its artifact proxy, fails with how to serve artifacts', async () => {
    const experiment = 'local_artifacts';
    await api('experiments/create', {}, { name: experiment, artifact_location: path.join(dir, 'local-artifacts') });
    const { run, files } = trainingRun(experiment);

    const error = await mirrorRunToMlflow(run, reader(files), { trackingUri: server.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowError);
    expect((error as MlflowError).message).toMatch(/artifact location \/.*local-artifacts.*start MLflow with artifact serving \(mlflow server --serve-artifacts\)/);
  });

  it('an unreachable tracking server fails with one line naming it', async () => {
    const uri = `http://127.0.0.1:${await freePort()}`;
    const { run, files } = trainingRun('game_rating_model');

    const error = await mirrorRunToMlflow(run, reader(files), { trackingUri: uri }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowError);
    const { message, code } = error as MlflowError;
    expect(code).toBe('HTTP_NETWORK');
    expect(message).not.toContain('\n');
    expect(message).toMatch(new RegExp(`^MLflow at ${uri} is unreachable \\(ECONNREFUSED\\) for GET ${uri}/api/2\\.0/mlflow/experiments/get-by-name`));
  });

  it('a credential given through the environment or the URI never appears in an error', async () => {
    const secrets = { token: 'mlflow-token-5f1c9e27a8', password: 'pw-8d3b71c4e2' };
    const { run, files } = trainingRun('game_rating_model');
    await mirrorRunToMlflow(run, reader(files), { trackingUri: server.url, env: { MLFLOW_TRACKING_TOKEN: secrets.token } });
    // MLflow refuses a param whose value changed: an error from the server itself.
    const changed = { ...run, params: { ...run.params, max_depth: '8' } };
    const port = new URL(server.url).port;
    const attempts: Array<[string, NodeJS.ProcessEnv]> = [
      [server.url, { MLFLOW_TRACKING_TOKEN: secrets.token }],
      [server.url, { MLFLOW_TRACKING_USERNAME: 'gmp', MLFLOW_TRACKING_PASSWORD: secrets.password }],
      [`http://gmp:${secrets.password}@127.0.0.1:${port}`, {}],
    ];
    for (const [trackingUri, env] of attempts) {
      const error = await mirrorRunToMlflow(changed, reader(files), { trackingUri, env }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MlflowError);
      expect((error as MlflowError).message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/api\/2\.0\/mlflow\/runs\/log-batch answered 400 INVALID_PARAMETER_VALUE: .*max_depth/);
      const shown = JSON.stringify((error as MlflowError).toJSON()) + String((error as MlflowError).stack);
      for (const secret of Object.values(secrets)) expect(shown).not.toContain(secret);
      expect(shown).not.toContain(Buffer.from(`gmp:${secrets.password}`).toString('base64'));
    }
    const unreachable = await mirrorRunToMlflow(run, reader(files), {
      trackingUri: `http://gmp:${secrets.password}@127.0.0.1:${await freePort()}`,
      env: { MLFLOW_TRACKING_TOKEN: secrets.token },
    }).catch((e: unknown) => e);
    expect((unreachable as MlflowError).message).toMatch(/unreachable/);
    for (const secret of Object.values(secrets)) expect(JSON.stringify((unreachable as MlflowError).toJSON())).not.toContain(secret);
  });
});
