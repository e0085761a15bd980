export { modelTestChecks } from './model-test-checks.js';
