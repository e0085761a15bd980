export { executeRun, requestsOf } from './execute-run.js';
export type { ExecuteRunOptions, RunProgressEvent, StepResult } from './execute-run.js';
export { planRun, stepId } from './plan-run.js';
export type { RunRequest, Step } from './plan-run.js';
