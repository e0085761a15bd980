import type { ObjectStore } from '../../lake/index.js';
import type { FeatureSpec } from '../features/feature-spec.js';
import { parseBoostedTrees, type BoostedTrees } from '../scorer/index.js';
import { readArtifactText } from '../tracking/artifacts.js';
import type { FeatureReference } from '../training/drift.js';

/** The artifacts every training run writes (paths under the run's artifact root). */
export const ARTIFACTS = {
  model: 'model/model.json',
  spec: 'model/feature_spec.json',
  evaluation: 'evaluation.json',
} as const;

/** `model/feature_spec.json`: the encoding and the training distributions (drift checks). */
export interface SavedFeatureSpec {
  model: string;
  target: string;
  task: 'regression' | 'classification';
  spec: FeatureSpec;
  reference: FeatureReference[];
  /** The split the run evaluated on: promotions compare on the same holdout. */
  cutoff: string;
  asOf: string;
}

/** A registered model, loaded for scoring. */
export interface LoadedModel {
  runId: string;
  saved: SavedFeatureSpec;
  trees: BoostedTrees;
}

/** Reads a run's model and feature spec from the lake. */
export async function loadSavedModel(lake: ObjectStore, runId: string, signal?: AbortSignal): Promise<LoadedModel> {
  const [model, spec] = await Promise.all([readArtifactText(lake, runId, ARTIFACTS.model, signal), readArtifactText(lake, runId, ARTIFACTS.spec, signal)]);
  return { runId, saved: JSON.parse(spec) as SavedFeatureSpec, trees: parseBoostedTrees(model) };
}
