/** A matrix for XGBoost: `rows` × `cols` float32 values, row-major, NaN where a value is missing. */
export interface BoostingDataset {
  rows: number;
  cols: number;
  /** Row-major, length rows × cols; NaN marks a missing value (never ±Infinity). */
  values: Float32Array;
  /** One finite label per row (0 or 1 for binary:logistic); ignored, and may be empty, for `predict` sets. */
  labels: Float32Array;
}

/** The XGBoost parameters gmp exposes (XGBoost's defaults when left out, except `nthread`: 1). */
export interface BoostingParams {
  maxDepth?: number;
  eta?: number;
  subsample?: number;
  colsampleByTree?: number;
  minChildWeight?: number;
  lambda?: number;
  seed?: number;
  nthread?: number;
}

export type BoostingObjective = 'reg:squarederror' | 'binary:logistic';

/** The metric of one boosting round: rmse for regression, logloss for binary:logistic. `round` counts from 0. */
export interface RoundEval {
  round: number;
  train: number;
  valid: number;
}

export interface TrainBoostedTreesInput {
  objective: BoostingObjective;
  /** One name per column; unique and non-empty. */
  featureNames: string[];
  train: BoostingDataset;
  /** Early stopping watches this set's metric. */
  valid: BoostingDataset;
  params?: BoostingParams;
  /** The most rounds to train. */
  numRounds: number;
  /** Stop once the valid metric has not improved for this many rounds. */
  earlyStoppingRounds: number;
  /** Scored natively with the saved model after training (to verify the TypeScript scorer). */
  predict?: BoostingDataset[];
  /** Also native pred_contribs (SHAP values, bias last) for every `predict` set. */
  contributions?: boolean;
  /** Aborting kills the training process; the call then rejects with CanceledError. */
  signal?: AbortSignal;
  /** Called for every round as the training process reports it. */
  onRound?: (round: RoundEval) => void;
}

export interface TrainBoostedTreesResult {
  /** XGBoost's JSON model, holding exactly bestIteration + 1 rounds. */
  modelJson: string;
  /** The round (from 0) with the lowest valid metric. */
  bestIteration: number;
  evalMetric: 'rmse' | 'logloss';
  /** Every round trained, including those after the best one. */
  history: RoundEval[];
  /** One array per `predict` set: probabilities for binary:logistic, values for regression. */
  predictions: Float64Array[];
  /** One array per `predict` set when `contributions` was asked: row-major, rows × (cols + 1), bias last. */
  contributions: Float64Array[];
}
