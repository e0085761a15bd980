import type { MlflowConnection } from './mlflow-connection.js';
import { MlflowError } from './mlflow-error.js';
import { callMlflow } from './mlflow-request.js';

interface Experiment {
  experiment_id: string;
  lifecycle_stage?: string;
}

/**
 * The id of the active experiment named `name`, created when missing. A concurrent create by another
 * process (RESOURCE_ALREADY_EXISTS) is met by reading the one it made. Throws MlflowError when the
 * experiment exists but was deleted: MLflow keeps its name, so a new one cannot take it.
 */
export async function ensureMlflowExperiment(connection: MlflowConnection, name: string): Promise<string> {
  const existing = await findExperiment(connection, name);
  if (existing) return activeId(existing, name);
  try {
    const created = await callMlflow<{ experiment_id: string }>(connection, { method: 'POST', path: '/api/2.0/mlflow/experiments/create', json: { name } });
    return created.experiment_id;
  } catch (error) {
    if (!(error instanceof MlflowError) || error.errorCode !== 'RESOURCE_ALREADY_EXISTS') throw error;
    const raced = await findExperiment(connection, name);
    if (!raced) throw error;
    return activeId(raced, name);
  }
}

async function findExperiment(connection: MlflowConnection, name: string): Promise<Experiment | undefined> {
  try {
    const found = await callMlflow<{ experiment: Experiment }>(connection, {
      method: 'GET',
      path: '/api/2.0/mlflow/experiments/get-by-name',
      query: { experiment_name: name },
    });
    return found.experiment;
  } catch (error) {
    if (error instanceof MlflowError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
    throw error;
  }
}

function activeId(experiment: Experiment, name: string): string {
  if (experiment.lifecycle_stage === 'deleted') {
    throw new MlflowError('CONFIG_INVALID', `the MLflow experiment ${JSON.stringify(name)} (id ${experiment.experiment_id}) is deleted`, {
      hint: `restore it (mlflow experiments restore --experiment-id ${experiment.experiment_id}) or delete it for good (mlflow gc), then mirror again`,
    });
  }
  return experiment.experiment_id;
}
