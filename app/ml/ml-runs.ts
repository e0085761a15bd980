import { UsageError } from '../../core/index.js';
import { GAME_MODELS, type AliasChange, type GameModelDefinition, type MlRun, type ModelVersion } from '../../ml/index.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';

/** A run as lists show it: each metric's last value, params and tags. */
export interface MlRunSummary extends Omit<MlRun, 'metrics'> {
  metrics: Record<string, number>;
  /** The registered version this run produced, with its aliases now (none for a failed run). */
  version: { version: number; aliases: string[] } | null;
}

export interface ListMlRunsInput {
  /** A model (experiment) name, e.g. game_rating_model. */
  model?: string;
  status?: MlRun['status'];
  limit?: number;
}

/** The latest training runs first. */
export async function listMlRuns(ws: Workspace, input: ListMlRunsInput = {}): Promise<MlRunSummary[]> {
  if (input.model !== undefined) assertModel(input.model);
  if (!stateExists(ws)) return [];
  const state = await openStateStore(ws);
  try {
    const [runs, versions] = await Promise.all([
      state.listMlRuns({ ...(input.model ? { experiment: input.model } : {}), ...(input.status ? { status: input.status } : {}), limit: input.limit ?? 20 }),
      state.listModelVersions(input.model),
    ]);
    return runs.map((run) => summarize(run, versions));
  } finally {
    await state.close();
  }
}

/** One run with every metric point (the boosting rounds' series included). */
export async function showMlRun(ws: Workspace, runId: string): Promise<MlRun & { version: MlRunSummary['version'] }> {
  const state = stateExists(ws) ? await openStateStore(ws) : undefined;
  try {
    const run = await state?.getMlRun(runId);
    if (run === undefined || state === undefined) throw new UsageError(`no ML run ${runId}`, { code: 'NOT_FOUND', hint: 'gmp ml runs lists them' });
    const version = (await state.listModelVersions(run.experiment)).find((v) => v.runId === run.runId);
    return { ...run, version: version ? { version: version.version, aliases: version.aliases } : null };
  } finally {
    await state?.close();
  }
}

/** Several runs side by side: their params and last metric values, keyed alike. */
export async function compareMlRuns(ws: Workspace, runIds: readonly string[]): Promise<{ runs: MlRunSummary[]; params: string[]; metrics: string[] }> {
  if (runIds.length < 2) throw new UsageError('compare needs at least two run ids', { hint: 'gmp ml runs lists them; gmp ml compare <run id> <run id> …' });
  const state = stateExists(ws) ? await openStateStore(ws) : undefined;
  try {
    const versions = (await state?.listModelVersions()) ?? [];
    const runs: MlRunSummary[] = [];
    for (const id of runIds) {
      const run = await state?.getMlRun(id);
      if (run === undefined) throw new UsageError(`no ML run ${id}`, { code: 'NOT_FOUND', hint: 'gmp ml runs lists them' });
      runs.push(summarize(run, versions));
    }
    const keys = (pick: (r: MlRunSummary) => object) => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
    return { runs, params: keys((r) => r.params), metrics: keys((r) => r.metrics) };
  } finally {
    await state?.close();
  }
}

export interface RegisteredModel {
  model: string;
  description: string;
  task: GameModelDefinition['task'];
  versions: ModelVersion[];
  /** Alias moves, the latest first. */
  history: AliasChange[];
}

/** Every model gmp trains, with its versions, aliases and their history. */
export async function listRegisteredModels(ws: Workspace): Promise<RegisteredModel[]> {
  const state = stateExists(ws) ? await openStateStore(ws) : undefined;
  try {
    const versions = (await state?.listModelVersions()) ?? [];
    return await Promise.all(
      GAME_MODELS.map(async (d) => ({
        model: d.model,
        description: d.description,
        task: d.task,
        versions: versions.filter((v) => v.model === d.model),
        history: (await state?.listAliasChanges(d.model, 20)) ?? [],
      })),
    );
  } finally {
    await state?.close();
  }
}

/** A known model name, or a USAGE error listing them. */
export function assertModel(model: string): void {
  if (!GAME_MODELS.some((d) => d.model === model)) {
    throw new UsageError(`unknown model '${model}'`, { hint: `models: ${GAME_MODELS.map((d) => d.model).join(', ')}` });
  }
}

function summarize(run: MlRun, versions: readonly ModelVersion[]): MlRunSummary {
  const metrics: Record<string, number> = {};
  // Each key's value at its last step (a list's runs already carry only those).
  for (const m of [...run.metrics].sort((a, b) => a.step - b.step)) metrics[m.key] = m.value;
  const version = versions.find((v) => v.runId === run.runId);
  return { ...run, metrics, version: version ? { version: version.version, aliases: version.aliases } : null };
}
