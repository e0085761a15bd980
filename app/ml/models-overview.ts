import { featureImportance, productionVersion } from '../../ml/index.js';
import type { Workspace } from '../workspace.js';
import { listMlRuns, listRegisteredModels, showMlRun, type MlRunSummary, type RegisteredModel } from './ml-runs.js';
import { labelOf } from './predict.js';
import { loadVersion } from './production-models.js';

export interface ModelOverview extends RegisteredModel {
  production: {
    version: number;
    runId: string;
    metrics: Record<string, number>;
    /** Total gain per feature, the largest first (top 15), with a readable label. */
    importance: { feature: string; label: string; gain: number; share: number }[];
    /** The validation metric per boosting round (early stopping watched it). */
    curve: { metric: string; train: number[]; valid: number[] } | null;
  } | null;
}

/** What the models page shows: each model's production version, its metrics and reasons, and the latest runs. */
export async function modelsOverview(ws: Workspace): Promise<{ models: ModelOverview[]; runs: MlRunSummary[] }> {
  const [models, runs] = await Promise.all([listRegisteredModels(ws), listMlRuns(ws, { limit: 30 })]);
  const out: ModelOverview[] = [];
  for (const m of models) {
    const version = productionVersion(m.versions, m.model);
    if (version === undefined) {
      out.push({ ...m, production: null });
      continue;
    }
    const [run, loaded] = await Promise.all([showMlRun(ws, version.runId), loadVersion(ws, version).catch(() => null)]);
    const finals: Record<string, number> = {};
    for (const p of run.metrics) if (p.step === 0 && !/^(train|valid)_/.test(p.key)) finals[p.key] = p.value;
    const importance = loaded ? featureImportance(loaded.trees).slice(0, 15) : [];
    const total = importance.reduce((s, i) => s + i.gain, 0) || 1;
    const series = (prefix: string) => run.metrics.filter((p) => p.key.startsWith(prefix)).sort((a, b) => a.step - b.step);
    const valid = series('valid_');
    out.push({
      ...m,
      production: {
        version: version.version,
        runId: version.runId,
        metrics: finals,
        importance: importance.map((i) => ({ feature: i.feature, label: labelOf(i.feature), gain: i.gain, share: i.gain / total })),
        curve: valid.length === 0 ? null : { metric: valid[0]!.key.slice('valid_'.length), train: series('train_').map((p) => p.value), valid: valid.map((p) => p.value) },
      },
    });
  }
  return { models: out, runs };
}
