import type { BoostingDataset, TrainBoostedTreesInput } from './boosting-types.js';
import { MlEngineError } from './ml-engine-errors.js';

const OBJECTIVES = new Set(['reg:squarederror', 'binary:logistic']);

/**
 * Checks a training request before any process starts: shapes, labels, feature names, rounds and
 * parameter ranges. Throws one MlEngineError listing every problem found.
 */
export function validateTrainingInput(input: TrainBoostedTreesInput): void {
  const problems: string[] = [];
  if (!OBJECTIVES.has(input.objective)) problems.push(`objective must be reg:squarederror or binary:logistic, not ${String(input.objective)}`);
  const cols = input.featureNames.length;
  if (cols === 0) problems.push('featureNames is empty');
  const seen = new Set<string>();
  for (const name of input.featureNames) {
    if (typeof name !== 'string' || name === '') problems.push('featureNames has an empty name');
    else if (seen.has(name)) problems.push(`featureNames has ${name} twice`);
    seen.add(name);
  }
  checkDataset('train', input.train, cols, input.objective, true, problems);
  checkDataset('valid', input.valid, cols, input.objective, true, problems);
  (input.predict ?? []).forEach((set, i) => checkDataset(`predict[${i}]`, set, cols, input.objective, false, problems));
  if (!isPositiveInteger(input.numRounds)) problems.push(`numRounds must be a positive integer, not ${input.numRounds}`);
  if (!isPositiveInteger(input.earlyStoppingRounds)) problems.push(`earlyStoppingRounds must be a positive integer, not ${input.earlyStoppingRounds}`);
  const p = input.params ?? {};
  const range = (name: string, value: number | undefined, ok: (v: number) => boolean, what: string) => {
    if (value !== undefined && !(typeof value === 'number' && ok(value))) problems.push(`params.${name} must be ${what}, not ${String(value)}`);
  };
  range('maxDepth', p.maxDepth, (v) => Number.isInteger(v) && v >= 1 && v <= 30, 'an integer from 1 to 30');
  range('eta', p.eta, (v) => v > 0 && v <= 1, 'in (0, 1]');
  range('subsample', p.subsample, (v) => v > 0 && v <= 1, 'in (0, 1]');
  range('colsampleByTree', p.colsampleByTree, (v) => v > 0 && v <= 1, 'in (0, 1]');
  range('minChildWeight', p.minChildWeight, (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0');
  range('lambda', p.lambda, (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0');
  range('seed', p.seed, (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1, 'an integer from 0 to 2^31-1');
  range('nthread', p.nthread, (v) => Number.isInteger(v) && v >= 1 && v <= 256, 'an integer from 1 to 256');
  if (problems.length > 0) {
    throw new MlEngineError(`invalid training input: ${problems.join('; ')}`, { context: { problems } });
  }
}

function checkDataset(name: string, set: BoostingDataset, cols: number, objective: string, labelled: boolean, problems: string[]): void {
  if (!Number.isInteger(set.rows) || set.rows < 1) problems.push(`${name}.rows must be a positive integer, not ${set.rows}`);
  if (set.cols !== cols) problems.push(`${name}.cols is ${set.cols} but there are ${cols} feature names`);
  if (!(set.values instanceof Float32Array)) {
    problems.push(`${name}.values must be a Float32Array`);
    return;
  }
  if (set.values.length !== set.rows * set.cols) {
    problems.push(`${name}.values has ${set.values.length} values, not rows × cols = ${set.rows} × ${set.cols} = ${set.rows * set.cols}`);
  } else {
    const bad = set.values.findIndex((v) => v === Infinity || v === -Infinity);
    if (bad >= 0) problems.push(`${name}.values has ${set.values[bad]} at row ${Math.floor(bad / set.cols)}, column ${bad % set.cols} (use NaN for missing)`);
  }
  if (!labelled) return;
  if (!(set.labels instanceof Float32Array)) {
    problems.push(`${name}.labels must be a Float32Array`);
    return;
  }
  if (set.labels.length !== set.rows) {
    problems.push(`${name}.labels has ${set.labels.length} labels for ${set.rows} rows`);
    return;
  }
  const bad = set.labels.findIndex((v) => !Number.isFinite(v) || (objective === 'binary:logistic' && (v < 0 || v > 1)));
  if (bad >= 0) problems.push(`${name}.labels[${bad}] is ${set.labels[bad]} (labels must be finite${objective === 'binary:logistic' ? ' and in [0, 1]' : ''})`);
}

function isPositiveInteger(v: number): boolean {
  return Number.isInteger(v) && v >= 1;
}
