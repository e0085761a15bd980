export { modelTestChecks } from './model-test-checks.js';
export { runModelTests } from './run-model-tests.js';
export type { ModelTestReport, ModelTestRequest, TestOutcome } from './run-model-tests.js';
