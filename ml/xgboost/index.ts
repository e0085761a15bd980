export { trainBoostedTrees, DEFAULT_XGBOOST_LIBRARY } from './train-boosted-trees.js';
export { DEFAULT_NTHREAD } from './run-xgboost-training.js';
export { MlEngineError, MlEngineMissingError, MlEngineCrashedError } from './ml-engine-errors.js';
export type { BoostingDataset, BoostingObjective, BoostingParams, RoundEval, TrainBoostedTreesInput, TrainBoostedTreesResult } from './boosting-types.js';
export { probeXgboost } from './probe-xgboost.js';
