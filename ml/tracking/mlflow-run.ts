import type { MlflowConnection } from './mlflow-connection.js';
import { MlflowError } from './mlflow-error.js';
import { callMlflow } from './mlflow-request.js';
import type { MlRun } from './run-record.js';

/** The tag that ties an MLflow run to the gmp run it mirrors: how a second mirroring finds the first. */
export const GMP_RUN_ID_TAG = 'gmp.run_id';

export interface MlflowRunInfo {
  run_id: string;
  experiment_id: string;
  artifact_uri: string;
  status: string;
}

const CREATE_ATTEMPTS = 3;

/** The tags MLflow's UI reads (run name, source, commit) and the gmp run id. */
export function mlflowSystemTags(run: MlRun): Record<string, string> {
  const tags: Record<string, string> = {
    'mlflow.runName': run.name,
    'mlflow.source.name': 'gmp',
    'mlflow.source.type': 'JOB',
    [GMP_RUN_ID_TAG]: run.runId,
  };
  const commit = run.tags['gmp.code_version'];
  if (commit) tags['mlflow.source.git.commit'] = commit;
  return tags;
}

/**
 * The active MLflow run tagged with this gmp run's id in the experiment, else a new one (run name,
 * start time, system tags). runs/create is never resent blindly: after a failure that may have
 * created the run anyway (5xx, broken connection) the search runs again first.
 */
export async function findOrCreateMlflowRun(connection: MlflowConnection, experimentId: string, run: MlRun): Promise<MlflowRunInfo> {
  for (let attempt = 1; ; attempt++) {
    const found = await findMlflowRun(connection, experimentId, run.runId);
    if (found) return found;
    try {
      const created = await callMlflow<{ run: { info: MlflowRunInfo } }>(connection, {
        method: 'POST',
        path: '/api/2.0/mlflow/runs/create',
        retry: false,
        json: {
          experiment_id: experimentId,
          run_name: run.name,
          start_time: run.startTime,
          tags: Object.entries(mlflowSystemTags(run)).map(([key, value]) => ({ key, value })),
        },
      });
      return created.run.info;
    } catch (error) {
      if (!(error instanceof MlflowError) || !error.retryable || attempt >= CREATE_ATTEMPTS) throw error;
    }
  }
}

async function findMlflowRun(connection: MlflowConnection, experimentId: string, gmpRunId: string): Promise<MlflowRunInfo | undefined> {
  const found = await callMlflow<{ runs?: { info: MlflowRunInfo }[] }>(connection, {
    method: 'POST',
    path: '/api/2.0/mlflow/runs/search',
    json: {
      experiment_ids: [experimentId],
      filter: `tags.\`${GMP_RUN_ID_TAG}\` = ${quoteFilterValue(gmpRunId)}`,
      run_view_type: 'ACTIVE_ONLY',
      max_results: 1,
      order_by: ['attributes.start_time ASC'],
    },
  });
  return found.runs?.[0]?.info;
}

/** MLflow's search grammar has no escapes: a value is quoted with whichever quote it lacks. */
function quoteFilterValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new MlflowError('CONFIG_INVALID', `gmp run id ${JSON.stringify(value)} has both quote characters: MLflow cannot search for it`);
}
