export { executeRun, requestsOf } from './execute-run.js';
export type { Acquired, ExecuteRunOptions, RunProgressEvent, StepResult } from './execute-run.js';
export { planRun, runnableSteps, stepId } from './plan-run.js';
export type { PlanOptions, RunRequest, Step } from './plan-run.js';
export { summarizePlan } from './summarize-plan.js';
export type { PlanAssetSummary } from './summarize-plan.js';
