export { assertModel, compareMlRuns, listMlRuns, listRegisteredModels, showMlRun } from './ml-runs.js';
export type { ListMlRunsInput, MlRunSummary, RegisteredModel } from './ml-runs.js';
export { modelsOverview } from './models-overview.js';
export type { ModelOverview } from './models-overview.js';
export { promoteModel } from './promote.js';
export type { PromoteInput, PromoteResult } from './promote.js';
export { labelOf as featureLabel, predictFeatures, predictGame } from './predict.js';
export type { Contribution, GamePrediction, ModelPrediction, PredictInput } from './predict.js';
