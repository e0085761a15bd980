// XGBoost training at the size of a real feature mart, and the TypeScript scorer against XGBoost's
// own predict: 200,000 rows × 60 features (40 numeric, two with missing values, and four one-hot
// groups of five), regression, at most 300 rounds of depth 6 with early stopping.
import { featureContributions, parseBoostedTrees, predictBatch, trainBoostedTrees, DEFAULT_NTHREAD } from '../ml/index.js';
import { syntheticBoostingData } from '../ml/xgboost/synthetic-boosting-data.js';
import { loadXgboostLibrary } from '../ml/xgboost/xgboost-library.js';
import type { Benchmark } from './benchmark.js';
import { progress } from './progress.js';

const ROWS = 200_000;
const VALID_ROWS = 40_000;
const CONTRIBUTION_ROWS = 2_000;
const TRAINING_TARGET_S = 120;
const SCORING_TARGET_US = 20;

export const mlTraining: Benchmark = {
  name: 'ml-training',
  target: `training on ${ROWS.toLocaleString('en')} rows × 60 features (≤ 300 rounds, depth 6) < ${TRAINING_TARGET_S} s wall, child process included; TypeScript scoring ≤ ${SCORING_TARGET_US} µs/row`,
  async run() {
    const shape = { objective: 'reg:squarederror' as const, numeric: 40, categories: [5, 5, 5, 5], missingRate: 0.15 };
    const t0 = performance.now();
    const train = syntheticBoostingData({ ...shape, rows: ROWS, seed: 1 });
    const valid = syntheticBoostingData({ ...shape, rows: VALID_ROWS, seed: 2 }).data;
    const scored = syntheticBoostingData({ ...shape, rows: ROWS, seed: 3 }).data;
    const generateS = (performance.now() - t0) / 1000;
    progress(`ml-training: data generated (${generateS.toFixed(1)} s); training…`);

    const t1 = performance.now();
    let lastReport = t1;
    const result = await trainBoostedTrees({
      objective: 'reg:squarederror',
      featureNames: train.featureNames,
      train: train.data,
      valid,
      params: { maxDepth: 6, eta: 0.1, seed: 1 },
      numRounds: 300,
      earlyStoppingRounds: 10,
      onRound: (r) => {
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          progress(`ml-training: round ${r.round}, valid rmse ${r.valid.toFixed(4)}`);
        }
      },
    });
    const trainS = (performance.now() - t1) / 1000;
    const best = result.history[result.bestIteration]!;
    progress(`ml-training: trained ${result.history.length} rounds in ${trainS.toFixed(1)} s; scoring…`);

    const model = parseBoostedTrees(result.modelJson);
    const out = new Float64Array(ROWS);
    predictBatch(model, scored.values.subarray(0, 1000 * scored.cols), out); // warm-up
    const t2 = performance.now();
    predictBatch(model, scored.values, out);
    const tsScoreS = (performance.now() - t2) / 1000;

    const t3 = performance.now();
    for (let r = 0; r < CONTRIBUTION_ROWS; r++) featureContributions(model, scored.values.subarray(r * scored.cols, (r + 1) * scored.cols));
    const contribS = (performance.now() - t3) / 1000;

    // XGBoost's own predict in this process, on the same saved model and rows, one thread as the training used.
    const lib = loadXgboostLibrary(process.env.GMP_XGBOOST_LIBRARY ?? 'libxgboost.so.0');
    const booster = lib.createBooster([]);
    lib.loadModelJson(booster, result.modelJson);
    lib.setParam(booster, 'nthread', '1');
    const t4 = performance.now();
    const matrix = lib.createMatrix(scored.values, scored.rows, scored.cols);
    const matrixS = (performance.now() - t4) / 1000;
    const t5 = performance.now();
    const native = lib.predict(booster, matrix, false);
    const nativeS = (performance.now() - t5) / 1000;
    lib.freeMatrix(matrix);
    const few = lib.createMatrix(scored.values.subarray(0, CONTRIBUTION_ROWS * scored.cols), CONTRIBUTION_ROWS, scored.cols);
    const t6 = performance.now();
    lib.predict(booster, few, true);
    const nativeContribS = (performance.now() - t6) / 1000;
    lib.freeMatrix(few);
    lib.freeBooster(booster);
    let maxDiff = 0;
    for (let r = 0; r < ROWS; r++) maxDiff = Math.max(maxDiff, Math.abs(out[r]! - native[r]!));

    const usPerRow = (tsScoreS * 1e6) / ROWS;
    return {
      name: this.name,
      figures: {
        rows: ROWS,
        features: train.featureNames.length,
        validRows: VALID_ROWS,
        nthread: DEFAULT_NTHREAD,
        generateDataS: round(generateS, 1),
        trainingWallS: round(trainS, 1),
        roundsTrained: result.history.length,
        bestIteration: result.bestIteration,
        validRmseAtBest: round(best.valid, 4),
        modelJsonMiB: round(result.modelJson.length / 2 ** 20, 1),
        tsScoringRowsPerS: Math.round(ROWS / tsScoreS),
        tsScoringUsPerRow: round(usPerRow, 2),
        nativePredictRowsPerS: Math.round(ROWS / nativeS),
        nativeDMatrixCreateS: round(matrixS, 2),
        tsContributionsUsPerRow: round((contribS * 1e6) / CONTRIBUTION_ROWS, 1),
        nativeContributionsUsPerRow: round((nativeContribS * 1e6) / CONTRIBUTION_ROWS, 1),
        maxAbsDiffTsVsNative: maxDiff,
      },
      target: this.target,
      met: trainS < TRAINING_TARGET_S && usPerRow <= SCORING_TARGET_US,
    };
  },
};

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
