import { materialize, type MaterializeRequest, type RunSummary, type Workspace } from '../app/index.js';
import { progress } from './progress.js';

/** Every model of the shipped project (its staging and marts groups); the model tests (checks) are left out. */
export const SELECT_EVERY_MODEL = 'group:staging group:marts';

export interface GmpBuild {
  /** Wall milliseconds of `materialize` (project load, plan, execute, record, publish for readers). */
  ms: number;
  run: RunSummary;
  /** Distinct assets the run stepped through. */
  models: number;
}

/**
 * One `gmp materialize` of `request` in this process, timed; throws `<label> failed: <asset>:
 * <message>; …` when a step did not succeed. With GMP_BENCH_BUILD_TRACE set, prints each step's
 * time (slowest first) and the steps' sum against the wall time.
 */
export async function buildWithGmp(ws: Workspace, request: MaterializeRequest, label = 'gmp build'): Promise<GmpBuild> {
  const t0 = performance.now();
  const run = await materialize(ws, request);
  const ms = performance.now() - t0;
  const failed = run.steps.filter((s) => s.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`${label} failed: ${failed.map((s) => `${s.step.asset}: ${s.error?.message}`).join('; ')}`);
  if (process.env.GMP_BENCH_BUILD_TRACE) {
    for (const s of [...run.steps].sort((a, b) => b.durationMs - a.durationMs)) progress(`gmp ${Math.round(s.durationMs)} ms  ${s.step.asset}`);
    progress(`gmp steps sum ${Math.round(run.steps.reduce((n, s) => n + s.durationMs, 0))} ms, wall ${Math.round(ms)} ms`);
  }
  return { ms, run, models: new Set(run.steps.map((s) => s.step.asset)).size };
}
