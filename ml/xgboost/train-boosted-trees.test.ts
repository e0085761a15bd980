import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CanceledError } from '../../core/index.js';
import { parseBoostedTrees, predictRow } from '../scorer/index.js';
import type { RoundEval, TrainBoostedTreesInput } from './boosting-types.js';
import { MlEngineCrashedError, MlEngineError, MlEngineMissingError } from './ml-engine-errors.js';
import { syntheticBoostingData } from './synthetic-boosting-data.js';
import { trainBoostedTrees } from './train-boosted-trees.js';

function input(overrides: Partial<TrainBoostedTreesInput> = {}, rows = 600): TrainBoostedTreesInput {
  const train = syntheticBoostingData({ objective: 'reg:squarederror', rows, seed: 11, numeric: 6 });
  return {
    objective: 'reg:squarederror',
    featureNames: train.featureNames,
    train: train.data,
    valid: syntheticBoostingData({ objective: 'reg:squarederror', rows: 300, seed: 12, numeric: 6 }).data,
    params: { maxDepth: 3, eta: 0.3 },
    numRounds: 20,
    earlyStoppingRounds: 5,
    ...overrides,
  };
}

/** Live child processes of this process that run the XGBoost worker. */
function workerChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('xgboost-worker')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

describe('trainBoostedTrees', () => {
  it('stops early on the valid set and saves only the rounds up to the best one', async () => {
    // Deep trees and a big step on little data overfit fast: the valid error turns up early.
    const rounds: RoundEval[] = [];
    const result = await trainBoostedTrees(
      input({ params: { maxDepth: 8, eta: 0.9, minChildWeight: 0 }, numRounds: 300, earlyStoppingRounds: 4, onRound: (r) => rounds.push(r) }, 300),
    );
    expect(result.history.length).toBeLessThan(300);
    expect(rounds).toEqual(result.history);
    expect(result.history.map((r) => r.round)).toEqual(result.history.map((_, i) => i));
    const validErrors = result.history.map((r) => r.valid);
    expect(result.bestIteration).toBe(validErrors.indexOf(Math.min(...validErrors)));
    expect(result.history.length).toBe(result.bestIteration + 1 + 4);
    expect(result.evalMetric).toBe('rmse');
    const doc = JSON.parse(result.modelJson) as { learner: { attributes: Record<string, string>; feature_names: string[]; gradient_booster: { model: { trees: unknown[] } } } };
    expect(doc.learner.gradient_booster.model.trees).toHaveLength(result.bestIteration + 1);
    expect(doc.learner.attributes.best_iteration).toBe(String(result.bestIteration));
    expect(doc.learner.feature_names).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
  });

  it('predicts natively with the saved (sliced) model', async () => {
    const holdout = syntheticBoostingData({ objective: 'reg:squarederror', rows: 100, seed: 13, numeric: 6 }).data;
    const result = await trainBoostedTrees(input({ params: { maxDepth: 8, eta: 0.9 }, numRounds: 200, earlyStoppingRounds: 3, predict: [holdout] }, 300));
    const model = parseBoostedTrees(result.modelJson);
    expect(model.numTrees).toBe(result.bestIteration + 1);
    expect(result.history.length).toBeGreaterThan(model.numTrees);
    for (let r = 0; r < holdout.rows; r++) {
      expect(Math.abs(predictRow(model, holdout.values.subarray(r * 6, r * 6 + 6)) - result.predictions[0]![r]!)).toBeLessThanOrEqual(1e-5);
    }
    expect(result.contributions).toEqual([]);
  });

  it('is deterministic given the seed, and the seed drives row and column sampling', async () => {
    const sampled = (seed: number) => trainBoostedTrees(input({ params: { maxDepth: 4, subsample: 0.7, colsampleByTree: 0.6, seed } }));
    const [a, b, c] = [await sampled(5), await sampled(5), await sampled(6)];
    expect(a.modelJson).toBe(b.modelJson);
    expect(a.history).toEqual(b.history);
    expect(c.modelJson).not.toBe(a.modelJson);
  });

  it('rejects bad input with every problem, before starting a process', async () => {
    const good = input();
    const bad = input({
      train: { ...good.train, values: good.train.values.subarray(1) },
      valid: { ...good.valid, labels: good.valid.labels.subarray(1) },
      predict: [{ rows: 2, cols: 6, values: new Float32Array(12).fill(Infinity), labels: new Float32Array(0) }],
      numRounds: 0,
    });
    const error = await trainBoostedTrees(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlEngineError);
    const message = (error as Error).message;
    expect(message).toContain('train.values has 3599 values, not rows × cols = 600 × 6 = 3600');
    expect(message).toContain('valid.labels has 299 labels for 300 rows');
    expect(message).toContain('predict[0].values has Infinity at row 0, column 0');
    expect(message).toContain('numRounds must be a positive integer');
    const labels = Float32Array.from(good.train.labels);
    labels[7] = NaN;
    await expect(trainBoostedTrees(input({ train: { ...good.train, labels } }))).rejects.toThrow('train.labels[7] is NaN');
    await expect(trainBoostedTrees(input({ featureNames: ['a', 'b', 'c', 'd', 'e', 'a'] }))).rejects.toThrow('featureNames has a twice');
    const logistic = input({ objective: 'binary:logistic' });
    await expect(trainBoostedTrees(logistic)).rejects.toThrow(/train\.labels\[\d+\] is [\d.]+ \(labels must be finite and in \[0, 1\]\)/);
    expect(workerChildren()).toEqual([]);
  });

  it('kills the training process when the signal aborts', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    // Without the abort this would run a million rounds.
    const training = trainBoostedTrees(
      input({
        numRounds: 1_000_000,
        earlyStoppingRounds: 1_000_000,
        signal: controller.signal,
        onRound: (r) => {
          seen.push(r.round);
          if (r.round === 3) {
            expect(workerChildren()).toHaveLength(1);
            controller.abort();
          }
        },
      }),
    );
    await expect(training).rejects.toBeInstanceOf(CanceledError);
    expect(seen.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(workerChildren()).toEqual([]);
    await expect(trainBoostedTrees(input({ signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(CanceledError);
  });

  it('turns a native crash into MlEngineCrashedError naming the signal, and this process carries on', async () => {
    process.env.GMP_XGBOOST_TEST_FAULT = 'segv';
    const rounds: number[] = [];
    let error: unknown;
    try {
      error = await trainBoostedTrees(input({ onRound: (r) => rounds.push(r.round) })).catch((e: unknown) => e);
    } finally {
      delete process.env.GMP_XGBOOST_TEST_FAULT;
    }
    expect(error).toBeInstanceOf(MlEngineCrashedError);
    expect((error as MlEngineCrashedError).signal).toBe('SIGSEGV');
    expect((error as Error).message).toContain('killed by SIGSEGV');
    expect(rounds).toEqual([0, 1]);
    const after = await trainBoostedTrees(input());
    expect(after.history.length).toBeGreaterThan(0);
  });

  it('says in one line what is missing and how to install it when libxgboost cannot be loaded', async () => {
    const error = await trainBoostedTrees(input(), { libraryPath: '/nonexistent/libxgboost.so.0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlEngineMissingError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('/nonexistent/libxgboost.so.0');
    expect(message).toContain("apt-get install libxgboost0");
    expect(message).toContain('GMP_XGBOOST_LIBRARY');
    // A library that is not XGBoost is reported the same way.
    await expect(trainBoostedTrees(input(), { libraryPath: 'libc.so.6' })).rejects.toThrow(/libc\.so\.6 could not be loaded \(not the XGBoost C API.*apt-get install libxgboost0/);
  });

  it('looks for the library named by GMP_XGBOOST_LIBRARY when no path is given', async () => {
    process.env.GMP_XGBOOST_LIBRARY = '/nowhere/libxgboost-custom.so';
    try {
      await expect(trainBoostedTrees(input())).rejects.toThrow(/XGBoost library \/nowhere\/libxgboost-custom\.so could not be loaded/);
    } finally {
      delete process.env.GMP_XGBOOST_LIBRARY;
    }
  });
});
