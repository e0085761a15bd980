// The training process: reads one request frame (with its matrices) on stdin, trains with the
// XGBoost C API, and writes frames on fd 3 (stdout is left to the native library's own output).
// Only this process loads libxgboost, so a native fault cannot take the caller down.
import { writeSync } from 'node:fs';
import { GmpError } from '../../core/index.js';
import { MlEngineMissingError } from './ml-engine-errors.js';
import { runXgboostTraining, type TrainingRequest } from './run-xgboost-training.js';
import { encodeFrame, float32Part, FrameReader } from './worker-frames.js';
import { loadXgboostLibrary } from './xgboost-library.js';

const OUT_FD = 3;

function send(header: { type: string; [key: string]: unknown }, parts: ArrayBufferView[] = []): void {
  for (const buffer of encodeFrame(header, parts)) {
    let written = 0;
    while (written < buffer.length) written += writeSync(OUT_FD, buffer, written, buffer.length - written);
  }
}

async function main(): Promise<void> {
  const frame = await new FrameReader(process.stdin).next();
  if (frame === null || frame.header.type !== 'train') throw new Error('no training request on stdin');
  const request = frame.header as unknown as TrainingRequest & { rows: { train: number; valid: number; predict: number[] } };
  const [trainValues, trainLabels, validValues, validLabels, ...predictValues] = frame.parts.map(float32Part);
  process.stdin.destroy();

  let lib;
  try {
    lib = loadXgboostLibrary(request.libraryPath);
  } catch (error) {
    if (error instanceof MlEngineMissingError) {
      send({ type: 'missing', libraryPath: request.libraryPath, detail: error.detail });
      return;
    }
    throw error;
  }
  // A deliberate native fault after the second round, for the crash test (only under vitest).
  const crashAfter = process.env.GMP_XGBOOST_TEST_FAULT === 'segv' && process.env.VITEST ? 1 : -1;
  const outcome = runXgboostTraining(
    lib,
    request,
    {
      train: { values: trainValues!, labels: trainLabels!, rows: request.rows.train },
      valid: { values: validValues!, labels: validLabels!, rows: request.rows.valid },
      predict: predictValues.map((values, i) => ({ values, rows: request.rows.predict[i]! })),
    },
    (round) => {
      send({ type: 'round', ...round });
      if (round.round === crashAfter) lib.crashForTest();
    },
  );
  const model = Buffer.from(outcome.modelJson, 'utf8');
  send(
    { type: 'result', bestIteration: outcome.bestIteration, evalMetric: outcome.evalMetric, predictions: outcome.predictions.length, contributions: outcome.contributions.length },
    [model, ...outcome.predictions, ...outcome.contributions],
  );
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  try {
    send({ type: 'error', message, engine: error instanceof GmpError });
  } finally {
    process.exitCode = 1;
  }
});
