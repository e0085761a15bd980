export { alertsFileOf, describeCondition, loadAlertRules } from './alert-rules.js';
export type { AlertFile, AlertRule } from './alert-rules.js';
export { evaluateAlerts } from './evaluate-alerts.js';
export type { AlertEvaluation, AlertState } from './evaluate-alerts.js';
export { checkAlerts, listAlerts, testAlerts } from './run-alerts.js';
export type { AlertListing, AlertNotice } from './run-alerts.js';
export { readMetricsText, sumSamples } from './read-metrics.js';
export type { MetricSample } from './read-metrics.js';
