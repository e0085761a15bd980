import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CanceledError } from '../../core/index.js';
import type { RoundEval, TrainBoostedTreesInput, TrainBoostedTreesResult } from './boosting-types.js';
import { MlEngineCrashedError, MlEngineError, MlEngineMissingError } from './ml-engine-errors.js';
import type { TrainingRequest } from './run-xgboost-training.js';
import { validateTrainingInput } from './validate-training-input.js';
import { encodeFrame, float32Part, FrameReader, type Frame } from './worker-frames.js';

/** Where libxgboost is looked for when neither the option nor GMP_XGBOOST_LIBRARY names it. */
export const DEFAULT_XGBOOST_LIBRARY = 'libxgboost.so.0';
const OUTPUT_TAIL = 4000;

/**
 * Trains gradient-boosted trees with XGBoost in a child process and returns the JSON model (best
 * round kept), the metric per round and, when asked, native predictions and contributions.
 * Throws MlEngineError for bad input (before any process starts) or an XGBoost failure,
 * MlEngineMissingError when libxgboost cannot be loaded, MlEngineCrashedError when the process
 * dies, and CanceledError when `signal` aborts (the process is killed and gone by then).
 */
export async function trainBoostedTrees(input: TrainBoostedTreesInput, options: { libraryPath?: string } = {}): Promise<TrainBoostedTreesResult> {
  validateTrainingInput(input);
  if (input.signal?.aborted) throw new CanceledError('training canceled before it started');
  const request: TrainingRequest & { rows: { train: number; valid: number; predict: number[] } } = {
    objective: input.objective,
    featureNames: input.featureNames,
    params: input.params ?? {},
    numRounds: input.numRounds,
    earlyStoppingRounds: input.earlyStoppingRounds,
    contributions: input.contributions ?? false,
    libraryPath: options.libraryPath ?? process.env.GMP_XGBOOST_LIBRARY ?? DEFAULT_XGBOOST_LIBRARY,
    rows: { train: input.train.rows, valid: input.valid.rows, predict: (input.predict ?? []).map((p) => p.rows) },
  };
  const parts = [input.train.values, input.train.labels, input.valid.values, input.valid.labels, ...(input.predict ?? []).map((p) => p.values)];

  const child = spawn(process.execPath, workerArgs(), { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
  // Emitted when the process cannot start (then no 'close' may follow).
  const spawnFailure = new Promise<never>((_, reject) => child.on('error', reject));
  spawnFailure.catch(() => undefined);
  let canceled = false;
  const abort = () => {
    canceled = true;
    child.kill('SIGKILL');
  };
  input.signal?.addEventListener('abort', abort, { once: true });
  try {
    const stdin = child.stdin!;
    // The process may die before reading everything (a crash, an abort): its exit tells why.
    stdin.on('error', () => undefined);
    for (const buffer of encodeFrame({ type: 'train', ...request }, parts)) stdin.write(buffer);
    stdin.end();

    const frames = new FrameReader(child.stdio[3] as Readable);
    const history: RoundEval[] = [];
    let outcome: Frame | undefined;
    let reported: Error | undefined;
    let broken: unknown;
    for (;;) {
      let frame: Frame | null;
      try {
        frame = await Promise.race([frames.next(), spawnFailure]);
      } catch (error) {
        broken = error;
        break;
      }
      if (frame === null) break;
      const h = frame.header;
      if (h.type === 'round') {
        const round = { round: h.round as number, train: h.train as number, valid: h.valid as number };
        history.push(round);
        input.onRound?.(round);
      } else if (h.type === 'result') outcome = frame;
      else if (h.type === 'missing') reported = new MlEngineMissingError(String(h.libraryPath), String(h.detail));
      else if (h.type === 'error') reported = new MlEngineError(`XGBoost training failed: ${String(h.message)}`);
    }
    if (child.pid === undefined) {
      throw new MlEngineError(`could not start the XGBoost training process: ${broken instanceof Error ? broken.message : String(broken)}`, { cause: broken });
    }
    const [code, signal] = await exited;
    if (canceled) throw new CanceledError('training canceled; the XGBoost process was killed');
    if (reported) throw reported;
    if (signal !== null || code !== 0 || outcome === undefined) {
      throw new MlEngineCrashedError(signal, code, output || (broken instanceof Error ? broken.message : ''));
    }
    return resultOf(outcome, history, input);
  } finally {
    input.signal?.removeEventListener('abort', abort);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    (child.stdin as Writable | null)?.destroy();
  }
}

function resultOf(frame: Frame, history: RoundEval[], input: TrainBoostedTreesInput): TrainBoostedTreesResult {
  const h = frame.header;
  const count = h.predictions as number;
  const [model, ...arrays] = frame.parts;
  const widen = (part: Uint8Array) => Float64Array.from(float32Part(part));
  const predictions = arrays.slice(0, count).map(widen);
  const contributions = arrays.slice(count).map(widen);
  (input.predict ?? []).forEach((set, i) => {
    if (predictions[i]!.length !== set.rows) throw new MlEngineError(`XGBoost returned ${predictions[i]!.length} predictions for ${set.rows} rows`);
  });
  return {
    modelJson: Buffer.from(model!).toString('utf8'),
    bestIteration: h.bestIteration as number,
    evalMetric: h.evalMetric as 'rmse' | 'logloss',
    history,
    predictions,
    contributions,
  };
}

/** Node arguments that run the worker: its .js beside this file, or its .ts through tsx when running from sources. */
function workerArgs(): string[] {
  const fromSources = import.meta.url.endsWith('.ts');
  const worker = fileURLToPath(new URL(fromSources ? './xgboost-worker.ts' : './xgboost-worker.js', import.meta.url));
  if (!fromSources) return [worker];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, worker];
}
